"""DynamoDB Streams through boto3's `dynamodbstreams` client: every API, view
type, iterator type and error; shard rollover; a consumer following the stream
under concurrent writes; no acknowledged change's record lost to `kill -9`; and
the Cruddur reference's stream function as a test helper."""

import os
import threading
import time

import pytest

from conftest import make_client
from stream_util import (  # noqa: F401  (streams is a fixture)
    STREAM,
    cruddur_stream_function,
    group_items,
    messages_table,
    put_inbox_item,
    put_message,
    read_shard,
    read_stream,
    shard_iterator,
    shards_of,
    stream_arn,
    streams,
)
from wire_util import N, S, ServerProcess, create_table, error_message, error_of, error_type, raw_call, unique_name


@pytest.fixture(scope="session")
def raw_streams(endpoint):
    return make_client(endpoint, service="dynamodbstreams", validate=False)


class Follower:
    """Follows a stream from TRIM_HORIZON across shard rollovers, like a
    Lambda poller: one iterator per shard, children after their parents."""

    def __init__(self, st, arn):
        self.st, self.arn = st, arn
        self.records = []
        self.iters = {}  # shard id -> iterator (None = finished)

    def poll(self):
        got = 0
        for sh in shards_of(self.st, self.arn):
            sid = sh["ShardId"]
            if sid not in self.iters:
                parent = sh.get("ParentShardId")
                if parent in self.iters and self.iters[parent] is not None:
                    continue  # read the parent to its end first
                self.iters[sid] = shard_iterator(self.st, self.arn, sid)
            while self.iters[sid]:
                r = self.st.get_records(ShardIterator=self.iters[sid], Limit=1000)
                self.records.extend(r["Records"])
                got += len(r["Records"])
                self.iters[sid] = r.get("NextShardIterator")
                if not r["Records"]:
                    break
        return got


def test_records_for_each_change(dynamodb, streams, table_factory):
    name = table_factory(StreamSpecification=STREAM)
    arn = stream_arn(dynamodb, name)
    assert arn.startswith(f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}/stream/")
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})  # identical: no record
    dynamodb.update_item(
        TableName=name, Key={"pk": S("a")}, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": N(2)}
    )
    dynamodb.delete_item(TableName=name, Key={"pk": S("a")})
    dynamodb.delete_item(TableName=name, Key={"pk": S("a")})  # absent: no record
    t0 = time.time()
    recs = read_stream(streams, arn)
    assert time.time() - t0 < 5
    assert [r["eventName"] for r in recs] == ["INSERT", "MODIFY", "REMOVE"]
    for r in recs:
        assert r["eventVersion"] == "1.1" and r["eventSource"] == "aws:dynamodb" and r["awsRegion"] == "us-east-1"
        assert len(r["eventID"]) == 32
        d = r["dynamodb"]
        assert d["Keys"] == {"pk": S("a")}
        assert d["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert len(d["SequenceNumber"]) >= 21 and d["SequenceNumber"].isdigit()
        assert d["SizeBytes"] > 0
        assert abs(d["ApproximateCreationDateTime"].timestamp() - time.time()) < 120
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in recs]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert "OldImage" not in recs[0]["dynamodb"] and recs[0]["dynamodb"]["NewImage"]["v"] == N(1)
    assert recs[1]["dynamodb"]["OldImage"]["v"] == N(1) and recs[1]["dynamodb"]["NewImage"]["v"] == N(2)
    assert "NewImage" not in recs[2]["dynamodb"] and recs[2]["dynamodb"]["OldImage"]["v"] == N(2)


# Readable within 100 ms of the acknowledgement: test_streams_limits.py
# (median over several trials, so that a loaded machine does not fail it).


