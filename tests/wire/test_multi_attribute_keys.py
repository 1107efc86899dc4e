"""GSIs with multi-attribute keys (DynamoDB, November 2025): up to four
partition-key (HASH) and four sort-key (RANGE) attributes per GSI, each with
its own type. Debian's botocore still validates KeySchema to 2 elements on
the client, so these tests use `raw_client` (parameter validation off); the
JavaScript SDK test (tests/js/multi_attribute_keys.test.mjs) uses the
current model."""

import pytest

from wire_util import (
    delete_table_quietly,
    expect_validation,
    full_query,
    full_scan,
    unique_name,
    wait_table_active,
)


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


GSI_KEY = [
    {"AttributeName": "tournament", "KeyType": "HASH"},
    {"AttributeName": "region", "KeyType": "HASH"},
    {"AttributeName": "round", "KeyType": "RANGE"},
    {"AttributeName": "bracket", "KeyType": "RANGE"},
]
DEFS = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "tournament", "AttributeType": "S"},
    {"AttributeName": "region", "AttributeType": "S"},
    {"AttributeName": "round", "AttributeType": "N"},
    {"AttributeName": "bracket", "AttributeType": "S"},
]


@pytest.fixture
def tables(raw_client):
    names = []
    yield names
    for n in names:
        delete_table_quietly(raw_client, n)


def make_table(client, tables, gsi_key=GSI_KEY, defs=DEFS, projection=None, **kw):
    name = unique_name("multi")
    tables.append(name)
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=defs,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {"IndexName": "matches", "KeySchema": gsi_key, "Projection": projection or {"ProjectionType": "ALL"}}
        ],
        **kw,
    )
    wait_table_active(client, name)
    return name


def match(pk, tournament="WINTER", region="EU", rnd=1, bracket="upper", **extra):
    item = {"pk": S(pk), "tournament": S(tournament), "region": S(region), "round": N(rnd), "bracket": S(bracket)}
    item.update(extra)
    return item


def query(client, name, cond, values, **kw):
    items, _ = full_query(
        client,
        TableName=name,
        IndexName="matches",
        KeyConditionExpression=cond,
        ExpressionAttributeValues=values,
        **kw,
    )
    return [i["pk"]["S"] for i in items]


HASH_EQ = "tournament = :t AND #r = :r"
HASH_VALUES = {":t": S("WINTER"), ":r": S("EU")}


def query_in(client, name, extra_cond="", extra_values=None, **kw):
    cond = HASH_EQ + (" AND " + extra_cond if extra_cond else "")
    values = dict(HASH_VALUES, **(extra_values or {}))
    names = {"#r": "region"}
    if "#rd" in cond:
        names["#rd"] = "round"
    return query(client, name, cond, values, ExpressionAttributeNames=names, **kw)


def seed(client, name):
    rows = [
        ("m1", "WINTER", "EU", 1, "upper"),
        ("m2", "WINTER", "EU", 1, "lower"),
        ("m3", "WINTER", "EU", 2, "upper"),
        ("m4", "WINTER", "EU", 10, "final"),
        ("m5", "WINTER", "US", 1, "upper"),  # other partition (region)
        ("m6", "SUMMER", "EU", 1, "upper"),  # other partition (tournament)
    ]
    for pk, t, r, rnd, b in rows:
        client.put_item(TableName=name, Item=match(pk, t, r, rnd, b))
    # Sparse: missing one partition-key or one sort-key attribute.
    no_region = match("s1")
    del no_region["region"]
    no_bracket = match("s2")
    del no_bracket["bracket"]
    client.put_item(TableName=name, Item=no_region)
    client.put_item(TableName=name, Item=no_bracket)


