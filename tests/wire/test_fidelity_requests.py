"""Engine fidelity: tag operations on foreign ARNs, the control plane's
missing-TableName wording, legacy/expression parameter mixes, PartiQL shapes
DynamoDB does not support. Each test cites its evidence (or says "a guess")."""

from wire_util import (
    S,
    error_message,
    error_type,
    expect_error,
    expect_validation,
    raw_call,
    unique_name,
)

REQUIRED = "The parameter 'TableName' is required but was not present in the request"


def _other_arns(arn):
    """The same table's ARN in another account, and in another region."""
    parts = arn.split(":")
    other_account = parts[:4] + ["111111111111" if parts[4] != "111111111111" else "222222222222"] + parts[5:]
    other_region = parts[:3] + ["eu-west-1" if parts[3] != "eu-west-1" else "us-west-2"] + parts[4:]
    return [":".join(other_account), ":".join(other_region)]


def test_tag_operations_on_another_accounts_or_regions_table_are_denied(dynamodb, table_s):
    """AccessDeniedException for a table ARN of another account or region
    (IAM's implicit-deny wording; the principal, this server's account root,
    is a guess), ResourceNotFoundException for a missing table of this
    server's own account and region (alternator's
    test_tag_resource_subtly_incorrect_arn, checked against DynamoDB)."""
    arn = dynamodb.describe_table(TableName=table_s)["Table"]["TableArn"]
    account = arn.split(":")[4]
    for other in _other_arns(arn):
        calls = [
            ("ListTagsOfResource", lambda o=other: dynamodb.list_tags_of_resource(ResourceArn=o)),
            ("TagResource", lambda o=other: dynamodb.tag_resource(ResourceArn=o, Tags=[{"Key": "k", "Value": "v"}])),
            ("UntagResource", lambda o=other: dynamodb.untag_resource(ResourceArn=o, TagKeys=["k"])),
        ]
        for op, fn in calls:
            action = "dynamodb:" + op
            message = (
                f"User: arn:aws:iam::{account}:root is not authorized to perform: {action} on resource: {other}"
                f" because no resource-based policy allows the {action} action"
            )
            with expect_error("AccessDeniedException", message=message, status=400):
                fn()
    # Nothing was tagged on the local table of the same name.
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    missing = arn.rsplit("/", 1)[0] + "/" + unique_name("gone")
    with expect_error("ResourceNotFoundException", message=f"Requested resource not found: ResourcArn: {missing} not found"):
        dynamodb.list_tags_of_resource(ResourceArn=missing)


def test_unparseable_resource_arns(endpoint):
    """dynalite's old tests (checked against DynamoDB then) show
    AccessDeniedException for 'abcd'; alternator's test_tag_resource_incorrect
    says newer DynamoDB answers a ValidationException "ARNs must start with
    'arn:'", which is ours. '' fails the length constraint (boto3 refuses it
    client-side, so it is sent raw)."""
    r = raw_call(endpoint, "ListTagsOfResource", {"ResourceArn": "abcd"})
    assert r.status_code == 400
    assert error_type(r.json()) == "ValidationException"
    assert error_message(r.json()) == "One or more parameter values were invalid: ARNs must start with 'arn:': abcd"
    r = raw_call(endpoint, "ListTagsOfResource", {"ResourceArn": ""})
    assert r.status_code == 400
    assert error_type(r.json()) == "ValidationException"
    assert "resourceArn" in error_message(r.json())


def test_control_plane_operations_require_table_name(endpoint):
    """dynalite's tests (checked against DynamoDB): CreateTable, DeleteTable,
    DescribeTable, UpdateTable, DescribeTimeToLive and UpdateTimeToLive
    answer "The parameter 'TableName' is required but was not present in the
    request" (also quoted from AWS in aws/aws-sdk-java#977 for DescribeTable);
    the data plane answers the "Value null at 'tableName'" list."""
    for op in ("CreateTable", "DeleteTable", "DescribeTable", "UpdateTable", "DescribeTimeToLive", "UpdateTimeToLive"):
        for body in ({}, {"TableName": None}):
            r = raw_call(endpoint, op, body)
            assert r.status_code == 400, op
            assert error_type(r.json()) == "ValidationException", op
            assert error_message(r.json()) == REQUIRED, op
    r = raw_call(endpoint, "GetItem", {"Key": {"pk": {"S": "a"}}})
    assert error_message(r.json()) == (
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
    )