@pytest.mark.parametrize("view", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"])
def test_view_types(dynamodb, streams, table_factory, view):
    name = table_factory(range_key=("sk", "N"), StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "sk": N(1), "v": S("old")})
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "sk": N(1), "v": S("new")})
    recs = read_stream(streams, stream_arn(dynamodb, name))
    assert len(recs) == 2
    d = recs[1]["dynamodb"]
    assert d["StreamViewType"] == view
    assert d["Keys"] == {"pk": S("a"), "sk": N(1)}
    assert ("NewImage" in d) == (view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"))
    assert ("OldImage" in d) == (view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES"))
    if "NewImage" in d:
        assert d["NewImage"]["v"] == S("new")
    if "OldImage" in d:
        assert d["OldImage"]["v"] == S("old")


def test_iterator_types_and_paging(dynamodb, streams, table_factory):
    name = table_factory(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn = stream_arn(dynamodb, name)
    for i in range(5):
        dynamodb.put_item(TableName=name, Item={"pk": S(f"k{i}")})
    sid = shards_of(streams, arn)[0]["ShardId"]
    allr = read_shard(streams, arn, sid)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in allr] == [f"k{i}" for i in range(5)]
    s2 = allr[2]["dynamodb"]["SequenceNumber"]
    at = read_shard(streams, arn, sid, "AT_SEQUENCE_NUMBER", SequenceNumber=s2)
    after = read_shard(streams, arn, sid, "AFTER_SEQUENCE_NUMBER", SequenceNumber=s2)
    assert [r["dynamodb"]["SequenceNumber"] for r in at] == [r["dynamodb"]["SequenceNumber"] for r in allr[2:]]
    assert len(after) == 2
    it = shard_iterator(streams, arn, sid, "LATEST")
    r = streams.get_records(ShardIterator=it)
    assert r["Records"] == [] and r["NextShardIterator"]
    dynamodb.put_item(TableName=name, Item={"pk": S("later")})
    r = streams.get_records(ShardIterator=r["NextShardIterator"])
    assert [x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]] == ["later"]
    it = shard_iterator(streams, arn, sid)
    page = streams.get_records(ShardIterator=it, Limit=2)
    assert len(page["Records"]) == 2
    rest = streams.get_records(ShardIterator=page["NextShardIterator"], Limit=1000)
    assert len(rest["Records"]) == 4


def test_describe_and_list_streams(dynamodb, streams, table_factory):
    a = table_factory(range_key=("sk", "S"), StreamSpecification=STREAM)
    b = table_factory(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn_a = stream_arn(dynamodb, a)
    d = streams.describe_stream(StreamArn=arn_a)["StreamDescription"]
    assert d["StreamArn"] == arn_a and d["TableName"] == a and d["StreamStatus"] == "ENABLED"
    assert d["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert d["StreamLabel"] == dynamodb.describe_table(TableName=a)["Table"]["LatestStreamLabel"]
    assert d["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert len(d["Shards"]) == 1
    sh = d["Shards"][0]
    assert sh["ShardId"].startswith("shardId-") and "EndingSequenceNumber" not in sh["SequenceNumberRange"]
    assert len(sh["SequenceNumberRange"]["StartingSequenceNumber"]) >= 21
    mine = streams.list_streams(TableName=a)["Streams"]
    assert mine == [{"StreamArn": arn_a, "TableName": a, "StreamLabel": d["StreamLabel"]}]
    # Pagination over all streams.
    seen, kw = [], {"Limit": 1}
    while True:
        r = streams.list_streams(**kw)
        assert len(r["Streams"]) <= 1
        seen.extend(s["StreamArn"] for s in r["Streams"])
        if "LastEvaluatedStreamArn" not in r:
            break
        kw["ExclusiveStartStreamArn"] = r["LastEvaluatedStreamArn"]
    assert arn_a in seen and stream_arn(dynamodb, b) in seen and len(seen) == len(set(seen))


def test_disable_and_reenable(dynamodb, streams, table_factory):
    name = table_factory(StreamSpecification=STREAM)
    arn1 = stream_arn(dynamodb, name)
    dynamodb.put_item(TableName=name, Item={"pk": S("a")})
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert "StreamSpecification" not in dynamodb.describe_table(TableName=name)["Table"]
    dynamodb.put_item(TableName=name, Item={"pk": S("b")})
    d = streams.describe_stream(StreamArn=arn1)["StreamDescription"]
    assert d["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in d["Shards"][-1]["SequenceNumberRange"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn1)] == ["a"]
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn2 = stream_arn(dynamodb, name)
    assert arn2 != arn1
    dynamodb.put_item(TableName=name, Item={"pk": S("c")})
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn2)] == ["c"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn1)] == ["a"]  # still readable
    listed = {s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]}
    assert listed == {arn1, arn2}
    assert streams.describe_stream(StreamArn=arn2)["StreamDescription"]["StreamStatus"] == "ENABLED"


def test_errors(dynamodb, streams, raw_streams, table_factory):
    name = table_factory(StreamSpecification=STREAM)
    arn = stream_arn(dynamodb, name)
    dynamodb.put_item(TableName=name, Item={"pk": S("a")})
    sid = shards_of(streams, arn)[0]["ShardId"]
    bogus = arn.rsplit("/", 1)[0] + "/1999-01-01T00:00:00.000"

    def err(fn, **kw):
        return error_of(fn, **kw)["Error"]

    e = err(streams.describe_stream, StreamArn=bogus)
    assert e["Code"] == "ResourceNotFoundException" and bogus in e["Message"]
    assert err(streams.get_shard_iterator, StreamArn=bogus, ShardId=sid, ShardIteratorType="LATEST")["Code"] == (
        "ResourceNotFoundException"
    )
    assert err(
        streams.get_shard_iterator,
        StreamArn=arn,
        ShardId="shardId-00000000000000000001-00000000",
        ShardIteratorType="LATEST",
    )["Code"] == "ResourceNotFoundException"
    assert err(streams.list_streams, TableName="no-such-table-" + unique_name())["Code"] == "ResourceNotFoundException"
    e = err(
        streams.get_shard_iterator,
        StreamArn=arn,
        ShardId=sid,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber="000000000000000000001",
    )
    assert e["Code"] == "TrimmedDataAccessException"
    assert err(raw_streams.get_records, ShardIterator="not-an-iterator")["Code"] == "ValidationException"
    it = shard_iterator(streams, arn, sid)
    assert err(raw_streams.get_records, ShardIterator=it, Limit=1001)["Code"] == "ValidationException"
    assert err(raw_streams.get_shard_iterator, StreamArn=arn, ShardId=sid, ShardIteratorType="SIDEWAYS")["Code"] == (
        "ValidationException"
    )
    assert err(streams.get_shard_iterator, StreamArn=arn, ShardId=sid, ShardIteratorType="AT_SEQUENCE_NUMBER")[
        "Code"
    ] == "ValidationException"
    # Limit must be positive.
    assert err(raw_streams.list_streams, Limit=0)["Code"] == "ValidationException"


@pytest.mark.local_only
def test_shard_rollover(monkeypatch, client_for):
    monkeypatch.setenv("DDB_STREAM_SHARD_SECONDS", "1")
    srv = ServerProcess(["--in-memory"])
    try:
        c = client_for(srv.url)
        st = client_for(srv.url, service="dynamodbstreams")
        name = create_table(c, StreamSpecification=STREAM)
        arn = stream_arn(c, name)
        follower = Follower(st, arn)
        for i in range(6):
            c.put_item(TableName=name, Item={"pk": S("k"), "n": N(i)})
            follower.poll()
            time.sleep(0.45)
        follower.poll()
        shards = shards_of(st, arn)
        assert len(shards) >= 3
        for parent, child in zip(shards, shards[1:]):
            assert child["ParentShardId"] == parent["ShardId"]
            assert int(parent["SequenceNumberRange"]["EndingSequenceNumber"]) < int(
                child["SequenceNumberRange"]["StartingSequenceNumber"]
            )
        assert "EndingSequenceNumber" not in shards[-1]["SequenceNumberRange"]
        assert [int(r["dynamodb"]["NewImage"]["n"]["N"]) for r in follower.records] == list(range(6))
        # Every closed shard, read to its end, gives no next iterator.
        it = shard_iterator(st, arn, shards[0]["ShardId"])
        while it:
            r = st.get_records(ShardIterator=it)
            it = r.get("NextShardIterator")
            if not r["Records"] and it:
                pytest.fail("a closed shard should end without a next iterator")
    finally:
        srv.stop()


WRITES = int(os.environ.get("STREAM_TEST_WRITES", "10000"))


def test_consumer_sees_each_change_once_in_order(endpoint, dynamodb, streams, table_factory):
    name = table_factory(StreamSpecification=STREAM)
    arn = stream_arn(dynamodb, name)
    threads_n, keys_n = 8, 40
    per_thread = WRITES // threads_n
    errors = []

    def writer(t):
        cl = make_client(endpoint)
        try:
            for i in range(per_thread):
                cl.update_item(
                    TableName=name,
                    Key={"pk": S(f"item{(t * 7 + i) % keys_n}")},
                    UpdateExpression="ADD n :one",
                    ExpressionAttributeValues={":one": N(1)},
                )
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    follower = Follower(streams, arn)
    threads = [threading.Thread(target=writer, args=(t,)) for t in range(threads_n)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        follower.poll()
        time.sleep(0.02)
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    deadline = time.time() + 10
    while len(follower.records) < per_thread * threads_n and time.time() < deadline:
        follower.poll()
    recs = follower.records
    assert len(recs) == per_thread * threads_n
    seqs = [r["dynamodb"]["SequenceNumber"] for r in recs]
    assert len(set(seqs)) == len(seqs)
    per_item = {}
    for r in recs:
        per_item.setdefault(r["dynamodb"]["Keys"]["pk"]["S"], []).append(int(r["dynamodb"]["NewImage"]["n"]["N"]))
    for k, ns in per_item.items():
        assert ns == list(range(1, len(ns) + 1)), k  # each change once, in commit order


@pytest.mark.local_only
def test_kill9_loses_no_acknowledged_record(tmp_path, durable_servers, client_for):
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c, StreamSpecification=STREAM)
    arn = stream_arn(c, name)
    acked = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(t):
        cl = client_for(srv.url)
        i = 0
        while not stop.is_set():
            try:
                r = cl.update_item(
                    TableName=name,
                    Key={"pk": S(f"k{t}-{i % 5}")},
                    UpdateExpression="ADD n :one",
                    ExpressionAttributeValues={":one": N(1)},
                    ReturnValues="UPDATED_NEW",
                )
            except Exception:
                return
            with lock:
                acked.append((f"k{t}-{i % 5}", int(r["Attributes"]["n"]["N"])))
            i += 1

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    with lock:
        assert len(acked) > 20
    srv.kill9()
    stop.set()
    for t in threads:
        t.join(30)

    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    st2 = client_for(srv2.url, service="dynamodbstreams")
    recs = read_stream(st2, arn)
    got = {(r["dynamodb"]["Keys"]["pk"]["S"], int(r["dynamodb"]["NewImage"]["n"]["N"])) for r in recs}
    missing = [a for a in acked if a not in got]
    assert not missing, f"{len(missing)} acknowledged changes have no record, e.g. {missing[:5]}"
    per_item = {}
    for r in recs:
        per_item.setdefault(r["dynamodb"]["Keys"]["pk"]["S"], []).append(int(r["dynamodb"]["NewImage"]["n"]["N"]))
    for k, ns in per_item.items():
        assert ns == list(range(1, len(ns) + 1)), k
        # no record invented: the item holds the last recorded value
        item = c2.get_item(TableName=name, Key={"pk": S(k)}, ConsistentRead=True)["Item"]
        assert int(item["n"]["N"]) == ns[-1]
    # the restarted server keeps numbering above the old records
    c2.update_item(
        TableName=name, Key={"pk": S("after")}, UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": N(1)}
    )
    recs2 = read_stream(st2, arn)
    assert recs2[-1]["dynamodb"]["Keys"]["pk"]["S"] == "after"
    assert int(recs2[-1]["dynamodb"]["SequenceNumber"]) > max(int(r["dynamodb"]["SequenceNumber"]) for r in recs)


# ---- The Cruddur reference's stream function (stream_util.py) ----


def test_cruddur_stream_function_refreshes_inboxes(dynamodb, streams, table_factory):
    # The seed's table shape (schema-load): pk/sk, GSI message-group-sk-index.
    name = messages_table(table_factory, StreamSpecification=STREAM)
    group, me, other = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399", "uuid-me", "uuid-other"
    for owner, peer, handle in ((me, other, "bayko"), (other, me, "andrewbrown")):
        put_inbox_item(dynamodb, name, group, owner, peer, handle)
    arn = stream_arn(dynamodb, name)
    follower = Follower(streams, arn)
    follower.poll()
    handled = len(follower.records)  # the seed's own writes
    last_sk = None
    for i in range(25):
        last_sk = f"2023-01-02T00:00:{i:02d}.000000"
        put_message(dynamodb, name, group, last_sk, f"m{i}", me if i % 2 else other, f"message number {i}")
    # Drain the stream through the function until nothing new arrives.
    deadline = time.time() + 20
    while time.time() < deadline:
        follower.poll()
        if handled == len(follower.records):
            break
        for rec in follower.records[handled:]:
            cruddur_stream_function(dynamodb, name, rec)
        handled = len(follower.records)
    inbox = group_items(dynamodb, name, group)
    grp = [i for i in inbox if i["pk"]["S"].startswith("GRP#")]
    assert sorted(i["pk"]["S"] for i in grp) == [f"GRP#{me}", f"GRP#{other}"]
    for i in grp:
        assert i["sk"]["S"] == last_sk
        assert i["message"]["S"] == "message number 24"


def _describe_stream_raw(url, payload):
    """DescribeStream as raw HTTP: the 2022 botocore model has no ShardFilter."""
    r = raw_call(url, "DescribeStream", payload, extra_headers={"X-Amz-Target": "DynamoDBStreams_20120810.DescribeStream"})
    return r.status_code, r.json()


@pytest.mark.local_only
def test_describe_stream_shard_filter_child_shards(monkeypatch, client_for):
    """ShardFilter {Type: CHILD_SHARDS, ShardId}: only the given shard's
    children (API Reference, DescribeStream and ShardFilter: Type in
    [CHILD_SHARDS], ShardId 28..65 characters)."""
    monkeypatch.setenv("DDB_STREAM_SHARD_SECONDS", "1")
    srv = ServerProcess(["--in-memory"])
    try:
        c = client_for(srv.url)
        st = client_for(srv.url, service="dynamodbstreams")
        name = create_table(c, StreamSpecification=STREAM)
        arn = stream_arn(c, name)
        for i in range(3):
            c.put_item(TableName=name, Item={"pk": S("k"), "n": N(i)})
            time.sleep(1.05)
        c.put_item(TableName=name, Item={"pk": S("k"), "n": N(3)})
        shards = shards_of(st, arn)
        assert len(shards) >= 3
        for parent, child in zip(shards, shards[1:]):
            status, body = _describe_stream_raw(
                srv.url, {"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": parent["ShardId"]}}
            )
            assert status == 200, body
            assert body["StreamDescription"]["Shards"] == [child]
            assert body["StreamDescription"]["StreamArn"] == arn
        status, body = _describe_stream_raw(
            srv.url, {"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": shards[-1]["ShardId"]}}
        )
        assert status == 200 and body["StreamDescription"]["Shards"] == []

        status, body = _describe_stream_raw(srv.url, {"StreamArn": arn, "ShardFilter": {"Type": "PARENT", "ShardId": "s" * 66}})
        assert status == 400 and error_type(body) == "ValidationException"
        assert error_message(body) == (
            "2 validation errors detected: Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [CHILD_SHARDS]; Value '" + "s" * 66 + "' at 'shardFilter.shardId' "
            "failed to satisfy constraint: Member must have length less than or equal to 65"
        )
        status, body = _describe_stream_raw(srv.url, {"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": "shardId-1"}})
        assert status == 400 and error_message(body) == (
            "1 validation error detected: Value 'shardId-1' at 'shardFilter.shardId' failed to satisfy constraint: "
            "Member must have length greater than or equal to 28"
        )
        missing = "shardId-00000000000000000001-00000000"
        status, body = _describe_stream_raw(srv.url, {"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": missing}})
        assert status == 400 and error_type(body) == "ResourceNotFoundException"
    finally:
        srv.stop()
