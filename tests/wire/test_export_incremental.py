"""Incremental exports (ExportType INCREMENTAL_EXPORT) through boto3.

An incremental export holds the items changed in [ExportFromTime,
ExportToTime) (API reference: the start inclusive, the end exclusive), a
window of 15 minutes to 24 hours inside the point-in-time recovery window.
Each changed item is one line, {"Metadata":{"WriteTimestampMicros":{"N":...}},
"Keys":{...},"NewImage":{...},"OldImage":{...}}: NewImage its state at the
window's end (absent if deleted), OldImage (NEW_AND_OLD_IMAGES only) its state
at the start (absent if it did not exist); an item put and deleted within the
window has no line. Data files go to <prefix>/AWSDynamoDB/data/, the
manifests to <prefix>/AWSDynamoDB/<ExportId>/.

A test cannot wait 15 minutes: the server runs with the hidden
--test-clock-offset-file, whose number of seconds moves the engine's clock
ahead (tests/wire/README.md)."""

import gzip
import json
import os
import re
import tempfile
import threading
import time
import uuid

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from access_util import KEYS, REGION, table_arn, write_credentials_file
from import_util import make_pitr_table
from wire_util import ServerProcess

pytestmark = pytest.mark.local_only


def _model_dir():
    """A folder holding DynamoDB's service model with the incremental-export
    members of the current SDK model (ExportType, IncrementalExportSpecification
    with ExportFromTime, ExportToTime, ExportViewType; in botocore since
    1.31), or None when the installed botocore has them: Debian 12's
    botocore predates them and would refuse the parameters."""
    model = botocore.session.get_session().get_component("data_loader").load_service_model("dynamodb", "service-2")
    shapes = model["shapes"]
    if "IncrementalExportSpecification" in shapes:
        return None
    shapes["ExportType"] = {"type": "string", "enum": ["FULL_EXPORT", "INCREMENTAL_EXPORT"]}
    shapes["ExportViewType"] = {"type": "string", "enum": ["NEW_IMAGE", "NEW_AND_OLD_IMAGES"]}
    shapes["ExportFromTime"] = {"type": "timestamp"}
    shapes["ExportToTime"] = {"type": "timestamp"}
    shapes["IncrementalExportSpecification"] = {"type": "structure", "members": {
        "ExportFromTime": {"shape": "ExportFromTime"}, "ExportToTime": {"shape": "ExportToTime"},
        "ExportViewType": {"shape": "ExportViewType"}}}
    for name in ("ExportTableToPointInTimeInput", "ExportDescription"):
        shapes[name]["members"]["ExportType"] = {"shape": "ExportType"}
        shapes[name]["members"]["IncrementalExportSpecification"] = {"shape": "IncrementalExportSpecification"}
    shapes["ExportSummary"]["members"]["ExportType"] = {"shape": "ExportType"}
    folder = tempfile.mkdtemp(prefix="ddb-model-")
    path = os.path.join(folder, "dynamodb", model["metadata"]["apiVersion"])
    os.makedirs(path)
    with open(os.path.join(path, "service-2.json"), "w") as f:
        json.dump(model, f)
    return folder


MODEL_DIR = _model_dir()


def client(endpoint, key_id):
    """access_util.client with the current SDK model's export members."""
    session = botocore.session.get_session()
    if MODEL_DIR:
        session.get_component("data_loader").search_paths.insert(0, MODEL_DIR)
    return boto3.session.Session(botocore_session=session).client(
        "dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key_id,
        aws_secret_access_key=KEYS[key_id][0],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60))


