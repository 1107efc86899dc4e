"""The ten attribute types, numbers, sets and empty values.

Number messages: dynalite's validations/index.js and Alternator's test_number.py
(both checked against DynamoDB). Output normalization ("1.50" -> "1.5", no
exponent form) as dynalite reproduces it (Big.js toFixed()).
"""

from decimal import Decimal

import pytest

from wire_util import expect_validation, random_key


def S(v):
    return {"S": v}


def roundtrip(client, table, attrs):
    k = {"pk": S(random_key())}
    client.put_item(TableName=table, Item={**k, **attrs})
    return client.get_item(TableName=table, Key=k, ConsistentRead=True)["Item"]


def test_all_ten_types_roundtrip(dynamodb, table_s):
    attrs = {
        "s": {"S": "héllo ✓ end"},
        "n": {"N": "-12.5"},
        "b": {"B": b"\x00\x01\xfe\xff"},
        "bool_t": {"BOOL": True},
        "bool_f": {"BOOL": False},
        "null": {"NULL": True},
        "m": {"M": {"x": {"S": "y"}, "inner": {"M": {"z": {"N": "1"}}}, "e": {"M": {}}}},
        "l": {"L": [{"S": "a"}, {"N": "2"}, {"L": []}, {"NULL": True}, {"BOOL": False}]},
        "ss": {"SS": ["b", "a", "c"]},
        "ns": {"NS": ["3", "1", "2.5"]},
        "bs": {"BS": [b"\x02", b"\x01"]},
    }
    got = roundtrip(dynamodb, table_s, attrs)
    for name in ("s", "n", "b", "bool_t", "bool_f", "null", "m", "l"):
        assert got[name] == attrs[name], name
    assert sorted(got["ss"]["SS"]) == ["a", "b", "c"]
    assert sorted(got["ns"]["NS"], key=Decimal) == ["1", "2.5", "3"]
    assert sorted(got["bs"]["BS"]) == [b"\x01", b"\x02"]


def test_resource_types_roundtrip(table_s_res):
    item = {
        "pk": random_key(),
        "s": "x",
        "n": Decimal("3.25"),
        "b": b"bin",
        "t": True,
        "z": None,
        "m": {"a": [1, "two", {"three": Decimal(3)}]},
        "ss": {"a", "b"},
        "ns": {Decimal(1), Decimal(2)},
        "bs": {b"a", b"b"},
    }
    table_s_res.put_item(Item=item)
    got = table_s_res.get_item(Key={"pk": item["pk"]}, ConsistentRead=True)["Item"]
    got["b"] = bytes(got["b"].value)
    got["bs"] = {bytes(x.value) for x in got["bs"]}
    assert got == item


@pytest.mark.parametrize(
    "given, returned",
    [
        ("1.50", "1.5"),
        ("1.0", "1"),
        ("100", "100"),
        ("0001.23", "1.23"),
        ("+3", "3"),
        (".123", "0.123"),
        ("1e3", "1000"),
        ("1E+3", "1000"),
        ("-17e5", "-1700000"),
        ("1e-3", "0.001"),
        ("-0.000", "0"),
        ("0e1000", "0"),
    ],
)
def test_number_normalization(dynamodb, table_s, given, returned):
    got = roundtrip(dynamodb, table_s, {"n": {"N": given}, "ns": {"NS": [given]}})
    assert got["n"] == {"N": returned}
    assert got["ns"] == {"NS": [returned]}


def test_number_38_digits(dynamodb, table_s):
    for s in [
        "3.1415926535897932384626433832795028841",
        "31415926535897932384626433832795028841",
        "-0.00000000000000000000031415926535897932384626433832795028841",
        "99999999999999999999999999999999999999",
    ]:
        assert roundtrip(dynamodb, table_s, {"n": {"N": s}})["n"] == {"N": s}


def test_number_magnitude_limits_allowed(dynamodb, table_s):
    big = "9.9999999999999999999999999999999999999e125"
    got = roundtrip(dynamodb, table_s, {"a": {"N": big}, "b": {"N": "1e-130"}, "c": {"N": "-1e-130"}})
    assert Decimal(got["a"]["N"]) == Decimal(big)
    assert Decimal(got["b"]["N"]) == Decimal("1e-130")
    assert Decimal(got["c"]["N"]) == Decimal("-1e-130")


def test_number_too_many_digits(dynamodb, table_s):
    with expect_validation(message="Attempting to store more than 38 significant digits in a Number"):
        dynamodb.put_item(
            TableName=table_s, Item={"pk": S(random_key()), "n": {"N": "3.14159265358979323846264338327950288419"}}
        )


def test_number_overflow(dynamodb, table_s):
    for s in ["1e126", "-1e126", "11e125"]:
        with expect_validation(
            message="Number overflow. Attempting to store a number with magnitude larger than supported range"
        ):
            dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "n": {"N": s}})


def test_number_underflow(dynamodb, table_s):
    for s in ["1e-131", "-0.9e-130"]:
        with expect_validation(
            message="Number underflow. Attempting to store a number with magnitude smaller than supported range"
        ):
            dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "n": {"N": s}})


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "dog", " 1", "1 ", "1e", "--1", "0x10", ""])
def test_number_invalid(dynamodb, table_s, bad):
    with expect_validation(match=r"^The parameter cannot be converted to a numeric value"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "n": {"N": bad}})


def test_number_as_json_number_is_serialization_error(endpoint, table_s):
    from wire_util import error_type, raw_call

    r = raw_call(endpoint, "PutItem", {"TableName": table_s, "Item": {"pk": {"S": "x"}, "n": {"N": 123}}})
    assert r.status_code == 400
    assert error_type(r.json()) == "SerializationException"


