"""PutItem / GetItem / UpdateItem / DeleteItem, ReturnValues, conditions, key
validation and size limits."""

import pytest

from wire_util import error_message, error_type, expect_error, expect_validation, random_key, raw_call, unique_name

CCF = "ConditionalCheckFailedException"
CCF_MSG = "The conditional request failed"
RV_INVALID = r"^(Return values set to invalid value|ReturnValues can only be ALL_OLD or NONE)$"


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def get(client, table, key, **kw):
    return client.get_item(TableName=table, Key=key, ConsistentRead=True, **kw).get("Item")


# ---------------------------------------------------------------- basics


def test_put_get(dynamodb, table_s):
    k = {"pk": S(random_key())}
    item = {**k, "a": S("hello"), "n": N(3)}
    r = dynamodb.put_item(TableName=table_s, Item=item)
    assert "Attributes" not in r
    assert get(dynamodb, table_s, k) == item


def test_get_missing_item(dynamodb, table_s):
    r = dynamodb.get_item(TableName=table_s, Key={"pk": S(random_key())})
    assert "Item" not in r


def test_get_eventually_and_strongly_consistent(dynamodb, table_ss):
    k = {"pk": S(random_key()), "sk": S("x")}
    dynamodb.put_item(TableName=table_ss, Item={**k, "v": N(1)})
    assert dynamodb.get_item(TableName=table_ss, Key=k, ConsistentRead=True)["Item"]["v"] == N(1)
    assert dynamodb.get_item(TableName=table_ss, Key=k, ConsistentRead=False)["Item"]["v"] == N(1)


def test_get_projection(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "a": S("1"), "b": S("2"), "c": {"M": {"d": S("3"), "e": S("4")}}})
    r = get(dynamodb, table_s, k, ProjectionExpression="a, #c.d", ExpressionAttributeNames={"#c": "c"})
    assert r == {"a": S("1"), "c": {"M": {"d": S("3")}}}
    # projecting only missing attributes of an existing item returns an empty Item
    r = dynamodb.get_item(TableName=table_s, Key=k, ProjectionExpression="zz", ConsistentRead=True)
    assert r["Item"] == {}


def test_put_replaces_whole_item(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "a": S("1"), "b": S("2")})
    dynamodb.put_item(TableName=table_s, Item={**k, "c": S("3")})
    assert get(dynamodb, table_s, k) == {**k, "c": S("3")}


def test_delete(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "a": S("1")})
    r = dynamodb.delete_item(TableName=table_s, Key=k)
    assert "Attributes" not in r
    assert get(dynamodb, table_s, k) is None
    # deleting a missing item is not an error
    dynamodb.delete_item(TableName=table_s, Key=k)


