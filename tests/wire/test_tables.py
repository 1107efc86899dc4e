"""CreateTable / DescribeTable / ListTables / DeleteTable / UpdateTable / tags.

Messages are DynamoDB's; sources: dynalite's validations (written against real
DynamoDB), moto and ScyllaDB Alternator's test suite. Where only the gist is
certain, a regular expression is used.
"""

import datetime
import re
import time

import pytest

from wire_util import (
    create_table,
    delete_table_quietly,
    expect_error,
    expect_validation,
    key_schema,
    unique_name,
    wait_table_active,
)


def test_create_describe_on_demand(dynamodb, table_factory):
    name = table_factory(hash_key=("pk", "S"), range_key=("sk", "N"))
    t = dynamodb.describe_table(TableName=name)["Table"]
    assert t["TableName"] == name
    assert t["TableStatus"] == "ACTIVE"
    assert sorted(t["KeySchema"], key=lambda k: k["KeyType"]) == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert sorted(t["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
    ]
    assert re.fullmatch(r"arn:aws:dynamodb:us-east-1:\d{12}:table/" + re.escape(name), t["TableArn"])
    assert isinstance(t["CreationDateTime"], datetime.datetime)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - t["CreationDateTime"]).total_seconds()) < 3600
    assert isinstance(t["ItemCount"], int) and t["ItemCount"] >= 0
    assert isinstance(t["TableSizeBytes"], int) and t["TableSizeBytes"] >= 0
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    assert "TableId" in t


def test_create_table_response_has_description(dynamodb):
    name = unique_name()
    ks, ad = key_schema(("pk", "S"))
    try:
        r = dynamodb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
        d = r["TableDescription"]
        assert d["TableName"] == name
        assert d["TableStatus"] in ("CREATING", "ACTIVE")
        assert d["KeySchema"] == ks
        wait_table_active(dynamodb, name)
    finally:
        delete_table_quietly(dynamodb, name)


def test_create_describe_provisioned(dynamodb, table_factory):
    name = table_factory(
        BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}
    )
    t = dynamodb.describe_table(TableName=name)["Table"]
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 4
    assert t["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 0
    if "BillingModeSummary" in t:
        assert t["BillingModeSummary"]["BillingMode"] == "PROVISIONED"


def test_create_default_billing_mode_is_provisioned(dynamodb, table_factory):
    # No BillingMode: PROVISIONED, so throughput is required.
    name = unique_name()
    ks, ad = key_schema()
    with expect_validation(
        message="One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
    ):
        dynamodb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad)


def test_create_existing_table(dynamodb, table_s):
    ks, ad = key_schema()
    with expect_error("ResourceInUseException", match=r"^Table already exists: " + re.escape(table_s)):
        dynamodb.create_table(TableName=table_s, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")


def _create(client, **kw):
    kw.setdefault("TableName", unique_name())
    kw.setdefault("BillingMode", "PAY_PER_REQUEST")
    try:
        client.create_table(**kw)
    finally:
        # if the server wrongly accepted the table, don't leak it
        delete_table_quietly(client, kw["TableName"])


def test_create_key_not_in_attribute_definitions(dynamodb):
    with expect_validation(
        message="One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [x], AttributeDefinitions: [pk]"
    ):
        _create(
            dynamodb,
            KeySchema=[{"AttributeName": "x", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )


def test_create_extra_attribute_definition(dynamodb):
    with expect_validation(
        message="One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
        "match number of attributes defined in AttributeDefinitions"
    ):
        _create(
            dynamodb,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "zz", "AttributeType": "S"},
            ],
        )


def test_create_first_key_not_hash(dynamodb):
    with expect_validation(message="Invalid KeySchema: The first KeySchemaElement is not a HASH key type"):
        _create(
            dynamodb,
            KeySchema=[{"AttributeName": "a", "KeyType": "RANGE"}, {"AttributeName": "b", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}],
        )


def test_create_second_key_not_range(dynamodb):
    with expect_validation(message="Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"):
        _create(
            dynamodb,
            KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}],
        )


def test_create_hash_and_range_same_name(dynamodb):
    with expect_validation(message="Both the Hash Key and the Range Key element in the KeySchema have the same name"):
        _create(
            dynamodb,
            KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}],
        )


