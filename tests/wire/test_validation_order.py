"""DynamoDB's validation phases for the item, query/scan, batch and transaction
operations: a wrongly typed member (SerializationException) before constraint
violations; every constraint violation in one "N validation errors detected"
message; the request-level rules that need no table; only then
ResourceNotFoundException; then the rules that need the table's schema.

Expected messages are those dynalite's tests (test/*.js, run against DynamoDB)
and ScyllaDB's Alternator tests (test/alternator/*.py, verified against AWS)
record. DynamoDB does not list the entries of a multi-error message in a fixed
order, so, as dynalite's tests do, the entries are compared as a set.
"""

import pytest

from wire_util import error_message, error_type, raw_call, unique_name

MISSING = "wire-missing-table-" + "x" * 8


def call(endpoint, op, payload):
    r = raw_call(endpoint, op, payload)
    assert r.status_code == 400, r.text
    body = r.json()
    return error_type(body), error_message(body)


def assert_errors(endpoint, op, payload, entries):
    """A ValidationException listing exactly `entries` (in any order)."""
    kind, msg = call(endpoint, op, payload)
    assert kind == "ValidationException", msg
    n = len(entries)
    prefix = f"{n} validation error{'s' if n > 1 else ''} detected: "
    assert msg.startswith(prefix), msg
    assert sorted(msg[len(prefix):].split("; ")) == sorted(entries), msg


def assert_validation(endpoint, op, payload, message):
    kind, msg = call(endpoint, op, payload)
    assert (kind, msg) == ("ValidationException", message)


def assert_not_found(endpoint, op, payload):
    kind, _ = call(endpoint, op, payload)
    assert kind == "ResourceNotFoundException"


def null(path):
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


def enum(value, path, values):
    return f"Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: {values}"


RCC = "[INDEXES, TOTAL, NONE]"
RV = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
RICM = "[SIZE, NONE]"
NAME_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
NAME_SHORT = "Member must have length greater than or equal to 3"


# ---- Phase 2: every constraint violation, in one message --------------------


def test_get_item_without_table_name_and_key(endpoint):
    # dynalite test/getItem.js "should return ValidationException for no TableName".
    assert_errors(endpoint, "GetItem", {}, [null("key"), null("tableName")])


def test_get_item_lists_every_violation(endpoint):
    # dynalite test/getItem.js "should return ValidationException for incorrect attributes".
    assert_errors(
        endpoint,
        "GetItem",
        {"TableName": "abc;", "ReturnConsumedCapacity": "hi", "AttributesToGet": []},
        [
            "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
            enum("hi", "returnConsumedCapacity", RCC),
            null("key"),
            f"Value 'abc;' at 'tableName' failed to satisfy constraint: {NAME_PATTERN}",
        ],
    )


def test_get_item_short_table_name(endpoint):
    assert_errors(
        endpoint,
        "GetItem",
        {"TableName": "a;"},
        [
            f"Value 'a;' at 'tableName' failed to satisfy constraint: {NAME_SHORT}",
            f"Value 'a;' at 'tableName' failed to satisfy constraint: {NAME_PATTERN}",
            null("key"),
        ],
    )


def test_put_item_lists_every_violation(endpoint):
    assert_errors(
        endpoint,
        "PutItem",
        {"TableName": "ab", "ReturnValues": "bad", "ReturnConsumedCapacity": "x", "ReturnItemCollectionMetrics": "y"},
        [
            f"Value 'ab' at 'tableName' failed to satisfy constraint: {NAME_SHORT}",
            null("item"),
            enum("bad", "returnValues", RV),
            enum("x", "returnConsumedCapacity", RCC),
            enum("y", "returnItemCollectionMetrics", RICM),
        ],
    )


def test_update_and_delete_item_without_anything(endpoint):
    for op in ("UpdateItem", "DeleteItem"):
        assert_errors(endpoint, op, {}, [null("tableName"), null("key")])


def test_serialization_error_wins_over_constraints(endpoint):
    # Phase 1 before phase 2: a wrongly typed member anywhere in the request.
    kind, msg = call(endpoint, "GetItem", {"TableName": "a", "ConsistentRead": "yes"})
    assert (kind, msg) == ("SerializationException", "Unexpected token received from parser")
    kind, msg = call(endpoint, "Query", {"ReturnConsumedCapacity": "bad", "Limit": "ten"})
    assert (kind, msg) == ("SerializationException", "STRING_VALUE cannot be converted to Integer")


