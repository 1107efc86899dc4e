"""Durability: data survives a restart; every acknowledged write survives
`kill -9`; --in-memory keeps nothing. These tests start their own servers."""

import threading
import time

import pytest
from botocore.exceptions import ClientError

from wire_util import ServerProcess, create_table, random_key

pytestmark = pytest.mark.local_only


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def test_restart_persistence(tmp_path, durable_servers, client_for):
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c, hash_key=("pk", "S"), range_key=("sk", "N"), Tags=[{"Key": "k", "Value": "v"}])
    other = create_table(
        c, BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}
    )
    desc = c.describe_table(TableName=name)["Table"]
    item = {
        "pk": S("a"),
        "sk": N("1.50"),
        "b": {"B": b"\x00\xff"},
        "t": {"BOOL": True},
        "z": {"NULL": True},
        "m": {"M": {"l": {"L": [S("x"), N(2)]}}},
        "ss": {"SS": ["p", "q"]},
        "ns": {"NS": ["7"]},
        "bs": {"BS": [b"\x01"]},
    }
    c.put_item(TableName=name, Item=item)
    for i in range(50):
        c.put_item(TableName=name, Item={"pk": S("many"), "sk": N(i)})
    c.update_item(TableName=name, Key={"pk": S("a"), "sk": N("1.5")}, UpdateExpression="ADD cnt :one", ExpressionAttributeValues={":one": N(1)})
    c.put_item(TableName=name, Item={"pk": S("gone"), "sk": N(0)})
    c.delete_item(TableName=name, Key={"pk": S("gone"), "sk": N(0)})
    dropped = create_table(c)
    c.delete_table(TableName=dropped)
    assert srv.stop() == 0, srv.log()

    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    tables = c2.list_tables()["TableNames"]
    assert name in tables and other in tables and dropped not in tables
    d2 = c2.describe_table(TableName=name)["Table"]
    for field in ("TableArn", "KeySchema", "AttributeDefinitions", "CreationDateTime", "TableId"):
        assert d2[field] == desc[field], field
    assert c2.describe_table(TableName=other)["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"] == 4
    assert c2.list_tags_of_resource(ResourceArn=d2["TableArn"])["Tags"] == [{"Key": "k", "Value": "v"}]
    got = c2.get_item(TableName=name, Key={"pk": S("a"), "sk": N(1.5)}, ConsistentRead=True)["Item"]
    assert got["cnt"] == N(1)
    assert got["sk"] == N("1.5")
    assert got["m"] == item["m"] and got["b"] == item["b"] and sorted(got["ss"]["SS"]) == ["p", "q"]
    r = c2.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S("many")})
    assert [int(i["sk"]["N"]) for i in r["Items"]] == list(range(50))
    assert "Item" not in c2.get_item(TableName=name, Key={"pk": S("gone"), "sk": N(0)}, ConsistentRead=True)
    # and the restarted server takes writes
    c2.put_item(TableName=name, Item={"pk": S("after"), "sk": N(1)})


def test_kill9_keeps_acknowledged_writes(tmp_path, durable_servers, client_for):
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c)
    c.put_item(TableName=name, Item={"pk": S("counter"), "n": N(0)})

    acked_puts = []
    acked_adds = [0]
    lock = threading.Lock()
    stop = threading.Event()

    def putter(tid):
        cl = client_for(srv.url)
        i = 0
        while not stop.is_set():
            k = f"t{tid}-{i}"
            try:
                cl.put_item(TableName=name, Item={"pk": S(k), "v": S("x" * 200)})
            except Exception:
                return  # server gone: this write was not acknowledged
            with lock:
                acked_puts.append(k)
            i += 1

    def adder():
        cl = client_for(srv.url)
        while not stop.is_set():
            try:
                cl.update_item(
                    TableName=name, Key={"pk": S("counter")}, UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": N(1)}
                )
            except Exception:
                return
            with lock:
                acked_adds[0] += 1

    threads = [threading.Thread(target=putter, args=(t,)) for t in range(4)] + [threading.Thread(target=adder)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    with lock:
        assert len(acked_puts) > 20, "writes should be flowing before the kill"
    srv.kill9()  # SIGKILL while writes are in flight
    stop.set()
    for t in threads:
        t.join(30)
    with lock:
        puts = list(acked_puts)
        adds = acked_adds[0]

    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    present = set()
    kw = {"TableName": name, "ConsistentRead": True}
    while True:
        r = c2.scan(**kw)
        present.update(i["pk"]["S"] for i in r["Items"])
        if "LastEvaluatedKey" not in r:
            break
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]
    missing = [k for k in puts if k not in present]
    assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}"
    n = int(c2.get_item(TableName=name, Key={"pk": S("counter")}, ConsistentRead=True)["Item"]["n"]["N"])
    # every acknowledged ADD is there; at most one unacknowledged one (in flight at the kill) too
    assert adds <= n <= adds + 1