def test_create_bad_attribute_type(raw_client):
    # 1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType'
    # failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]
    with expect_validation(match=r"attributeType.*Member must satisfy enum value set"):
        _create(
            raw_client,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "X"}],
        )


def test_create_bad_key_type(raw_client):
    with expect_validation(match=r"keyType.*Member must satisfy enum value set"):
        _create(
            raw_client,
            KeySchema=[{"AttributeName": "pk", "KeyType": "PRIMARY"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )


def test_create_key_schema_too_long(raw_client):
    with expect_validation(match=r"keySchema.*Member must have length less than or equal to 2"):
        _create(
            raw_client,
            KeySchema=[
                {"AttributeName": "a", "KeyType": "HASH"},
                {"AttributeName": "b", "KeyType": "RANGE"},
                {"AttributeName": "c", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in "abc"],
        )


def test_create_billing_mode_invalid(raw_client):
    ks, ad = key_schema()
    with expect_validation(match=r"billingMode.*Member must satisfy enum value set"):
        _create(raw_client, KeySchema=ks, AttributeDefinitions=ad, BillingMode="FREE")


def test_create_pay_per_request_with_throughput(dynamodb):
    ks, ad = key_schema()
    with expect_validation(
        message="One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
        "can be specified when BillingMode is PAY_PER_REQUEST"
    ):
        _create(
            dynamodb,
            KeySchema=ks,
            AttributeDefinitions=ad,
            BillingMode="PAY_PER_REQUEST",
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        )


def test_create_provisioned_without_throughput(dynamodb):
    ks, ad = key_schema()
    with expect_validation(
        message="One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both "
        "be specified when BillingMode is PROVISIONED"
    ):
        _create(dynamodb, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PROVISIONED")


def test_create_throughput_zero(raw_client):
    ks, ad = key_schema()
    with expect_validation(match=r"readCapacityUnits.*Member must have value greater than or equal to 1"):
        _create(
            raw_client,
            KeySchema=ks,
            AttributeDefinitions=ad,
            BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1},
        )


@pytest.mark.parametrize(
    "bad_name, pattern",
    [
        ("ab", r"3"),
        ("x" * 256, r"255"),
        ("has space", r"regular expression pattern: \[a-zA-Z0-9_.-\]\+"),
        ("bad/char", r"regular expression pattern: \[a-zA-Z0-9_.-\]\+"),
    ],
)
def test_create_bad_table_name(raw_client, bad_name, pattern):
    ks, ad = key_schema()
    with expect_validation(match=pattern):
        _create(raw_client, TableName=bad_name, KeySchema=ks, AttributeDefinitions=ad)


def test_table_name_allowed_characters(dynamodb, table_factory):
    name = "a_b.c-" + unique_name("Z9")
    assert table_factory(name=name) == name
    assert dynamodb.describe_table(TableName=name)["Table"]["TableName"] == name


def test_describe_missing_table(dynamodb):
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found", status=400):
        dynamodb.describe_table(TableName=unique_name("nosuch"))


def test_create_with_gsi_and_lsi_described(dynamodb, table_factory):
    name = table_factory(
        hash_key=("pk", "S"),
        range_key=("sk", "S"),
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "g-sk-index",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "l-index",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
            }
        ],
    )
    t = dynamodb.describe_table(TableName=name)["Table"]
    (g,) = t["GlobalSecondaryIndexes"]
    assert g["IndexName"] == "g-sk-index"
    assert g["KeySchema"] == [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert g["Projection"] == {"ProjectionType": "ALL"}
    assert g["IndexStatus"] == "ACTIVE"
    assert g["IndexArn"] == t["TableArn"] + "/index/g-sk-index"
    (l,) = t["LocalSecondaryIndexes"]
    assert l["IndexName"] == "l-index"
    assert l["Projection"]["ProjectionType"] == "INCLUDE"
    assert l["Projection"]["NonKeyAttributes"] == ["x"]
    assert l["IndexArn"] == t["TableArn"] + "/index/l-index"


def test_create_gsi_key_not_defined(dynamodb):
    ks, ad = key_schema()
    with expect_validation(
        message="One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [g], AttributeDefinitions: [pk]"
    ):
        _create(
            dynamodb,
            KeySchema=ks,
            AttributeDefinitions=ad,
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "gi1",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )


def test_create_duplicate_index_name(dynamodb):
    ad = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}]
    gsi = {"IndexName": "dup", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}
    with expect_validation(message="One or more parameter values were invalid: Duplicate index name: dup"):
        _create(dynamodb, KeySchema=key_schema()[0], AttributeDefinitions=ad, GlobalSecondaryIndexes=[gsi, dict(gsi)])


