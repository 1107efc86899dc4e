"""Condition and update expressions: every function, comparator and update
action; nested paths; placeholder errors; reserved words; the 4 KB limit.

Messages: DynamoDB's, as quoted by Alternator's test suite, moto and dynalite
(regular expressions where only the gist is certain)."""

import pytest

from wire_util import expect_error, expect_validation, random_key

CCF = "ConditionalCheckFailedException"


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


ITEM = {
    "s": S("hello world"),
    "n": N(10),
    "b": {"B": b"\x01\x02\x03"},
    "t": {"BOOL": True},
    "z": {"NULL": True},
    "m": {"M": {"x": S("y"), "deep": {"M": {"k": N(7)}}, "lst": {"L": [S("a"), {"M": {"c": S("found")}}, N(3)]}}},
    "l": {"L": [S("a"), N(2), {"L": [S("q")]}, {"M": {"c": N(1)}}]},
    "ss": {"SS": ["apple", "banana"]},
    "ns": {"NS": ["1", "2", "3"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "emptystr": S(""),
    "a.b": S("dotted"),
}


@pytest.fixture(scope="module")
def citem(dynamodb, table_s):
    """An item with every type; conditions are checked by re-putting it
    unchanged under the condition."""
    key = {"pk": S(random_key())}
    item = {**key, **ITEM}
    dynamodb.put_item(TableName=table_s, Item=item)
    return item


def holds(client, table, item, cond, values=None, names=None):
    kw = {"ConditionExpression": cond}
    if values:
        kw["ExpressionAttributeValues"] = values
    if names:
        kw["ExpressionAttributeNames"] = names
    try:
        client.put_item(TableName=table, Item=item, **kw)
        return True
    except client.exceptions.ConditionalCheckFailedException as e:
        assert e.response["Error"]["Message"] == "The conditional request failed"
        return False


COND_CASES = [
    # comparators
    ("n = :v", {":v": N(10)}, None, True),
    ("n = :v", {":v": N("10.0")}, None, True),
    ("n = :v", {":v": S("10")}, None, False),  # different types are never equal
    ("n <> :v", {":v": N(11)}, None, True),
    ("n <> :v", {":v": S("10")}, None, True),
    ("n < :v", {":v": N(11)}, None, True),
    ("n < :v", {":v": N(10)}, None, False),
    ("n <= :v", {":v": N(10)}, None, True),
    ("n > :v", {":v": N(9.5)}, None, True),
    ("n >= :v", {":v": N(10)}, None, True),
    ("n > :v", {":v": N(10)}, None, False),
    ("s < :v", {":v": S("hello xorld")}, None, True),
    ("s > :v", {":v": S("hello")}, None, True),
    ("b < :v", {":v": {"B": b"\x01\x02\x04"}}, None, True),
    ("n < :v", {":v": S("zzz")}, None, False),  # type mismatch in ordering: false
    ("nope < :v", {":v": N(1)}, None, False),
    ("nope <> :v", {":v": N(1)}, None, True),
    ("t = :v", {":v": {"BOOL": True}}, None, True),
    ("z = :v", {":v": {"NULL": True}}, None, True),
    ("ss = :v", {":v": {"SS": ["banana", "apple"]}}, None, True),  # sets compare unordered
    ("l = :v", {":v": {"L": [S("a"), N(2), {"L": [S("q")]}, {"M": {"c": N(1)}}]}}, None, True),
    ("m.x = :v", {":v": S("y")}, None, True),
    ("s = :v", {":v": S("hello world")}, None, True),
    ("emptystr = :v", {":v": S("")}, None, True),
    # BETWEEN, IN
    ("n BETWEEN :a AND :b", {":a": N(1), ":b": N(10)}, None, True),
    ("n BETWEEN :a AND :b", {":a": N(11), ":b": N(20)}, None, False),
    ("s BETWEEN :a AND :b", {":a": S("a"), ":b": S("i")}, None, True),
    ("n IN (:a, :b, :c)", {":a": N(1), ":b": N(10), ":c": S("x")}, None, True),
    ("n IN (:a, :b)", {":a": N(1), ":b": N(2)}, None, False),
    # logic
    ("n = :a AND s = :b", {":a": N(10), ":b": S("hello world")}, None, True),
    ("n = :a AND s = :b", {":a": N(10), ":b": S("x")}, None, False),
    ("n = :a OR s = :b", {":a": N(1), ":b": S("hello world")}, None, True),
    ("NOT n = :a", {":a": N(1)}, None, True),
    ("NOT (n = :a)", {":a": N(10)}, None, False),
    # precedence: NOT > AND > OR
    ("n = :x OR n = :y AND n = :z", {":x": N(10), ":y": N(1), ":z": N(2)}, None, True),
    ("(n = :x OR n = :y) AND n = :z", {":x": N(10), ":y": N(1), ":z": N(2)}, None, False),
    ("NOT n = :y AND n = :x", {":x": N(10), ":y": N(1)}, None, True),
    # functions
    ("attribute_exists(s)", None, None, True),
    ("attribute_exists(nope)", None, None, False),
    ("attribute_not_exists(nope)", None, None, True),
    ("attribute_not_exists(s)", None, None, False),
    ("attribute_exists(m.deep.k)", None, None, True),
    ("attribute_exists(m.deep.nope)", None, None, False),
    ("attribute_exists(l[3].c)", None, None, True),
    ("attribute_exists(l[9])", None, None, False),
    ("attribute_exists(#d)", None, {"#d": "a.b"}, True),  # a name with a dot, via placeholder
    ("attribute_exists(a.b)", None, None, False),  # a path a -> b: does not exist
    ("attribute_type(s, :t)", {":t": S("S")}, None, True),
    ("attribute_type(n, :t)", {":t": S("N")}, None, True),
    ("attribute_type(b, :t)", {":t": S("B")}, None, True),
    ("attribute_type(t, :t)", {":t": S("BOOL")}, None, True),
    ("attribute_type(z, :t)", {":t": S("NULL")}, None, True),
    ("attribute_type(m, :t)", {":t": S("M")}, None, True),
    ("attribute_type(l, :t)", {":t": S("L")}, None, True),
    ("attribute_type(ss, :t)", {":t": S("SS")}, None, True),
    ("attribute_type(ns, :t)", {":t": S("NS")}, None, True),
    ("attribute_type(bs, :t)", {":t": S("BS")}, None, True),
    ("attribute_type(s, :t)", {":t": S("N")}, None, False),
    ("begins_with(s, :p)", {":p": S("hello")}, None, True),
    ("begins_with(s, :p)", {":p": S("world")}, None, False),
    ("begins_with(b, :p)", {":p": {"B": b"\x01\x02"}}, None, True),
    ("begins_with(n, :p)", {":p": S("1")}, None, False),
    ("contains(s, :p)", {":p": S("lo wo")}, None, True),
    ("contains(s, :p)", {":p": S("xyz")}, None, False),
    ("contains(ss, :p)", {":p": S("apple")}, None, True),
    ("contains(ss, :p)", {":p": S("app")}, None, False),
    ("contains(ns, :p)", {":p": N(2)}, None, True),
    ("contains(bs, :p)", {":p": {"B": b"\x02"}}, None, True),
    ("contains(l, :p)", {":p": N(2)}, None, True),
    ("contains(l, :p)", {":p": S("q")}, None, False),
    ("size(s) = :v", {":v": N(11)}, None, True),
    ("size(b) = :v", {":v": N(3)}, None, True),
    ("size(ss) = :v", {":v": N(2)}, None, True),
    ("size(ns) = :v", {":v": N(3)}, None, True),
    ("size(l) = :v", {":v": N(4)}, None, True),
    ("size(m) = :v", {":v": N(3)}, None, True),
    ("size(m.lst) > :v", {":v": N(2)}, None, True),
    ("size(emptystr) = :v", {":v": N(0)}, None, True),
    ("size(nope) = :v", {":v": N(0)}, None, False),
    ("size(s) BETWEEN :a AND :b", {":a": N(5), ":b": N(20)}, None, True),
    # nested paths
    ("m.lst[1].c = :v", {":v": S("found")}, None, True),
    ("m.deep.k = :v", {":v": N(7)}, None, True),
    ("#m.#d.#k = :v", {":v": N(7)}, {"#m": "m", "#d": "deep", "#k": "k"}, True),
    ("l[2][0] = :v", {":v": S("q")}, None, True),
    ("l[0] = :v", {":v": S("a")}, None, True),
]


@pytest.mark.parametrize("cond, values, names, expected", COND_CASES, ids=[c[0] for c in COND_CASES])
def test_condition(dynamodb, table_s, citem, cond, values, names, expected):
    assert holds(dynamodb, table_s, citem, cond, values, names) is expected


def test_condition_on_missing_item(dynamodb, table_s):
    item = {"pk": S(random_key())}
    assert holds(dynamodb, table_s, item, "attribute_exists(pk)") is False
    assert holds(dynamodb, table_s, item, "attribute_not_exists(pk)") is True


# ---------------------------------------------------------------- condition errors


def test_unused_value(dynamodb, table_s):
    with expect_validation(message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}"):
        dynamodb.put_item(
            TableName=table_s,
            Item={"pk": S(random_key())},
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeValues={":u": N(1)},
        )


def test_unused_name(dynamodb, table_s):
    with expect_validation(message="Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"):
        dynamodb.put_item(
            TableName=table_s,
            Item={"pk": S(random_key())},
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeNames={"#u": "x"},
        )


def test_undefined_value(dynamodb, table_s):
    with expect_validation(
        message="Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"
    ):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression="a = :v")


def test_undefined_name(dynamodb, table_s):
    with expect_validation(
        message="Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n"
    ):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression="attribute_exists(#n)")