class ClockedServer:
    """A ddb-server whose engine clock the test moves forward."""

    def __init__(self, tmp_path):
        self.root = str(tmp_path / "s3")
        self.clock_file = tmp_path / "clock-offset"
        self.clock_file.write_text("0")
        self.offset = 0
        creds = write_credentials_file(tmp_path)
        self.srv = ServerProcess(["--db-path", str(tmp_path / "ddb"), "--export-root", self.root,
                                  "--credentials", creds, "--test-clock-offset-file", str(self.clock_file)])
        self.c = client(self.srv.url, "AKIDADMIN")

    def now(self):
        """The server's clock, as far as the test knows it."""
        return time.time() + self.offset

    def advance_to(self, offset, table):
        """Moves the server's clock `offset` seconds ahead of the real one and
        waits until the engine reads it (LatestRestorableDateTime is its now)."""
        tmp = self.clock_file.with_suffix(".tmp")
        tmp.write_text(str(offset))
        os.replace(tmp, self.clock_file)
        self.offset = offset
        deadline = time.time() + 10
        while time.time() < deadline:
            d = self.c.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
            latest = d["PointInTimeRecoveryDescription"]["LatestRestorableDateTime"].timestamp()
            if latest >= time.time() + offset - 1:
                return
            time.sleep(0.02)
        raise AssertionError("the server did not take the clock offset")


@pytest.fixture
def clocked(tmp_path):
    s = ClockedServer(tmp_path)
    yield s
    assert s.srv.stop() == 0, s.srv.log()


def make_table(c, pitr=True):
    return make_pitr_table(c, "incr-" + uuid.uuid4().hex[:8], pitr)


def put(c, table, pk, v):
    c.put_item(TableName=table, Item={"pk": {"S": pk}, "sk": {"N": "1"}, "v": {"S": v}, "n": {"N": "2.50"}})


def delete(c, table, pk):
    c.delete_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"N": "1"}})


