"""On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup) and point-in-time recovery (UpdateContinuousBackups,
DescribeContinuousBackups, RestoreTableToPointInTime with
UseLatestRestorableTime or a RestoreDateTime)."""

import datetime
import math
import threading
import time

import pytest

from wire_util import create_table, delete_table_quietly, expect_error, expect_validation, full_scan, raw_call, unique_name


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


@pytest.fixture
def cleanup(dynamodb):
    tables, backups = [], []
    yield tables, backups
    for t in tables:
        delete_table_quietly(dynamodb, t)
    for b in backups:
        try:
            dynamodb.delete_backup(BackupArn=b)
        except Exception:
            pass


def gsi_table(dynamodb, table_factory):
    return table_factory(
        range_key=("sk", "N"),
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


def test_backup_and_restore_round_trip_while_writing(dynamodb, table_factory, cleanup):
    tables, backups = cleanup
    name = gsi_table(dynamodb, table_factory)
    for i in range(300):
        dynamodb.put_item(TableName=name, Item={"pk": S("p"), "sk": N(i), "g": S(f"g{i % 3}"), "v": N(i)})
    stop = threading.Event()

    def writer():  # writes continue during the backup
        i = 1000
        while not stop.is_set():
            dynamodb.put_item(TableName=name, Item={"pk": S("w"), "sk": N(i), "g": S("g0")})
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        details = dynamodb.create_backup(TableName=name, BackupName="snap-1")["BackupDetails"]
    finally:
        stop.set()
        t.join()
    backups.append(details["BackupArn"])
    assert details["BackupName"] == "snap-1"
    assert details["BackupStatus"] == "AVAILABLE"
    assert details["BackupType"] == "USER"
    assert details["BackupArn"].startswith(
        dynamodb.describe_table(TableName=name)["Table"]["TableArn"] + "/backup/"
    )

    desc = dynamodb.describe_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    src = desc["SourceTableDetails"]
    assert src["TableName"] == name
    assert src["BillingMode"] == "PAY_PER_REQUEST"
    assert [k["AttributeName"] for k in src["KeySchema"]] == ["pk", "sk"]
    assert src["ItemCount"] >= 300
    feats = desc["SourceTableFeatureDetails"]
    assert feats["GlobalSecondaryIndexes"][0]["IndexName"] == "by-g"
    assert feats["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    backed_up = src["ItemCount"]

    # Changes after the backup are not in it.
    dynamodb.delete_item(TableName=name, Key={"pk": S("p"), "sk": N(0)})
    target = unique_name("restored")
    tables.append(target)
    r = dynamodb.restore_table_from_backup(TargetTableName=target, BackupArn=details["BackupArn"])
    td = r["TableDescription"]
    assert td["TableName"] == target
    assert td["RestoreSummary"]["SourceBackupArn"] == details["BackupArn"]
    assert td["RestoreSummary"]["SourceTableArn"].endswith(":table/" + name)
    dynamodb.get_waiter("table_exists").wait(TableName=target)
    items = full_scan(dynamodb, TableName=target, ConsistentRead=True)
    assert len(items) == backed_up
    ps = sorted(int(i["sk"]["N"]) for i in items if i["pk"]["S"] == "p")
    assert ps == list(range(300))
    # Writer items in the backup form a prefix of what was written (one snapshot).
    ws = sorted(int(i["sk"]["N"]) for i in items if i["pk"]["S"] == "w")
    assert ws == list(range(1000, 1000 + len(ws)))
    got = dynamodb.query(
        TableName=target, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": S("g1")}
    )
    assert len(got["Items"]) == 100
    d = dynamodb.describe_table(TableName=target)["Table"]
    assert d["ItemCount"] == backed_up
    assert d["GlobalSecondaryIndexes"][0]["ItemCount"] == backed_up


def test_restore_with_overrides(dynamodb, table_factory, cleanup):
    tables, backups = cleanup
    name = gsi_table(dynamodb, table_factory)
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "sk": N(1), "g": S("x")})
    arn = dynamodb.create_backup(TableName=name, BackupName="ovr")["BackupDetails"]["BackupArn"]
    backups.append(arn)
    target = unique_name("ovr")
    tables.append(target)
    td = dynamodb.restore_table_from_backup(
        TargetTableName=target,
        BackupArn=arn,
        BillingModeOverride="PROVISIONED",
        ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8},
        GlobalSecondaryIndexOverride=[],
    )["TableDescription"]
    assert "GlobalSecondaryIndexes" not in td
    assert td["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert td["ProvisionedThroughput"]["WriteCapacityUnits"] == 8
    assert {a["AttributeName"] for a in td["AttributeDefinitions"]} == {"pk", "sk"}
    item = dynamodb.get_item(TableName=target, Key={"pk": S("a"), "sk": N(1)})["Item"]
    assert item["g"] == S("x")


def test_list_backups_filters_and_pages(dynamodb, table_factory, cleanup):
    tables, backups = cleanup
    a, b = table_factory(), table_factory()
    t0 = time.time()
    for i in range(3):
        backups.append(dynamodb.create_backup(TableName=a, BackupName=f"bk-a{i}")["BackupDetails"]["BackupArn"])
    backups.append(dynamodb.create_backup(TableName=b, BackupName="bk-b0")["BackupDetails"]["BackupArn"])
    got = dynamodb.list_backups(TableName=a)["BackupSummaries"]
    assert [s["BackupName"] for s in got] == ["bk-a0", "bk-a1", "bk-a2"]
    assert all(s["TableName"] == a and s["BackupStatus"] == "AVAILABLE" for s in got)
    page1 = dynamodb.list_backups(TableName=a, Limit=2)
    assert [s["BackupName"] for s in page1["BackupSummaries"]] == ["bk-a0", "bk-a1"]
    page2 = dynamodb.list_backups(TableName=a, Limit=2, ExclusiveStartBackupArn=page1["LastEvaluatedBackupArn"])
    assert [s["BackupName"] for s in page2["BackupSummaries"]] == ["bk-a2"]
    assert "LastEvaluatedBackupArn" not in page2
    assert dynamodb.list_backups(TableName=a, BackupType="SYSTEM")["BackupSummaries"] == []
    assert len(dynamodb.list_backups(TableName=a, BackupType="ALL")["BackupSummaries"]) == 3
    later = dynamodb.list_backups(TableName=a, TimeRangeLowerBound=time.time() + 60)["BackupSummaries"]
    assert later == []
    within = dynamodb.list_backups(TableName=b, TimeRangeLowerBound=t0 - 1, TimeRangeUpperBound=time.time() + 1)
    assert [s["BackupName"] for s in within["BackupSummaries"]] == ["bk-b0"]


def test_delete_backup_and_errors(dynamodb, table_factory, cleanup):
    tables, backups = cleanup
    name = table_factory()
    arn = dynamodb.create_backup(TableName=name, BackupName="gone")["BackupDetails"]["BackupArn"]
    # A backup outlives its table.
    dynamodb.delete_table(TableName=name)
    assert dynamodb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupName"] == "gone"
    d = dynamodb.delete_backup(BackupArn=arn)["BackupDescription"]
    assert d["BackupDetails"]["BackupStatus"] == "DELETED"
    with expect_error("BackupNotFoundException", message=f"Backup not found: {arn}"):
        dynamodb.describe_backup(BackupArn=arn)
    with expect_error("BackupNotFoundException", message=f"Backup not found: {arn}"):
        dynamodb.delete_backup(BackupArn=arn)
    with expect_error("BackupNotFoundException", message=f"Backup not found: {arn}"):
        dynamodb.restore_table_from_backup(TargetTableName=unique_name(), BackupArn=arn)
    missing = unique_name("nope")
    with expect_error("TableNotFoundException", message=f"Table not found: {missing}"):
        dynamodb.create_backup(TableName=missing, BackupName="x-1")


def test_restore_onto_existing_table(dynamodb, table_factory, cleanup):
    tables, backups = cleanup
    name, other = table_factory(), table_factory()
    arn = dynamodb.create_backup(TableName=name, BackupName="dup")["BackupDetails"]["BackupArn"]
    backups.append(arn)
    with expect_error("TableAlreadyExistsException", message=f"Table already exists: {other}"):
        dynamodb.restore_table_from_backup(TargetTableName=other, BackupArn=arn)


def test_backup_shape_validation(raw_client, table_factory):
    name = table_factory()
    with expect_validation(
        message="1 validation error detected: Value 'x' at 'backupName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3"
    ):
        raw_client.create_backup(TableName=name, BackupName="x")
    with expect_validation(
        message="1 validation error detected: Value 'short' at 'backupArn' failed to satisfy constraint: "
        "Member must have length greater than or equal to 37"
    ):
        raw_client.describe_backup(BackupArn="short")
    with expect_validation(
        message="1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    ):
        raw_client.list_backups(Limit=0)


def test_continuous_backups(dynamodb, table_factory, cleanup):
    tables, backups = cleanup
    name = table_factory()
    d = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert d == {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
    }
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})
    target = unique_name("pitr")
    with expect_error(
        "PointInTimeRecoveryUnavailableException", message=f"Point in time recovery is not enabled for table '{name}'"
    ):
        dynamodb.restore_table_to_point_in_time(
            SourceTableName=name, TargetTableName=target, UseLatestRestorableTime=True
        )
    r = dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )["ContinuousBackupsDescription"]
    p = r["PointInTimeRecoveryDescription"]
    assert p["PointInTimeRecoveryStatus"] == "ENABLED"
    assert p["EarliestRestorableDateTime"] <= p["LatestRestorableDateTime"]
    tables.append(target)
    td = dynamodb.restore_table_to_point_in_time(
        SourceTableName=name, TargetTableName=target, UseLatestRestorableTime=True
    )["TableDescription"]
    assert td["RestoreSummary"]["SourceTableArn"].endswith(":table/" + name)
    assert dynamodb.get_item(TableName=target, Key={"pk": S("a")})["Item"]["v"] == N(1)
    with expect_error("TableAlreadyExistsException", message=f"Table already exists: {target}"):
        dynamodb.restore_table_to_point_in_time(
            SourceTableName=name, TargetTableName=target, UseLatestRestorableTime=True
        )
    missing = unique_name("nope")
    with expect_error("TableNotFoundException", message=f"Table not found: {missing}"):
        dynamodb.describe_continuous_backups(TableName=missing)
    r = dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )["ContinuousBackupsDescription"]
    assert r["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}


@pytest.mark.local_only
def test_backup_survives_restart(tmp_path, durable_servers, client_for):
    db = tmp_path / "db"
    srv = durable_servers.start(db)
    c = client_for(srv.url)
    name = create_table(c)
    for i in range(20):
        c.put_item(TableName=name, Item={"pk": S(f"k{i}")})
    arn = c.create_backup(TableName=name, BackupName="durable")["BackupDetails"]["BackupArn"]
    srv.stop()
    srv2 = durable_servers.start(db)
    c2 = client_for(srv2.url)
    assert [s["BackupArn"] for s in c2.list_backups()["BackupSummaries"]] == [arn]
    c2.restore_table_from_backup(TargetTableName="restored-after-restart", BackupArn=arn)
    assert len(full_scan(c2, TableName="restored-after-restart")) == 20


def wait_restorable(dynamodb, name, when):
    """Waits until `when` (epoch seconds) is at or before the table's
    LatestRestorableDateTime: at once here, about five minutes on DynamoDB."""
    deadline = time.time() + 600
    while True:
        p = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]
        latest = p["LatestRestorableDateTime"].timestamp()
        if latest >= when:
            return
        assert time.time() < deadline, f"LatestRestorableDateTime {latest} never reached {when}"
        time.sleep(min(30.0, max(0.2, when - latest)))


