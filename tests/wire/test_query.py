"""Query: key conditions, order, Limit and paging, Select, filters,
projections, the 1 MB page limit, validation.  (Queries on secondary indexes
belong to a later issue and are not tested here.)"""

import pytest

from wire_util import expect_error, expect_validation, full_query, random_key, unique_name


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


@pytest.fixture(scope="module")
def nums(dynamodb, table_sn):
    """pk -> items with sk 0..19 (numbers), attribute v = sk*10, odd items have 'odd'."""
    p = random_key()
    for i in range(20):
        item = {"pk": S(p), "sk": N(i), "v": N(i * 10)}
        if i % 2:
            item["odd"] = {"BOOL": True}
        dynamodb.put_item(TableName=table_sn, Item=item)
    # another partition that must never leak into results
    dynamodb.put_item(TableName=table_sn, Item={"pk": S(p + "x"), "sk": N(5)})
    return p


@pytest.fixture(scope="module")
def strs(dynamodb, table_ss):
    p = random_key()
    for sk in ["2023-01-01", "2023-03-05", "2023-12-31", "2024-01-01", "2024-06-15", "a", "ab", "abc", "b"]:
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S(sk)})
    return p


def q(client, table, kce, values, **kw):
    items, _ = full_query(
        client, TableName=table, KeyConditionExpression=kce, ExpressionAttributeValues=values, ConsistentRead=True, **kw
    )
    return items


def sks(items):
    return [int(i["sk"]["N"]) for i in items]


def test_hash_only(dynamodb, table_sn, nums):
    assert sks(q(dynamodb, table_sn, "pk = :p", {":p": S(nums)})) == list(range(20))


@pytest.mark.parametrize(
    "cond, expected",
    [
        ("sk = :a", [7]),
        ("sk < :a", list(range(7))),
        ("sk <= :a", list(range(8))),
        ("sk > :a", list(range(8, 20))),
        ("sk >= :a", list(range(7, 20))),
    ],
)
def test_range_comparisons(dynamodb, table_sn, nums, cond, expected):
    assert sks(q(dynamodb, table_sn, "pk = :p AND " + cond, {":p": S(nums), ":a": N(7)})) == expected


def test_between(dynamodb, table_sn, nums):
    got = q(dynamodb, table_sn, "pk = :p AND sk BETWEEN :a AND :b", {":p": S(nums), ":a": N(3), ":b": N(6)})
    assert sks(got) == [3, 4, 5, 6]


def test_between_reversed_bounds(dynamodb, table_sn, nums):
    with expect_validation(
        match=r"^Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound"
    ):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues={":p": S(nums), ":a": N(6), ":b": N(3)},
        )


def test_begins_with(dynamodb, table_ss, strs):
    got = q(dynamodb, table_ss, "pk = :p AND begins_with(sk, :y)", {":p": S(strs), ":y": S("2023")})
    assert [i["sk"]["S"] for i in got] == ["2023-01-01", "2023-03-05", "2023-12-31"]
    got = q(dynamodb, table_ss, "pk = :p AND begins_with ( sk , :y )", {":p": S(strs), ":y": S("ab")})
    assert [i["sk"]["S"] for i in got] == ["ab", "abc"]


def test_string_range_ops(dynamodb, table_ss, strs):
    got = q(dynamodb, table_ss, "pk = :p AND sk > :a", {":p": S(strs), ":a": S("a")})
    assert [i["sk"]["S"] for i in got] == ["ab", "abc", "b"]
    got = q(dynamodb, table_ss, "pk = :p AND sk BETWEEN :a AND :b", {":p": S(strs), ":a": S("2023-06"), ":b": S("2024-02")})
    assert [i["sk"]["S"] for i in got] == ["2023-12-31", "2024-01-01"]


def test_reversed_key_condition_order_and_names(dynamodb, table_sn, nums):
    got = q(
        dynamodb,
        table_sn,
        ":a <= #s AND #p = :p",
        {":p": S(nums), ":a": N(18)},
        ExpressionAttributeNames={"#s": "sk", "#p": "pk"},
    )
    assert sks(got) == [18, 19]


def test_scan_index_forward_false(dynamodb, table_sn, nums):
    got = q(dynamodb, table_sn, "pk = :p", {":p": S(nums)}, ScanIndexForward=False)
    assert sks(got) == list(range(19, -1, -1))


