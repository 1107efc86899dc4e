"""Hostile expressions (issue 10): deep nesting and long operator chains that fit
in the 4 KB expression limit must be answered with a ValidationException, and
the server must go on answering afterwards.

DynamoDB's behaviour pinned here, from its documentation ("The maximum number of
operators or functions allowed in a single expression is 300", Developer Guide,
Constraints, Expression parameters) and from ScyllaDB Alternator's
test_limits.py, whose test_deeply_nested_expression_* cases were run against
DynamoDB:

- a run of '(' that is never closed is a syntax error;
- "(((...(a<b)...)))", 2,046 deep, has "redundant parentheses";
- the 301st operator (comparators, AND, OR, NOT, BETWEEN, IN, '+', '-' and
  function calls; not parentheses) is rejected with "The expression contains
  too many operators; operator count: 301" (not not ... not a<b with 1,000
  NOTs; a<b or (a<b or (...)) with 150 levels);
- 299 operators nested 149 levels deep are accepted.

Where DynamoDB's exact answer is not known, or ours differs (we stop function
calls and parenthesised SET values nested deeper than 512 levels with a syntax
error, where DynamoDB would go on and report e.g. an unknown function), only
"ValidationException, Invalid <parameter>: ..." is asserted.
"""

import pytest

from wire_util import N, S, expect_validation, random_key

TOO_MANY = "The expression contains too many operators; operator count: 301"


def rep(s, n):
    return s * n


def sums(n, prefix="x"):
    """SET actions holding n '+' operators: x0=:v+:v,x1=:v+:v,..."""
    return ",".join(f"{prefix}{i}=:v+:v" for i in range(n))


# (id, condition expression, its values, exact message after "Invalid <which>: "
# or None where only the ValidationException is pinned)
CONDITION_SHAPES = [
    ("parens-2500", rep("(", 2500), None, 'Syntax error; token: "<EOF>", near: "("'),
    ("parens-4000", rep("(", 4000), None, 'Syntax error; token: "<EOF>", near: "("'),
    ("parens-4096", rep("(", 4096), None, 'Syntax error; token: "<EOF>", near: "("'),
    (
        "parenthesised-comparison-2046",
        rep("(", 2046) + "a<:v" + rep(")", 2046),
        {":v": N(1)},
        "The expression has redundant parentheses;",
    ),
    ("not-chain-1000", rep("not ", 1000) + "a < :v", {":v": N(1)}, TOO_MANY),
    ("or-chain-150", "a<:v" + rep(" or (a<:v", 150) + rep(")", 150), {":v": N(1)}, TOO_MANY),
    ("nested-size-680", "a < " + rep("size(", 680) + "b" + rep(")", 680), None, TOO_MANY),
    (
        "nested-attribute-exists",
        rep("NOT ", 100) + rep("attribute_exists(", 201) + "a" + rep(")", 201),
        None,
        TOO_MANY,
    ),
    (
        "nested-attribute-exists-227",
        rep("attribute_exists(", 227) + "a" + rep(")", 227),
        None,
        "The function is not allowed to be used this way in an expression; function: attribute_exists",
    ),
    # DynamoDB: "Invalid function name; function: f" (deeper than our 512 levels).
    ("nested-unknown-function-1355", "a < " + rep("f(", 1355) + "b" + rep(")", 1355), None, None),
    (
        "nested-unknown-function-300",
        "a < " + rep("f(", 300) + "b" + rep(")", 300),
        None,
        "Invalid function name; function: f",
    ),
]


def _kw(expr_key, text, values):
    kw = {expr_key: text}
    if values:
        kw["ExpressionAttributeValues"] = dict(values)
    return kw


def _assert_alive(dynamodb, table):
    """The server still answers (the old parser overflowed the stack and killed
    the process)."""
    assert dynamodb.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"
    assert table in dynamodb.list_tables()["TableNames"]


def _expect(which, message):
    if message is None:
        return expect_validation(match=rf"^Invalid {which}: ")
    return expect_validation(message=f"Invalid {which}: {message}")


# ------------------------------------------------------------ condition expressions