def test_undefined_value_in_update(dynamodb, table_s):
    with expect_validation(
        message="Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"
    ):
        dynamodb.update_item(TableName=table_s, Key={"pk": S(random_key())}, UpdateExpression="SET a = :v")


def test_values_without_expression(dynamodb, table_s):
    with expect_validation(match=r"^ExpressionAttributeValues can only be specified when using expressions"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ExpressionAttributeValues={":v": N(1)})
    with expect_validation(match=r"^ExpressionAttributeNames can only be specified when using expressions"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ExpressionAttributeNames={"#n": "x"})


def test_empty_placeholder_maps(raw_client, table_s):
    with expect_validation(message="ExpressionAttributeValues must not be empty"):
        raw_client.put_item(
            TableName=table_s,
            Item={"pk": S(random_key())},
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeValues={},
        )
    with expect_validation(message="ExpressionAttributeNames must not be empty"):
        raw_client.put_item(
            TableName=table_s,
            Item={"pk": S(random_key())},
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeNames={},
        )


@pytest.mark.parametrize("word", ["name", "status", "size", "year", "data"])
def test_reserved_word(dynamodb, table_s, word):
    with expect_validation(
        message=f"Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: {word}"
    ):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression=f"attribute_exists({word})")


def test_reserved_word_via_placeholder_ok(dynamodb, table_s):
    k = random_key()
    dynamodb.put_item(
        TableName=table_s,
        Item={"pk": S(k), "name": S("x")},
        ConditionExpression="attribute_not_exists(#n)",
        ExpressionAttributeNames={"#n": "name"},
    )