def test_query_and_scan_limits_and_enums(endpoint):
    assert_errors(
        endpoint,
        "Query",
        {"TableName": MISSING, "Limit": 0, "Select": "SOME", "ReturnConsumedCapacity": "ALL"},
        [
            "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
            enum("SOME", "select", "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"),
            enum("ALL", "returnConsumedCapacity", RCC),
        ],
    )
    assert_errors(
        endpoint,
        "Scan",
        {"TableName": MISSING, "Segment": -1, "TotalSegments": 0, "IndexName": "ix"},
        [
            "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0",
            "Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1",
            f"Value 'ix' at 'indexName' failed to satisfy constraint: {NAME_SHORT}",
        ],
    )


def test_query_key_conditions_operator(endpoint):
    assert_errors(
        endpoint,
        "Query",
        {"TableName": MISSING, "KeyConditions": {"pk": {"AttributeValueList": [{"S": "a"}]}}},
        [null("keyConditions.pk.member.comparisonOperator")],
    )


def test_batch_get_item_violations(endpoint):
    # dynalite test/batchGetItem.js.
    assert_errors(endpoint, "BatchGetItem", {}, [null("requestItems")])
    assert_errors(
        endpoint,
        "BatchGetItem",
        {"RequestItems": {}},
        ["Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    )
    kind, msg = call(endpoint, "BatchGetItem", {"RequestItems": {"abc": {"Keys": [{"a": {"S": str(i)}} for i in range(101)]}}})
    assert kind == "ValidationException"
    assert msg.startswith("1 validation error detected: Value '[")
    assert msg.endswith("]' at 'requestItems.abc.member.keys' failed to satisfy constraint: Member must have length less than or equal to 100")
    kind, msg = call(endpoint, "BatchGetItem", {"RequestItems": {"a": {"Keys": []}}, "ReturnConsumedCapacity": "hi"})
    assert kind == "ValidationException"
    assert msg.startswith("3 validation errors detected: ")
    assert enum("hi", "returnConsumedCapacity", RCC) in msg
    assert "at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]" in msg
    assert "Value '[]' at 'requestItems.a.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1" in msg


def test_batch_write_item_violations(endpoint):
    # dynalite test/batchWriteItem.js "should return ValidationException for incorrect attributes".
    kind, msg = call(
        endpoint,
        "BatchWriteItem",
        {
            "RequestItems": {"aa;": [{"PutRequest": {}, "DeleteRequest": {}}]},
            "ReturnConsumedCapacity": "hi",
            "ReturnItemCollectionMetrics": "hi",
        },
    )
    assert kind == "ValidationException"
    assert msg.startswith("5 validation errors detected: ")
    for entry in (
        enum("hi", "returnConsumedCapacity", RCC),
        enum("hi", "returnItemCollectionMetrics", RICM),
        null("requestItems.aa;.member.1.member.deleteRequest.key"),
        null("requestItems.aa;.member.1.member.putRequest.item"),
        "Map keys must satisfy constraint",
    ):
        assert entry in msg
    kind, msg = call(endpoint, "BatchWriteItem", {"RequestItems": {MISSING: [{"DeleteRequest": {"Key": {"a": {"S": str(i)}}}} for i in range(26)]}})
    assert kind == "ValidationException"
    assert msg.startswith("1 validation error detected: Value '{")
    assert msg.endswith(
        "' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"
    )


def test_transact_items_empty_and_too_many(endpoint):
    for op in ("TransactGetItems", "TransactWriteItems"):
        assert_errors(endpoint, op, {}, [null("transactItems")])
        assert_errors(
            endpoint,
            op,
            {"TransactItems": []},
            ["Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
        )
    gets = [{"Get": {"TableName": MISSING, "Key": {"pk": {"S": str(i)}}}} for i in range(101)]
    kind, msg = call(endpoint, "TransactGetItems", {"TransactItems": gets})
    assert kind == "ValidationException"
    assert msg.endswith("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100")


def test_transact_write_member_violations(endpoint):
    assert_errors(
        endpoint,
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {}},
                {"ConditionCheck": {"TableName": MISSING, "Key": {}}},
                {"Update": {"TableName": MISSING, "Key": {}, "ReturnValuesOnConditionCheckFailure": "dog"}},
            ]
        },
        [
            null("transactItems.1.member.put.item"),
            null("transactItems.1.member.put.tableName"),
            null("transactItems.2.member.conditionCheck.conditionExpression"),
            null("transactItems.3.member.update.updateExpression"),
            enum("dog", "transactItems.3.member.update.returnValuesOnConditionCheckFailure", "[ALL_OLD, NONE]"),
        ],
    )


