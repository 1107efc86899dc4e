"""A table that is not ACTIVE, seen through boto3: the table ImportTable
creates is CREATING until its items are in. DynamoDB then answers every
data-plane call with ResourceNotFoundException "Requested resource not found"
(dynalite's getTable: tables CREATING or DELETING are not found) and refuses
DeleteTable and UpdateTable with ResourceInUseException "Attempt to change a
resource which is still in use: Table is being created: <name>" (dynalite's
deleteTable and updateTable tests; AWS Controllers for Kubernetes logs).

The window is caught without any hook: the import reads a large object, and a
call that succeeds is accepted only if the table is ACTIVE by then (the status
only ever goes from CREATING to ACTIVE). The full matrix, deterministically,
is tests/unit/engine/table_status_test.cc."""

import pytest
from botocore.exceptions import ClientError

from import_util import import_server, start_long_import, wait_import  # noqa: F401 (fixture)

pytestmark = pytest.mark.local_only

ITEMS = 3000  # some seconds of import in the sanitized build
IN_USE = "Attempt to change a resource which is still in use: Table is being created: "


def refused_or_active(c, name, call, code, message):
    try:
        call()
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        assert e.response["Error"]["Message"] == message, e.response
        return True
    assert c.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    return False


def test_a_creating_table(import_server):
    c = import_server.admin
    name = "creating"
    arn = start_long_import(import_server, name, ITEMS)
    if c.describe_table(TableName=name)["Table"]["TableStatus"] != "CREATING":
        pytest.skip("the import finished before the first call")
    assert name in c.list_tables()["TableNames"]
    key = {"pk": {"S": "k0"}}
    not_found = ("ResourceNotFoundException", "Requested resource not found")
    in_use = ("ResourceInUseException", IN_USE + name)
    calls = [
        (lambda: c.get_item(TableName=name, Key=key), not_found),
        (lambda: c.put_item(TableName=name, Item={"pk": {"S": "new"}}), not_found),
        (lambda: c.query(TableName=name, KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "k0"}}), not_found),
        (lambda: c.scan(TableName=name, Limit=1), not_found),
        (lambda: c.batch_get_item(RequestItems={name: {"Keys": [key]}}), not_found),
        (lambda: c.batch_write_item(RequestItems={name: [{"DeleteRequest": {"Key": key}}]}), not_found),
        (lambda: c.transact_get_items(TransactItems=[{"Get": {"TableName": name, "Key": key}}]), not_found),
        (lambda: c.execute_statement(Statement=f'SELECT * FROM "{name}" WHERE pk = \'k0\''), not_found),
        (lambda: c.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}), in_use),
        (lambda: c.delete_table(TableName=name), in_use),
    ]
    refused = 0  # calls refused before the table became ACTIVE
    for call, (code, message) in calls:
        if not refused_or_active(c, name, call, code, message):
            break  # ACTIVE now: the rest would succeed too
        refused += 1
    print(f"{refused} of {len(calls)} calls made while CREATING")
    assert refused >= 1
    d = wait_import(c, arn)
    assert d["ImportStatus"] == "COMPLETED" and d["ImportedItemCount"] == ITEMS, d
    assert c.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    assert c.get_item(TableName=name, Key=key)["Item"]["pk"] == {"S": "k0"}