def test_reserved_word_in_update(dynamodb, table_s):
    with expect_validation(message="Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"):
        dynamodb.update_item(
            TableName=table_s, Key={"pk": S(random_key())}, UpdateExpression="SET status = :v", ExpressionAttributeValues={":v": N(1)}
        )


@pytest.mark.parametrize("expr", ["a =", "a = = :v", "attribute_exists(", "a BETWEEN :v", ")", "a = :v AND"])
def test_syntax_error(dynamodb, table_s, expr):
    with expect_validation(match=r"^Invalid ConditionExpression: Syntax error; token: "):
        dynamodb.put_item(
            TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression=expr, ExpressionAttributeValues={":v": N(1)}
        )


def test_empty_condition_expression(raw_client, table_s):
    with expect_validation(match=r"^Invalid ConditionExpression: The expression can not be empty;"):
        raw_client.put_item(TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression="")


def test_unknown_function(dynamodb, table_s):
    with expect_validation(match=r"^Invalid ConditionExpression: Invalid function name; function: no_such_fn"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression="no_such_fn(a)")


def test_attribute_type_invalid_type(dynamodb, table_s):
    with expect_validation(match=r"^Invalid ConditionExpression: Invalid attribute type name found; type: XX"):
        dynamodb.put_item(
            TableName=table_s,
            Item={"pk": S(random_key())},
            ConditionExpression="attribute_type(a, :t)",
            ExpressionAttributeValues={":t": S("XX")},
        )