# ---- Phase 3: rules that need no table come before ResourceNotFound ----------


def test_put_item_request_rules_before_table(endpoint):
    item = {"pk": {"S": "a"}}
    assert_validation(endpoint, "PutItem", {"TableName": MISSING, "Item": item, "ReturnValues": "ALL_NEW"}, "ReturnValues can only be ALL_OLD or NONE")
    assert_validation(
        endpoint,
        "PutItem",
        {"TableName": MISSING, "Item": item, "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":x": {"S": "1"}}},
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}",
    )
    assert_validation(
        endpoint,
        "PutItem",
        {"TableName": MISSING, "Item": {"pk": {"S": "a"}, "big": {"S": "x" * (400 * 1024)}}},
        "Item size has exceeded the maximum allowed size",
    )
    assert_not_found(endpoint, "PutItem", {"TableName": MISSING, "Item": item})


def test_get_item_request_rules_before_table(endpoint):
    # dynalite test/getItem.js: expressions and the key's values are checked
    # before the table; "ResourceNotFoundException if key is empty and table
    # does not exist".
    assert_validation(
        endpoint,
        "GetItem",
        {"TableName": MISSING, "Key": {}, "ProjectionExpression": ""},
        "Invalid ProjectionExpression: The expression can not be empty;",
    )
    assert_validation(
        endpoint,
        "GetItem",
        {"TableName": MISSING, "Key": {}, "ProjectionExpression": "a", "ExpressionAttributeNames": {"#a": "a", "#b": "b"}},
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
    )
    assert_validation(
        endpoint,
        "GetItem",
        {"TableName": MISSING, "Key": {"a": {"SS": ["a", "a"]}}},
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
    )
    assert_not_found(endpoint, "GetItem", {"TableName": MISSING, "Key": {}})


def test_update_and_delete_request_rules_before_table(endpoint):
    key = {"pk": {"S": "a"}}
    assert_validation(
        endpoint,
        "UpdateItem",
        {"TableName": MISSING, "Key": key, "UpdateExpression": "SET a = :a", "AttributeUpdates": {}, "ExpressionAttributeValues": {":a": {"S": "1"}}},
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
    )
    assert_validation(
        endpoint,
        "UpdateItem",
        {"TableName": MISSING, "Key": key, "UpdateExpression": "SET a = :a"},
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :a",
    )
    assert_validation(
        endpoint,
        "DeleteItem",
        {"TableName": MISSING, "Key": key, "ExpressionAttributeValues": {":x": {"S": "1"}}},
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
    )
    assert_not_found(endpoint, "DeleteItem", {"TableName": MISSING, "Key": key})


def test_query_and_scan_request_rules_before_table(endpoint):
    assert_validation(
        endpoint,
        "Query",
        {"TableName": MISSING},
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
    )
    assert_validation(
        endpoint,
        "Query",
        {"TableName": MISSING, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}, ":u": {"S": "b"}}},
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}",
    )
    assert_validation(
        endpoint,
        "Scan",
        {"TableName": MISSING, "Select": "ALL_PROJECTED_ATTRIBUTES"},
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
    )
    assert_validation(
        endpoint,
        "Scan",
        {"TableName": MISSING, "Segment": 1},
        "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
    )
    assert_validation(
        endpoint,
        "Scan",
        {"TableName": MISSING, "Select": "SPECIFIC_ATTRIBUTES"},
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
    )
    assert_not_found(endpoint, "Scan", {"TableName": MISSING})
    assert_not_found(endpoint, "Query", {"TableName": MISSING, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}})


def test_batch_request_rules_before_table(endpoint):
    # dynalite test/batchGetItem.js: duplicates and the 100-key limit before
    # the table; "ResourceNotFoundException when fetching exactly 100 keys".
    key = {"a": {"S": "x"}, "b": {"N": "1"}}
    assert_validation(
        endpoint,
        "BatchGetItem",
        {"RequestItems": {MISSING: {"Keys": [key, {"b": key["b"], "a": key["a"]}]}}},
        "Provided list of item keys contains duplicates",
    )
    assert_validation(
        endpoint,
        "BatchGetItem",
        {"RequestItems": {MISSING: {"Keys": [{"a": {"S": str(i)}} for i in range(100)]}, MISSING + "2": {"Keys": [{"a": {"S": "z"}}]}}},
        "Too many items requested for the BatchGetItem call",
    )
    assert_not_found(endpoint, "BatchGetItem", {"RequestItems": {MISSING: {"Keys": [{"a": {"S": str(i)}} for i in range(100)]}}})
    # dynalite test/batchWriteItem.js: an empty request, then the table before
    # duplicate keys.
    assert_validation(
        endpoint,
        "BatchWriteItem",
        {"RequestItems": {MISSING: [{}]}},
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    )
    item = {"a": {"S": "k"}}
    assert_not_found(endpoint, "BatchWriteItem", {"RequestItems": {MISSING: [{"PutRequest": {"Item": item}}, {"DeleteRequest": {"Key": item}}]}})