MIX = "Can not use both expression and non-expression parameters in the same request: "


def test_mixed_parameters_messages(endpoint, table_sn):
    """The messages and parameter orders of dynalite's tests (checked against
    DynamoDB), sent raw so that every pair reaches the server."""
    kc = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x")]}}
    qf = {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x")]}}
    eav = {":p": S("x")}
    cases = [
        ("GetItem", {"Key": {"pk": S("x"), "sk": {"N": "1"}}, "AttributesToGet": ["a"], "ProjectionExpression": "a"},
         "{AttributesToGet} Expression parameters: {ProjectionExpression}"),
        ("Scan", {"ScanFilter": qf, "FilterExpression": "a = :p", "ExpressionAttributeValues": eav},
         "{ScanFilter} Expression parameters: {FilterExpression}"),
        ("Scan", {"AttributesToGet": ["a"], "ScanFilter": qf, "ConditionalOperator": "OR",
                  "ProjectionExpression": "a", "FilterExpression": "a = :p", "ExpressionAttributeValues": eav},
         "{AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}"),
        ("PutItem", {"Item": {"pk": S("x"), "sk": {"N": "1"}}, "Expected": {"a": {"Exists": False}},
                     "ConditionExpression": "attribute_not_exists(a)"},
         "{Expected} Expression parameters: {ConditionExpression}"),
        ("DeleteItem", {"Key": {"pk": S("x"), "sk": {"N": "1"}}, "Expected": {"a": {"Exists": False}},
                        "ConditionExpression": "attribute_not_exists(a)"},
         "{Expected} Expression parameters: {ConditionExpression}"),
        ("UpdateItem", {"Key": {"pk": S("x"), "sk": {"N": "1"}}, "Expected": {"a": {"Exists": False}},
                        "AttributeUpdates": {"b": {"Action": "PUT", "Value": S("y")}},
                        "ConditionExpression": "attribute_not_exists(a)", "UpdateExpression": "SET b = :p",
                        "ExpressionAttributeValues": eav},
         "{AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}"),
        ("Query", {"KeyConditions": kc, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": eav},
         "{KeyConditions} Expression parameters: {KeyConditionExpression}"),
        ("Query", {"QueryFilter": qf, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": eav},
         "{QueryFilter} Expression parameters: {KeyConditionExpression}"),
        # dynalite: "all expressions and non-expression without KeyConditionExpression":
        # KeyConditions is not named when KeyConditionExpression is absent.
        ("Query", {"AttributesToGet": ["a"], "QueryFilter": qf, "ConditionalOperator": "OR", "KeyConditions": kc,
                   "ProjectionExpression": "a", "FilterExpression": "a = :p", "ExpressionAttributeValues": eav},
         "{AttributesToGet, QueryFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}"),
        ("Query", {"AttributesToGet": ["a"], "QueryFilter": qf, "ConditionalOperator": "OR", "KeyConditions": kc,
                   "ProjectionExpression": "a", "FilterExpression": "a = :p", "KeyConditionExpression": "pk = :p",
                   "ExpressionAttributeValues": eav},
         "{AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} "
         "Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}"),
    ]
    for op, body, tail in cases:
        r = raw_call(endpoint, op, dict(body, TableName=table_sn))
        assert r.status_code == 400, (op, r.text)
        assert error_type(r.json()) == "ValidationException", (op, r.text)
        assert error_message(r.json()) == MIX + "Non-expression parameters: " + tail, (op, r.text)


def test_key_conditions_with_filter_or_projection_expression(dynamodb, table_sn):
    """KeyConditions is not a conflicting parameter beside FilterExpression or
    ProjectionExpression alone (dynalite's validateExpressionParams special
    case, its messages checked against DynamoDB): the query runs."""
    p = unique_name("kcf")
    for i in range(3):
        dynamodb.put_item(TableName=table_sn, Item={"pk": S(p), "sk": {"N": str(i)}, "a": {"N": str(i % 2)}, "b": S("x")})
    kc = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S(p)]}}
    r = dynamodb.query(TableName=table_sn, KeyConditions=kc, FilterExpression="a = :one",
                       ExpressionAttributeValues={":one": {"N": "1"}}, ConsistentRead=True)
    assert [i["sk"]["N"] for i in r["Items"]] == ["1"]
    assert r["ScannedCount"] == 3
    r = dynamodb.query(TableName=table_sn, KeyConditions=kc, ProjectionExpression="b", ConsistentRead=True)
    assert r["Items"] == [{"b": S("x")}] * 3