def test_condition_function_wrong_operand_count(dynamodb, table_s):
    with expect_validation(match=r"^Invalid ConditionExpression: Incorrect number of operands for operator or function"):
        dynamodb.put_item(
            TableName=table_s,
            Item={"pk": S(random_key())},
            ConditionExpression="begins_with(a)",
        )


def test_size_not_allowed_as_condition(dynamodb, table_s):
    # a bare function other than the boolean ones is not a condition
    with expect_validation(match=r"^Invalid ConditionExpression: "):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key())}, ConditionExpression="size(a)")


def test_in_operand_limit(dynamodb, table_s, citem):
    vals = {f":v{i}": N(i) for i in range(100)}
    assert holds(dynamodb, table_s, citem, "n IN (" + ", ".join(vals) + ")", vals) is True
    vals = {f":v{i}": N(i) for i in range(101)}
    with expect_validation(match=r"^Invalid ConditionExpression: .*(IN|operands)"):
        holds(dynamodb, table_s, citem, "n IN (" + ", ".join(vals) + ")", vals)


def _padded(expr, total):
    assert len(expr) <= total
    return expr + " " * (total - len(expr))


def test_expression_size_limit(dynamodb, table_s, citem):
    assert holds(dynamodb, table_s, citem, _padded("attribute_exists(s)", 4096)) is True
    with expect_validation(match=r"^Invalid ConditionExpression: Expression size has exceeded the maximum allowed size"):
        holds(dynamodb, table_s, citem, _padded("attribute_exists(s)", 4097))


def test_update_expression_size_limit(dynamodb, table_s):
    with expect_validation(match=r"^Invalid UpdateExpression: Expression size has exceeded the maximum allowed size"):
        dynamodb.update_item(
            TableName=table_s,
            Key={"pk": S(random_key())},
            UpdateExpression=_padded("SET a = :v", 4097),
            ExpressionAttributeValues={":v": N(1)},
        )


# ---------------------------------------------------------------- update actions


@pytest.fixture
def uitem(dynamodb, table_s):
    k = {"pk": S(random_key())}
    dynamodb.put_item(
        TableName=table_s,
        Item={
            **k,
            "n": N(5),
            "s": S("x"),
            "l": {"L": [N(0), N(1), N(2)]},
            "m": {"M": {"a": {"M": {"b": N(1)}}}},
            "ss": {"SS": ["a", "b", "c"]},
            "ns": {"NS": ["1", "2"]},
        },
    )
    return k


def upd(dynamodb, table_s, key, expr, values=None, names=None):
    kw = {"UpdateExpression": expr, "ReturnValues": "ALL_NEW"}
    if values:
        kw["ExpressionAttributeValues"] = values
    if names:
        kw["ExpressionAttributeNames"] = names
    return dynamodb.update_item(TableName=table_s, Key=key, **kw).get("Attributes", {})


def test_set_value_and_copy(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "SET a = :v, b = s", {":v": S("new")})
    assert r["a"] == S("new") and r["b"] == S("x")


def test_set_arithmetic(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "SET n = n + :d, p = :a - :b", {":d": N(2.5), ":a": N(1), ":b": N(3)})
    assert r["n"] == N(7.5)
    assert r["p"] == N(-2)


def test_set_arithmetic_missing_attribute(dynamodb, table_s, uitem):
    with expect_validation(
        message="The provided expression refers to an attribute that does not exist in the item"
    ):
        upd(dynamodb, table_s, uitem, "SET n = nope + :d", {":d": N(1)})


def test_set_arithmetic_wrong_type(dynamodb, table_s, uitem):
    with expect_validation(
        match=r"^(An operand in the update expression has an incorrect data type|Invalid UpdateExpression: Incorrect operand type for operator or function)"
    ):
        upd(dynamodb, table_s, uitem, "SET n = s + :d", {":d": N(1)})