def wait_done(c, arn, timeout=30):
    deadline = time.time() + timeout
    while True:
        d = c.describe_export(ExportArn=arn)["ExportDescription"]
        if d["ExportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.05)


def data_lines(root, bucket, desc):
    """The summary and the data lines of a completed export."""
    bucket_dir = os.path.join(root, bucket)
    with open(os.path.join(bucket_dir, desc["ExportManifest"])) as f:
        summary = json.load(f)
    lines = []
    with open(os.path.join(bucket_dir, summary["manifestFilesS3Key"])) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    for entry in entries:
        with gzip.open(os.path.join(bucket_dir, entry["dataFileS3Key"]), "rt", encoding="utf-8") as data:
            rows = [r.rstrip("\n") for r in data if r.strip()]
        assert len(rows) == entry["itemCount"]
        lines += rows
    return summary, entries, lines


def image(pk, v):
    return {"pk": {"S": pk}, "sk": {"N": "1"}, "v": {"S": v}, "n": {"N": "2.5"}}


def write_history(s, table):
    """Writes the history the content test exports; returns (from, to), whole
    seconds of the server's clock. Before the window: same, upd, del, upd2.
    In it: ins put; upd updated; del deleted; tmp put then deleted; upd2
    updated twice. After it: upd, ins updated; late put."""
    c = s.c
    for pk in ("same", "upd", "del", "upd2"):
        put(c, table, pk, "1")
    s.advance_to(120, table)
    start = int(s.now()) + 1
    s.advance_to(130, table)
    put(c, table, "ins", "1")
    put(c, table, "upd", "2")
    delete(c, table, "del")
    put(c, table, "tmp", "1")
    put(c, table, "upd2", "2")
    s.advance_to(200, table)
    delete(c, table, "tmp")
    put(c, table, "upd2", "3")
    s.advance_to(1300, table)
    end = int(s.now()) - 60
    put(c, table, "upd", "3")
    put(c, table, "ins", "9")
    put(c, table, "late", "1")
    return start, end


class Writer:
    """Writes on while exports run: updates ins and puts new items, all after
    the windows' end."""

    def __init__(self, c, table):
        self.c, self.table, self.stop, self.count = c, table, threading.Event(), 0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            put(self.c, self.table, "ins", f"w{self.count}")
            put(self.c, self.table, f"bg-{self.count}", "x")
            self.count += 1

    def finish(self):
        self.stop.set()
        self.thread.join(10)
        assert self.count > 0


def test_incremental_export_holds_the_windows_changes(clocked):
    s, c = clocked, clocked.c
    table = make_table(c)
    start, end = write_history(s, table)
    writer = Writer(c, table)
    try:
        r = c.export_table_to_point_in_time(
            TableArn=table_arn(table), S3Bucket="bk", S3Prefix="cdc", ExportType="INCREMENTAL_EXPORT",
            IncrementalExportSpecification={"ExportFromTime": start, "ExportToTime": end})
        d = r["ExportDescription"]
        assert d["ExportStatus"] == "IN_PROGRESS" and d["ExportType"] == "INCREMENTAL_EXPORT"
        spec = d["IncrementalExportSpecification"]
        assert (spec["ExportFromTime"].timestamp(), spec["ExportToTime"].timestamp()) == (start, end)
        assert spec["ExportViewType"] == "NEW_AND_OLD_IMAGES"
        assert "ExportTime" not in d
        done = wait_done(c, d["ExportArn"])
        # The same window in Ion with new images only, while writes go on.
        r2 = c.export_table_to_point_in_time(
            TableArn=table_arn(table), S3Bucket="bk", S3Prefix="cdc", ExportType="INCREMENTAL_EXPORT",
            ExportFormat="ION",
            IncrementalExportSpecification={"ExportFromTime": start, "ExportToTime": end, "ExportViewType": "NEW_IMAGE"})
        done_ion = wait_done(c, r2["ExportDescription"]["ExportArn"])
    finally:
        writer.finish()

    assert done["ExportStatus"] == "COMPLETED", done
    assert done["ItemCount"] == 4
    assert done["BilledSizeBytes"] == 10_000_000  # DynamoDB bills at least 10 MB
    export_id = done["ExportArn"].rsplit("/", 1)[1]
    assert done["ExportManifest"] == f"cdc/AWSDynamoDB/{export_id}/manifest-summary.json"
    summary, entries, lines = data_lines(s.root, "bk", done)
    assert summary["version"] == "2023-08-01"
    assert summary["exportType"] == "INCREMENTAL_EXPORT" and summary["outputView"] == "NEW_AND_OLD_IMAGES"
    assert summary["outputFormat"] == "DYNAMODB_JSON" and summary["itemCount"] == 4
    assert "exportTime" not in summary
    assert summary["exportFromTime"] == time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(start))
    assert summary["exportToTime"] == time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(end))
    assert all(re.match(r"^cdc/AWSDynamoDB/data/[a-z0-9]{26}\.json\.gz$", e["dataFileS3Key"]) for e in entries), entries

    changes = {}
    for line in lines:
        rec = json.loads(line)
        micros = int(rec["Metadata"]["WriteTimestampMicros"]["N"])
        assert start * 1_000_000 <= micros < end * 1_000_000, rec
        changes[rec["Keys"]["pk"]["S"]] = rec
    assert sorted(changes) == ["del", "ins", "upd", "upd2"]
    assert changes["ins"]["Keys"] == {"pk": {"S": "ins"}, "sk": {"N": "1"}}
    assert changes["ins"]["NewImage"] == image("ins", "1") and "OldImage" not in changes["ins"]
    assert changes["upd"]["NewImage"] == image("upd", "2") and changes["upd"]["OldImage"] == image("upd", "1")
    assert "NewImage" not in changes["del"] and changes["del"]["OldImage"] == image("del", "1")
    assert changes["upd2"]["NewImage"] == image("upd2", "3") and changes["upd2"]["OldImage"] == image("upd2", "1")
    assert int(changes["upd2"]["Metadata"]["WriteTimestampMicros"]["N"]) > int(changes["upd"]["Metadata"]["WriteTimestampMicros"]["N"])

    assert done_ion["ExportStatus"] == "COMPLETED", done_ion
    assert done_ion["ExportFormat"] == "ION" and done_ion["ItemCount"] == 4
    summary, entries, lines = data_lines(s.root, "bk", done_ion)
    assert summary["outputFormat"] == "ION" and summary["outputView"] == "NEW_IMAGE"
    assert all(e["dataFileS3Key"].endswith(".ion.gz") for e in entries)
    by_pk = {}
    for line in lines:
        assert line.startswith("$ion_1_0 {Metadata:{WriteTimestampMicros:"), line
        assert "OldImage" not in line
        by_pk[re.search(r'Keys:\{pk:"([^"]+)"', line).group(1)] = line
    assert sorted(by_pk) == ["del", "ins", "upd", "upd2"]
    assert by_pk["del"].endswith('Keys:{pk:"del",sk:1.}}')
    assert 'NewImage:{n:2.5,pk:"upd",sk:1.,v:"2"}' in by_pk["upd"]

    # Both exports listed with their type.
    listed = c.list_exports(TableArn=table_arn(table))["ExportSummaries"]
    assert [x["ExportType"] for x in listed] == ["INCREMENTAL_EXPORT", "INCREMENTAL_EXPORT"]