def test_describe_table_shows_every_key_attribute_in_order(raw_client, tables):
    name = make_table(raw_client, tables)
    desc = raw_client.describe_table(TableName=name)["Table"]
    gsi = desc["GlobalSecondaryIndexes"][0]
    assert gsi["KeySchema"] == GSI_KEY
    assert gsi["IndexStatus"] == "ACTIVE"
    assert sorted(d["AttributeName"] for d in desc["AttributeDefinitions"]) == sorted(
        d["AttributeName"] for d in DEFS
    )
    assert desc["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]


def test_query_by_partition_attributes_and_sort_prefix(raw_client, tables):
    name = make_table(raw_client, tables)
    seed(raw_client, name)
    # All partition-key attributes: sorted by round (numerically), then bracket.
    assert query_in(raw_client, name) == ["m2", "m1", "m3", "m4"]
    assert query_in(raw_client, name, ScanIndexForward=False) == ["m4", "m3", "m1", "m2"]
    # First sort-key attribute: each operator.
    assert query_in(raw_client, name, "#rd = :n", {":n": N(1)}) == ["m2", "m1"]
    assert query_in(raw_client, name, "#rd < :n", {":n": N(2)}) == ["m2", "m1"]
    assert query_in(raw_client, name, "#rd <= :n", {":n": N(2)}) == ["m2", "m1", "m3"]
    assert query_in(raw_client, name, "#rd > :n", {":n": N(1)}) == ["m3", "m4"]
    assert query_in(raw_client, name, "#rd >= :n", {":n": N(2)}) == ["m3", "m4"]
    assert query_in(raw_client, name, "#rd BETWEEN :a AND :b", {":a": N(2), ":b": N(10)}) == ["m3", "m4"]
    # Both sort-key attributes: equality on the first, a condition on the last.
    assert query_in(raw_client, name, "#rd = :n AND bracket = :b", {":n": N(1), ":b": S("upper")}) == ["m1"]
    assert query_in(raw_client, name, "#rd = :n AND bracket > :b", {":n": N(1), ":b": S("lower")}) == ["m1"]
    assert query_in(raw_client, name, "#rd = :n AND begins_with(bracket, :b)", {":n": N(1), ":b": S("lo")}) == [
        "m2"
    ]
    # Conditions in any order.
    assert query(
        raw_client,
        name,
        "bracket = :b AND #rd = :n AND #r = :r AND tournament = :t",
        dict(HASH_VALUES, **{":n": N(1), ":b": S("upper")}),
        ExpressionAttributeNames={"#r": "region", "#rd": "round"},
    ) == ["m1"]


def test_scan_of_index_holds_only_items_with_every_key_attribute(raw_client, tables):
    name = make_table(raw_client, tables)
    seed(raw_client, name)
    items = full_scan(raw_client, TableName=name, IndexName="matches")
    assert sorted(i["pk"]["S"] for i in items) == ["m1", "m2", "m3", "m4", "m5", "m6"]
    assert raw_client.scan(TableName=name, Select="COUNT")["Count"] == 8


def test_pagination_keys_hold_every_key_attribute(raw_client, tables):
    name = make_table(raw_client, tables)
    seed(raw_client, name)
    r = raw_client.query(
        TableName=name,
        IndexName="matches",
        KeyConditionExpression=HASH_EQ,
        ExpressionAttributeNames={"#r": "region"},
        ExpressionAttributeValues=HASH_VALUES,
        Limit=1,
    )
    assert set(r["LastEvaluatedKey"]) == {"pk", "tournament", "region", "round", "bracket"}
    got, pages = full_query(
        raw_client,
        TableName=name,
        IndexName="matches",
        KeyConditionExpression=HASH_EQ,
        ExpressionAttributeNames={"#r": "region"},
        ExpressionAttributeValues=HASH_VALUES,
        Limit=1,
    )
    assert [i["pk"]["S"] for i in got] == ["m2", "m1", "m3", "m4"]
    assert pages >= 4
    # Scan pages the same way.
    got = full_scan(raw_client, TableName=name, IndexName="matches", Limit=2)
    assert len(got) == 6
    # A start key without all index key attributes is refused.
    lek = dict(r["LastEvaluatedKey"])
    del lek["bracket"]
    with expect_validation(match="The provided starting key is invalid"):
        raw_client.query(
            TableName=name,
            IndexName="matches",
            KeyConditionExpression=HASH_EQ,
            ExpressionAttributeNames={"#r": "region"},
            ExpressionAttributeValues=HASH_VALUES,
            ExclusiveStartKey=lek,
        )


def test_every_write_path_maintains_the_index(raw_client, tables):
    name = make_table(raw_client, tables)
    raw_client.put_item(TableName=name, Item=match("a", rnd=1))
    # UpdateItem moves the entry (a sort-key attribute changes) ...
    raw_client.update_item(
        TableName=name,
        Key={"pk": S("a")},
        UpdateExpression="SET #rd = :n",
        ExpressionAttributeNames={"#rd": "round"},
        ExpressionAttributeValues={":n": N(5)},
    )
    assert query_in(raw_client, name, "#rd = :n", {":n": N(5)}) == ["a"]
    assert query_in(raw_client, name, "#rd = :n", {":n": N(1)}) == []
    # ... and removes it when a partition-key attribute goes (sparse).
    raw_client.update_item(TableName=name, Key={"pk": S("a")}, UpdateExpression="REMOVE #r",
                           ExpressionAttributeNames={"#r": "region"})
    assert query_in(raw_client, name) == []
    # BatchWriteItem and TransactWriteItems.
    raw_client.batch_write_item(
        RequestItems={name: [{"PutRequest": {"Item": match(p)}} for p in ("b1", "b2")]}
    )
    raw_client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": name, "Item": match("t1", rnd=3)}},
            {"Delete": {"TableName": name, "Key": {"pk": S("b2")}}},
        ]
    )
    assert sorted(query_in(raw_client, name)) == ["b1", "t1"]
    raw_client.delete_item(TableName=name, Key={"pk": S("b1")})
    assert query_in(raw_client, name) == ["t1"]