def test_if_not_exists(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "SET n = if_not_exists(n, :z), c = if_not_exists(c, :z)", {":z": N(0)})
    assert r["n"] == N(5) and r["c"] == N(0)
    r = upd(dynamodb, table_s, uitem, "SET cnt = if_not_exists(cnt, :z) + :one", {":z": N(0), ":one": N(1)})
    assert r["cnt"] == N(1)
    r = upd(dynamodb, table_s, uitem, "SET cnt = if_not_exists(cnt, :z) + :one", {":z": N(0), ":one": N(1)})
    assert r["cnt"] == N(2)


def test_list_append(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "SET l = list_append(l, :t)", {":t": {"L": [N(3)]}})
    assert r["l"] == {"L": [N(0), N(1), N(2), N(3)]}
    r = upd(dynamodb, table_s, uitem, "SET l = list_append(:h, l)", {":h": {"L": [S("h")]}})
    assert r["l"] == {"L": [S("h"), N(0), N(1), N(2), N(3)]}
    r = upd(dynamodb, table_s, uitem, "SET nl = list_append(if_not_exists(nl, :e), :t)", {":e": {"L": []}, ":t": {"L": [N(9)]}})
    assert r["nl"] == {"L": [N(9)]}


def test_list_append_non_list(dynamodb, table_s, uitem):
    with expect_validation(match=r"^(An operand in the update expression has an incorrect data type|Invalid UpdateExpression: Incorrect operand type for operator or function)"):
        upd(dynamodb, table_s, uitem, "SET l = list_append(s, :t)", {":t": {"L": [N(3)]}})


def test_set_list_index(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "SET l[1] = :v", {":v": S("one")})
    assert r["l"] == {"L": [N(0), S("one"), N(2)]}
    # an index past the end appends
    r = upd(dynamodb, table_s, uitem, "SET l[10] = :v", {":v": S("end")})
    assert r["l"] == {"L": [N(0), S("one"), N(2), S("end")]}


def test_set_nested_map(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "SET m.a.c = :v, m.#x = :w", {":v": N(2), ":w": S("w")}, {"#x": "new key"})
    assert r["m"] == {"M": {"a": {"M": {"b": N(1), "c": N(2)}}, "new key": S("w")}}


def test_set_nested_missing_parent(dynamodb, table_s, uitem):
    with expect_validation(message="The document path provided in the update expression is invalid for update"):
        upd(dynamodb, table_s, uitem, "SET nope.x = :v", {":v": N(1)})
    with expect_validation(message="The document path provided in the update expression is invalid for update"):
        upd(dynamodb, table_s, uitem, "SET s[0] = :v", {":v": N(1)})


def test_remove(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "REMOVE s, l[0], m.a.b, notthere")
    assert "s" not in r
    assert r["l"] == {"L": [N(1), N(2)]}
    assert r["m"] == {"M": {"a": {"M": {}}}}


def test_remove_several_list_elements(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "REMOVE l[0], l[2], l[7]")
    assert r["l"] == {"L": [N(1)]}


def test_add_number(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "ADD n :d, fresh :d", {":d": N(-2)})
    assert r["n"] == N(3)
    assert r["fresh"] == N(-2)


def test_add_and_delete_set(dynamodb, table_s, uitem):
    r = upd(dynamodb, table_s, uitem, "ADD ss :s, ns :n, newset :s", {":s": {"SS": ["c", "d"]}, ":n": {"NS": ["3"]}})
    assert sorted(r["ss"]["SS"]) == ["a", "b", "c", "d"]
    assert sorted(r["ns"]["NS"]) == ["1", "2", "3"]
    assert sorted(r["newset"]["SS"]) == ["c", "d"]
    r = upd(dynamodb, table_s, uitem, "DELETE ss :s", {":s": {"SS": ["a", "z"]}})
    assert sorted(r["ss"]["SS"]) == ["b", "c", "d"]
    # deleting every element removes the attribute
    r = upd(dynamodb, table_s, uitem, "DELETE newset :s", {":s": {"SS": ["c", "d"]}})
    assert "newset" not in r


