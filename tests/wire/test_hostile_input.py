"""Hostile request bodies: each is refused with DynamoDB's error and the server
goes on serving everyone else.

Covered here (issue "hostile input", items 2, 3, 6, 7, 8, 9); deep expressions
are in test_hostile_expressions.py and connection limits in test_hostile_http.py.
Request JSON is parsed with a depth limit (80 levels of objects and arrays:
the deepest request envelope plus DynamoDB's 32 levels of attribute nesting),
enforced while parsing; a deeper body gets DynamoDB's nesting-limit message.
"""

import concurrent.futures
import json
import time

import pytest

from wire_util import (
    ServerProcess,
    error_message,
    error_type,
    expect_error,
    expect_validation,
    raw_call,
    unique_name,
)

NESTING_MESSAGE = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)


def alive(dynamodb):
    """The server still answers an ordinary request."""
    assert isinstance(dynamodb.list_tables(Limit=1)["TableNames"], list)


def nested_arrays(depth):
    return "[" * depth + "]" * depth


# ---- Deep JSON (items 2 and 6) -------------------------------------------------------


def test_deep_unknown_member_in_transaction_with_token(dynamodb, table_s, endpoint):
    """A TransactWriteItems with a ClientRequestToken and an unknown member
    holding ~1,000,000 nested arrays (2 MB) once crashed the idempotency
    fingerprint; now the parse stops at the depth limit."""
    body = (
        '{"ClientRequestToken":"tok-deep","TransactItems":[{"Put":{"TableName":"%s",'
        '"Item":{"pk":{"S":"a"}},"Junk":%s}}]}' % (table_s, nested_arrays(1_000_000))
    )
    r = raw_call(endpoint, "TransactWriteItems", body)
    assert r.status_code == 400
    assert error_type(r.json()) == "ValidationException"
    assert error_message(r.json()) == NESTING_MESSAGE
    alive(dynamodb)
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key={"pk": {"S": "a"}})


def test_depth_limit_is_past_dynamodbs_own_item_nesting(dynamodb, table_s, endpoint):
    """Items nested up to DynamoDB's limit still go through the bounded parser
    inside the deepest envelope (TransactWriteItems Update values)."""
    value = {"S": "leaf"}
    for _ in range(30):
        value = {"M": {"m": value}}
    dynamodb.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": table_s,
                    "Key": {"pk": {"S": "deep-ok"}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": value},
                }
            }
        ]
    )
    got = dynamodb.get_item(TableName=table_s, Key={"pk": {"S": "deep-ok"}})["Item"]["v"]
    for _ in range(30):
        got = got["M"]["m"]
    assert got == {"S": "leaf"}


def test_deep_item_gets_dynamodbs_nesting_message(dynamodb, table_s, endpoint):
    """An item nested far past 32 levels: DynamoDB's ValidationException, as
    for 33 levels."""
    value = '{"S":"x"}'
    for _ in range(200):
        value = '{"M":{"m":%s}}' % value
    body = '{"TableName":"%s","Item":{"pk":{"S":"deep"},"v":%s}}' % (table_s, value)
    r = raw_call(endpoint, "PutItem", body)
    assert r.status_code == 400
    assert error_type(r.json()) == "ValidationException"
    assert error_message(r.json()).startswith("Nesting Levels have exceeded supported limits")
    alive(dynamodb)


def status_mb(pid, field):
    """A size from /proc/PID/status ("VmRSS", "VmSize") in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field}")


def rss_mb(pid):
    return status_mb(pid, "VmRSS")


@pytest.mark.local_only
def test_sixteen_megabytes_of_nesting_does_not_swell_the_server(dynamodb, server, endpoint):
    """Four 16 MB bodies of nested arrays at once once cost 1.65 GB of RSS and
    stalled the event loop for seconds. The parse now stops at level 81, so the
    server's memory grows by little more than the bodies themselves (bound:
    300 MB under AddressSanitizer's overhead), and each gets the nesting error."""
    before = rss_mb(server.proc.pid)
    body = '{"TableName":"t","Junk":%s}' % nested_arrays(8 * 1024 * 1024 - 16)
    assert len(body) <= 16 * 1024 * 1024

    def send(_):
        return raw_call(endpoint, "PutItem", body)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, range(4)))
    for r in results:
        assert r.status_code == 400
        assert error_message(r.json()) == NESTING_MESSAGE
    assert rss_mb(server.proc.pid) - before < 300
    alive(dynamodb)