def test_partiql_unsupported_shapes_are_validation_errors(endpoint, table_s):
    """Functions or arithmetic in the SELECT list, arithmetic in WHERE,
    backtick Ion literals and x'..' blob literals: each a 400
    ValidationException, never a 500. The exact wording is ours (DynamoDB
    Local's message table has "Unsupported operation: %s", "Ion Literals are
    not supported: %s under key %s", "Unrecognized function: %s", but which
    shape gets which is not documented)."""
    statements = [
        f'SELECT size(a) FROM "{table_s}"',
        f'SELECT upper(pk) FROM "{table_s}"',
        f'SELECT a + 1 FROM "{table_s}"',
        f'SELECT 1 FROM "{table_s}"',
        f'SELECT count(*) FROM "{table_s}"',
        f'SELECT * FROM "{table_s}" WHERE a + 1 > 2',
        f"SELECT * FROM \"{table_s}\" WHERE pk = 'a' AND a = 1 + 1",
        f'SELECT * FROM "{table_s}" WHERE a = `{{a:1}}`',
        f"SELECT * FROM \"{table_s}\" WHERE pk = `'a'`",
        f"SELECT * FROM \"{table_s}\" WHERE pk = x'0102'",
        f"INSERT INTO \"{table_s}\" VALUE {{'pk': `{{a:1}}`}}",
        f"UPDATE \"{table_s}\" SET a = a * 2 WHERE pk = 'a'",
    ]
    for st in statements:
        r = raw_call(endpoint, "ExecuteStatement", {"Statement": st})
        assert r.status_code == 400, (st, r.text)
        assert error_type(r.json()) == "ValidationException", (st, r.text)
        assert error_message(r.json()), st
    r = raw_call(endpoint, "ExecuteStatement", {"Statement": f'SELECT * FROM "{table_s}" WHERE a + 1 > 2'})
    assert error_message(r.json()) == "Unsupported operation: arithmetic in a WHERE clause"


def test_partiql_batch_select_needs_the_full_key(dynamodb, table_s):
    """A SELECT in BatchExecuteStatement is a GetItem: without equality on the
    whole key it fails alone, with DynamoDB's message (DynamoDB Local's
    message table: INCOMPLETE_KEY_IN_WHERE_CLAUSE)."""
    k = unique_name("bes")
    dynamodb.put_item(TableName=table_s, Item={"pk": S(k), "a": {"N": "1"}})
    r = dynamodb.batch_execute_statement(
        Statements=[
            {"Statement": f'SELECT * FROM "{table_s}" WHERE a = 1'},
            {"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"},
        ]
    )
    first, second = r["Responses"]
    assert first["Error"] == {
        "Code": "ValidationError",
        "Message": "Where clause does not contain a mandatory equality on all key attributes",
    }
    assert second["Item"] == {"pk": S(k), "a": {"N": "1"}}


def test_partiql_write_transaction_returns_no_responses(dynamodb, table_s):
    """ExecuteTransaction of writes answers no Responses (API_ExecuteTransaction:
    Responses are "the response to a PartiQL transaction", items of its
    reads); a read transaction answers an item per statement."""
    k = unique_name("etx")
    r = dynamodb.execute_transaction(
        TransactStatements=[{"Statement": f"INSERT INTO \"{table_s}\" VALUE {{'pk': '{k}', 'a': 1}}"}]
    )
    assert "Responses" not in r
    r = dynamodb.execute_transaction(TransactStatements=[{"Statement": f"SELECT * FROM \"{table_s}\" WHERE pk = '{k}'"}])
    assert r["Responses"] == [{"Item": {"pk": S(k), "a": {"N": "1"}}}]


def test_missing_table_name_in_control_plane_via_boto3_param_validation_off(raw_client):
    """The same wording through boto3 (raw_client skips client-side
    validation)."""
    with expect_validation(message=REQUIRED):
        raw_client.describe_time_to_live()