@pytest.mark.parametrize("op", ["PutItem", "UpdateItem", "DeleteItem"])
@pytest.mark.parametrize("name,text,values,message", CONDITION_SHAPES, ids=[c[0] for c in CONDITION_SHAPES])
def test_condition_expression(dynamodb, table_s, op, name, text, values, message):
    """ConditionExpression of PutItem / UpdateItem / DeleteItem: DynamoDB's
    ValidationException for each hostile shape, and the server lives on."""
    assert len(text) <= 4096
    key = {"pk": S(random_key())}
    kw = _kw("ConditionExpression", text, values)
    with _expect("ConditionExpression", message):
        if op == "PutItem":
            dynamodb.put_item(TableName=table_s, Item=key, **kw)
        elif op == "UpdateItem":
            kw.setdefault("ExpressionAttributeValues", {})[":z"] = N(1)
            dynamodb.update_item(TableName=table_s, Key=key, UpdateExpression="SET z = :z", **kw)
        else:
            dynamodb.delete_item(TableName=table_s, Key=key, **kw)
    _assert_alive(dynamodb, table_s)


def test_condition_issue_10_reproducer(dynamodb, table_s):
    """Issue 10: UpdateItem with ConditionExpression = 2,500 '(' killed the
    process. DynamoDB: a syntax error at the end of the input."""
    with expect_validation(message='Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'):
        dynamodb.update_item(
            TableName=table_s,
            Key={"pk": S(random_key())},
            UpdateExpression="SET z = :z",
            ConditionExpression="(" * 2500,
            ExpressionAttributeValues={":z": N(1)},
        )
    _assert_alive(dynamodb, table_s)


# ------------------------------------------------------------ filter expressions


@pytest.mark.parametrize("op", ["Scan", "Query"])
@pytest.mark.parametrize("name,text,values,message", CONDITION_SHAPES, ids=[c[0] for c in CONDITION_SHAPES])
def test_filter_expression(dynamodb, table_s, op, name, text, values, message):
    """FilterExpression of Scan and Query: the same answers as for conditions,
    naming FilterExpression."""
    kw = _kw("FilterExpression", text, values)
    with _expect("FilterExpression", message):
        if op == "Scan":
            dynamodb.scan(TableName=table_s, **kw)
        else:
            kw.setdefault("ExpressionAttributeValues", {})[":p"] = S("x")
            dynamodb.query(TableName=table_s, KeyConditionExpression="pk = :p", **kw)
    _assert_alive(dynamodb, table_s)


# ------------------------------------------------------------ key conditions

KEY_SHAPES = [
    ("parens-4000", rep("(", 4000), None, 'Syntax error; token: "<EOF>", near: "("'),
    (
        "parenthesised-key-1500",
        rep("(", 1500) + "pk = :p" + rep(")", 1500),
        {":p": S("x")},
        "The expression has redundant parentheses;",
    ),
    ("not-chain-1000", rep("NOT ", 1000) + "pk = :p", {":p": S("x")}, TOO_MANY),
    ("nested-size-400", "pk = " + rep("size(", 400) + "a" + rep(")", 400), None, TOO_MANY),
    ("nested-unknown-function-1355", "pk = " + rep("f(", 1355) + "a" + rep(")", 1355), None, None),
]


@pytest.mark.parametrize("name,text,values,message", KEY_SHAPES, ids=[c[0] for c in KEY_SHAPES])
def test_key_condition_expression(dynamodb, table_ss, name, text, values, message):
    """Query KeyConditionExpression: a ValidationException naming
    KeyConditionExpression, and the server lives on."""
    with _expect("KeyConditionExpression", message):
        dynamodb.query(TableName=table_ss, **_kw("KeyConditionExpression", text, values))
    _assert_alive(dynamodb, table_ss)


# ------------------------------------------------------------ projection expressions

PROJECTION_SHAPES = [
    ("parens-4000", rep("(", 4000), 'Syntax error; token: "(", near: "(("'),
    ("dotted-path-2001", "a" + rep(".b", 2000), "The document path has too many nesting levels; nesting levels: 2001"),
    ("indexed-path-1301", "a" + rep("[0]", 1300), "The document path has too many nesting levels; nesting levels: 1301"),
    ("nested-size", "size(" + rep("size(", 600) + "a" + rep(")", 601), 'Syntax error; token: "(", near: "size(size"'),
]


