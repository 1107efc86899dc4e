"""Time to live: UpdateTimeToLive / DescribeTimeToLive (DynamoDB's messages,
the once-per-hour change rule) and the background sweeper deleting expired
items (a server started with --ttl-sweep-seconds 1)."""

import time

import pytest

from wire_util import create_table, expect_error, expect_validation, unique_name


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def spec(enabled, attr="expires"):
    return {"Enabled": enabled, "AttributeName": attr}


def test_describe_defaults_to_disabled(dynamodb, table_factory):
    name = table_factory()
    got = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert got == {"TimeToLiveStatus": "DISABLED"}


def test_enable_then_describe_and_content_rules(dynamodb, table_factory):
    name = table_factory()
    r = dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(True))
    assert r["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    got = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert got == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    # Content checks come before the once-per-hour rule.
    with expect_validation(message="TimeToLive is already enabled"):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(True))
    msg = "TimeToLive is active on a different AttributeName: current AttributeName is expires"
    with expect_validation(message=msg):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(True, "other"))
    with expect_validation(message=msg):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(False, "other"))
    # A real change within the hour.
    with expect_validation(message="Time to live has been modified multiple times within a fixed interval"):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(False))
    got = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert got["TimeToLiveStatus"] == "ENABLED"


def test_disable_when_disabled(dynamodb, table_factory):
    name = table_factory()
    with expect_validation(message="TimeToLive is already disabled"):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(False))


def test_missing_table(dynamodb):
    missing = unique_name("nope")
    expected = f"Requested resource not found: Table: {missing} not found"
    with expect_error("ResourceNotFoundException", message=expected):
        dynamodb.update_time_to_live(TableName=missing, TimeToLiveSpecification=spec(True))
    with expect_error("ResourceNotFoundException", message=expected):
        dynamodb.describe_time_to_live(TableName=missing)


def test_shape_validation(raw_client, table_factory):
    name = table_factory()
    with expect_validation(
        message="1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy "
        "constraint: Member must not be null"
    ):
        raw_client.update_time_to_live(TableName=name)
    with expect_validation(
        message="2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' failed "
        "to satisfy constraint: Member must not be null; Value null at 'timeToLiveSpecification.enabled' "
        "failed to satisfy constraint: Member must not be null"
    ):
        raw_client.update_time_to_live(TableName=name, TimeToLiveSpecification={})
    with expect_validation(
        message="1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to "
        "satisfy constraint: Member must have length greater than or equal to 1"
    ):
        raw_client.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(True, ""))


@pytest.mark.local_only
def test_sweeper_deletes_expired_items(tmp_path, durable_servers, client_for):
    srv = durable_servers.start(tmp_path / "db", ["--ttl-sweep-seconds", "1"])
    c = client_for(srv.url)
    name = create_table(
        c,
        hash_key=("pk", "S"),
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    now = int(time.time())
    items = {
        "expired": N(now - 10),
        "expired-frac": N(f"{now - 5}.5"),
        "future": N(now + 3600),
        "string": S(str(now - 10)),
        "ancient": N(now - 6 * 365 * 86400),  # more than five years ago: ignored
    }
    for pk, ttl in items.items():
        c.put_item(TableName=name, Item={"pk": S(pk), "g": S("x"), "expires": ttl})
    c.put_item(TableName=name, Item={"pk": S("none"), "g": S("x")})
    # Not enabled yet: nothing is swept.
    time.sleep(1.5)
    assert c.scan(TableName=name, Select="COUNT")["Count"] == 6
    # Expired but not yet swept items are still returned.
    c.update_time_to_live(TableName=name, TimeToLiveSpecification=spec(True))
    deadline = time.time() + 10
    while time.time() < deadline:
        keys = {i["pk"]["S"] for i in c.scan(TableName=name, ConsistentRead=True)["Items"]}
        if "expired" not in keys and "expired-frac" not in keys:
            break
        time.sleep(0.2)
    assert keys == {"future", "string", "ancient", "none"}
    idx = c.query(
        TableName=name, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": S("x")}
    )
    assert {i["pk"]["S"] for i in idx["Items"]} == keys
    desc = c.describe_table(TableName=name)["Table"]
    assert desc["ItemCount"] == 4
    assert desc["GlobalSecondaryIndexes"][0]["ItemCount"] == 4
    # An item re-written with a later expiry is not deleted.
    c.put_item(TableName=name, Item={"pk": S("future"), "g": S("x"), "expires": N(now + 7200)})
    time.sleep(2.5)
    assert "Item" in c.get_item(TableName=name, Key={"pk": S("future")}, ConsistentRead=True)