@pytest.mark.local_only
def test_adding_and_deleting_a_gsi_in_a_loop_does_not_swell_the_server(dynamodb, server, table_factory):
    """Each added GSI is backfilled on a thread of its own. Finished threads
    used to stay unjoined until shutdown, each keeping its 8 MB stack mapped
    (and the pages it touched): 30 rounds grew the server by ~246 MB of
    address space. They are now joined when the next background task starts."""
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "a"}, "g": {"S": "G"}})

    def add_and_delete():
        dynamodb.update_table(
            TableName=t,
            AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": "by-g",
                        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                }
            ],
        )
        deadline = time.time() + 30
        while True:
            gsis = dynamodb.describe_table(TableName=t)["Table"].get("GlobalSecondaryIndexes", [])
            if gsis and gsis[0]["IndexStatus"] == "ACTIVE":
                break
            assert time.time() < deadline, gsis
            time.sleep(0.01)
        dynamodb.update_table(TableName=t, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}])

    add_and_delete()  # the first round's one-time allocations
    before = status_mb(server.proc.pid, "VmSize")
    for _ in range(30):
        add_and_delete()
    assert status_mb(server.proc.pid, "VmSize") - before < 100
    alive(dynamodb)


@pytest.mark.local_only
def test_tables_past_max_tables_are_refused_as_dynamodb_refuses_them(client_for):
    """Each table costs the server memory whatever it holds, so their number
    is DynamoDB's default quota (2,500), set by --max-tables; past it
    CreateTable answers DynamoDB's LimitExceededException."""
    srv = ServerProcess(["--in-memory", "--max-tables", "2"])
    try:
        c = client_for(srv.url)
        args = dict(
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        c.create_table(TableName="one", **args)
        c.create_table(TableName="two", **args)
        with expect_error(
            "LimitExceededException",
            message="Subscriber limit exceeded: There is a limit of 2 tables per subscriber",
            status=400,
        ):
            c.create_table(TableName="three", **args)
        c.delete_table(TableName="one")
        c.create_table(TableName="three", **args)
        assert sorted(c.list_tables()["TableNames"]) == ["three", "two"]
    finally:
        assert srv.stop() == 0, srv.log()


def test_wide_json_in_an_unknown_member_is_parsed_off_the_event_loop(dynamodb, table_s, endpoint):
    """A 12 MB flat array in an unknown member is accepted (DynamoDB ignores
    unknown members) and parsed on a worker; small requests meanwhile keep
    being answered."""
    body = '{"TableName":"%s","Key":{"pk":{"S":"none"}},"Junk":[%s0]}' % (
        table_s,
        "0," * (6 * 1024 * 1024),
    )
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        big = pool.submit(raw_call, endpoint, "GetItem", body)
        for _ in range(5):
            alive(dynamodb)
        r = big.result()
    assert r.status_code == 200, r.text
    assert r.json() == {}


# ---- ExclusiveStartKey without the table's key on an index (item 3) ----------------------


@pytest.fixture(scope="module")
def gsi_table(dynamodb):
    name = unique_name("esk")
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "x", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-x",
                "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(3):
        dynamodb.put_item(TableName=name, Item={"p": {"S": f"p{i}"}, "x": {"S": "same"}})
    yield name
    dynamodb.delete_table(TableName=name)


INVALID_START = (
    "The provided starting key is invalid: The provided key element does not match the schema"
)


def test_index_query_with_start_key_lacking_table_key(dynamodb, gsi_table):
    """ExclusiveStartKey {"x": ...} on a GSI of a table keyed on p (a common
    pagination mistake) once read past a failed map lookup."""
    with expect_validation(message=INVALID_START):
        dynamodb.query(
            TableName=gsi_table,
            IndexName="by-x",
            KeyConditionExpression="x = :x",
            ExpressionAttributeValues={":x": {"S": "same"}},
            ExclusiveStartKey={"x": {"S": "same"}},
        )
    alive(dynamodb)


def test_index_scan_with_start_key_lacking_table_key(dynamodb, gsi_table):
    with expect_validation(message=INVALID_START):
        dynamodb.scan(TableName=gsi_table, IndexName="by-x", ExclusiveStartKey={"x": {"S": "same"}})
    with expect_validation(message=INVALID_START):
        dynamodb.scan(
            TableName=gsi_table,
            IndexName="by-x",
            ExclusiveStartKey={"x": {"S": "same"}, "p": {"N": "1"}},  # wrong type of p
        )
    alive(dynamodb)


def test_index_pagination_with_a_full_start_key_still_works(dynamodb, gsi_table):
    first = dynamodb.query(
        TableName=gsi_table,
        IndexName="by-x",
        KeyConditionExpression="x = :x",
        ExpressionAttributeValues={":x": {"S": "same"}},
        Limit=1,
    )
    rest = dynamodb.query(
        TableName=gsi_table,
        IndexName="by-x",
        KeyConditionExpression="x = :x",
        ExpressionAttributeValues={":x": {"S": "same"}},
        ExclusiveStartKey=first["LastEvaluatedKey"],
    )
    assert first["Count"] + rest["Count"] == 3


# ---- TagResource (item 7) ---------------------------------------------------------------


def test_two_hundred_thousand_tags_are_refused_at_once(dynamodb, table_factory, endpoint):
    """200,000 tags once took 28 s under the global schema lock; the 50-tag
    limit is now checked before any merge, and the table keeps its tags."""
    name = table_factory()
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "keep", "Value": "1"}])
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(200_000)]
    r = raw_call(endpoint, "TagResource", {"ResourceArn": arn, "Tags": tags})
    assert r.status_code == 400
    assert error_type(r.json()) == "ValidationException"
    assert error_message(r.json()) == (
        "Number of Tags exceed the current limit for the provided ResourceArn"
    )
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "keep", "Value": "1"}
    ]
    # A schema change right after is not held up.
    other = table_factory()
    assert dynamodb.describe_table(TableName=other)["Table"]["TableStatus"] == "ACTIVE"