def test_create_lsi_without_table_range_key(dynamodb):
    ad = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "l", "AttributeType": "S"}]
    with expect_validation(
        message="One or more parameter values were invalid: Table KeySchema does not have a range key, which is "
        "required when specifying a LocalSecondaryIndex"
    ):
        _create(
            dynamodb,
            KeySchema=key_schema()[0],
            AttributeDefinitions=ad,
            LocalSecondaryIndexes=[
                {
                    "IndexName": "lsi",
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )


def test_create_gsi_provisioned_needs_throughput_pay_per_request_forbids_it(dynamodb):
    ad = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}]
    gsi = {
        "IndexName": "gi1",
        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    }
    with expect_validation(
        message="One or more parameter values were invalid: ProvisionedThroughput should not be specified for "
        "index: gi1 when BillingMode is PAY_PER_REQUEST"
    ):
        _create(dynamodb, KeySchema=key_schema()[0], AttributeDefinitions=ad, GlobalSecondaryIndexes=[gsi])


def test_list_tables_pagination(dynamodb, table_factory):
    prefix = unique_name("lt")
    mine = sorted(table_factory(name=f"{prefix}-{i}") for i in range(5))
    seen, pages = [], 0
    kwargs = {"Limit": 2}
    while True:
        r = dynamodb.list_tables(**kwargs)
        pages += 1
        assert len(r["TableNames"]) <= 2
        seen.extend(r["TableNames"])
        if "LastEvaluatedTableName" not in r:
            break
        assert r["LastEvaluatedTableName"] == r["TableNames"][-1]
        kwargs["ExclusiveStartTableName"] = r["LastEvaluatedTableName"]
        assert pages < 10000
    assert seen == sorted(seen), "ListTables must return names in order"
    assert len(seen) == len(set(seen)), "no name twice across pages"
    assert [n for n in seen if n.startswith(prefix)] == mine
    assert pages >= 3


def test_list_tables_start_after(dynamodb, table_factory):
    prefix = unique_name("ls")
    names = sorted(table_factory(name=f"{prefix}-{i}") for i in range(3))
    r = dynamodb.list_tables(ExclusiveStartTableName=names[0], Limit=2)
    assert r["TableNames"] == names[1:]


def test_list_tables_limit_validation(raw_client):
    with expect_validation(match=r"limit.*Member must have value greater than or equal to 1"):
        raw_client.list_tables(Limit=0)
    with expect_validation(match=r"limit.*Member must have value less than or equal to 100"):
        raw_client.list_tables(Limit=101)


def test_delete_table(dynamodb):
    name = create_table(dynamodb)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    d = dynamodb.delete_table(TableName=name)["TableDescription"]
    assert d["TableName"] == name
    assert d["TableStatus"] == "DELETING"
    deadline = time.time() + 120
    while True:
        try:
            dynamodb.describe_table(TableName=name)
        except dynamodb.exceptions.ResourceNotFoundException:
            break
        assert time.time() < deadline
        time.sleep(0.5)
    assert name not in dynamodb.list_tables()["TableNames"]
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.get_item(TableName=name, Key={"pk": {"S": "a"}})


def test_delete_then_recreate_is_empty(dynamodb):
    name = create_table(dynamodb)
    try:
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}})
        dynamodb.delete_table(TableName=name)
        deadline = time.time() + 120
        while True:
            try:
                create_table(dynamodb, name=name)
                break
            except dynamodb.exceptions.ResourceInUseException:
                assert time.time() < deadline
                time.sleep(1)
        assert "Item" not in dynamodb.get_item(TableName=name, Key={"pk": {"S": "a"}}, ConsistentRead=True)
        assert dynamodb.scan(TableName=name)["Count"] == 0
    finally:
        delete_table_quietly(dynamodb, name)


def test_delete_missing_table(dynamodb):
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.delete_table(TableName=unique_name("nosuch"))