def test_restore_to_a_time_between_two_writes(dynamodb, table_factory, cleanup):
    """RestoreTableToPointInTime with a RestoreDateTime restores the items as
    they were at that second (writes at or before it in, later ones out), not as
    they are now; a time outside [EarliestRestorableDateTime,
    LatestRestorableDateTime] is refused with InvalidRestoreTimeException."""
    tables, backups = cleanup
    name = table_factory()
    dynamodb.put_item(TableName=name, Item={"pk": S("old"), "v": N(0)})  # before PITR
    dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    dynamodb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})
    dynamodb.put_item(TableName=name, Item={"pk": S("b"), "v": N(1)})
    # boto3 sends RestoreDateTime in whole seconds: the first whole second
    # after the first writes, then the second writes once it has passed.
    when = math.ceil(time.time())
    while time.time() < when + 0.05:
        time.sleep(0.05)
    dynamodb.update_item(
        TableName=name,
        Key={"pk": S("a")},
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": N(2)},
    )
    dynamodb.delete_item(TableName=name, Key={"pk": S("b")})
    dynamodb.put_item(TableName=name, Item={"pk": S("c"), "v": N(2)})
    wait_restorable(dynamodb, name, when)

    target = unique_name("pitr-at")
    tables.append(target)
    at = datetime.datetime.fromtimestamp(when, tz=datetime.timezone.utc)
    td = dynamodb.restore_table_to_point_in_time(
        SourceTableName=name, TargetTableName=target, RestoreDateTime=at
    )["TableDescription"]
    assert td["RestoreSummary"]["SourceTableArn"].endswith(":table/" + name)
    assert td["RestoreSummary"]["RestoreDateTime"].timestamp() == when
    dynamodb.get_waiter("table_exists").wait(TableName=target)
    restored = {i["pk"]["S"]: i["v"]["N"] for i in full_scan(dynamodb, TableName=target, ConsistentRead=True)}
    assert restored == {"old": "0", "a": "1", "b": "1"}

    latest = unique_name("pitr-latest")
    tables.append(latest)
    dynamodb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=latest, UseLatestRestorableTime=True)
    dynamodb.get_waiter("table_exists").wait(TableName=latest)
    restored = {i["pk"]["S"]: i["v"]["N"] for i in full_scan(dynamodb, TableName=latest, ConsistentRead=True)}
    assert restored == {"old": "0", "a": "2", "c": "2"}

    p = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"
    ]
    for outside in (
        p["EarliestRestorableDateTime"] - datetime.timedelta(seconds=10),
        datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1),
    ):
        with expect_error("InvalidRestoreTimeException"):
            dynamodb.restore_table_to_point_in_time(
                SourceTableName=name, TargetTableName=unique_name("pitr-no"), RestoreDateTime=outside
            )


