"""Two fidelity items, through boto3.

1. GSIs with multi-attribute keys: every key attribute of the GSI is held to
   the size limit of its role, 2,048 bytes for each partition-key attribute
   and 1,024 bytes for each sort-key attribute, on every write path. No
   documented rule for multi-attribute keys was found (the Developer Guide's
   "Multi-attribute key schema" and "Constraints" pages as stored give the
   per-value limits only), so checking each attribute on its own is a guess;
   the message is DynamoDB's one-attribute index-key message ("Size limit
   exceeded for Index Key <name> ...", dynalite issue 35, as in
   test_semantics_review.py), naming the attribute. Debian's botocore caps a
   KeySchema at 2 elements, so these use `raw_client` (see
   test_multi_attribute_keys.py).

2. The table-level calls on a CREATING table (an import filling it), beside
   the data-plane and DeleteTable/UpdateTable refusals of
   test_table_status.py. Evidence per call:
   - CreateBackup, UpdateContinuousBackups (and DescribeContinuousBackups,
     grouped with them): TableNotFoundException "Table not found: NAME", the
     text of a missing table, as seen from DynamoDB right after CreateTable
     (ack-api-quirks' DynamoDB probes, findings DDB-TABLE-447 and
     DDB-BACKUP-001).
   - TagResource, UntagResource, ListTagsOfResource: ResourceNotFoundException
     "Requested resource not found: ResourcArn: ARN not found", as DynamoDB
     answered for a table just created (cloud-custodian issues 3177, 3361,
     3514).
   - UpdateTimeToLive: ResourceInUseException, UpdateTable's message (the API
     reference lists ResourceInUseException for it; the message is a guess).
   - DescribeTimeToLive: answers (a guess: a read, like DescribeTable).
   - UpdateTable with a StreamSpecification: ResourceInUseException (already
     in test_table_status.py; repeated here with the other changes).
"""

import pytest
from botocore.exceptions import ClientError

from import_util import import_server, start_long_import, wait_import  # noqa: F401 (fixture)
from wire_util import delete_table_quietly, expect_validation, unique_name, wait_table_active


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


# ---------------------------------------------------------------- 1. multi-attribute key sizes

GSI = "matches"


def size_message(attr, size, limit):
    return (
        f"One or more parameter values were invalid: Size limit exceeded for Index Key {attr} "
        f"Actual Size: {size} bytes Max Size: {limit} bytes IndexName: {GSI}"
    )