def test_limit_and_paging(dynamodb, table_sn, nums):
    kw = dict(TableName=table_sn, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(nums)}, Limit=6)
    r = dynamodb.query(**kw)
    assert sks(r["Items"]) == [0, 1, 2, 3, 4, 5]
    assert r["Count"] == 6 and r["ScannedCount"] == 6
    assert r["LastEvaluatedKey"] == {"pk": S(nums), "sk": N(5)}
    seen = sks(r["Items"])
    while "LastEvaluatedKey" in r:
        r = dynamodb.query(**kw, ExclusiveStartKey=r["LastEvaluatedKey"])
        assert len(r["Items"]) <= 6
        if len(r["Items"]) == 6:
            # DynamoDB returns LastEvaluatedKey whenever Limit was reached
            assert "LastEvaluatedKey" in r
        seen += sks(r["Items"])
    assert seen == list(range(20))


def test_paging_backwards(dynamodb, table_sn, nums):
    items, pages = full_query(
        dynamodb,
        TableName=table_sn,
        KeyConditionExpression="pk = :p AND sk >= :a",
        ExpressionAttributeValues={":p": S(nums), ":a": N(4)},
        ScanIndexForward=False,
        Limit=5,
    )
    assert sks(items) == list(range(19, 3, -1))
    assert pages >= 4


def test_exclusive_start_key_in_the_middle(dynamodb, table_sn, nums):
    r = dynamodb.query(
        TableName=table_sn,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S(nums)},
        ExclusiveStartKey={"pk": S(nums), "sk": N(16)},
    )
    assert sks(r["Items"]) == [17, 18, 19]


def test_select_count(dynamodb, table_sn, nums):
    r = dynamodb.query(
        TableName=table_sn, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(nums)}, Select="COUNT"
    )
    assert "Items" not in r
    assert r["Count"] == 20 and r["ScannedCount"] == 20


def test_select_count_with_filter(dynamodb, table_sn, nums):
    r = dynamodb.query(
        TableName=table_sn,
        KeyConditionExpression="pk = :p",
        FilterExpression="attribute_exists(odd)",
        ExpressionAttributeValues={":p": S(nums)},
        Select="COUNT",
    )
    assert r["Count"] == 10 and r["ScannedCount"] == 20


def test_select_specific_attributes(dynamodb, table_sn, nums):
    r = dynamodb.query(
        TableName=table_sn,
        KeyConditionExpression="pk = :p AND sk = :s",
        ExpressionAttributeValues={":p": S(nums), ":s": N(3)},
        Select="SPECIFIC_ATTRIBUTES",
        ProjectionExpression="v",
    )
    assert r["Items"] == [{"v": N(30)}]
    r = dynamodb.query(
        TableName=table_sn,
        KeyConditionExpression="pk = :p AND sk = :s",
        ExpressionAttributeValues={":p": S(nums), ":s": N(3)},
        Select="ALL_ATTRIBUTES",
    )
    assert r["Items"] == [{"pk": S(nums), "sk": N(3), "v": N(30), "odd": {"BOOL": True}}]


def test_select_all_projected_without_index(dynamodb, table_sn, nums):
    with expect_validation(match=r"ALL_PROJECTED_ATTRIBUTES"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": S(nums)},
            Select="ALL_PROJECTED_ATTRIBUTES",
        )


def test_select_count_with_projection(dynamodb, table_sn, nums):
    with expect_validation(match=r"(?i)projection"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": S(nums)},
            Select="COUNT",
            ProjectionExpression="v",
        )


def test_select_all_attributes_with_projection(dynamodb, table_sn, nums):
    with expect_validation(match=r"(?i)projection"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": S(nums)},
            Select="ALL_ATTRIBUTES",
            ProjectionExpression="v",
        )


def test_filter_expression(dynamodb, table_sn, nums):
    got = q(dynamodb, table_sn, "pk = :p", {":p": S(nums), ":x": N(100)}, FilterExpression="v >= :x AND attribute_exists(odd)")
    assert sks(got) == [11, 13, 15, 17, 19]


def test_filter_with_limit_counts_scanned(dynamodb, table_sn, nums):
    # Limit applies to items read before filtering
    r = dynamodb.query(
        TableName=table_sn,
        KeyConditionExpression="pk = :p",
        FilterExpression="attribute_exists(odd)",
        ExpressionAttributeValues={":p": S(nums)},
        Limit=4,
    )
    assert sks(r["Items"]) == [1, 3]
    assert r["Count"] == 2 and r["ScannedCount"] == 4
    assert r["LastEvaluatedKey"] == {"pk": S(nums), "sk": N(3)}