def test_update_table_throughput(dynamodb, table_factory):
    name = table_factory(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    r = dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 9})
    assert r["TableDescription"]["TableName"] == name
    t = wait_table_active(dynamodb, name)
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 9


def test_update_table_same_throughput(dynamodb, table_factory):
    name = table_factory(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    with expect_validation(match=r"The provisioned throughput for the table will not change"):
        dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})


def test_update_table_billing_mode(dynamodb, table_factory):
    name = table_factory(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    dynamodb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    t = wait_table_active(dynamodb, name)
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    # items still work after the change
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "x"}})
    assert dynamodb.get_item(TableName=name, Key={"pk": {"S": "x"}}, ConsistentRead=True)["Item"] == {"pk": {"S": "x"}}


def test_update_table_to_provisioned_needs_throughput(dynamodb, table_factory):
    name = table_factory()
    # message as dynalite reproduces DynamoDB's
    with expect_validation(
        message="One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
    ):
        dynamodb.update_table(TableName=name, BillingMode="PROVISIONED")


def test_update_table_throughput_on_demand_table(dynamodb, table_factory):
    name = table_factory()
    with expect_validation(match=r"PAY_PER_REQUEST"):
        dynamodb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})


def test_update_missing_table(dynamodb):
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.update_table(
            TableName=unique_name("nosuch"), ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}
        )


def _tags(client, arn):
    out, kw = [], {"ResourceArn": arn}
    while True:
        r = client.list_tags_of_resource(**kw)
        out.extend(r["Tags"])
        if "NextToken" not in r:
            return sorted(out, key=lambda t: t["Key"])
        kw["NextToken"] = r["NextToken"]


def test_tags(dynamodb, table_factory):
    name = table_factory(Tags=[{"Key": "PROJECT", "Value": "CRUDDER"}])
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    assert _tags(dynamodb, arn) == [{"Key": "PROJECT", "Value": "CRUDDER"}]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "PROJECT", "Value": "X"}])
    assert _tags(dynamodb, arn) == [{"Key": "PROJECT", "Value": "X"}, {"Key": "a", "Value": "1"}]
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["PROJECT", "not-there"])
    assert _tags(dynamodb, arn) == [{"Key": "a", "Value": "1"}]


def test_tags_missing_table(dynamodb, table_s):
    arn = dynamodb.describe_table(TableName=table_s)["Table"]["TableArn"]
    bad = arn.rsplit("/", 1)[0] + "/" + unique_name("nosuch")
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.list_tags_of_resource(ResourceArn=bad)
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.tag_resource(ResourceArn=bad, Tags=[{"Key": "a", "Value": "b"}])


def test_tags_invalid_arn(dynamodb):
    with expect_error("ValidationException", match=r"Invalid TableArn|ARN|arn"):
        dynamodb.list_tags_of_resource(ResourceArn="not-an-arn")


def test_tag_key_validation(raw_client, dynamodb, table_s):
    arn = dynamodb.describe_table(TableName=table_s)["Table"]["TableArn"]
    # "The Tag Key provided is invalid, Key: " (or the generic length-constraint message)
    with expect_validation(match=r"^The Tag Key provided is invalid|tags.*key.*Member must have length greater than or equal to 1"):
        raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": "", "Value": "b"}])