def test_index_key_type_mismatch_is_refused(raw_client, tables):
    name = make_table(raw_client, tables)
    with expect_validation(match="Type mismatch for Index Key round"):
        raw_client.put_item(TableName=name, Item=match("x", round=S("one")))


def test_write_capacity_counts_the_index(raw_client, tables):
    name = make_table(raw_client, tables)
    r = raw_client.put_item(TableName=name, Item=match("c"), ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"]["GlobalSecondaryIndexes"]["matches"]["CapacityUnits"] == 1.0
    sparse = match("d")
    del sparse["bracket"]
    r = raw_client.put_item(TableName=name, Item=sparse, ReturnConsumedCapacity="INDEXES")
    assert "matches" not in r["ConsumedCapacity"].get("GlobalSecondaryIndexes", {})


def test_keys_only_projection_keeps_every_key_attribute(raw_client, tables):
    name = make_table(raw_client, tables, projection={"ProjectionType": "KEYS_ONLY"})
    raw_client.put_item(TableName=name, Item=match("k", other=S("x")))
    items = raw_client.scan(TableName=name, IndexName="matches")["Items"]
    assert items == [{k: v for k, v in match("k").items()}]


def test_query_errors(raw_client, tables):
    name = make_table(raw_client, tables)

    def q(cond, values, names=None):
        kw = {"ExpressionAttributeNames": names} if names else {}
        raw_client.query(
            TableName=name, IndexName="matches", KeyConditionExpression=cond, ExpressionAttributeValues=values, **kw
        )

    # A partition-key attribute missing, or not an equality.
    with expect_validation(message="Query condition missed key schema element: region"):
        q("tournament = :t", {":t": S("WINTER")})
    with expect_validation(message="Query condition missed key schema element: region"):
        q("tournament = :t AND #r > :r", HASH_VALUES, {"#r": "region"})
    # A sort-key attribute skipped.
    with expect_validation(message="Query condition missed key schema element: round"):
        q(HASH_EQ + " AND bracket = :b", dict(HASH_VALUES, **{":b": S("x")}), {"#r": "region"})
    # A range condition on a sort-key attribute that is not the last given (wording a guess).
    with expect_validation():
        q(
            HASH_EQ + " AND #rd > :n AND bracket = :b",
            dict(HASH_VALUES, **{":n": N(1), ":b": S("x")}),
            {"#r": "region", "#rd": "round"},
        )
    # Types and operators, as for one-attribute keys.
    with expect_validation(
        message="One or more parameter values were invalid: Condition parameter type does not match schema type"
    ):
        q(HASH_EQ + " AND #rd = :n", dict(HASH_VALUES, **{":n": S("1")}), {"#r": "region", "#rd": "round"})
    with expect_validation(match="begins_with, operand type: N"):
        q(HASH_EQ + " AND begins_with(#rd, :n)", dict(HASH_VALUES, **{":n": N(1)}), {"#r": "region", "#rd": "round"})
    # A filter may not name an index key attribute.
    with expect_validation(match="Primary key attribute: bracket"):
        raw_client.query(
            TableName=name,
            IndexName="matches",
            KeyConditionExpression=HASH_EQ,
            FilterExpression="bracket = :b",
            ExpressionAttributeNames={"#r": "region"},
            ExpressionAttributeValues=dict(HASH_VALUES, **{":b": S("x")}),
        )
    # The table itself keeps the 1-or-2 conditions rule.
    with expect_validation(message="Conditions can be of length 1 or 2 only"):
        raw_client.query(
            TableName=name,
            KeyConditionExpression="pk = :a AND tournament = :t AND #r = :r",
            ExpressionAttributeNames={"#r": "region"},
            ExpressionAttributeValues=dict(HASH_VALUES, **{":a": S("a")}),
        )


def _create(client, tables, gsi_key, defs, lsi=None, table_key=None):
    name = unique_name("multi")
    tables.append(name)
    kw = {}
    if lsi:
        kw["LocalSecondaryIndexes"] = [{"IndexName": "lsi", "KeySchema": lsi, "Projection": {"ProjectionType": "ALL"}}]
    client.create_table(
        TableName=name,
        KeySchema=table_key or [{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=defs,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": gsi_key, "Projection": {"ProjectionType": "ALL"}}],
        **kw,
    )
    return name


def _defs(*names):
    return [{"AttributeName": n, "AttributeType": "S"} for n in ("pk",) + names]


def _key(hashes, ranges):
    return [{"AttributeName": h, "KeyType": "HASH"} for h in hashes] + [
        {"AttributeName": r, "KeyType": "RANGE"} for r in ranges
    ]


def test_create_limits_four_hash_and_four_range(raw_client, tables):
    # Four of each is the most.
    name = _create(raw_client, tables, _key("abcd", "efgh"), _defs(*"abcdefgh"))
    desc = wait_table_active(raw_client, name)
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == _key("abcd", "efgh")
    # A partition key of several attributes and no sort key.
    _create(raw_client, tables, _key("ab", ""), _defs("a", "b"))
    # Five HASH, five RANGE (wording a guess).
    with expect_validation(match="HASH"):
        _create(raw_client, tables, _key("abcde", "f"), _defs(*"abcdef"))
    with expect_validation(match="RANGE"):
        _create(raw_client, tables, _key("a", "bcdef"), _defs(*"abcdef"))
    # More than 8 elements: the shape's limit (wording a guess, after the 2 of old).
    with expect_validation(match="Member must have length less than or equal to 8"):
        _create(raw_client, tables, _key("abcde", "fghi"), _defs(*"abcdefghi"))
    # HASH after RANGE (wording a guess), first not HASH, undefined, duplicate.
    with expect_validation(match="Invalid KeySchema"):
        _create(raw_client, tables, _key("a", "b") + _key("c", ""), _defs("a", "b", "c"))
    with expect_validation(message="Invalid KeySchema: The first KeySchemaElement is not a HASH key type"):
        _create(raw_client, tables, _key("", "ab") + _key("c", ""), _defs("a", "b", "c"))
    with expect_validation(match="Some index key attributes are not defined in AttributeDefinitions"):
        _create(raw_client, tables, _key("ab", "c"), _defs("a", "b"))
    with expect_validation(match="Invalid KeySchema"):
        _create(raw_client, tables, _key("ab", "a"), _defs("a", "b"))


def test_table_and_lsi_keep_single_attribute_keys(raw_client, tables):
    # The table's KeySchema: still at most 2, one HASH.
    with expect_validation(match="Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"):
        _create(raw_client, tables, _key("a", ""), _defs("a", "b"), table_key=_key(["pk", "b"], []))
    # An LSI: still 2 elements.
    with expect_validation(match="Member must have length less than or equal to 2"):
        _create(
            raw_client,
            tables,
            _key("a", ""),
            _defs("a", "b", "c", "sk"),
            lsi=_key(["pk"], ["b", "c"]),
            table_key=_key(["pk"], ["sk"]),
        )


def test_update_table_creates_and_backfills_a_multi_attribute_index(raw_client, tables):
    name = unique_name("multi")
    tables.append(name)
    raw_client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    wait_table_active(raw_client, name)
    seed(raw_client, name)
    raw_client.update_table(
        TableName=name,
        AttributeDefinitions=DEFS,
        GlobalSecondaryIndexUpdates=[
            {"Create": {"IndexName": "matches", "KeySchema": GSI_KEY, "Projection": {"ProjectionType": "ALL"}}}
        ],
    )
    desc = wait_table_active(raw_client, name)
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == GSI_KEY
    assert query_in(raw_client, name) == ["m2", "m1", "m3", "m4"]
    assert query_in(raw_client, name, "#rd = :n", {":n": N(1)}) == ["m2", "m1"]


@pytest.mark.local_only
def test_index_survives_a_restart(tmp_path, durable_servers, client_for):
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url, validate=False)
    tables = []
    name = make_table(c, tables)
    seed(c, name)
    assert srv.stop() == 0
    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url, validate=False)
    desc = c2.describe_table(TableName=name)["Table"]
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == GSI_KEY
    assert desc["GlobalSecondaryIndexes"][0]["ItemCount"] == 6
    assert query_in(c2, name, "#rd = :n", {":n": N(1)}) == ["m2", "m1"]


def test_partiql_select_on_the_index(raw_client, tables):
    name = make_table(raw_client, tables)
    seed(raw_client, name)
    r = raw_client.execute_statement(
        Statement=f'SELECT pk FROM "{name}"."matches" WHERE tournament = ? AND region = ? AND "round" = ?',
        Parameters=[S("WINTER"), S("EU"), N(1)],
    )
    assert sorted(i["pk"]["S"] for i in r["Items"]) == ["m1", "m2"]


def test_partiql_select_with_every_partition_attribute_is_a_query(raw_client, tables):
    # ql-reference.select.html: an equality on the partition key reads one
    # partition; on this index that is an equality on every partition-key
    # attribute. Items of ~4 KB make a Query's capacity (its partition only)
    # differ from a Scan's (the whole index).
    name = make_table(raw_client, tables)
    pad = S("x" * 3900)
    for pk, t, r, rnd, b in [
        ("m1", "WINTER", "EU", 1, "upper"),
        ("m2", "WINTER", "EU", 1, "lower"),
        ("m3", "WINTER", "EU", 2, "upper"),
        ("m4", "WINTER", "US", 1, "upper"),
        ("m5", "SUMMER", "EU", 1, "upper"),
        ("m6", "SUMMER", "US", 3, "upper"),
    ]:
        raw_client.put_item(TableName=name, Item=match(pk, t, r, rnd, b, pad=pad))

    def json_query(cond, values, **kw):
        return raw_client.query(
            TableName=name,
            IndexName="matches",
            KeyConditionExpression=cond,
            ExpressionAttributeNames={k: v for k, v in {"#r": "region", "#rd": "round"}.items() if k in cond},
            ExpressionAttributeValues=values,
            ReturnConsumedCapacity="TOTAL",
            **kw,
        )

    scan = raw_client.scan(TableName=name, IndexName="matches", ReturnConsumedCapacity="TOTAL")
    cases = [
        ("tournament = ? AND region = ?", [S("WINTER"), S("EU")], "tournament = :a AND #r = :b", {}),
        ('region = ? AND tournament = ? AND "round" = ?', [S("EU"), S("WINTER"), N(1)],
         "#r = :a AND tournament = :b AND #rd = :c", {}),
        ('tournament = ? AND region = ? AND "round" >= ?', [S("WINTER"), S("EU"), N(2)],
         "tournament = :a AND #r = :b AND #rd >= :c", {}),
        ('tournament = ? AND region = ? AND "round" = ? AND begins_with(bracket, ?)',
         [S("WINTER"), S("EU"), N(1), S("up")],
         "tournament = :a AND #r = :b AND #rd = :c AND begins_with(bracket, :d)", {}),
        ('tournament = ? AND region = ? ORDER BY "round" DESC', [S("WINTER"), S("EU")],
         "tournament = :a AND #r = :b", {"ScanIndexForward": False}),
    ]
    for where, params, cond, kw in cases:
        values = {f":{c}": v for c, v in zip("abcd", params)}
        want = json_query(cond, values, **kw)
        r = raw_client.execute_statement(
            Statement=f'SELECT * FROM "{name}"."matches" WHERE {where}',
            Parameters=params,
            ReturnConsumedCapacity="TOTAL",
        )
        assert r["Items"] == want["Items"], where
        assert r["ConsumedCapacity"] == want["ConsumedCapacity"], where
        assert r["ConsumedCapacity"]["CapacityUnits"] < scan["ConsumedCapacity"]["CapacityUnits"]
    # Without every partition-key attribute: a Scan of the index.
    r = raw_client.execute_statement(
        Statement=f'SELECT pk FROM "{name}"."matches" WHERE tournament = ?',
        Parameters=[S("WINTER")],
        ReturnConsumedCapacity="TOTAL",
    )
    assert sorted(i["pk"]["S"] for i in r["Items"]) == ["m1", "m2", "m3", "m4"]
    assert r["ConsumedCapacity"] == scan["ConsumedCapacity"]
    # IN on one partition-key attribute: one Query per value.
    r = raw_client.execute_statement(
        Statement=f'SELECT pk FROM "{name}"."matches" WHERE tournament = ? AND region IN [?, ?]',
        Parameters=[S("WINTER"), S("US"), S("EU")],
    )
    assert [i["pk"]["S"] for i in r["Items"]] == ["m4", "m2", "m1", "m3"]


def test_restore_from_backup_rebuilds_the_index(raw_client, tables):
    name = make_table(raw_client, tables)
    seed(raw_client, name)
    arn = raw_client.create_backup(TableName=name, BackupName="multi-backup")["BackupDetails"]["BackupArn"]
    restored = unique_name("multi")
    tables.append(restored)
    raw_client.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)
    desc = wait_table_active(raw_client, restored)
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == GSI_KEY
    assert query_in(raw_client, restored) == ["m2", "m1", "m3", "m4"]
    raw_client.delete_backup(BackupArn=arn)