def test_fifty_tags_still_fit_and_fifty_one_do_not(dynamodb, table_factory):
    name = table_factory()
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    with expect_validation(
        message="Number of Tags exceed the current limit for the provided ResourceArn"
    ):
        dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=[f"k{i}" for i in range(10)] + ["absent"])
    tags, kw = [], {}
    while True:
        page = dynamodb.list_tags_of_resource(ResourceArn=arn, **kw)
        tags += page["Tags"]
        if "NextToken" not in page:
            break
        kw = {"NextToken": page["NextToken"]}
    assert sorted(t["Key"] for t in tags) == sorted(f"k{i}" for i in range(10, 50))
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])


# ---- Integer parameters that do not fit an Integer (item 9) -----------------------------


@pytest.mark.parametrize("limit", [2**63, 2**31])
def test_scan_limit_beyond_an_integer(raw_client, table_s, limit):
    """Limit is an Integer in DynamoDB's model: 2^63 (or 2^31) cannot be
    converted and is a SerializationException, not a 200."""
    with expect_error("SerializationException", message="NUMBER_VALUE cannot be converted to Integer"):
        raw_client.scan(TableName=table_s, Limit=limit)


def test_largest_integer_limit_is_accepted(dynamodb, table_s):
    assert dynamodb.scan(TableName=table_s, Limit=2**31 - 1)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_segment_beyond_an_integer(raw_client, table_s):
    with expect_error("SerializationException", message="NUMBER_VALUE cannot be converted to Integer"):
        raw_client.scan(TableName=table_s, Segment=2**40, TotalSegments=2)


# ---- Attribute names over 64 KB (item 9) ------------------------------------------------

NAME_TOO_LARGE = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"


def test_attribute_name_of_65535_bytes_is_accepted(dynamodb, table_s):
    """The documented limit is 64 KB, exclusive: 65,535 bytes is the longest name."""
    name = "n" * 65535
    dynamodb.put_item(TableName=table_s, Item={"pk": {"S": "long-name"}, name: {"S": "v"}})
    item = dynamodb.get_item(TableName=table_s, Key={"pk": {"S": "long-name"}})["Item"]
    assert item[name] == {"S": "v"}


def test_attribute_name_of_64_kib_is_refused(dynamodb, table_s):
    name = "n" * 65536
    with expect_validation(message=NAME_TOO_LARGE):
        dynamodb.put_item(TableName=table_s, Item={"pk": {"S": "too-long"}, name: {"S": "v"}})
    with expect_validation(message=NAME_TOO_LARGE):  # a key inside a map
        dynamodb.put_item(TableName=table_s, Item={"pk": {"S": "too-long"}, "m": {"M": {name: {"S": "v"}}}})
    with expect_validation(message=NAME_TOO_LARGE):  # through ExpressionAttributeNames
        dynamodb.update_item(
            TableName=table_s,
            Key={"pk": {"S": "too-long"}},
            UpdateExpression="SET #n = :v",
            ExpressionAttributeNames={"#n": name},
            ExpressionAttributeValues={":v": {"S": "v"}},
        )
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key={"pk": {"S": "too-long"}})