def test_key_attribute_name_length_limit(raw_client):
    long = "k" * 256  # key attribute names: at most 255 bytes
    with expect_validation(match=r"255"):
        _create(
            raw_client,
            KeySchema=[{"AttributeName": long, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": long, "AttributeType": "S"}],
        )


def test_index_name_length_limit(raw_client):
    ad = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}]
    gsi = {"IndexName": "i" * 256, "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}
    with expect_validation(match=r"indexName.*255|255"):
        _create(raw_client, KeySchema=key_schema()[0], AttributeDefinitions=ad, GlobalSecondaryIndexes=[gsi])


def test_tags_unicode_lengths_and_limits(dynamodb, raw_client, table_factory):
    """Tag rules (API Reference, Tag; User Guide, tagging restrictions):
    Unicode letters, numbers and spaces allowed; key 1..128 and value 0..256
    characters inclusive; an empty value allowed; re-tagging a key replaces
    its value; the aws: prefix reserved; at most 50 tags."""
    name = table_factory()
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    tags = [
        {"Key": "законные буквы", "Value": "ѮѮѮvalue"},
        {"Key": "é" * 128, "Value": "ü" * 256},  # counted in characters, not UTF-8 bytes
        {"Key": "empty", "Value": ""},
        {"Key": "k_.:/=+-@ 7", "Value": "v_.:/=+-@ 7"},
    ]
    dynamodb.tag_resource(ResourceArn=arn, Tags=tags)
    got = {t["Key"]: t["Value"] for t in _tags(dynamodb, arn)}
    assert got == {t["Key"]: t["Value"] for t in tags}
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "empty", "Value": "now set"}])
    assert {t["Key"]: t["Value"] for t in _tags(dynamodb, arn)}["empty"] == "now set"

    too_long_key = "é" * 129
    with expect_validation(message="The Tag Key provided is invalid, Key: " + too_long_key):
        raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": too_long_key, "Value": "v"}])
    too_long_value = "ü" * 257
    with expect_validation(message="The Tag Value provided is invalid, Value: " + too_long_value):
        raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": too_long_value}])
    with expect_validation(message="The Tag Key provided is invalid, Key: a!"):
        raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": "a!", "Value": "v"}])
    with expect_validation(message="Tag Key cannot be prefixed with aws:, Key: aws:owner"):
        raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": "aws:owner", "Value": "v"}])
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": f"n{i}", "Value": "v"} for i in range(46)])  # 50 in all
    with expect_validation(message="Number of Tags exceed the current limit for the provided ResourceArn"):
        dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "n0", "Value": "replaced"}])  # a replacement fits


def test_tags_outside_the_allowed_pattern(dynamodb, raw_client, table_factory):
    """The pattern ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$ (API Reference, Tag):
    a symbol such as an emoji (\\p{So}) or a tab (\\p{Cc}) is not allowed."""
    name = table_factory()
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    for key in ("smile😀", "tab\there", "new\nline", "zero\u200bwidth", "e\u0301"):
        with expect_validation(message="The Tag Key provided is invalid, Key: " + key):
            raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": key, "Value": "v"}])
    for value in ("smile😀", "tab\there"):
        with expect_validation(message="The Tag Value provided is invalid, Value: " + value):
            raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": value}])
    # Letters, numbers and separators of any script, including no-break space (Zs).
    ok = [{"Key": "中文\u00a0٣", "Value": "½ Ⅻ"}]
    dynamodb.tag_resource(ResourceArn=arn, Tags=ok)
    assert {t["Key"]: t["Value"] for t in _tags(dynamodb, arn)} == {"中文\u00a0٣": "½ Ⅻ"}


def test_tag_lengths_count_utf16_units(dynamodb, raw_client, table_factory):
    """Lengths are counted as Java's String.length() does, in UTF-16 units, so
    a letter outside the Basic Multilingual Plane (U+10400, Lu) counts 2.
    Inferred from DynamoDB's Java front end (the documented limits are "128
    Unicode characters in UTF-8"), not verified against AWS."""
    name = table_factory()
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "\U00010400" * 64, "Value": "\U00010400" * 128}])
    key = "\U00010400" * 65
    with expect_validation(message="The Tag Key provided is invalid, Key: " + key):
        raw_client.tag_resource(ResourceArn=arn, Tags=[{"Key": key, "Value": "v"}])


def test_tag_operations_on_a_missing_table_name_its_arn(dynamodb, table_s):
    """DynamoDB's message spells it "ResourcArn" (dynalite's tests, checked
    against DynamoDB, and real error output quoted in public issues)."""
    arn = dynamodb.describe_table(TableName=table_s)["Table"]["TableArn"]
    missing = arn.rsplit("/", 1)[0] + "/" + unique_name("gone")
    message = f"Requested resource not found: ResourcArn: {missing} not found"
    with expect_error("ResourceNotFoundException", message=message):
        dynamodb.list_tags_of_resource(ResourceArn=missing)
    with expect_error("ResourceNotFoundException", message=message):
        dynamodb.tag_resource(ResourceArn=missing, Tags=[{"Key": "k", "Value": "v"}])
    with expect_error("ResourceNotFoundException", message=message):
        dynamodb.untag_resource(ResourceArn=missing, TagKeys=["k"])
