"""Scan: paging, Select, filters, projections, the 1 MB page limit, parallel
scan (Segment/TotalSegments) and its validation."""

import concurrent.futures

import pytest

from wire_util import expect_error, expect_validation, full_scan, random_key, unique_name


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


@pytest.fixture(scope="module")
def scan_table(dynamodb):
    """A fresh table (hash pk S, range sk N) holding exactly 240 items."""
    from wire_util import create_table, delete_table_quietly

    name = create_table(dynamodb, hash_key=("pk", "S"), range_key=("sk", "N"))
    keys = set()
    for h in range(60):
        for r in range(4):
            dynamodb.put_item(
                TableName=name, Item={"pk": S(f"h{h:03d}"), "sk": N(r), "v": N(h * 4 + r), "even": {"BOOL": r % 2 == 0}}
            )
            keys.add((f"h{h:03d}", r))
    yield name, keys
    delete_table_quietly(dynamodb, name)


def key_of(item):
    return (item["pk"]["S"], int(item["sk"]["N"]))


def test_full_scan(dynamodb, scan_table):
    name, keys = scan_table
    items = full_scan(dynamodb, TableName=name, ConsistentRead=True)
    got = [key_of(i) for i in items]
    assert len(got) == len(set(got)) == 240
    assert set(got) == keys


def test_scan_paging_with_limit(dynamodb, scan_table):
    name, keys = scan_table
    kw = {"TableName": name, "Limit": 17}
    got, pages = [], 0
    while True:
        r = dynamodb.scan(**kw)
        pages += 1
        assert len(r["Items"]) <= 17
        assert r["Count"] == len(r["Items"]) and r["ScannedCount"] == len(r["Items"])
        got += [key_of(i) for i in r["Items"]]
        if "LastEvaluatedKey" not in r:
            break
        # the last evaluated key is the key of the last item returned
        assert key_of(r["LastEvaluatedKey"]) == got[-1]
        assert set(r["LastEvaluatedKey"]) == {"pk", "sk"}
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]
    assert len(got) == len(set(got)) == 240
    assert pages >= 15


def test_scan_items_of_one_partition_are_in_sort_order(dynamodb, scan_table):
    name, _ = scan_table
    items = full_scan(dynamodb, TableName=name)
    by_pk = {}
    for i in items:
        by_pk.setdefault(i["pk"]["S"], []).append(int(i["sk"]["N"]))
    for sks in by_pk.values():
        assert sks == sorted(sks)
    # each partition's items are contiguous in a scan
    order = [i["pk"]["S"] for i in items]
    compressed = [p for n, p in enumerate(order) if n == 0 or order[n - 1] != p]
    assert len(compressed) == len(set(compressed))


def test_scan_select_count(dynamodb, scan_table):
    name, _ = scan_table
    total, scanned = 0, 0
    kw = {"TableName": name, "Select": "COUNT", "FilterExpression": "even = :t", "ExpressionAttributeValues": {":t": {"BOOL": True}}}
    while True:
        r = dynamodb.scan(**kw)
        assert "Items" not in r
        total += r["Count"]
        scanned += r["ScannedCount"]
        if "LastEvaluatedKey" not in r:
            break
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]
    assert (total, scanned) == (120, 240)


def test_scan_filter_and_projection(dynamodb, scan_table):
    name, _ = scan_table
    items = full_scan(
        dynamodb,
        TableName=name,
        FilterExpression="v BETWEEN :a AND :b AND sk <> :z",
        ProjectionExpression="v, #s",
        ExpressionAttributeNames={"#s": "sk"},
        ExpressionAttributeValues={":a": N(10), ":b": N(19), ":z": N(0)},
    )
    assert sorted(int(i["v"]["N"]) for i in items) == [10, 11, 13, 14, 15, 17, 18, 19]
    assert all(set(i) == {"v", "sk"} for i in items)


def test_scan_filter_on_key_allowed(dynamodb, scan_table):
    # unlike Query, Scan filters may use key attributes
    name, _ = scan_table
    items = full_scan(dynamodb, TableName=name, FilterExpression="pk = :p", ExpressionAttributeValues={":p": S("h007")})
    assert sorted(key_of(i) for i in items) == [("h007", r) for r in range(4)]


