"""DynamoDB semantics checked one by one: secondary-index key sizes on every
write path, the empty-string key in a KeyConditionExpression, expression
limits and tokens, list_append, ADD/DELETE on the wrong types, legacy
AttributeUpdates ADD on lists. Each test names where its expectation comes
from; a wording not seen from DynamoDB itself is marked as a guess."""

import pytest
from botocore.exceptions import ClientError

from wire_util import expect_validation, random_key


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def get(client, table, key):
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


# ---------------------------------------------------------------- 1. index key sizes


def _index_size_message(attr, size, limit, index):
    # Seen from DynamoDB for a GSI partition key (reported in public issues,
    # e.g. dynalite #35 and wellcomecollection/platform #2285); the sort-key
    # form, with "Max Size: 1024 bytes", is a guess by analogy.
    return (
        f"One or more parameter values were invalid: Size limit exceeded for Index Key {attr} "
        f"Actual Size: {size} bytes Max Size: {limit} bytes IndexName: {index}"
    )


@pytest.fixture(scope="module")
def indexed_table(dynamodb):
    from wire_util import create_table, delete_table_quietly

    name = create_table(
        dynamodb,
        hash_key=("pk", "S"),
        range_key=("sk", "S"),
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "gh", "AttributeType": "S"},
            {"AttributeName": "gr", "AttributeType": "B"},
            {"AttributeName": "ls", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "gh", "KeyType": "HASH"}, {"AttributeName": "gr", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "ls", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    yield name
    delete_table_quietly(dynamodb, name)


def test_index_keys_at_the_limits_are_accepted(dynamodb, indexed_table):
    """2048 bytes for a GSI partition key, 1024 for a GSI or LSI sort key
    (Developer Guide, "Service, account, and table quotas": the index key
    limits are the table's); binary sizes count raw bytes."""
    k = {"pk": S(random_key()), "sk": S("s")}
    item = {**k, "gh": S("é" * 1024), "gr": {"B": b"\x01" * 1024}, "ls": S("l" * 1024)}
    dynamodb.put_item(TableName=indexed_table, Item=item)
    assert get(dynamodb, indexed_table, k) == item


@pytest.mark.parametrize(
    "attrs, message",
    [
        ({"gh": S("g" * 2049)}, _index_size_message("gh", 2049, 2048, "gsi")),
        ({"gh": S("é" * 1025)}, _index_size_message("gh", 2050, 2048, "gsi")),  # UTF-8 bytes
        ({"gh": S("g"), "gr": {"B": b"\x02" * 1025}}, _index_size_message("gr", 1025, 1024, "gsi")),
        ({"ls": S("l" * 1025)}, _index_size_message("ls", 1025, 1024, "lsi")),
    ],
    ids=["gsi-hash", "gsi-hash-utf8", "gsi-range-binary", "lsi-range"],
)
def test_index_key_too_large_is_refused_on_every_write(dynamodb, indexed_table, attrs, message):
    k = {"pk": S(random_key()), "sk": S("s")}
    item = {**k, **attrs}
    with expect_validation(message=message):
        dynamodb.put_item(TableName=indexed_table, Item=item)
    names = {f"#a{i}": a for i, a in enumerate(attrs)}
    values = {f":v{i}": v for i, v in enumerate(attrs.values())}
    update = "SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attrs)))
    with expect_validation(message=message):
        dynamodb.update_item(
            TableName=indexed_table, Key=k, UpdateExpression=update,
            ExpressionAttributeNames=names, ExpressionAttributeValues=values,
        )
    with expect_validation(message=message):
        dynamodb.batch_write_item(RequestItems={indexed_table: [{"PutRequest": {"Item": item}}]})
    # In a transaction the item's key checks cancel it with a ValidationError
    # reason (ScyllaDB's test_transact_write_cancellation_reasons_validationerror).
    with pytest.raises(ClientError) as e:
        dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": indexed_table, "Item": item}}])
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert e.value.response["CancellationReasons"] == [{"Code": "ValidationError", "Message": message}]
    assert get(dynamodb, indexed_table, k) is None


def test_table_key_size_is_reported_before_index_key_size(dynamodb, indexed_table):
    """The table's own key is checked first (order is a guess; the message is
    DynamoDB's, as dynalite's tests record it)."""
    item = {"pk": S("p" * 2049), "sk": S("s"), "gh": S("g" * 2049)}
    with expect_validation(
        message="One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    ):
        dynamodb.put_item(TableName=indexed_table, Item=item)


# ---------------------------------------------------------------- 7. empty key in a query


def test_query_with_empty_string_partition_key(dynamodb, table_ss):
    """Real DynamoDB wording, recorded by public emulators checked against AWS
    (moto's KeyIsEmptyStringException, dynoxide's query validation)."""
    with expect_validation(
        message="One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: pk"
    ):
        dynamodb.query(
            TableName=table_ss, KeyConditionExpression="pk = :e", ExpressionAttributeValues={":e": S("")}
        )


# ---------------------------------------------------------------- 2. expression limits


def test_operator_limit_boundary(dynamodb, table_s):
    """300 operators pass, 301 do not; parentheses are not operators
    (Alternator's test_limits.py::test_deeply_nested_expression_2, checked
    against DynamoDB)."""
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "a": N(1), "b": N(2)})
    ok = "a<b " + "or (a<b " * 149 + ")" * 149  # 299 operators
    dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="SET z = :v", ConditionExpression=ok,
                         ExpressionAttributeValues={":v": N(1)})
    too_many = "a<b " + "or (a<b " * 150 + ")" * 150  # 301 operators
    with expect_validation(
        message="Invalid ConditionExpression: The expression contains too many operators; operator count: 301"
    ):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="SET z = :v", ConditionExpression=too_many,
                             ExpressionAttributeValues={":v": N(1)})