def test_number_sort_key_order(dynamodb, table_sn):
    p = random_key()
    nums = ["-1e10", "-5.5", "-1", "-0.001", "0", "1e-5", "0.5", "1", "2", "10", "1e20"]
    for n in reversed(nums):
        dynamodb.put_item(TableName=table_sn, Item={"pk": S(p), "sk": {"N": n}})
    r = dynamodb.query(
        TableName=table_sn, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(p)}, ConsistentRead=True
    )
    got = [Decimal(i["sk"]["N"]) for i in r["Items"]]
    assert got == sorted(Decimal(n) for n in nums)


def test_number_key_normalized(dynamodb, table_sn):
    # "1.50" and "1.5" are the same key
    p = random_key()
    dynamodb.put_item(TableName=table_sn, Item={"pk": S(p), "sk": {"N": "1.50"}, "v": S("first")})
    dynamodb.put_item(TableName=table_sn, Item={"pk": S(p), "sk": {"N": "1.5"}, "v": S("second")})
    got = dynamodb.get_item(TableName=table_sn, Key={"pk": S(p), "sk": {"N": "015e-1"}}, ConsistentRead=True)["Item"]
    assert got == {"pk": S(p), "sk": {"N": "1.5"}, "v": S("second")}


# ---------------------------------------------------------------- sets


def test_set_duplicates_rejected(dynamodb, table_s):
    with expect_validation(message="One or more parameter values were invalid: Input collection [a, a] contains duplicates."):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "ss": {"SS": ["a", "a"]}})
    with expect_validation(match=r"contains duplicates"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "ns": {"NS": ["1", "1.0"]}})
    with expect_validation(match=r"contains duplicates"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "bs": {"BS": [b"a", b"a"]}})


def test_empty_sets_rejected(dynamodb, table_s):
    with expect_validation(message="One or more parameter values were invalid: An string set  may not be empty"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "ss": {"SS": []}})
    with expect_validation(message="One or more parameter values were invalid: An number set  may not be empty"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "ns": {"NS": []}})
    with expect_validation(match=r"Binary sets should not be empty|binary set"):
        dynamodb.put_item(TableName=table_s, Item={"pk": S(random_key()), "bs": {"BS": []}})


def test_set_with_empty_string_member_allowed(dynamodb, table_s):
    # Since 2020 DynamoDB allows empty strings/binaries in non-key attributes,
    # including as set members.
    got = roundtrip(dynamodb, table_s, {"ss": {"SS": ["", "a"]}})
    assert sorted(got["ss"]["SS"]) == ["", "a"]


# ---------------------------------------------------------------- empty values


def test_empty_string_and_binary_outside_keys(dynamodb, table_s):
    got = roundtrip(dynamodb, table_s, {"s": {"S": ""}, "b": {"B": b""}, "m": {"M": {"e": {"S": ""}}}, "l": {"L": [{"S": ""}]}})
    assert got["s"] == {"S": ""}
    assert got["b"] == {"B": b""}
    assert got["m"] == {"M": {"e": {"S": ""}}}
    assert got["l"] == {"L": [{"S": ""}]}


def test_empty_string_hash_key(dynamodb, table_s):
    with expect_validation(
        match=r"^One or more parameter values (are not valid\.|were invalid:) The AttributeValue for a key attribute cannot contain "
        r"an empty string value\. Key: pk$"
    ):
        dynamodb.put_item(TableName=table_s, Item={"pk": S("")})


def test_empty_string_range_key(dynamodb, table_ss):
    with expect_validation(
        match=r"^One or more parameter values (are not valid\.|were invalid:) The AttributeValue for a key attribute cannot contain "
        r"an empty string value\. Key: sk$"
    ):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S("x"), "sk": S("")})


def test_empty_string_key_in_get(dynamodb, table_s):
    with expect_validation(
        match=r"^One or more parameter values (are not valid\.|were invalid:) The AttributeValue for a key attribute cannot contain "
        r"an empty string value\. Key: pk$"
    ):
        dynamodb.get_item(TableName=table_s, Key={"pk": S("")})


def test_empty_binary_key(dynamodb, table_sb):
    with expect_validation(
        match=r"^One or more parameter values (are not valid\.|were invalid:) The AttributeValue for a key attribute cannot contain "
        r"an empty binary value\. Key: sk$"
    ):
        dynamodb.put_item(TableName=table_sb, Item={"pk": S("x"), "sk": {"B": b""}})


def test_null_false_rejected(raw_client, table_s):
    with expect_validation(match=r"Null attribute value types must have the value of true"):
        raw_client.put_item(TableName=table_s, Item={"pk": S(random_key()), "z": {"NULL": False}})


def test_binary_key_order_is_bytewise(dynamodb, table_sb):
    p = random_key()
    vals = [b"\x00", b"\x00\x00", b"\x01", b"\x7f", b"\x80", b"\xff", b"\xff\x00"]
    for v in reversed(vals):
        dynamodb.put_item(TableName=table_sb, Item={"pk": S(p), "sk": {"B": v}})
    r = dynamodb.query(
        TableName=table_sb, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(p)}, ConsistentRead=True
    )
    assert [i["sk"]["B"] for i in r["Items"]] == vals


def test_string_key_order_is_utf8_bytewise(dynamodb, table_ss):
    p = random_key()
    # UTF-8 byte order: "Z" < "a" < "é" (C3 A9) < "ｚ" (EF BD 9A) < "😀" (F0 ...)
    vals = ["A", "Z", "a", "aa", "b", "é", "ｚ", "😀"]
    for v in reversed(vals):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S(v)})
    r = dynamodb.query(
        TableName=table_ss, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S(p)}, ConsistentRead=True
    )
    assert [i["sk"]["S"] for i in r["Items"]] == vals