# ---- Reads that miss the cache (item 8) ---------------------------------------------------


@pytest.mark.local_only
def test_reads_that_need_the_disk_are_answered_from_a_worker(durable_servers, client_for, tmp_path):
    """After a restart nothing is in the block cache: every read first tries
    memory on the event loop, misses, and is run again on a worker. Each read
    operation answers exactly as from memory."""
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = unique_name("cold")
    c.create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    blob = "x" * 4000
    for i in range(0, 400, 25):
        c.batch_write_item(
            RequestItems={
                name: [
                    {"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(j)}, "b": {"S": blob}}}}
                    for j in range(i, i + 25)
                ]
            }
        )
    assert srv.stop() == 0
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    key = {"pk": {"S": "p"}, "sk": {"N": "123"}}
    assert c.get_item(TableName=name, Key=key)["Item"]["b"]["S"] == blob
    q = c.query(
        TableName=name,
        KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
        ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"N": "300"}, ":b": {"N": "309"}},
    )
    assert [int(i["sk"]["N"]) for i in q["Items"]] == list(range(300, 310))
    scanned = 0
    kw = {}
    while True:
        page = c.scan(TableName=name, **kw)
        scanned += page["Count"]
        if "LastEvaluatedKey" not in page:
            break
        kw = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    assert scanned == 400
    got = c.batch_get_item(
        RequestItems={name: {"Keys": [{"pk": {"S": "p"}, "sk": {"N": str(j)}} for j in (5, 205, 395)]}}
    )["Responses"][name]
    assert sorted(int(i["sk"]["N"]) for i in got) == [5, 205, 395]
    tg = c.transact_get_items(TransactItems=[{"Get": {"TableName": name, "Key": key}}])
    assert tg["Responses"][0]["Item"]["sk"] == {"N": "123"}
    assert srv.stop() == 0


# ---- Found by the fuzzers ---------------------------------------------------------------


def test_lone_low_surrogate_escape_is_refused(dynamodb, table_s, endpoint):
    """"\\udc00" alone has no UTF-8 form; RapidJSON would store the bytes ED B0 80
    and later answers would not be valid JSON (fuzz/regressions/json_codec_fuzz)."""
    body = '{"TableName":"%s","Item":{"pk":{"S":"sur"},"a":{"S":"\\udc00"}}}' % table_s
    r = raw_call(endpoint, "PutItem", body)
    assert r.status_code == 400
    assert error_type(r.json()) == "SerializationException"
    assert "surrogate" in error_message(r.json())
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key={"pk": {"S": "sur"}})
    # A proper pair is an ordinary character.
    body = '{"TableName":"%s","Item":{"pk":{"S":"sur"},"a":{"S":"\\ud83d\\ude00"}}}' % table_s
    assert raw_call(endpoint, "PutItem", body).status_code == 200
    got = dynamodb.get_item(TableName=table_s, Key={"pk": {"S": "sur"}})["Item"]["a"]["S"]
    assert got == "\U0001F600"


def test_chunked_body_sent_a_byte_at_a_time(dynamodb, endpoint):
    """Boost.Beast 1.81 asserts on a last chunk that arrives in pieces
    (fuzz/regressions/http_request_fuzz); the sanitizer build must not abort."""
    import socket
    from urllib.parse import urlparse

    u = urlparse(endpoint)
    body = b'{"Limit":1}'
    head = (
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
        "Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n"
        "Authorization: AWS4-HMAC-SHA256 Credential=k/20250101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=00\r\nX-Amz-Date: 20250101T000000Z\r\n\r\n"
    ).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(head)
        for i in range(len(chunked)):
            s.sendall(chunked[i : i + 1])
            time.sleep(0.002)
        data = s.recv(65536)
    assert data.startswith(b"HTTP/1.1 "), data[:100]
    alive(dynamodb)


def test_deeply_nested_partiql_next_token_is_refused(dynamodb, table_s):
    """A NextToken is the client's: one that decodes to JSON nested thousands
    deep is an invalid token, parsed with the same depth limit as a request
    (it used to be parsed without one)."""
    import base64

    inner = '{"s":"0","i":0,"k":' + "[" * 12000 + "]" * 12000 + "}"
    token = base64.b64encode(inner.encode()).decode()
    assert len(token) <= 32768
    with expect_error("ValidationException", match=r"^Invalid NextToken"):
        dynamodb.execute_statement(Statement=f'SELECT * FROM "{table_s}"', NextToken=token)
    alive(dynamodb)