# ---------------------------------------------------------------- 3. tokens


@pytest.mark.parametrize("word", ["status", "name", "Comment", "DATA", "size"])
def test_reserved_words_need_placeholders(dynamodb, table_s, word):
    """Developer Guide, "Reserved words in DynamoDB"; the check is
    case-insensitive and the message repeats the word as written."""
    with expect_validation(
        message=f"Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: {word}"
    ):
        dynamodb.get_item(TableName=table_s, Key={"pk": S(random_key())}, ProjectionExpression=word)


def test_name_with_a_dash_is_a_syntax_error(dynamodb, table_s):
    """A '-' is not a name character: the name splits at it (Developer Guide,
    "Expression attribute names": names must begin with a letter or _ and
    contain only letters, digits and _)."""
    with expect_validation(match=r'^Invalid ProjectionExpression: Syntax error; token: "-", near: "a-b"$'):
        dynamodb.get_item(TableName=table_s, Key={"pk": S(random_key())}, ProjectionExpression="a-b")


# ---------------------------------------------------------------- 4. list_append


def test_list_append_nested_and_if_not_exists(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "l": {"L": [N(1)]}})
    dynamodb.update_item(
        TableName=table_s, Key=k, UpdateExpression="SET l = list_append(list_append(l, :b), :c), "
        "m = list_append(if_not_exists(m, :e), :b)",
        ExpressionAttributeValues={":b": {"L": [N(2)]}, ":c": {"L": [N(3)]}, ":e": {"L": []}},
    )
    item = get(dynamodb, table_s, k)
    assert item["l"] == {"L": [N(1), N(2), N(3)]}
    assert item["m"] == {"L": [N(2)]}


def test_list_append_non_list_operand(dynamodb, table_s):
    """Alternator's test_update_expression.py (list_append with a non-list)."""
    k = {"pk": S(random_key())}
    with expect_validation(
        message="Invalid UpdateExpression: Incorrect operand type for operator or function; "
        "operator or function: list_append, operand type: S"
    ):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="SET l = list_append(:s, :l)",
                             ExpressionAttributeValues={":s": S("x"), ":l": {"L": []}})


# ---------------------------------------------------------------- 5. ADD / DELETE types


def test_delete_from_a_non_set(dynamodb, table_s):
    """DELETE on a string attribute, or with a set of another type: "An operand
    in the update expression has an incorrect data type" (the wording
    test_update_semantics.py records); DELETE with a value that is not a set:
    "Incorrect operand type for operator or function; operator: DELETE,
    operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND" (Alternator's
    test_update_expression_delete_sets comment and its own notes of AWS's
    answer)."""
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "s": S("x"), "ss": {"SS": ["a", "b"]}})
    with expect_validation(message="An operand in the update expression has an incorrect data type"):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="DELETE s :v",
                             ExpressionAttributeValues={":v": {"SS": ["x"]}})
    with expect_validation(message="An operand in the update expression has an incorrect data type"):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="DELETE ss :v",
                             ExpressionAttributeValues={":v": {"NS": ["1"]}})
    with expect_validation(
        message="Invalid UpdateExpression: Incorrect operand type for operator or function; "
        "operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND"
    ):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="DELETE ss :v",
                             ExpressionAttributeValues={":v": S("a")})
    assert get(dynamodb, table_s, k)["ss"] == {"SS": ["a", "b"]}


def test_add_to_a_string(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "s": S("x")})
    with expect_validation(message="An operand in the update expression has an incorrect data type"):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="ADD s :v",
                             ExpressionAttributeValues={":v": N(1)})


# ---------------------------------------------------------------- 6. legacy AttributeUpdates ADD on lists


def test_attribute_updates_add_appends_to_a_list(dynamodb, table_s):
    """ADD accepts N, sets and L (dynalite's update tests, checked against
    DynamoDB, refuse only S, B, NULL, BOOL and M): a list is appended to the
    existing list, or becomes the attribute when there is none. The API
    Reference's AttributeValueUpdate only documents numbers and sets."""
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "l": {"L": [N(1)]}})
    dynamodb.update_item(TableName=table_s, Key=k,
                         AttributeUpdates={"l": {"Action": "ADD", "Value": {"L": [N(2), S("x")]}},
                                           "new": {"Action": "ADD", "Value": {"L": [N(7)]}}})
    item = get(dynamodb, table_s, k)
    assert item["l"] == {"L": [N(1), N(2), S("x")]}
    assert item["new"] == {"L": [N(7)]}