def test_update_creates_item(dynamodb, table_ss):
    k = {"pk": S(random_key()), "sk": S("s")}
    dynamodb.update_item(TableName=table_ss, Key=k, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": N(5)})
    assert get(dynamodb, table_ss, k) == {**k, "a": N(5)}


def test_update_without_expression_creates_key_only_item(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.update_item(TableName=table_s, Key=k)
    assert get(dynamodb, table_s, k) == k


def test_update_key_attribute_rejected(dynamodb, table_s):
    k = {"pk": S(random_key())}
    with expect_validation(
        message="One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"
    ):
        dynamodb.update_item(
            TableName=table_s, Key=k, UpdateExpression="SET pk = :v", ExpressionAttributeValues={":v": S("other")}
        )


def test_missing_table(dynamodb):
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found", status=400):
        dynamodb.put_item(TableName=unique_name("nosuch"), Item={"pk": S("a")})
    with expect_error("ResourceNotFoundException", match=r"^Requested resource not found"):
        dynamodb.get_item(TableName=unique_name("nosuch"), Key={"pk": S("a")})


# ---------------------------------------------------------------- ReturnValues


def test_put_return_values(dynamodb, table_s):
    k = {"pk": S(random_key())}
    r = dynamodb.put_item(TableName=table_s, Item={**k, "a": S("1")}, ReturnValues="ALL_OLD")
    assert "Attributes" not in r  # no old item
    r = dynamodb.put_item(TableName=table_s, Item={**k, "a": S("2")}, ReturnValues="ALL_OLD")
    assert r["Attributes"] == {**k, "a": S("1")}
    r = dynamodb.put_item(TableName=table_s, Item={**k, "a": S("3")}, ReturnValues="NONE")
    assert "Attributes" not in r


@pytest.mark.parametrize("rv", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_put_return_values_invalid(dynamodb, table_s, rv):
    # moto quotes "Return values set to invalid value", dynalite "ReturnValues can only be ALL_OLD or NONE"
    with expect_validation(match=RV_INVALID):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ReturnValues=rv)


@pytest.mark.parametrize("rv", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_delete_return_values_invalid(dynamodb, table_s, rv):
    # moto quotes "Return values set to invalid value", dynalite "ReturnValues can only be ALL_OLD or NONE"
    with expect_validation(match=RV_INVALID):
        dynamodb.delete_item(TableName=table_s, Key={"pk": S(random_key())}, ReturnValues=rv)


def test_delete_return_all_old(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "a": S("1")})
    r = dynamodb.delete_item(TableName=table_s, Key=k, ReturnValues="ALL_OLD")
    assert r["Attributes"] == {**k, "a": S("1")}
    r = dynamodb.delete_item(TableName=table_s, Key=k, ReturnValues="ALL_OLD")
    assert "Attributes" not in r


@pytest.fixture
def upd_item(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "a": N(1), "b": S("keep"), "c": S("gone")})
    return k


def _upd(dynamodb, table_s, k, rv):
    return dynamodb.update_item(
        TableName=table_s,
        Key=k,
        UpdateExpression="SET a = a + :one, n = :n REMOVE c",
        ExpressionAttributeValues={":one": N(1), ":n": S("new")},
        ReturnValues=rv,
    )


def test_update_return_none(dynamodb, table_s, upd_item):
    assert "Attributes" not in _upd(dynamodb, table_s, upd_item, "NONE")


def test_update_return_all_old(dynamodb, table_s, upd_item):
    r = _upd(dynamodb, table_s, upd_item, "ALL_OLD")
    assert r["Attributes"] == {**upd_item, "a": N(1), "b": S("keep"), "c": S("gone")}


def test_update_return_all_new(dynamodb, table_s, upd_item):
    r = _upd(dynamodb, table_s, upd_item, "ALL_NEW")
    assert r["Attributes"] == {**upd_item, "a": N(2), "b": S("keep"), "n": S("new")}


def test_update_return_updated_old(dynamodb, table_s, upd_item):
    # only the updated attributes, as they were before; n did not exist, c was removed
    r = _upd(dynamodb, table_s, upd_item, "UPDATED_OLD")
    assert r["Attributes"] == {"a": N(1), "c": S("gone")}


def test_update_return_updated_new(dynamodb, table_s, upd_item):
    r = _upd(dynamodb, table_s, upd_item, "UPDATED_NEW")
    assert r["Attributes"] == {"a": N(2), "n": S("new")}


def test_update_return_all_old_on_new_item(dynamodb, table_s):
    r = dynamodb.update_item(
        TableName=table_s,
        Key={"pk": S(random_key())},
        UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": N(1)},
        ReturnValues="ALL_OLD",
    )
    assert "Attributes" not in r


def test_update_return_values_invalid(raw_client, table_s):
    with expect_validation(match=r"returnValues.*Member must satisfy enum value set"):
        raw_client.update_item(TableName=table_s, Key={"pk": S(random_key())}, ReturnValues="EVERYTHING")


# ---------------------------------------------------------------- conditions


def test_put_condition_attribute_not_exists(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "v": N(1)}, ConditionExpression="attribute_not_exists(pk)")
    with expect_error(CCF, message=CCF_MSG, status=400):
        dynamodb.put_item(TableName=table_s, Item={**k, "v": N(2)}, ConditionExpression="attribute_not_exists(pk)")
    assert get(dynamodb, table_s, k)["v"] == N(1)


def test_update_condition(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "v": N(1)})
    dynamodb.update_item(
        TableName=table_s,
        Key=k,
        UpdateExpression="SET v = v + :one",
        ConditionExpression="v = :cur",
        ExpressionAttributeValues={":one": N(1), ":cur": N(1)},
    )
    with expect_error(CCF, message=CCF_MSG):
        dynamodb.update_item(
            TableName=table_s,
            Key=k,
            UpdateExpression="SET v = v + :one",
            ConditionExpression="v = :cur",
            ExpressionAttributeValues={":one": N(1), ":cur": N(1)},
        )
    assert get(dynamodb, table_s, k)["v"] == N(2)