@pytest.fixture(scope="module")
def multi_table(raw_client):
    name = unique_name("multisize")
    raw_client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "h1", "AttributeType": "S"},
            {"AttributeName": "h2", "AttributeType": "B"},
            {"AttributeName": "r1", "AttributeType": "N"},
            {"AttributeName": "r2", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": GSI,
                "KeySchema": [
                    {"AttributeName": "h1", "KeyType": "HASH"},
                    {"AttributeName": "h2", "KeyType": "HASH"},
                    {"AttributeName": "r1", "KeyType": "RANGE"},
                    {"AttributeName": "r2", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    wait_table_active(raw_client, name)
    yield name
    delete_table_quietly(raw_client, name)


def base_item(pk):
    return {"pk": S(pk), "h1": S("h"), "h2": {"B": b"\x01"}, "r1": N(1), "r2": S("r")}


def test_every_key_attribute_at_its_limit_is_accepted(raw_client, multi_table):
    """2048 bytes in each partition-key attribute (4096 in all) and 1024 in
    the last sort-key attribute are accepted: each attribute is checked on its
    own, not the sum (the guess above)."""
    item = {**base_item("at-limit"), "h1": S("é" * 1024), "h2": {"B": b"\x02" * 2048}, "r2": S("r" * 1024)}
    raw_client.put_item(TableName=multi_table, Item=item)
    got = raw_client.query(
        TableName=multi_table, IndexName=GSI,
        KeyConditionExpression="h1 = :a AND h2 = :b AND r1 = :c AND r2 = :d",
        ExpressionAttributeValues={":a": item["h1"], ":b": item["h2"], ":c": item["r1"], ":d": item["r2"]},
    )["Items"]
    assert got == [item]


CASES = [
    ({"h2": {"B": b"\x03" * 2049}}, size_message("h2", 2049, 2048)),
    ({"r2": S("é" * 513)}, size_message("r2", 1026, 1024)),  # UTF-8 bytes
]


@pytest.mark.parametrize("attrs, message", CASES, ids=["second-hash", "second-range-utf8"])
def test_a_later_key_attribute_too_large_is_refused_on_every_write(raw_client, multi_table, attrs, message):
    c, t = raw_client, multi_table
    k = {"pk": S(unique_name("k"))}
    item = {**base_item(k["pk"]["S"]), **attrs}
    with expect_validation(message=message):
        c.put_item(TableName=t, Item=item)
    names = {f"#a{i}": a for i, a in enumerate(attrs)}
    values = {f":v{i}": v for i, v in enumerate(attrs.values())}
    with expect_validation(message=message):
        c.update_item(TableName=t, Key=k, UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attrs))),
                      ExpressionAttributeNames=names, ExpressionAttributeValues=values)
    with expect_validation(message=message):
        c.batch_write_item(RequestItems={t: [{"PutRequest": {"Item": item}}]})
    with pytest.raises(ClientError) as e:
        c.transact_write_items(TransactItems=[{"Put": {"TableName": t, "Item": item}}])
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert e.value.response["CancellationReasons"] == [{"Code": "ValidationError", "Message": message}]
    # PartiQL: INSERT and UPDATE run as PutItem and UpdateItem.
    (attr, value), = attrs.items()
    with expect_validation(message=message):
        c.execute_statement(Statement=f'INSERT INTO "{t}" VALUE {{\'pk\': ?, \'{attr}\': ?}}',
                            Parameters=[k["pk"], value])
    c.put_item(TableName=t, Item=base_item(k["pk"]["S"]))
    with expect_validation(message=message):
        c.execute_statement(Statement=f'UPDATE "{t}" SET {attr} = ? WHERE pk = ?', Parameters=[value, k["pk"]])
    # Nothing was written by the refused calls.
    assert c.get_item(TableName=t, Key=k, ConsistentRead=True)["Item"] == base_item(k["pk"]["S"])


# ---------------------------------------------------------------- 2. a CREATING table

ITEMS = 3000  # some seconds of import in the sanitized build
IN_USE = "Attempt to change a resource which is still in use: Table is being created: "


@pytest.mark.local_only
def test_table_level_calls_on_a_creating_table(import_server):
    c = import_server.admin
    name = "creating"
    imp = start_long_import(import_server, name, ITEMS)
    table = c.describe_table(TableName=name)["Table"]
    if table["TableStatus"] != "CREATING":
        pytest.skip("the import finished before the first call")
    arn = table["TableArn"]
    not_found = ("TableNotFoundException", f"Table not found: {name}")
    arn_not_found = ("ResourceNotFoundException", f"Requested resource not found: ResourcArn: {arn} not found")
    in_use = ("ResourceInUseException", IN_USE + name)
    calls = [
        (lambda: c.create_backup(TableName=name, BackupName="bk1"), not_found),
        (lambda: c.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}), not_found),
        (lambda: c.describe_continuous_backups(TableName=name), not_found),
        (lambda: c.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]), arn_not_found),
        (lambda: c.untag_resource(ResourceArn=arn, TagKeys=["k"]), arn_not_found),
        (lambda: c.list_tags_of_resource(ResourceArn=arn), arn_not_found),
        (lambda: c.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"AttributeName": "ttl", "Enabled": True}), in_use),
        (lambda: c.update_table(
            TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}), in_use),
    ]
    refused = 0
    for call, (code, message) in calls:
        try:
            call()
        except ClientError as e:
            assert (e.response["Error"]["Code"], e.response["Error"]["Message"]) == (code, message), e.response
            refused += 1
            continue
        # Accepted only once the import is done (the status goes CREATING -> ACTIVE only).
        assert c.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
        break
    # A read answers while CREATING (or after).
    assert c.describe_time_to_live(TableName=name)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    print(f"{refused} of {len(calls)} calls made while CREATING")
    assert refused >= 1
    d = wait_import(c, imp)
    assert d["ImportStatus"] == "COMPLETED", d
    # Once ACTIVE, the same calls work.
    c.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert c.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    c.update_time_to_live(TableName=name, TimeToLiveSpecification={"AttributeName": "ttl", "Enabled": True})
    assert c.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]["ContinuousBackupsStatus"]
