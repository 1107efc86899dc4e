"""The legacy (pre-expression) parameters: Expected, AttributeUpdates,
AttributesToGet, KeyConditions, QueryFilter, ScanFilter, ConditionalOperator.
Messages from dynalite's validations (written against DynamoDB) and
Alternator's test_expected.py / test_key_conditions.py."""

import pytest

from wire_util import expect_error, expect_validation, full_scan, random_key

CCF = "ConditionalCheckFailedException"


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


@pytest.fixture
def item(dynamodb, table_s):
    it = {"pk": S(random_key()), "a": N(5), "s": S("hello"), "ss": {"SS": ["x", "y"]}, "l": {"L": [S("e")]}}
    dynamodb.put_item(TableName=table_s, Item=it)
    return it


def put_if(dynamodb, table, it, expected, op=None):
    kw = {"Expected": expected}
    if op:
        kw["ConditionalOperator"] = op
    try:
        dynamodb.put_item(TableName=table, Item=it, **kw)
        return True
    except dynamodb.exceptions.ConditionalCheckFailedException as e:
        assert e.response["Error"]["Message"] == "The conditional request failed"
        return False


EXPECTED_CASES = [
    ({"a": {"Value": N(5)}}, True),
    ({"a": {"Value": N(6)}}, False),
    ({"a": {"Value": N(5), "Exists": True}}, True),
    ({"zz": {"Exists": False}}, True),
    ({"a": {"Exists": False}}, False),
    ({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [N(5)]}}, True),
    ({"a": {"ComparisonOperator": "NE", "AttributeValueList": [N(5)]}}, False),
    ({"zz": {"ComparisonOperator": "NE", "AttributeValueList": [N(5)]}}, True),
    ({"a": {"ComparisonOperator": "LT", "AttributeValueList": [N(6)]}}, True),
    ({"a": {"ComparisonOperator": "LE", "AttributeValueList": [N(5)]}}, True),
    ({"a": {"ComparisonOperator": "GT", "AttributeValueList": [N(5)]}}, False),
    ({"a": {"ComparisonOperator": "GE", "AttributeValueList": [N(5)]}}, True),
    ({"a": {"ComparisonOperator": "NOT_NULL"}}, True),
    ({"zz": {"ComparisonOperator": "NULL"}}, True),
    ({"a": {"ComparisonOperator": "NULL"}}, False),
    ({"s": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [S("ell")]}}, True),
    ({"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [S("x")]}}, True),
    ({"l": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [S("e")]}}, True),
    ({"s": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [S("zzz")]}}, True),
    ({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("he")]}}, True),
    ({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("lo")]}}, False),
    ({"a": {"ComparisonOperator": "IN", "AttributeValueList": [N(1), N(5)]}}, True),
    ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N(1), N(5)]}}, True),
    ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N(6), N(9)]}}, False),
    ({"a": {"Value": N(5)}, "s": {"Value": S("hello")}}, True),
    ({"a": {"Value": N(5)}, "s": {"Value": S("nope")}}, False),
]


@pytest.mark.parametrize("expected, result", EXPECTED_CASES, ids=[str(i) for i in range(len(EXPECTED_CASES))])
def test_expected(dynamodb, table_s, item, expected, result):
    assert put_if(dynamodb, table_s, item, expected) is result


def test_expected_or(dynamodb, table_s, item):
    assert put_if(dynamodb, table_s, item, {"a": {"Value": N(5)}, "s": {"Value": S("nope")}}, "OR") is True
    assert put_if(dynamodb, table_s, item, {"a": {"Value": N(9)}, "s": {"Value": S("nope")}}, "OR") is False
    assert put_if(dynamodb, table_s, item, {"a": {"Value": N(5)}, "s": {"Value": S("nope")}}, "AND") is False


def test_expected_on_update_and_delete(dynamodb, table_s, item):
    k = {"pk": item["pk"]}
    with expect_error(CCF, message="The conditional request failed"):
        dynamodb.update_item(
            TableName=table_s, Key=k, AttributeUpdates={"b": {"Value": N(1), "Action": "PUT"}}, Expected={"a": {"Value": N(0)}}
        )
    with expect_error(CCF, message="The conditional request failed"):
        dynamodb.delete_item(TableName=table_s, Key=k, Expected={"a": {"Exists": False}})
    dynamodb.delete_item(TableName=table_s, Key=k, Expected={"a": {"Value": N(5)}})
    assert "Item" not in dynamodb.get_item(TableName=table_s, Key=k, ConsistentRead=True)