def test_continuous_backups_of_a_table_that_never_had_pitr(endpoint, dynamodb, raw_client, table_factory):
    """API Reference, DescribeContinuousBackups: ContinuousBackupsStatus is
    ENABLED for every table (on-demand backups); PITR is DISABLED until
    turned on, with no restorable times."""
    name = table_factory()
    d = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert d == {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
    }
    # Turning off what was never on answers the same.
    r = dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )["ContinuousBackupsDescription"]
    assert r == d
    # UpdateContinuousBackups' validation (the model: the specification and
    # its PointInTimeRecoveryEnabled are required; RecoveryPeriodInDays 1..35).
    with expect_validation(
        message="1 validation error detected: Value null at 'pointInTimeRecoverySpecification' "
        "failed to satisfy constraint: Member must not be null"
    ):
        raw_client.update_continuous_backups(TableName=name)
    with expect_validation(
        message="1 validation error detected: Value null at "
        "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: "
        "Member must not be null"
    ):
        raw_client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={})
    # RecoveryPeriodInDays is newer than the 2022 botocore model: raw HTTP.
    r = raw_call(
        endpoint,
        "UpdateContinuousBackups",
        {"TableName": name, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 36}},
    )
    assert r.status_code == 400 and r.json()["message"] == (
        "1 validation error detected: Value '36' at "
        "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: "
        "Member must have value less than or equal to 35"
    )
    missing = unique_name("nope")
    with expect_error("TableNotFoundException", message=f"Table not found: {missing}"):
        dynamodb.update_continuous_backups(
            TableName=missing, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