def test_update_condition_on_missing_item_does_not_create(dynamodb, table_s):
    k = {"pk": S(random_key())}
    with expect_error(CCF, message=CCF_MSG):
        dynamodb.update_item(
            TableName=table_s,
            Key=k,
            UpdateExpression="SET v = :v",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":v": N(1)},
        )
    assert get(dynamodb, table_s, k) is None


def test_delete_condition(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**k, "v": N(1)})
    with expect_error(CCF, message=CCF_MSG):
        dynamodb.delete_item(TableName=table_s, Key=k, ConditionExpression="v > :x", ExpressionAttributeValues={":x": N(5)})
    assert get(dynamodb, table_s, k) is not None
    dynamodb.delete_item(TableName=table_s, Key=k, ConditionExpression="v < :x", ExpressionAttributeValues={":x": N(5)})
    assert get(dynamodb, table_s, k) is None


# ReturnValuesOnConditionCheckFailure is newer than Debian's botocore model, so
# these go through raw signed HTTP and read the error body directly.
@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
def test_return_values_on_condition_check_failure(endpoint, dynamodb, table_s, op):
    k = {"pk": S(random_key())}
    old = {**k, "v": N(1), "s": {"SS": ["a", "b"]}}
    dynamodb.put_item(TableName=table_s, Item=old)
    req = {
        "TableName": table_s,
        "ConditionExpression": "v = :x",
        "ExpressionAttributeValues": {":x": N(99)},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if op == "PutItem":
        req["Item"] = {**k, "v": N(2)}
    else:
        req["Key"] = k
    if op == "UpdateItem":
        req["UpdateExpression"] = "SET v = :y"
        req["ExpressionAttributeValues"][":y"] = N(2)
    r = raw_call(endpoint, op, req)
    assert r.status_code == 400
    body = r.json()
    assert error_type(body) == CCF
    assert error_message(body) == CCF_MSG
    got = body["Item"]
    got["s"]["SS"] = sorted(got["s"]["SS"])
    assert got == old

    req["ReturnValuesOnConditionCheckFailure"] = "NONE"
    r = raw_call(endpoint, op, req)
    assert r.status_code == 400 and error_type(r.json()) == CCF
    assert "Item" not in r.json()


def test_return_values_on_condition_check_failure_missing_item(endpoint, table_s):
    r = raw_call(
        endpoint,
        "PutItem",
        {
            "TableName": table_s,
            "Item": {"pk": S(random_key())},
            "ConditionExpression": "attribute_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    assert r.status_code == 400 and error_type(r.json()) == CCF
    assert "Item" not in r.json()


# ---------------------------------------------------------------- key validation

SCHEMA_MSG = "The provided key element does not match the schema"


def test_get_key_wrong_type(dynamodb, table_s):
    with expect_validation(message=SCHEMA_MSG):
        dynamodb.get_item(TableName=table_s, Key={"pk": N(1)})


def test_get_key_missing_range(dynamodb, table_ss):
    with expect_validation(message=SCHEMA_MSG):
        dynamodb.get_item(TableName=table_ss, Key={"pk": S("a")})


def test_get_key_extra_attribute(dynamodb, table_s):
    with expect_validation(message=SCHEMA_MSG):
        dynamodb.get_item(TableName=table_s, Key={"pk": S("a"), "x": S("b")})


def test_get_key_wrong_name(dynamodb, table_s):
    with expect_validation(message=SCHEMA_MSG):
        dynamodb.get_item(TableName=table_s, Key={"zz": S("a")})


def test_delete_and_update_key_mismatch(dynamodb, table_ss):
    with expect_validation(message=SCHEMA_MSG):
        dynamodb.delete_item(TableName=table_ss, Key={"pk": S("a")})
    with expect_validation(message=SCHEMA_MSG):
        dynamodb.update_item(TableName=table_ss, Key={"pk": S("a"), "sk": N(1)})


def test_put_missing_hash_key(dynamodb, table_s):
    with expect_validation(message="One or more parameter values were invalid: Missing the key pk in the item"):
        dynamodb.put_item(TableName=table_s, Item={"a": S("x")})


def test_put_missing_range_key(dynamodb, table_ss):
    with expect_validation(message="One or more parameter values were invalid: Missing the key sk in the item"):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S("x")})


def test_put_key_type_mismatch(dynamodb, table_ss):
    with expect_validation(
        message="One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
    ):
        dynamodb.put_item(TableName=table_ss, Item={"pk": N(1), "sk": S("x")})


def test_put_empty_item_attribute_value(raw_client, table_s):
    with expect_validation(
        message="Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    ):
        raw_client.put_item(TableName=table_s, Item={"pk": S("x"), "a": {}})


def test_put_attribute_value_two_types(raw_client, table_s):
    with expect_validation(
        message="Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
    ):
        raw_client.put_item(TableName=table_s, Item={"pk": S("x"), "a": {"S": "a", "N": "1"}})


# ---------------------------------------------------------------- sizes

LIMIT = 400 * 1024


def test_item_size_limit(dynamodb, table_s):
    k = random_key()  # 32 chars
    # size = len("pk") + len(k) + len("v") + len(value); stay a little below the limit
    ok = "x" * (LIMIT - 2 - len(k) - 1 - 64)
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": S(ok)})
    assert len(get(dynamodb, table_s, {"pk": S(k)})["v"]["S"]) == len(ok)
    with expect_validation(message="Item size has exceeded the maximum allowed size"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "v": S("x" * (LIMIT + 1))})
    # the failed put left the item alone
    assert len(get(dynamodb, table_s, {"pk": S(k)})["v"]["S"]) == len(ok)


def test_item_size_limit_counts_names_and_binary(dynamodb, table_s):
    k = random_key()
    # a long attribute name counts too
    with expect_validation(message="Item size has exceeded the maximum allowed size"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "n" * 60000: S("x" * (LIMIT - 60000))})
    with expect_validation(message="Item size has exceeded the maximum allowed size"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "b": {"B": b"\x00" * (LIMIT + 1)}})