def test_expected_errors(dynamodb, raw_client, table_s, item):
    with expect_validation(
        message="One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a"
    ):
        dynamodb.put_item(TableName=table_s, Item=item, Expected={"a": {"Value": N(5), "Exists": False}})
    with expect_validation(
        message="One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a"
    ):
        dynamodb.put_item(TableName=table_s, Item=item, Expected={"a": {"Exists": True}})
    with expect_validation(
        message="One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator"
    ):
        dynamodb.put_item(
            TableName=table_s, Item=item, Expected={"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N(1)]}}
        )
    with expect_validation(
        message="One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator"
    ):
        dynamodb.put_item(
            TableName=table_s, Item=item, Expected={"a": {"ComparisonOperator": "NULL", "AttributeValueList": [N(1)]}}
        )


def test_mixing_expected_and_condition_expression(dynamodb, table_s, item):
    with expect_validation(
        message="Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
    ):
        dynamodb.put_item(
            TableName=table_s, Item=item, Expected={"a": {"Value": N(5)}}, ConditionExpression="attribute_exists(a)"
        )


def test_conditional_operator_with_expression(dynamodb, table_s, item):
    with expect_validation(
        message="Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}"
    ):
        dynamodb.put_item(TableName=table_s, Item=item, ConditionalOperator="OR", ConditionExpression="attribute_exists(a)")


def test_attribute_updates(dynamodb, table_s, item):
    k = {"pk": item["pk"]}
    r = dynamodb.update_item(
        TableName=table_s,
        Key=k,
        AttributeUpdates={
            "a": {"Value": N(3), "Action": "ADD"},
            "s": {"Action": "DELETE"},
            "ss": {"Value": {"SS": ["x"]}, "Action": "DELETE"},
            "new": {"Value": S("v")},  # Action defaults to PUT
            "cnt": {"Value": N(1), "Action": "ADD"},
            "tags": {"Value": {"SS": ["t"]}, "Action": "ADD"},
        },
        ReturnValues="ALL_NEW",
    )
    got = r["Attributes"]
    assert got["a"] == N(8)
    assert "s" not in got
    assert got["ss"] == {"SS": ["y"]}
    assert got["new"] == S("v")
    assert got["cnt"] == N(1)
    assert got["tags"] == {"SS": ["t"]}


def test_attribute_updates_errors(dynamodb, table_s, item):
    k = {"pk": item["pk"]}
    with expect_validation(
        message="One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"
    ):
        dynamodb.update_item(TableName=table_s, Key=k, AttributeUpdates={"pk": {"Value": S("z"), "Action": "PUT"}})
    with expect_validation(
        message="Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"
    ):
        dynamodb.update_item(
            TableName=table_s,
            Key=k,
            AttributeUpdates={"b": {"Value": S("z")}},
            UpdateExpression="SET c = :v",
            ExpressionAttributeValues={":v": N(1)},
        )


def test_attributes_to_get(dynamodb, table_s, item):
    r = dynamodb.get_item(TableName=table_s, Key={"pk": item["pk"]}, AttributesToGet=["a", "s", "nothere"], ConsistentRead=True)
    assert r["Item"] == {"a": N(5), "s": S("hello")}
    with expect_validation(
        message="Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"
    ):
        dynamodb.get_item(TableName=table_s, Key={"pk": item["pk"]}, AttributesToGet=["a"], ProjectionExpression="s")


def test_attributes_to_get_duplicates(dynamodb, table_s, item):
    with expect_validation(match=r"^One or more parameter values were invalid: Duplicate value in attribute name: a"):
        dynamodb.get_item(TableName=table_s, Key={"pk": item["pk"]}, AttributesToGet=["a", "a"])


@pytest.fixture(scope="module")
def qitems(dynamodb, table_sn):
    p = random_key()
    for i in range(10):
        it = {"pk": S(p), "sk": N(i), "v": N(i * 2)}
        if i % 3 == 0:
            it["tag"] = S("three")
        dynamodb.put_item(TableName=table_sn, Item=it)
    return p


def legacy_query(dynamodb, table, p, range_cond=None, **kw):
    kc = {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S(p)]}}
    if range_cond:
        kc["sk"] = range_cond
    r = dynamodb.query(TableName=table, KeyConditions=kc, ConsistentRead=True, **kw)
    return r