def test_filter_on_key_attribute_rejected(dynamodb, table_sn, nums):
    with expect_validation(
        message="Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"
    ):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p",
            FilterExpression="sk > :x",
            ExpressionAttributeValues={":p": S(nums), ":x": N(1)},
        )


def test_projection_expression(dynamodb, table_sn, nums):
    got = q(dynamodb, table_sn, "pk = :p AND sk < :a", {":p": S(nums), ":a": N(2)}, ProjectionExpression="sk, v, nothere")
    assert got == [{"sk": N(0), "v": N(0)}, {"sk": N(1), "v": N(10)}]


def test_one_megabyte_page_limit(dynamodb, table_ss):
    p = random_key()
    blob = "x" * (100 * 1024)
    for i in range(14):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S(f"{i:03d}"), "blob": S(blob)})
    r = dynamodb.query(TableName=table_ss, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(p)})
    assert "LastEvaluatedKey" in r
    assert 9 <= len(r["Items"]) <= 11, len(r["Items"])
    items, pages = full_query(dynamodb, TableName=table_ss, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(p)})
    assert [i["sk"]["S"] for i in items] == [f"{i:03d}" for i in range(14)]
    assert pages == 2
    # Select=COUNT pages at 1 MB too
    r = dynamodb.query(
        TableName=table_ss, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(p)}, Select="COUNT"
    )
    assert "LastEvaluatedKey" in r and 9 <= r["Count"] <= 11


def test_empty_result(dynamodb, table_sn):
    r = dynamodb.query(TableName=table_sn, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(random_key())})
    assert r["Items"] == [] and r["Count"] == 0 and r["ScannedCount"] == 0
    assert "LastEvaluatedKey" not in r


# ---------------------------------------------------------------- validation


def test_missing_hash_key_condition(dynamodb, table_sn):
    with expect_validation(message="Query condition missed key schema element: pk"):
        dynamodb.query(TableName=table_sn, KeyConditionExpression="sk = :a", ExpressionAttributeValues={":a": N(1)})


def test_hash_key_inequality(dynamodb, table_sn):
    with expect_validation(message="Query key condition not supported"):
        dynamodb.query(TableName=table_sn, KeyConditionExpression="pk > :a", ExpressionAttributeValues={":a": S("x")})


def test_non_key_attribute_in_key_condition(dynamodb, table_sn):
    with expect_validation(match=r"^(Query condition missed key schema element|Query key condition not supported)"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p AND v = :a",
            ExpressionAttributeValues={":p": S("x"), ":a": N(1)},
        )


def test_or_in_key_condition(dynamodb, table_sn):
    with expect_validation(message="Invalid operator used in KeyConditionExpression: OR"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p OR sk = :a",
            ExpressionAttributeValues={":p": S("x"), ":a": N(1)},
        )


def test_begins_with_on_number_key(dynamodb, table_sn):
    with expect_validation(
        match=r"^Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with"
    ):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p AND begins_with(sk, :a)",
            ExpressionAttributeValues={":p": S("x"), ":a": N(1)},
        )


def test_key_condition_value_type_mismatch(dynamodb, table_sn):
    with expect_validation(
        match=r"^One or more parameter values were invalid: Condition parameter type does not match schema type"
    ):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p AND sk = :a",
            ExpressionAttributeValues={":p": S("x"), ":a": S("1")},
        )


def test_no_key_condition(dynamodb, table_sn):
    with expect_validation(
        message="Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
    ):
        dynamodb.query(TableName=table_sn)


def test_bad_exclusive_start_key(dynamodb, table_sn):
    with expect_validation(match=r"^The provided starting key is invalid"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": S("x")},
            ExclusiveStartKey={"pk": S("x")},
        )


def test_limit_zero(raw_client, table_sn):
    with expect_validation(match=r"limit.*Member must have value greater than or equal to 1"):
        raw_client.query(
            TableName=table_sn, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S("x")}, Limit=0
        )


def test_query_missing_table(dynamodb):
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.query(
            TableName=unique_name("nosuch"), KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S("x")}
        )


def test_query_unused_value(dynamodb, table_sn):
    with expect_validation(message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}"):
        dynamodb.query(
            TableName=table_sn, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S("x"), ":u": S("y")}
        )


def test_resource_query_with_conditions(table_sn_res, nums):
    from boto3.dynamodb.conditions import Attr, Key

    r = table_sn_res.query(
        KeyConditionExpression=Key("pk").eq(nums) & Key("sk").between(2, 5),
        FilterExpression=Attr("v").gt(20),
        ConsistentRead=True,
    )
    assert [int(i["sk"]) for i in r["Items"]] == [3, 4, 5]