@pytest.mark.parametrize("op", ["GetItem", "Query", "Scan"])
@pytest.mark.parametrize("name,text,message", PROJECTION_SHAPES, ids=[c[0] for c in PROJECTION_SHAPES])
def test_projection_expression(dynamodb, table_s, op, name, text, message):
    """ProjectionExpression holds only document paths: parentheses and calls
    are syntax errors, and paths deeper than 32 levels are refused."""
    with _expect("ProjectionExpression", message):
        if op == "GetItem":
            dynamodb.get_item(TableName=table_s, Key={"pk": S(random_key())}, ProjectionExpression=text)
        elif op == "Query":
            dynamodb.query(
                TableName=table_s,
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": S("x")},
                ProjectionExpression=text,
            )
        else:
            dynamodb.scan(TableName=table_s, ProjectionExpression=text)
    _assert_alive(dynamodb, table_s)


# ------------------------------------------------------------ update expressions

UPDATE_SHAPES = [
    # DynamoDB's answer for these is not known; ours is a syntax error at the
    # '(' that would open level 513.
    ("parenthesised-value-2000", "SET a = " + rep("(", 2000) + ":v" + rep(")", 2000), None),
    ("parens-4000", "SET a = " + rep("(", 4000), None),
    ("nested-size-400", "SET a = " + rep("size(", 400) + "b" + rep(")", 400), TOO_MANY),
    ("plus-301", "SET " + sums(301), TOO_MANY),
    (
        "functions-and-plus-301",
        "SET a = " + rep("if_not_exists(b, ", 100) + ":v" + rep(")", 100) + ", " + sums(201),
        TOO_MANY,
    ),
]


@pytest.mark.parametrize("name,text,message", UPDATE_SHAPES, ids=[c[0] for c in UPDATE_SHAPES])
def test_update_expression(dynamodb, table_s, name, text, message):
    """UpdateExpression: "SET a = :val1 + :val2 + :val3 contains two '+'
    operators", 300 at most (the '=' of SET does not count); deep nesting is a
    ValidationException, and the server lives on."""
    assert len(text) <= 4096
    with _expect("UpdateExpression", message):
        dynamodb.update_item(
            TableName=table_s,
            Key={"pk": S(random_key())},
            UpdateExpression=text,
            ExpressionAttributeValues={":v": N(1)},
        )
    _assert_alive(dynamodb, table_s)


# ------------------------------------------------------------ valid nesting still works


def test_valid_nested_condition(dynamodb, table_s):
    """299 operators nested 149 levels deep are accepted (DynamoDB: the limit
    counts operators, not parentheses); so is NOT (NOT (...)) 298 deep."""
    key = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "a": N(1), "b": N(2)})
    chain = "a<b" + rep(" or (a<b", 149) + rep(")", 149)
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET z = :z",
        ConditionExpression=chain,
        ExpressionAttributeValues={":z": N(1)},
    )
    nots = rep("NOT (", 298) + "a = :one" + rep(")", 298)
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET z = :two",
        ConditionExpression=nots,
        ExpressionAttributeValues={":one": N(1), ":two": N(2)},
    )
    item = dynamodb.get_item(TableName=table_s, Key=key, ConsistentRead=True)["Item"]
    assert item["z"] == N(2)
    shorter = "a<b" + rep(" or (a<b", 140) + rep(")", 140)  # 281 operators, + 2 here
    got = dynamodb.scan(
        TableName=table_s,
        FilterExpression="pk = :pk AND (" + shorter + ")",
        ExpressionAttributeValues={":pk": key["pk"]},
        ConsistentRead=True,
    )["Items"]
    assert [i["pk"] for i in got] == [key["pk"]]


def test_valid_nested_update(dynamodb, table_s):
    """Nested SET functions within the operator limit: if_not_exists 200 deep,
    list_append 250 deep, and 300 '+'."""
    key = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "l": {"L": [N(1)]}})
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET a = " + rep("if_not_exists(b, ", 200) + ":v" + rep(")", 200),
        ExpressionAttributeValues={":v": N(5)},
    )
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET m = " + rep("list_append(", 250) + "l" + rep(", l)", 250),
    )
    dynamodb.update_item(
        TableName=table_s, Key=key, UpdateExpression="SET " + sums(300), ExpressionAttributeValues={":v": N(1)}
    )
    item = dynamodb.get_item(TableName=table_s, Key=key, ConsistentRead=True)["Item"]
    assert item["a"] == N(5)
    assert len(item["m"]["L"]) == 251
    assert item["x299"] == N(2)