def test_update_grows_item_past_limit(dynamodb, table_s):
    k = {"pk": S(random_key())}
    half = "x" * (LIMIT // 2 + 1000)
    dynamodb.put_item(TableName=table_s, Item={**k, "a": S(half)})
    # DynamoDB: "Item size to update has exceeded the maximum allowed size"
    with expect_validation(match=r"^Item size (to update )?has exceeded the maximum allowed size$"):
        dynamodb.update_item(TableName=table_s, Key=k, UpdateExpression="SET b = :v", ExpressionAttributeValues={":v": S(half)})
    assert "b" not in get(dynamodb, table_s, k)


def test_hash_key_size_limit(dynamodb, table_s):
    dynamodb.put_item(TableName=table_s, Item={"pk": S("h" * 2048)})
    assert get(dynamodb, table_s, {"pk": S("h" * 2048)}) is not None
    with expect_validation(
        message="One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    ):
        dynamodb.put_item(TableName=table_s, Item={"pk": S("h" * 2049)})


def test_hash_key_size_counts_utf8_bytes(dynamodb, table_s):
    # 1025 two-byte characters = 2050 bytes
    with expect_validation(
        message="One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    ):
        dynamodb.put_item(TableName=table_s, Item={"pk": S("é" * 1025)})


def test_range_key_size_limit(dynamodb, table_ss, table_sb):
    p = random_key()
    dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S("r" * 1024)})
    with expect_validation(
        message="One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
    ):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S("r" * 1025)})
    dynamodb.put_item(TableName=table_sb, Item={"pk": S(p), "sk": {"B": b"\x01" * 1024}})
    with expect_validation(
        message="One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
    ):
        dynamodb.put_item(TableName=table_sb, Item={"pk": S(p), "sk": {"B": b"\x01" * 1025}})


def test_nesting_depth_limit(dynamodb, table_s):
    # 32 levels of nesting are allowed, more are not (Alternator's test_manual_requests / DynamoDB limits page)
    nested = {"M": {}}
    cur = nested
    for _ in range(30):
        cur["M"]["a"] = {"M": {}}
        cur = cur["M"]["a"]
    dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "n": nested})
    deep = {"M": {}}
    cur = deep
    for _ in range(50):
        cur["M"]["a"] = {"M": {}}
        cur = cur["M"]["a"]
    with pytest.raises(Exception) as ei:
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "n": deep})
    assert "nest" in str(ei.value).lower()


def test_attribute_name_empty(raw_client, table_s):
    # Developer Guide (naming rules): attribute names are at least one character long.
    # The exact message is not known here, so only the error type is checked.
    with expect_validation():
        raw_client.put_item(TableName=table_s, Item={"pk": S(random_key()), "": S("x")})