def test_legacy_key_conditions_with_two_conditions(raw_client, tables):
    name = make_table(raw_client, tables)
    seed(raw_client, name)
    r = raw_client.query(
        TableName=name,
        IndexName="matches",
        KeyConditions={
            "tournament": {"ComparisonOperator": "EQ", "AttributeValueList": [S("WINTER")]},
            "region": {"ComparisonOperator": "EQ", "AttributeValueList": [S("EU")]},
        },
    )
    assert [i["pk"]["S"] for i in r["Items"]] == ["m2", "m1", "m3", "m4"]


def test_legacy_key_conditions_with_more_than_two_conditions(raw_client, tables):
    # API_Query.html (KeyConditions): a multi-attribute index takes a
    # condition per key attribute, as its KeyConditionExpression does.
    name = make_table(raw_client, tables)
    seed(raw_client, name)

    def legacy(conds, **kw):
        return raw_client.query(TableName=name, KeyConditions=conds, **kw)

    eq = lambda v: {"ComparisonOperator": "EQ", "AttributeValueList": [v]}
    hash_eq = {"tournament": eq(S("WINTER")), "region": eq(S("EU"))}
    r = legacy(dict(hash_eq, round=eq(N(1))), IndexName="matches")
    assert [i["pk"]["S"] for i in r["Items"]] == ["m2", "m1"]
    r = legacy(dict(hash_eq, round=eq(N(1)), bracket={"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [S("up")]}),
               IndexName="matches")
    assert [i["pk"]["S"] for i in r["Items"]] == ["m1"]
    r = legacy(dict(hash_eq, round={"ComparisonOperator": "GT", "AttributeValueList": [N(1)]}), IndexName="matches")
    assert [i["pk"]["S"] for i in r["Items"]] == ["m3", "m4"]
    # The index's own rules: a skipped sort-key attribute.
    with expect_validation(match="Query condition missed key schema element: round"):
        legacy(dict(hash_eq, bracket=eq(S("upper"))), IndexName="matches")
    # More conditions than key attributes, and the table's key: DynamoDB's
    # one-or-two rule.
    with expect_validation(message="Conditions can be of length 1 or 2 only"):
        legacy({"pk": eq(S("m1")), "tournament": eq(S("WINTER")), "region": eq(S("EU"))})
    with expect_validation(match="Query condition missed key schema element"):
        legacy(dict(hash_eq, round=eq(N(1)), bracket=eq(S("upper")), pk=eq(S("m1"))), IndexName="matches")


def test_empty_string_partition_value_is_refused(raw_client, tables):
    name = make_table(raw_client, tables)
    with expect_validation(match="cannot contain an empty string value. Key: region"):
        raw_client.query(
            TableName=name,
            IndexName="matches",
            KeyConditionExpression=HASH_EQ,
            ExpressionAttributeNames={"#r": "region"},
            ExpressionAttributeValues={":t": S("WINTER"), ":r": S("")},
        )