def test_scan_one_megabyte_page_limit(dynamodb, table_factory):
    name = table_factory()
    blob = "y" * (100 * 1024)
    for i in range(14):
        dynamodb.put_item(TableName=name, Item={"pk": S(f"k{i}"), "blob": S(blob)})
    r = dynamodb.scan(TableName=name)
    assert "LastEvaluatedKey" in r
    assert 9 <= len(r["Items"]) <= 11, len(r["Items"])
    assert len(full_scan(dynamodb, TableName=name)) == 14


@pytest.mark.parametrize("total", [1, 2, 3, 7, 16, 300])
def test_parallel_scan_covers_everything_once(dynamodb, scan_table, total):
    name, keys = scan_table
    got = []
    for seg in range(total):
        items = full_scan(dynamodb, TableName=name, Segment=seg, TotalSegments=total, Limit=13)
        got += [key_of(i) for i in items]
    assert len(got) == len(set(got)), "an item appeared in more than one segment"
    assert set(got) == keys


def test_parallel_scan_concurrently(dynamodb, scan_table):
    name, keys = scan_table
    total = 8

    def seg(n):
        return [key_of(i) for i in full_scan(dynamodb, TableName=name, Segment=n, TotalSegments=total, Limit=9)]

    with concurrent.futures.ThreadPoolExecutor(total) as ex:
        parts = list(ex.map(seg, range(total)))
    flat = [k for p in parts for k in p]
    assert len(flat) == len(set(flat)) and set(flat) == keys
    # with 60 partitions over 8 segments, the work is actually split
    assert sum(1 for p in parts if p) >= 2


def test_parallel_scan_segments_split_by_partition(dynamodb, scan_table):
    # all items of one partition key land in the same segment
    name, _ = scan_table
    owner = {}
    for seg in range(4):
        for i in full_scan(dynamodb, TableName=name, Segment=seg, TotalSegments=4):
            assert owner.setdefault(i["pk"]["S"], seg) == seg


def test_segment_without_total(raw_client, table_s):
    with expect_validation(
        message="The TotalSegments parameter is required but was not present in the request when Segment parameter is present"
    ):
        raw_client.scan(TableName=table_s, Segment=0)


def test_total_without_segment(raw_client, table_s):
    with expect_validation(
        message="The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
    ):
        raw_client.scan(TableName=table_s, TotalSegments=2)


def test_segment_not_less_than_total(dynamodb, table_s):
    with expect_validation(
        message="The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3"
    ):
        dynamodb.scan(TableName=table_s, Segment=3, TotalSegments=3)


def test_segment_ranges(raw_client, table_s):
    with expect_validation(match=r"totalSegments.*Member must have value greater than or equal to 1"):
        raw_client.scan(TableName=table_s, Segment=0, TotalSegments=0)
    with expect_validation(match=r"totalSegments.*Member must have value less than or equal to 1000000"):
        raw_client.scan(TableName=table_s, Segment=0, TotalSegments=1000001)
    with expect_validation(match=r"segment.*Member must have value greater than or equal to 0"):
        raw_client.scan(TableName=table_s, Segment=-1, TotalSegments=2)


def test_max_total_segments_ok(dynamodb, table_s):
    r = dynamodb.scan(TableName=table_s, Segment=999999, TotalSegments=1000000)
    assert r["Count"] == len(r["Items"])


def test_scan_limit_zero(raw_client, table_s):
    with expect_validation(match=r"limit.*Member must have value greater than or equal to 1"):
        raw_client.scan(TableName=table_s, Limit=0)


def test_scan_bad_exclusive_start_key(dynamodb, table_s):
    with expect_validation(match=r"^The provided starting key is invalid"):
        dynamodb.scan(TableName=table_s, ExclusiveStartKey={"nope": S("x")})


def test_scan_missing_table(dynamodb):
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.scan(TableName=unique_name("nosuch"))


def test_scan_filter_errors(dynamodb, table_s):
    with expect_validation(
        message="Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :nope"
    ):
        dynamodb.scan(TableName=table_s, FilterExpression="a = :nope")
    with expect_validation(match=r"^Invalid FilterExpression: Syntax error; token: "):
        dynamodb.scan(TableName=table_s, FilterExpression="a = ")


def test_scan_resource(dynamodb_resource, table_factory):
    name = table_factory()
    t = dynamodb_resource.Table(name)
    for i in range(5):
        t.put_item(Item={"pk": f"r{i}", "n": i})
    r = t.scan(ConsistentRead=True)
    assert sorted(i["pk"] for i in r["Items"]) == [f"r{i}" for i in range(5)]