def test_add_wrong_types(dynamodb, table_s, uitem):
    # DynamoDB appends ", typeSet: ALLOWED_FOR_ADD_OPERAND"
    with expect_validation(
        match=r"^Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"
    ):
        upd(dynamodb, table_s, uitem, "ADD n :v", {":v": S("x")})
    with expect_validation(
        message="An operand in the update expression has an incorrect data type"
    ):
        upd(dynamodb, table_s, uitem, "ADD s :v", {":v": N(1)})
    with expect_validation(
        message="An operand in the update expression has an incorrect data type"
    ):
        upd(dynamodb, table_s, uitem, "ADD ss :v", {":v": {"NS": ["1"]}})


def test_delete_wrong_types(dynamodb, table_s, uitem):
    with expect_validation(match=r"^Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE"):
        upd(dynamodb, table_s, uitem, "DELETE ss :v", {":v": N(1)})


def test_all_clauses_together(dynamodb, table_s, uitem):
    r = upd(
        dynamodb,
        table_s,
        uitem,
        "SET s = :s REMOVE l ADD n :one DELETE ss :d",
        {":s": S("y"), ":one": N(1), ":d": {"SS": ["a"]}},
    )
    assert r["s"] == S("y") and "l" not in r and r["n"] == N(6) and sorted(r["ss"]["SS"]) == ["b", "c"]


def test_clause_twice(dynamodb, table_s, uitem):
    with expect_validation(match=r'^Invalid UpdateExpression: The "SET" section can only be used once in an update expression'):
        upd(dynamodb, table_s, uitem, "SET a = :v SET b = :v", {":v": N(1)})


def test_overlapping_paths(dynamodb, table_s, uitem):
    with expect_validation(
        message="Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of "
        "these paths; path one: [a], path two: [a]"
    ):
        upd(dynamodb, table_s, uitem, "SET a = :v REMOVE a", {":v": N(1)})
    with expect_validation(match=r"^Invalid UpdateExpression: Two document paths overlap with each other"):
        upd(dynamodb, table_s, uitem, "SET m.a = :v, m.a.b = :v", {":v": N(1)})


def test_update_syntax_error(dynamodb, table_s, uitem):
    with expect_validation(match=r"^Invalid UpdateExpression: Syntax error; token: "):
        upd(dynamodb, table_s, uitem, "SET = :v", {":v": N(1)})
    with expect_validation(match=r"^Invalid UpdateExpression: Syntax error; token: "):
        upd(dynamodb, table_s, uitem, "UPSERT a = :v", {":v": N(1)})


def test_update_unused_value(dynamodb, table_s, uitem):
    with expect_validation(message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"):
        upd(dynamodb, table_s, uitem, "SET a = :v", {":v": N(1), ":w": N(2)})


def test_update_with_condition_and_return(dynamodb, table_s, uitem):
    r = dynamodb.update_item(
        TableName=table_s,
        Key=uitem,
        UpdateExpression="SET n = n - :d",
        ConditionExpression="n >= :d",
        ExpressionAttributeValues={":d": N(5)},
        ReturnValues="UPDATED_NEW",
    )
    assert r["Attributes"] == {"n": N(0)}
    with expect_error(CCF, message="The conditional request failed"):
        dynamodb.update_item(
            TableName=table_s,
            Key=uitem,
            UpdateExpression="SET n = n - :d",
            ConditionExpression="n >= :d",
            ExpressionAttributeValues={":d": N(5)},
        )


def test_projection_expression_paths(dynamodb, table_s, uitem):
    r = dynamodb.get_item(
        TableName=table_s, Key=uitem, ProjectionExpression="l[1], m.a.b, #s", ExpressionAttributeNames={"#s": "s"}, ConsistentRead=True
    )["Item"]
    assert r == {"l": {"L": [N(1)]}, "m": {"M": {"a": {"M": {"b": N(1)}}}}, "s": S("x")}


def test_projection_reserved_word_and_overlap(dynamodb, table_s, uitem):
    with expect_validation(message="Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"):
        dynamodb.get_item(TableName=table_s, Key=uitem, ProjectionExpression="name")
    with expect_validation(match=r"^Invalid ProjectionExpression: Two document paths overlap with each other"):
        dynamodb.get_item(TableName=table_s, Key=uitem, ProjectionExpression="m, m.a")