def test_transact_request_rules_before_table(endpoint):
    # ScyllaDB test_transact.py: expression errors fail the whole request.
    assert_validation(
        endpoint,
        "TransactWriteItems",
        {"TransactItems": [{"Put": {"TableName": MISSING, "Item": {"p": {"S": "a"}}, "ConditionExpression": "attribute_exists(p)", "ExpressionAttributeValues": {":xyz": {"N": "7"}}}}]},
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:xyz}",
    )
    assert_validation(
        endpoint,
        "TransactGetItems",
        {"TransactItems": [{"Get": {"TableName": MISSING, "Key": {"p": {"S": "a"}}, "ProjectionExpression": "#xx", "ExpressionAttributeNames": {"#xx": "x", "#qq": "q"}}}]},
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#qq}",
    )
    assert_not_found(endpoint, "TransactGetItems", {"TransactItems": [{"Get": {"TableName": MISSING, "Key": {"p": {"S": "a"}}}}]})


# ---- Phase 5: rules that need the schema ------------------------------------


def test_transact_write_key_type_is_a_cancellation_reason(endpoint, dynamodb, table_s):
    # ScyllaDB test_transact_write_cancellation_reasons_validationerror: the
    # first failing action gets ValidationError, the others None.
    r = raw_call(
        endpoint,
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": table_s, "Item": {"pk": {"N": "7"}}}},
                {"Put": {"TableName": table_s, "Item": {"pk": {"N": "8"}}}},
                {"Put": {"TableName": table_s, "Item": {"pk": {"S": unique_name()}}, "ConditionExpression": "attribute_exists(pk)"}},
            ]
        },
    )
    body = r.json()
    assert error_type(body) == "TransactionCanceledException"
    reasons = body["CancellationReasons"]
    assert [x["Code"] for x in reasons] == ["ValidationError", "None", "None"]
    assert reasons[0]["Message"] == "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
    assert "Message" not in reasons[1]
    assert error_message(body) == "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None, None]"


def test_transact_get_bad_key_is_a_cancellation_reason(endpoint, table_s):
    r = raw_call(
        endpoint,
        "TransactGetItems",
        {"TransactItems": [{"Get": {"TableName": table_s, "Key": {"pk": {"S": "a"}}}}, {"Get": {"TableName": table_s, "Key": {"pk": {"N": "1"}}}}]},
    )
    body = r.json()
    assert error_type(body) == "TransactionCanceledException"
    reasons = body["CancellationReasons"]
    assert [x["Code"] for x in reasons] == ["None", "ValidationError"]
    assert reasons[1]["Message"] == "The provided key element does not match the schema"


@pytest.mark.parametrize("op", ["GetItem", "DeleteItem", "UpdateItem"])
def test_key_schema_checked_after_table(endpoint, op, table_s):
    assert_validation(endpoint, op, {"TableName": table_s, "Key": {"other": {"S": "a"}}}, "The provided key element does not match the schema")
    assert_not_found(endpoint, op, {"TableName": MISSING, "Key": {"other": {"S": "a"}}})


# ---- Scan's consumed capacity for small results -------------------------------


def test_scan_of_small_and_empty_tables_consumes_half_a_unit(dynamodb, table_factory):
    # Developer Guide, "Capacity unit consumption for read operations": a Scan
    # sums the sizes of the items read and rounds up to the next 4 KB; an
    # eventually consistent read of up to 4 KB is one-half read unit, a
    # strongly consistent one a unit -- also when nothing is read.
    name = table_factory()
    for consistent, units in ((False, 0.5), (True, 1.0)):
        r = dynamodb.scan(TableName=name, ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL")
        assert r["Count"] == 0
        assert r["ConsumedCapacity"]["CapacityUnits"] == units
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"S": "x" * 100}})
    r = dynamodb.scan(TableName=name, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 0.5