@pytest.mark.parametrize(
    "op, vals, expected",
    [
        (None, None, list(range(10))),
        ("EQ", [4], [4]),
        ("LT", [3], [0, 1, 2]),
        ("LE", [3], [0, 1, 2, 3]),
        ("GT", [7], [8, 9]),
        ("GE", [7], [7, 8, 9]),
        ("BETWEEN", [2, 4], [2, 3, 4]),
    ],
)
def test_key_conditions(dynamodb, table_sn, qitems, op, vals, expected):
    cond = None if op is None else {"ComparisonOperator": op, "AttributeValueList": [N(v) for v in vals]}
    r = legacy_query(dynamodb, table_sn, qitems, cond)
    assert [int(i["sk"]["N"]) for i in r["Items"]] == expected


def test_key_conditions_begins_with(dynamodb, table_ss):
    p = random_key()
    for sk in ["2023-01", "2023-02", "2024-01"]:
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S(sk)})
    r = legacy_query(dynamodb, table_ss, p, {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("2023")]})
    assert [i["sk"]["S"] for i in r["Items"]] == ["2023-01", "2023-02"]


def test_key_conditions_errors(dynamodb, table_sn):
    with expect_validation(match=r"^(Query condition missed key schema element: pk|One or more parameter values were invalid)"):
        dynamodb.query(TableName=table_sn, KeyConditions={"sk": {"ComparisonOperator": "EQ", "AttributeValueList": [N(1)]}})
    with expect_validation(match=r"^(Attempted conditional constraint is not an indexable operation|Query key condition not supported)"):
        dynamodb.query(
            TableName=table_sn,
            KeyConditions={
                "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x")]},
                "sk": {"ComparisonOperator": "NE", "AttributeValueList": [N(1)]},
            },
        )
    with expect_validation(
        message="Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}"
    ):
        dynamodb.query(
            TableName=table_sn,
            KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x")]}},
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": S("x")},
        )


def test_query_filter(dynamodb, table_sn, qitems):
    r = legacy_query(
        dynamodb,
        table_sn,
        qitems,
        QueryFilter={"tag": {"ComparisonOperator": "EQ", "AttributeValueList": [S("three")]}},
    )
    assert [int(i["sk"]["N"]) for i in r["Items"]] == [0, 3, 6, 9]
    assert r["ScannedCount"] == 10
    r = legacy_query(
        dynamodb,
        table_sn,
        qitems,
        QueryFilter={
            "tag": {"ComparisonOperator": "NOT_NULL"},
            "v": {"ComparisonOperator": "LT", "AttributeValueList": [N(4)]},
        },
        ConditionalOperator="OR",
    )
    assert [int(i["sk"]["N"]) for i in r["Items"]] == [0, 1, 3, 6, 9]


def test_query_filter_on_key_rejected(dynamodb, table_sn, qitems):
    with expect_validation(match=r"^QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"):
        legacy_query(dynamodb, table_sn, qitems, QueryFilter={"sk": {"ComparisonOperator": "GT", "AttributeValueList": [N(1)]}})


def test_query_attributes_to_get(dynamodb, table_sn, qitems):
    r = legacy_query(dynamodb, table_sn, qitems, {"ComparisonOperator": "EQ", "AttributeValueList": [N(3)]}, AttributesToGet=["v"])
    assert r["Items"] == [{"v": N(6)}]


def test_scan_filter(dynamodb, table_factory):
    name = table_factory()
    for i in range(8):
        dynamodb.put_item(TableName=name, Item={"pk": S(f"k{i}"), "n": N(i), "c": S("even" if i % 2 == 0 else "odd")})
    items = full_scan(
        dynamodb,
        TableName=name,
        ScanFilter={
            "n": {"ComparisonOperator": "GE", "AttributeValueList": [N(4)]},
            "c": {"ComparisonOperator": "EQ", "AttributeValueList": [S("even")]},
        },
        AttributesToGet=["n"],
    )
    assert sorted(int(i["n"]["N"]) for i in items) == [4, 6]
    assert all(set(i) == {"n"} for i in items)
    items = full_scan(
        dynamodb,
        TableName=name,
        ScanFilter={
            "n": {"ComparisonOperator": "IN", "AttributeValueList": [N(1), N(2)]},
            "pk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("k7")]},
        },
        ConditionalOperator="OR",
    )
    assert sorted(int(i["n"]["N"]) for i in items) == [1, 2, 7]
    with expect_validation(
        message="Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}"
    ):
        dynamodb.scan(
            TableName=name,
            ScanFilter={"n": {"ComparisonOperator": "NOT_NULL"}},
            FilterExpression="attribute_exists(n)",
        )
