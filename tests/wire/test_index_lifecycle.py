"""UpdateTable adds a GSI to a table with items (backfilled; CREATING ->
ACTIVE with Backfilling reported) and deletes one; LSIs only at CreateTable."""

import time

from wire_util import expect_error, expect_validation, full_query


def wait_index_active(client, table, name, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        desc = client.describe_table(TableName=table)["Table"]
        for g in desc.get("GlobalSecondaryIndexes", []):
            if g["IndexName"] == name and g["IndexStatus"] == "ACTIVE":
                return g
        time.sleep(0.05)
    raise AssertionError(f"index {name} not ACTIVE after {timeout}s")


def create_gsi(client, table, name="by-g", attr="g"):
    return client.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": attr, "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": name,
                    "KeySchema": [{"AttributeName": attr, "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )


def test_added_gsi_is_backfilled_and_then_maintained(dynamodb, table_factory):
    t = table_factory()
    for i in range(700):
        item = {"pk": {"S": f"p{i}"}}
        if i % 2 == 0:
            item["g"] = {"S": f"G{i % 10}"}
        dynamodb.put_item(TableName=t, Item=item)
    r = create_gsi(dynamodb, t)
    (g,) = r["TableDescription"]["GlobalSecondaryIndexes"]
    assert g["IndexName"] == "by-g"
    assert g["IndexStatus"] in ("CREATING", "ACTIVE")
    if g["IndexStatus"] == "CREATING":
        assert g["Backfilling"] is True
    g = wait_index_active(dynamodb, t, "by-g")
    assert g["ItemCount"] == 350
    items, _ = full_query(
        dynamodb,
        TableName=t,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G4"}},
    )
    assert len(items) == 70
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "new"}, "g": {"S": "G4"}})
    items, _ = full_query(
        dynamodb,
        TableName=t,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G4"}},
    )
    assert len(items) == 71


def test_deleted_gsi_disappears(dynamodb, table_factory):
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "a"}, "g": {"S": "G"}})
    create_gsi(dynamodb, t)
    wait_index_active(dynamodb, t, "by-g")
    r = dynamodb.update_table(TableName=t, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}])
    assert [g["IndexStatus"] for g in r["TableDescription"]["GlobalSecondaryIndexes"]] == ["DELETING"]
    assert "GlobalSecondaryIndexes" not in dynamodb.describe_table(TableName=t)["Table"]
    with expect_validation(message="The table does not have the specified index: by-g"):
        dynamodb.scan(TableName=t, IndexName="by-g")
    # Re-creating it starts from the items, not from the old entries.
    dynamodb.delete_item(TableName=t, Key={"pk": {"S": "a"}})
    create_gsi(dynamodb, t)
    assert wait_index_active(dynamodb, t, "by-g")["ItemCount"] == 0


def test_creating_an_existing_index_or_deleting_a_missing_one_fails(dynamodb, table_factory):
    t = table_factory()
    create_gsi(dynamodb, t)
    wait_index_active(dynamodb, t, "by-g")
    with expect_validation(message="Attempting to create an index which already exists"):
        create_gsi(dynamodb, t)
    with expect_error("ResourceNotFoundException"):
        dynamodb.update_table(TableName=t, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}])


def test_added_gsi_survives_restart(durable_servers, tmp_path):
    srv = durable_servers.start(str(tmp_path / "db"))
    from conftest import make_client

    c = make_client(srv.url)
    c.create_table(
        TableName="restart-gsi",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(50):
        c.put_item(TableName="restart-gsi", Item={"pk": {"S": f"p{i}"}, "g": {"S": "G"}})
    create_gsi(c, "restart-gsi")
    wait_index_active(c, "restart-gsi", "by-g")
    srv.stop()
    srv = durable_servers.start(str(tmp_path / "db"))
    c = make_client(srv.url)
    g = wait_index_active(c, "restart-gsi", "by-g")
    assert g["ItemCount"] == 50
    assert c.query(
        TableName="restart-gsi",
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G"}},
        Select="COUNT",
    )["Count"] == 50