def _add_one(name, key="counter"):
    return [{"Update": {"TableName": name, "Key": {"pk": S(key)}, "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": N(1)}}}]


def test_client_request_token_survives_a_clean_restart(tmp_path, durable_servers, client_for):
    """A TransactWriteItems token is stored with its transaction: after a
    restart within its ten minutes a replay still does not run again, and
    other parameters are still a mismatch."""
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c)
    c.transact_write_items(TransactItems=_add_one(name), ClientRequestToken="restart-token")
    assert srv.stop() == 0, srv.log()

    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    c2.transact_write_items(TransactItems=_add_one(name), ClientRequestToken="restart-token")
    assert c2.get_item(TableName=name, Key={"pk": S("counter")}, ConsistentRead=True)["Item"]["n"] == N(1)
    with pytest.raises(ClientError) as e:
        c2.transact_write_items(TransactItems=_add_one(name, "other"), ClientRequestToken="restart-token")
    assert e.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"


def test_kill9_keeps_acknowledged_client_request_tokens(tmp_path, durable_servers, client_for):
    """Transactions with fresh tokens run until kill -9; after the restart a
    replay of every acknowledged one changes nothing."""
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c)
    acked = []
    stop = threading.Event()

    def run():
        cl = client_for(srv.url)
        i = 0
        while not stop.is_set():
            token = f"kill9-{i}"
            try:
                cl.transact_write_items(TransactItems=_add_one(name), ClientRequestToken=token)
            except Exception:
                return  # server gone: not acknowledged
            acked.append(token)
            i += 1

    th = threading.Thread(target=run)
    th.start()
    time.sleep(1.5)
    assert len(acked) > 5, "transactions should be flowing before the kill"
    srv.kill9()
    stop.set()
    th.join(30)

    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)

    def counter():
        return int(c2.get_item(TableName=name, Key={"pk": S("counter")}, ConsistentRead=True)["Item"]["n"]["N"])

    n = counter()
    assert len(acked) <= n <= len(acked) + 1  # at most the one in flight besides
    for token in acked:
        c2.transact_write_items(TransactItems=_add_one(name), ClientRequestToken=token)
    assert counter() == n, "a replayed token ran its transaction again after kill -9"


def test_kill9_right_after_create_table(tmp_path, durable_servers, client_for):
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c)
    c.put_item(TableName=name, Item={"pk": S("k")})
    srv.kill9()
    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    assert c2.get_item(TableName=name, Key={"pk": S("k")}, ConsistentRead=True)["Item"] == {"pk": S("k")}


def test_in_memory_keeps_nothing(client_for):
    srv = ServerProcess(["--in-memory"])
    try:
        c = client_for(srv.url)
        create_table(c, name="mem-" + random_key()[:8])
    finally:
        srv.stop()
    srv = ServerProcess(["--in-memory"])
    try:
        assert client_for(srv.url).list_tables()["TableNames"] == []
    finally:
        srv.stop()


def test_counters_after_clean_stop_and_after_kill9(tmp_path, durable_servers, client_for):
    """ItemCount and TableSizeBytes (table and index) are exact after a clean
    stop (the server saves them; the next start takes them) and after kill -9
    (the next start recounts)."""
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(
        c,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    for i in range(40):
        item = {"pk": S(f"k{i}"), "body": S("x" * i)}
        if i % 4 == 0:
            item["g"] = S("idx")
        c.put_item(TableName=name, Item=item)
    c.delete_item(TableName=name, Key={"pk": S("k0")})

    def counters(client):
        t = client.describe_table(TableName=name)["Table"]
        g = t["GlobalSecondaryIndexes"][0]
        return t["ItemCount"], t["TableSizeBytes"], g["ItemCount"], g["IndexSizeBytes"]

    before = counters(c)
    assert before[0] == 39 and before[2] == 9
    assert srv.stop() == 0, srv.log()

    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    assert counters(c2) == before
    c2.put_item(TableName=name, Item={"pk": S("late"), "g": S("idx")})
    after = counters(c2)
    assert after[0] == 40 and after[2] == 10
    srv2.kill9()

    srv3 = durable_servers.start(db)
    assert counters(client_for(srv3.url)) == after
