"""PartiQL through boto3: ExecuteStatement (SELECT, INSERT, UPDATE, DELETE),
BatchExecuteStatement and ExecuteTransaction, with DynamoDB's errors.

Each test names the page of the DynamoDB Developer Guide or API Reference that
shows the behaviour it asserts:
  ql-reference.select.html, ql-reference.insert.html, ql-reference.update.html,
  ql-reference.delete.html, ql-functions.html (and ql-functions.*.html),
  ql-reference.multiplestatements.transactions.html,
  ql-reference.multiplestatements.batching.html,
  API_ExecuteStatement.html, API_BatchExecuteStatement.html,
  API_ExecuteTransaction.html, API_BatchStatementError.html.
"""

import pytest

from stream_util import STREAM, read_shard, shards_of, stream_arn, streams  # noqa: F401 (fixture)
from wire_util import error_type, expect_error, expect_validation, raw_call

MALFORMED = "Statement wasn't well formed, can't be processed: "


@pytest.fixture
def music(dynamodb, table_factory):
    """The guide's Music table: Artist (S) + SongTitle (S), with a GSI on
    Genre + Year."""
    t = table_factory(
        hash_key=("Artist", "S"),
        range_key=("SongTitle", "S"),
        AttributeDefinitions=[
            {"AttributeName": "Artist", "AttributeType": "S"},
            {"AttributeName": "SongTitle", "AttributeType": "S"},
            {"AttributeName": "Genre", "AttributeType": "S"},
            {"AttributeName": "Year", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-genre",
                "KeySchema": [
                    {"AttributeName": "Genre", "KeyType": "HASH"},
                    {"AttributeName": "Year", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    songs = [
        ("Acme Band", "PartiQL Rocks", "Rock", 2020, ["a", "b"]),
        ("Acme Band", "Happy Day", "Pop", 2019, []),
        ("Acme Band", "Zebra", "Rock", 2021, ["z"]),
        ("No One You Know", "Call Me Today", "Pop", 2018, ["x"]),
    ]
    for artist, title, genre, year, tags in songs:
        item = {
            "Artist": {"S": artist},
            "SongTitle": {"S": title},
            "Genre": {"S": genre},
            "Year": {"N": str(year)},
            "Info": {"M": {"tags": {"L": [{"S": x} for x in tags]}, "plays": {"N": "10"}}},
        }
        dynamodb.put_item(TableName=t, Item=item)
    return t


def execute(dynamodb, statement, params=None, **kw):
    if params is not None:
        kw["Parameters"] = params
    return dynamodb.execute_statement(Statement=statement, **kw)


def titles(items):
    return sorted(i["SongTitle"]["S"] for i in items)


# ---- SELECT ---------------------------------------------------------------------------


def test_select_partition_key_equality_is_a_query(dynamodb, music):
    # ql-reference.select.html: an equality on the partition key does not scan;
    # ReturnConsumedCapacity shows the read is a Query of one partition (the
    # items of other partitions are not read).
    r = execute(
        dynamodb,
        f'SELECT * FROM "{music}" WHERE Artist = \'Acme Band\'',
        ReturnConsumedCapacity="TOTAL",
    )
    assert titles(r["Items"]) == ["Happy Day", "PartiQL Rocks", "Zebra"]
    # Sorted by the sort key, as a Query returns them.
    assert [i["SongTitle"]["S"] for i in r["Items"]] == ["Happy Day", "PartiQL Rocks", "Zebra"]
    assert r["ConsumedCapacity"]["TableName"] == music
    assert "NextToken" not in r


def query_capacity(dynamodb, table, artist):
    r = dynamodb.query(
        TableName=table,
        KeyConditionExpression="Artist = :a",
        ExpressionAttributeValues={":a": {"S": artist}},
        ReturnConsumedCapacity="TOTAL",
    )
    return r["ConsumedCapacity"]["CapacityUnits"]


def test_select_in_on_partition_key_is_one_query_per_value(dynamodb, music):
    # ql-reference.select.html: an IN (or OR of equalities) on the partition
    # key does not scan; ql-operators.html: at most 50 partition-key values.
    # Each value is read as a Query, in the order of the list (a guess: the
    # documentation does not give the order), each sorted by the sort key.
    want = ["Call Me Today", "Happy Day", "PartiQL Rocks", "Zebra"]
    queries = query_capacity(dynamodb, music, "No One You Know") + query_capacity(dynamodb, music, "Acme Band")
    for where in [
        "Artist IN ['No One You Know', 'Acme Band']",
        "Artist IN ('No One You Know', 'Acme Band', 'No One You Know')",
        "Artist = 'No One You Know' OR Artist = 'Acme Band'",
        "(Artist = 'No One You Know' OR 'Acme Band' = Artist) AND Genre <> 'x'",
    ]:
        r = execute(dynamodb, f'SELECT SongTitle FROM "{music}" WHERE {where}', ReturnConsumedCapacity="TOTAL")
        assert [i["SongTitle"]["S"] for i in r["Items"]] == want, where
        assert r["ConsumedCapacity"]["TableName"] == music
        assert r["ConsumedCapacity"]["CapacityUnits"] == queries, where
        assert "NextToken" not in r
    # Parameters, a sort-key condition and a filter apply to every value.
    r = execute(
        dynamodb,
        f'SELECT SongTitle FROM "{music}" WHERE Artist IN ? AND SongTitle >= ? AND Genre = ?',
        [{"L": [{"S": "Acme Band"}, {"S": "No One You Know"}, {"S": "nobody"}]}, {"S": "C"}, {"S": "Pop"}],
    )
    assert [i["SongTitle"]["S"] for i in r["Items"]] == ["Happy Day", "Call Me Today"]
    # An IN on a non-key attribute is still a Scan's filter.
    r = execute(dynamodb, f"SELECT SongTitle FROM \"{music}\" WHERE Genre IN ['Pop']")
    assert titles(r["Items"]) == ["Call Me Today", "Happy Day"]


def test_select_in_on_partition_key_pages_across_values(dynamodb, music):
    # API_ExecuteStatement.html: Limit counts the items evaluated across the
    # whole statement; NextToken continues from the value and key reached.
    stmt = f"SELECT SongTitle FROM \"{music}\" WHERE Artist IN ['No One You Know', 'Acme Band']"
    for limit in (1, 2, 3):
        seen, token = [], None
        for _ in range(10):
            kw = {"Limit": limit}
            if token:
                kw["NextToken"] = token
            r = execute(dynamodb, stmt, **kw)
            assert len(r["Items"]) <= limit
            seen += [i["SongTitle"]["S"] for i in r["Items"]]
            token = r.get("NextToken")
            if not token:
                break
        assert seen == ["Call Me Today", "Happy Day", "PartiQL Rocks", "Zebra"], limit
    # A token belongs to its statement (wording is a guess).
    token = execute(dynamodb, stmt, Limit=1)["NextToken"]
    with expect_validation(match="NextToken"):
        execute(dynamodb, f"SELECT SongTitle FROM \"{music}\" WHERE Artist IN ['Acme Band']", NextToken=token)
    with expect_validation(match="NextToken"):
        execute(dynamodb, f'SELECT * FROM "{music}"', NextToken=token)


def test_select_in_on_partition_key_limit(dynamodb, music):
    # ql-operators.html: IN takes at most 50 partition-key values (the
    # message is a guess).
    values = ", ".join(f"'a{i}'" for i in range(50))
    assert execute(dynamodb, f'SELECT * FROM "{music}" WHERE Artist IN [{values}]')["Items"] == []
    with expect_validation(match="50"):
        execute(dynamodb, f"SELECT * FROM \"{music}\" WHERE Artist IN [{values}, 'x']")


def test_select_is_null_and_is_not_null(dynamodb, music):
    # ql-operators.html: IS tests for a PartiQL type, NULL or MISSING. As in
    # PartiQL, a missing attribute IS NULL too (DynamoDB does not document
    # its reading: a guess).
    for title, extra in [("n1", {"NULL": True}), ("n2", {"S": "x"}), ("n3", None)]:
        item = {"Artist": {"S": "Null Band"}, "SongTitle": {"S": title}}
        if extra:
            item["Extra"] = extra
        dynamodb.put_item(TableName=music, Item=item)

    def where(cond):
        r = execute(dynamodb, f"SELECT SongTitle FROM \"{music}\" WHERE Artist = 'Null Band' AND {cond}")
        return [i["SongTitle"]["S"] for i in r["Items"]]

    assert where("Extra IS NULL") == ["n1", "n3"]
    assert where("Extra IS NOT NULL") == ["n2"]
    assert where("Extra IS MISSING") == ["n3"]
    assert where("Extra IS NOT MISSING") == ["n1", "n2"]
    assert where("NOT (Extra IS NULL)") == ["n2"]


def test_select_projection_and_nested_paths(dynamodb, music):
    # ql-reference.select.html: "a projection list of one or more attribute
    # names or document paths".
    r = execute(
        dynamodb,
        f'SELECT SongTitle, Info.tags[0], "Year" FROM "{music}" '
        "WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks'",
    )
    assert r["Items"] == [
        {"SongTitle": {"S": "PartiQL Rocks"}, "Info": {"M": {"tags": {"L": [{"S": "a"}]}}}, "Year": {"N": "2020"}}
    ]


def test_select_sort_key_conditions(dynamodb, music):
    # ql-reference.select.html / ql-operators.html: comparison, BETWEEN and
    # begins_with on the sort key.
    base = f"SELECT SongTitle FROM \"{music}\" WHERE Artist = 'Acme Band' AND "
    cases = {
        "SongTitle = 'Zebra'": ["Zebra"],
        "SongTitle > 'Happy Day'": ["PartiQL Rocks", "Zebra"],
        "SongTitle >= 'PartiQL Rocks'": ["PartiQL Rocks", "Zebra"],
        "SongTitle < 'PartiQL Rocks'": ["Happy Day"],
        "SongTitle <= 'PartiQL Rocks'": ["Happy Day", "PartiQL Rocks"],
        "'PartiQL Rocks' < SongTitle": ["Zebra"],
        "SongTitle BETWEEN 'H' AND 'Q'": ["Happy Day", "PartiQL Rocks"],
        "begins_with(SongTitle, 'Pa')": ["PartiQL Rocks"],
        "SongTitle <> 'Zebra'": ["Happy Day", "PartiQL Rocks"],
        "SongTitle IN ['Zebra', 'Happy Day']": ["Happy Day", "Zebra"],
    }
    for cond, want in cases.items():
        assert titles(execute(dynamodb, base + cond)["Items"]) == want, cond


def test_select_filters_on_other_attributes(dynamodb, music):
    # ql-reference.select.html, ql-functions.html: non-key conditions,
    # functions, IS MISSING, AND / OR / NOT.
    base = f'SELECT SongTitle FROM "{music}" WHERE '
    cases = {
        "Genre = 'Rock'": ["PartiQL Rocks", "Zebra"],
        "\"Year\" BETWEEN 2019 AND 2020": ["Happy Day", "PartiQL Rocks"],
        "\"Year\" IN [2018, 2021]": ["Call Me Today", "Zebra"],
        "Artist = 'Acme Band' AND Genre <> 'Rock'": ["Happy Day"],
        "Artist = 'Acme Band' OR Genre = 'Pop'": ["Call Me Today", "Happy Day", "PartiQL Rocks", "Zebra"],
        "NOT Genre = 'Rock'": ["Call Me Today", "Happy Day"],
        "contains(Info.tags, 'z')": ["Zebra"],
        "size(Info.tags) = 0": ["Happy Day"],
        "attribute_type(\"Year\", 'N') AND Info.tags[1] IS NOT MISSING": ["PartiQL Rocks"],
        "Info.tags[0] IS MISSING": ["Happy Day"],
        "begins_with(Artist, 'No')": ["Call Me Today"],
        "Info.plays = 10 AND (Genre = 'Pop' OR \"Year\" > 2020)": ["Call Me Today", "Happy Day", "Zebra"],
        "Nothing = 'x'": [],
    }
    for cond, want in cases.items():
        assert titles(execute(dynamodb, base + cond)["Items"]) == want, cond


def test_select_whole_table_and_index(dynamodb, music):
    # ql-reference.select.html: without WHERE every item; FROM "table"."index".
    assert len(execute(dynamodb, f'SELECT * FROM "{music}"')["Items"]) == 4
    r = execute(dynamodb, f'SELECT SongTitle, "Year" FROM "{music}"."by-genre" WHERE Genre = \'Rock\'')
    assert [i["SongTitle"]["S"] for i in r["Items"]] == ["PartiQL Rocks", "Zebra"]
    r = execute(
        dynamodb,
        f'SELECT SongTitle FROM "{music}"."by-genre" WHERE Genre = \'Rock\' ORDER BY "Year" DESC',
    )
    assert [i["SongTitle"]["S"] for i in r["Items"]] == ["Zebra", "PartiQL Rocks"]


def test_select_order_by_sort_key(dynamodb, music):
    # ql-reference.select.html: ORDER BY key [DESC|ASC].
    stmt = f"SELECT SongTitle FROM \"{music}\" WHERE Artist = 'Acme Band' ORDER BY SongTitle"
    assert [i["SongTitle"]["S"] for i in execute(dynamodb, stmt + " DESC")["Items"]] == [
        "Zebra",
        "PartiQL Rocks",
        "Happy Day",
    ]
    assert [i["SongTitle"]["S"] for i in execute(dynamodb, stmt + " ASC")["Items"]][0] == "Happy Day"


def test_select_parameters(dynamodb, music):
    # API_ExecuteStatement.html: Parameters, one per `?`, in order.
    r = execute(
        dynamodb,
        f'SELECT SongTitle FROM "{music}" WHERE Artist = ? AND "Year" > ?',
        [{"S": "Acme Band"}, {"N": "2019"}],
    )
    assert titles(r["Items"]) == ["PartiQL Rocks", "Zebra"]


def test_select_limit_and_next_token(dynamodb, music):
    # API_ExecuteStatement.html: Limit is the number of items evaluated;
    # NextToken continues the read.
    stmt = f'SELECT SongTitle FROM "{music}" WHERE Artist = \'Acme Band\''
    seen, token, pages = [], None, 0
    while True:
        kw = {"Limit": 2}
        if token:
            kw["NextToken"] = token
        r = execute(dynamodb, stmt, **kw)
        pages += 1
        seen += [i["SongTitle"]["S"] for i in r["Items"]]
        token = r.get("NextToken")
        if not token:
            break
    assert seen == ["Happy Day", "PartiQL Rocks", "Zebra"]
    assert pages == 2
    # A scan pages the same way.
    seen, token = [], None
    while True:
        kw = {"Limit": 1, "Statement": f'SELECT * FROM "{music}"'}
        if token:
            kw["NextToken"] = token
        r = dynamodb.execute_statement(**kw)
        assert len(r["Items"]) <= 1
        seen += r["Items"]
        token = r.get("NextToken")
        if not token:
            break
    assert len(seen) == 4


def test_select_consistent_read_capacity(dynamodb, music):
    # API_ExecuteStatement.html: ConsistentRead; a strongly consistent read
    # costs twice an eventually consistent one.
    stmt = f"SELECT * FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"
    weak = execute(dynamodb, stmt, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]["CapacityUnits"]
    strong = execute(dynamodb, stmt, ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 2 * weak


def test_select_errors(dynamodb, music):
    # ql-reference.select.html; API_ExecuteStatement.html (ResourceNotFoundException).
    with expect_error("ResourceNotFoundException"):
        execute(dynamodb, 'SELECT * FROM "no-such-table"')
    with expect_validation(message="The table does not have the specified index: nope"):
        execute(dynamodb, f'SELECT * FROM "{music}"."nope"')
    with expect_validation(message="Number of parameters in request and statement don't match."):
        execute(dynamodb, f'SELECT * FROM "{music}" WHERE Artist = ?')
    with expect_validation(message="Number of parameters in request and statement don't match."):
        execute(dynamodb, f'SELECT * FROM "{music}"', [{"S": "x"}])
    with expect_validation(match="^" + MALFORMED):
        execute(dynamodb, f'SELEKT * FROM "{music}"')
    with expect_validation(match="^" + MALFORMED):
        execute(dynamodb, f"SELECT * FROM \"{music}\" WHERE Artist = 'unterminated")
    with expect_validation(match="^" + MALFORMED):
        execute(dynamodb, f'SELECT * FROM "{music}" WHERE')
    with expect_validation(match="ORDER BY"):
        execute(dynamodb, f'SELECT * FROM "{music}" ORDER BY SongTitle')
    with expect_validation(match="Consistent reads are not supported on global secondary indexes"):
        execute(dynamodb, f"SELECT * FROM \"{music}\".\"by-genre\" WHERE Genre = 'Pop'", ConsistentRead=True)


def test_statement_length_is_checked_by_the_server(raw_client, music):
    # API_ExecuteStatement.html: Statement length 1..8192.
    long = f'SELECT * FROM "{music}" WHERE Artist = \'' + "x" * 8200 + "'"
    with expect_validation(match="Member must have length less than or equal to 8192"):
        raw_client.execute_statement(Statement=long)


# ---- INSERT ----------------------------------------------------------------------------


def test_insert_and_duplicate_item(dynamodb, music):
    # ql-reference.insert.html: INSERT INTO table VALUE item; an existing key is
    # DuplicateItemException.
    r = execute(
        dynamodb,
        f"INSERT INTO \"{music}\" VALUE {{'Artist': 'New', 'SongTitle': 'One', 'n': 1.50, "
        "'ok': TRUE, 'nothing': NULL, 'l': [1, 'two'], 'm': {'k': 'v'}, 'ss': <<'a', 'b'>>, "
        "'ns': <<1, 2>>, 'bin': ?}",
        [{"B": b"\x00\x01"}],
    )
    assert r["Items"] == []
    item = dynamodb.get_item(TableName=music, Key={"Artist": {"S": "New"}, "SongTitle": {"S": "One"}})["Item"]
    assert item["n"] == {"N": "1.5"}
    assert item["ok"] == {"BOOL": True}
    assert item["nothing"] == {"NULL": True}
    assert item["l"] == {"L": [{"N": "1"}, {"S": "two"}]}
    assert item["m"] == {"M": {"k": {"S": "v"}}}
    assert sorted(item["ss"]["SS"]) == ["a", "b"]
    assert sorted(item["ns"]["NS"]) == ["1", "2"]
    assert item["bin"] == {"B": b"\x00\x01"}
    with expect_error("DuplicateItemException", message="Duplicate primary key exists in table"):
        execute(dynamodb, f"INSERT INTO \"{music}\" VALUE {{'Artist': 'New', 'SongTitle': 'One'}}")
    with expect_validation(match="Missing the key SongTitle in the item"):
        execute(dynamodb, f"INSERT INTO \"{music}\" VALUE {{'Artist': 'New'}}")


def test_insert_into_a_table_with_an_index_maintains_it(dynamodb, music):
    # ql-reference.insert.html: an INSERT is an item write like PutItem's; the
    # GSI sees it.
    execute(dynamodb, f"INSERT INTO \"{music}\" VALUE {{'Artist': 'I', 'SongTitle': 'S', 'Genre': 'Jazz', 'Year': 1999}}")
    r = execute(dynamodb, f"SELECT Artist FROM \"{music}\".\"by-genre\" WHERE Genre = 'Jazz'")
    assert r["Items"] == [{"Artist": {"S": "I"}}]


# ---- UPDATE ----------------------------------------------------------------------------


def key(artist, title):
    return {"Artist": {"S": artist}, "SongTitle": {"S": title}}


def test_update_set_remove_and_returning(dynamodb, music):
    # ql-reference.update.html: SET, REMOVE, arithmetic, RETURNING.
    where = "WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks'"
    r = execute(
        dynamodb,
        f"UPDATE \"{music}\" SET AwardsWon = 1 SET AwardDetail = {{'Grammys': [2020, 2018]}} {where} "
        "RETURNING ALL NEW *",
    )
    assert r["Items"][0]["AwardsWon"] == {"N": "1"}
    assert r["Items"][0]["AwardDetail"] == {"M": {"Grammys": {"L": [{"N": "2020"}, {"N": "2018"}]}}}
    assert r["Items"][0]["Genre"] == {"S": "Rock"}
    r = execute(dynamodb, f'UPDATE "{music}" SET AwardsWon = AwardsWon + 2 {where} RETURNING MODIFIED NEW *')
    assert r["Items"] == [{"AwardsWon": {"N": "3"}}]
    r = execute(dynamodb, f'UPDATE "{music}" SET AwardsWon = AwardsWon - 1 {where} RETURNING MODIFIED OLD *')
    assert r["Items"] == [{"AwardsWon": {"N": "3"}}]
    r = execute(dynamodb, f'UPDATE "{music}" REMOVE AwardDetail {where} RETURNING ALL OLD *')
    assert "AwardDetail" in r["Items"][0]
    r = execute(dynamodb, f"UPDATE \"{music}\" SET Info.tags[0] = 'first' {where}")
    assert r["Items"] == []
    item = dynamodb.get_item(TableName=music, Key=key("Acme Band", "PartiQL Rocks"))["Item"]
    assert "AwardDetail" not in item
    assert item["AwardsWon"] == {"N": "2"}
    assert item["Info"]["M"]["tags"]["L"][0] == {"S": "first"}


def test_update_list_append_set_add_set_delete(dynamodb, music):
    # ql-reference.update.html: LIST_APPEND, SET_ADD, SET_DELETE.
    where = "WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"
    execute(dynamodb, f"UPDATE \"{music}\" SET Info.tags = list_append(Info.tags, ['y']) {where}")
    execute(dynamodb, f"UPDATE \"{music}\" SET labels = <<'a', 'b'>> {where}")
    execute(dynamodb, f"UPDATE \"{music}\" SET labels = set_add(labels, <<'c'>>) {where}")
    execute(dynamodb, f"UPDATE \"{music}\" SET labels = set_delete(labels, <<'a'>>) {where}")
    item = dynamodb.get_item(TableName=music, Key=key("Acme Band", "Zebra"))["Item"]
    assert item["Info"]["M"]["tags"]["L"] == [{"S": "z"}, {"S": "y"}]
    assert sorted(item["labels"]["SS"]) == ["b", "c"]


def test_update_conditions_and_missing_items(dynamodb, music):
    # ql-reference.update.html: "If the WHERE clause of the UPDATE statement does
    # not evaluate to true for any item ... ConditionalCheckFailedException";
    # the condition must resolve to a single primary key value.
    with expect_error("ConditionalCheckFailedException", message="The conditional request failed"):
        execute(dynamodb, f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Nobody' AND SongTitle = 'x'")
    assert "Item" not in dynamodb.get_item(TableName=music, Key=key("Nobody", "x"))
    with expect_error("ConditionalCheckFailedException"):
        execute(
            dynamodb,
            f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra' AND Genre = 'Pop'",
        )
    execute(
        dynamodb,
        f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra' AND Genre = 'Rock'",
    )
    with expect_validation(message="Where clause does not contain a mandatory equality on all key attributes"):
        execute(dynamodb, f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Acme Band'")
    with expect_validation(match="Cannot update attribute SongTitle. This attribute is part of the key"):
        execute(dynamodb, f"UPDATE \"{music}\" SET SongTitle = 'y' WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'")


def test_return_values_on_condition_check_failure(endpoint, music):
    # API_ExecuteStatement.html: ReturnValuesOnConditionCheckFailure ALL_OLD
    # (newer than this machine's botocore model: sent as raw JSON).
    r = raw_call(
        endpoint,
        "ExecuteStatement",
        {
            "Statement": f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra' AND Genre = 'Pop'",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    assert r.status_code == 400
    body = r.json()
    assert error_type(body) == "ConditionalCheckFailedException"
    assert body["Item"]["Genre"] == {"S": "Rock"}


# ---- DELETE ----------------------------------------------------------------------------


def test_delete(dynamodb, music):
    # ql-reference.delete.html: DELETE FROM table WHERE key; RETURNING ALL OLD *;
    # no item with the key deletes nothing; a false condition on an existing
    # item is ConditionalCheckFailedException.
    r = execute(
        dynamodb,
        f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Happy Day' RETURNING ALL OLD *",
    )
    assert r["Items"][0]["Genre"] == {"S": "Pop"}
    assert "Item" not in dynamodb.get_item(TableName=music, Key=key("Acme Band", "Happy Day"))
    r = execute(dynamodb, f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Happy Day'")
    assert r["Items"] == []
    with expect_error("ConditionalCheckFailedException"):
        execute(
            dynamodb,
            f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra' AND \"Year\" < 2000",
        )
    assert "Item" in dynamodb.get_item(TableName=music, Key=key("Acme Band", "Zebra"))
    with expect_validation(message="Where clause does not contain a mandatory equality on all key attributes"):
        execute(dynamodb, f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band'")


def test_writes_through_partiql_reach_the_stream(dynamodb, streams, table_factory):
    # ql-reference.insert.html / update / delete: item writes like PutItem's,
    # UpdateItem's and DeleteItem's, so the table's stream records them.
    t = table_factory(StreamSpecification=STREAM)
    execute(dynamodb, f"INSERT INTO \"{t}\" VALUE {{'pk': 'a', 'v': 1}}")
    execute(dynamodb, f"UPDATE \"{t}\" SET v = v + 1 WHERE pk = 'a'")
    execute(dynamodb, f"DELETE FROM \"{t}\" WHERE pk = 'a'")
    arn = stream_arn(dynamodb, t)
    records = [r for shard in shards_of(streams, arn) for r in read_shard(streams, arn, shard["ShardId"])]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert records[1]["dynamodb"]["NewImage"]["v"] == {"N": "2"}


# ---- ExecuteTransaction ----------------------------------------------------------------


def test_transaction_writes_all_or_nothing(dynamodb, music):
    # ql-reference.multiplestatements.transactions.html: a write transaction.
    r = dynamodb.execute_transaction(
        TransactStatements=[
            {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'T', 'SongTitle': 'one'}}"},
            {
                "Statement": f'UPDATE "{music}" SET plays = ? WHERE Artist = ? AND SongTitle = ?',
                "Parameters": [{"N": "7"}, {"S": "Acme Band"}, {"S": "Zebra"}],
            },
            {"Statement": f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Happy Day'"},
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ConsumedCapacity"][0]["TableName"] == music
    assert "Item" in dynamodb.get_item(TableName=music, Key=key("T", "one"))
    assert dynamodb.get_item(TableName=music, Key=key("Acme Band", "Zebra"))["Item"]["plays"] == {"N": "7"}
    assert "Item" not in dynamodb.get_item(TableName=music, Key=key("Acme Band", "Happy Day"))
    # A failing statement cancels the others: reasons in statement order.
    with expect_error("TransactionCanceledException") as ei:
        dynamodb.execute_transaction(
            TransactStatements=[
                {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'T', 'SongTitle': 'two'}}"},
                {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'T', 'SongTitle': 'one'}}"},
            ]
        )
    reasons = ei.value.response["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1]["Code"] == "DuplicateItem"
    assert "Item" not in dynamodb.get_item(TableName=music, Key=key("T", "two"))


def test_transaction_exists_condition_check(dynamodb, music):
    # ql-functions.exists.html: EXISTS(SELECT ...) as TransactWriteItems'
    # ConditionCheck.
    check = f"EXISTS(SELECT * FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra' AND Genre = 'Rock')"
    dynamodb.execute_transaction(
        TransactStatements=[
            {"Statement": check},
            {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'E', 'SongTitle': 'x'}}"},
        ]
    )
    assert "Item" in dynamodb.get_item(TableName=music, Key=key("E", "x"))
    with expect_error("TransactionCanceledException") as ei:
        dynamodb.execute_transaction(
            TransactStatements=[
                {"Statement": check.replace("'Rock'", "'Pop'")},
                {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'E', 'SongTitle': 'y'}}"},
            ]
        )
    assert [r["Code"] for r in ei.value.response["CancellationReasons"]] == ["ConditionalCheckFailed", "None"]
    with expect_validation(match="EXISTS"):
        execute(dynamodb, check)


def test_transaction_reads(dynamodb, music):
    # ql-reference.multiplestatements.transactions.html: a read transaction
    # returns one response per statement, in order.
    r = dynamodb.execute_transaction(
        TransactStatements=[
            {"Statement": f"SELECT SongTitle, Genre FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"},
            {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = 'Nobody' AND SongTitle = 'x'"},
        ]
    )
    assert r["Responses"] == [{"Item": {"SongTitle": {"S": "Zebra"}, "Genre": {"S": "Rock"}}}, {}]


def test_transaction_errors(dynamodb, music):
    # API_ExecuteTransaction.html: reads and writes may not be mixed; every
    # statement names one item.
    with expect_validation(match="only read statements or only write statements"):
        dynamodb.execute_transaction(
            TransactStatements=[
                {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = 'a' AND SongTitle = 'b'"},
                {"Statement": f"DELETE FROM \"{music}\" WHERE Artist = 'a' AND SongTitle = 'b'"},
            ]
        )
    with expect_validation(message="Where clause does not contain a mandatory equality on all key attributes"):
        dynamodb.execute_transaction(
            TransactStatements=[{"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = 'a'"}]
        )
    with expect_validation(message="Transaction request cannot include multiple operations on one item"):
        dynamodb.execute_transaction(
            TransactStatements=[
                {"Statement": f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"},
                {"Statement": f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"},
            ]
        )
    with expect_validation(match="^" + MALFORMED):
        dynamodb.execute_transaction(TransactStatements=[{"Statement": "UPDATE"}])


def test_transaction_client_request_token_is_idempotent(dynamodb, music):
    # API_ExecuteTransaction.html: ClientRequestToken makes the call idempotent.
    stmts = [{"Statement": f"UPDATE \"{music}\" SET n = n + 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"}]
    execute(dynamodb, f"UPDATE \"{music}\" SET n = 0 WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'")
    for _ in range(2):
        dynamodb.execute_transaction(TransactStatements=stmts, ClientRequestToken="token-1")
    assert dynamodb.get_item(TableName=music, Key=key("Acme Band", "Zebra"))["Item"]["n"] == {"N": "1"}


# ---- BatchExecuteStatement -------------------------------------------------------------


def test_batch_reads(dynamodb, music):
    # ql-reference.multiplestatements.batching.html: each SELECT names one item
    # by its whole key; responses in statement order.
    r = dynamodb.batch_execute_statement(
        Statements=[
            {"Statement": f"SELECT SongTitle FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Zebra'"},
            {"Statement": f'SELECT * FROM "{music}" WHERE Artist = ? AND SongTitle = ?', "Parameters": [{"S": "x"}, {"S": "y"}]},
            {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = 'Acme Band'"},
        ]
    )["Responses"]
    assert r[0] == {"TableName": music, "Item": {"SongTitle": {"S": "Zebra"}}}
    assert r[1] == {"TableName": music}
    assert r[2]["Error"]["Code"] == "ValidationError"
    assert r[2]["Error"]["Message"] == "Where clause does not contain a mandatory equality on all key attributes"


def test_batch_writes_report_errors_per_statement(dynamodb, music):
    # API_BatchExecuteStatement.html: "A HTTP 200 response does not mean that all
    # statements ... succeeded"; API_BatchStatementError.html: Code and Message.
    r = dynamodb.batch_execute_statement(
        Statements=[
            {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'B', 'SongTitle': '1'}}"},
            {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'Acme Band', 'SongTitle': 'Zebra'}}"},
            {"Statement": f"UPDATE \"{music}\" SET a = 1 WHERE Artist = 'Nobody' AND SongTitle = 'x'"},
            {"Statement": f"DELETE FROM \"{music}\" WHERE Artist = 'Acme Band' AND SongTitle = 'Happy Day'"},
            {"Statement": "INSERT INTO \"no-such-table\" VALUE {'a': 1}"},
            {"Statement": "INSERT INTO"},
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    resp = r["Responses"]
    assert resp[0] == {"TableName": music}
    assert resp[1]["Error"] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert resp[2]["Error"]["Code"] == "ConditionalCheckFailed"
    assert resp[3] == {"TableName": music}
    assert resp[4]["Error"]["Code"] == "ResourceNotFound"
    assert resp[5]["Error"]["Code"] == "ValidationError"
    assert resp[5]["Error"]["Message"].startswith(MALFORMED)
    assert "Item" in dynamodb.get_item(TableName=music, Key=key("B", "1"))
    assert "Item" not in dynamodb.get_item(TableName=music, Key=key("Acme Band", "Happy Day"))
    assert r["ConsumedCapacity"][0]["TableName"] == music
    assert r["ConsumedCapacity"][0]["CapacityUnits"] >= 2


def test_batch_may_not_mix_reads_and_writes(dynamodb, music):
    # ql-reference.multiplestatements.batching.html: "The entire batch must
    # consist of either read statements or write statements".
    with expect_validation(match="only read statements or only write statements"):
        dynamodb.batch_execute_statement(
            Statements=[
                {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = 'a' AND SongTitle = 'b'"},
                {"Statement": f"DELETE FROM \"{music}\" WHERE Artist = 'a' AND SongTitle = 'b'"},
            ]
        )


def test_batch_and_transaction_list_limits(raw_client, music):
    # API_BatchExecuteStatement.html: 1..25 statements;
    # API_ExecuteTransaction.html: 1..100.
    one = {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = 'a' AND SongTitle = 'b'"}
    with expect_validation(match="Member must have length less than or equal to 25"):
        raw_client.batch_execute_statement(Statements=[one] * 26)
    with expect_validation(match="Member must have length greater than or equal to 1"):
        raw_client.batch_execute_statement(Statements=[])
    with expect_validation(match="Member must have length less than or equal to 100"):
        raw_client.execute_transaction(TransactStatements=[one] * 101)


# ---- Access control ----------------------------------------------------------------------


@pytest.mark.local_only
def test_permissions_follow_the_statement(tmp_path):
    # ql-iam.html: PartiQL statements need the permission of what they do on
    # their table (here: this server's read / write groups of a credentials
    # file, README "Credentials file").
    from access_util import client as keyed_client
    from access_util import write_credentials_file
    from wire_util import ServerProcess

    srv = ServerProcess(["--in-memory", "--credentials", write_credentials_file(tmp_path)])
    try:
        admin = keyed_client(srv.url, "AKIDADMIN")
        admin.create_table(
            TableName="cruddur-messages",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ro = keyed_client(srv.url, "AKIDREADONLY")
        ro.execute_statement(Statement="SELECT * FROM \"cruddur-messages\"")
        ro.execute_transaction(
            TransactStatements=[{"Statement": "SELECT * FROM \"cruddur-messages\" WHERE pk = 'a'"}]
        )
        for call in (
            lambda: ro.execute_statement(Statement="INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a'}"),
            lambda: ro.execute_statement(Statement="DELETE FROM \"cruddur-messages\" WHERE pk = 'a'"),
            lambda: ro.batch_execute_statement(
                Statements=[{"Statement": "UPDATE \"cruddur-messages\" SET a = 1 WHERE pk = 'a'"}]
            ),
            lambda: ro.execute_transaction(
                TransactStatements=[{"Statement": "INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a'}"}]
            ),
        ):
            with expect_error("AccessDeniedException"):
                call()
        # A key scoped to cruddur-* reads only those tables.
        admin.create_table(
            TableName="other-table",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        svc = keyed_client(srv.url, "AKIDMESSAGES")
        svc.execute_statement(Statement="INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a'}")
        with expect_error("AccessDeniedException"):
            svc.execute_statement(Statement="SELECT * FROM \"other-table\"")
        assert admin.get_item(TableName="cruddur-messages", Key={"pk": {"S": "a"}})["Item"]
    finally:
        srv.stop()