def test_incremental_export_validation(clocked):
    s, c = clocked, clocked.c
    table = make_table(c)
    plain = make_table(c, pitr=False)
    enabled = s.now()
    s.advance_to(2 * 86400, table)
    now = int(s.now())

    def err(**kw):
        args = dict(TableArn=table_arn(table), S3Bucket="bk")
        args.update(kw)
        with pytest.raises(ClientError) as e:
            c.export_table_to_point_in_time(**args)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    def iso(t):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

    inc = "INCREMENTAL_EXPORT"
    window = {"ExportFromTime": now - 3600, "ExportToTime": now - 600}
    assert err(IncrementalExportSpecification=window) == (
        "ValidationException", "Invalid Request: Export Type expected to be Incremental Export when incremental "
        "export specification is provided")
    assert err(ExportType="FULL_EXPORT", IncrementalExportSpecification=window) == (
        "ValidationException", "Invalid Request: When Export Type is Full Export , Incremental Export Specification "
        "should not be provided")
    assert err(ExportType=inc) == (
        "ValidationException", "Invalid Request: Incremental Export Specification expected when export type is set "
        "as Incremental Export")
    assert err(ExportType=inc, IncrementalExportSpecification={}) == (
        "ValidationException", "Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification")
    code, message = err(ExportType=inc, IncrementalExportSpecification=dict(window, ExportViewType="NEW_IMAGES"))
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'NEW_IMAGES' at 'incrementalExportSpecification."
                       "exportViewType' failed to satisfy constraint: Member must satisfy enum value set: "
                       "[NEW_IMAGE, NEW_AND_OLD_IMAGES]")
    before = int(enabled) - 100
    assert err(ExportType=inc, IncrementalExportSpecification={"ExportFromTime": before, "ExportToTime": now}) == (
        "InvalidExportTimeException",
        f"Incremental export period from time cannot be less than the table creation time : {iso(before)}")
    assert err(TableArn=table_arn(plain), ExportType=inc, IncrementalExportSpecification=window) == (
        "InvalidExportTimeException",
        f"Incremental export period from time cannot be less than the table creation time : {iso(now - 3600)}")
    assert err(ExportType=inc, IncrementalExportSpecification={"ExportFromTime": now - 3600,
                                                              "ExportToTime": now + 3600}) == (
        "InvalidExportTimeException",
        f"Incremental export period to time cannot be greater than the current time : {iso(now + 3600)}")
    assert err(ExportType=inc, IncrementalExportSpecification={"ExportFromTime": now - 600}) == (
        "InvalidExportTimeException",
        "Difference between export period from time and export period to time is less than 15 minutes")
    assert err(ExportType=inc, IncrementalExportSpecification={"ExportFromTime": now - 30 * 3600,
                                                              "ExportToTime": now - 5 * 3600})[0] == (
        "InvalidExportTimeException")
    assert err(ExportType=inc, IncrementalExportSpecification=window, ExportTime=now - 1000)[0] == "ValidationException"
    # ExportToTime left out: now, echoed.
    d = c.export_table_to_point_in_time(TableArn=table_arn(table), S3Bucket="bk", ExportType=inc,
                                        IncrementalExportSpecification={"ExportFromTime": now - 3600})["ExportDescription"]
    assert abs(d["IncrementalExportSpecification"]["ExportToTime"].timestamp() - s.now()) < 5
    assert wait_done(c, d["ExportArn"])["ExportStatus"] == "COMPLETED"
