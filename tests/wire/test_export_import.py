"""Table exports through boto3: ExportTableToPointInTime, DescribeExport and
ListExports, with a local folder (--export-root) standing in for S3.

An export runs in the background (IN_PROGRESS, then COMPLETED) and writes
DynamoDB's S3 layout: <prefix>/AWSDynamoDB/<ExportId>/ with _started,
manifest-summary.json, manifest-files.json and data/*.json.gz (one
{"Item": ...} DynamoDB-JSON line per item). It needs point-in-time recovery
on the table and exports the table as of ExportTime while writes go on.
Nothing outside the export root is ever written; the records survive a
restart; the operations are permission-checked and audited."""

import gzip
import json
import os
import re
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from access_util import client, table_arn, write_credentials_file
from wire_util import ServerProcess

pytestmark = pytest.mark.local_only

EXPORT_ID_RE = re.compile(r"^\d{14}-[0-9a-f]{8}$")


class Exporter:
    """A ddb-server with a data folder, an export root and the test keys."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.db = str(tmp_path / "ddb")
        self.root = str(tmp_path / "s3")
        self.creds = write_credentials_file(tmp_path)
        self.start()

    def start(self):
        self.srv = ServerProcess(["--db-path", self.db, "--export-root", self.root, "--credentials", self.creds])
        self.url = self.srv.url
        self.admin = client(self.url, "AKIDADMIN")

    def restart(self):
        assert self.srv.stop() == 0, self.srv.log()
        self.start()


@pytest.fixture
def exporter(tmp_path):
    e = Exporter(tmp_path)
    yield e
    code = e.srv.stop()
    assert code == 0, e.srv.log()


def make_table(c, pitr=True):
    name = "export-" + uuid.uuid4().hex[:8]
    c.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    if pitr:
        c.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    return name


def wait_done(c, arn, timeout=30):
    deadline = time.time() + timeout
    while True:
        d = c.describe_export(ExportArn=arn)["ExportDescription"]
        if d["ExportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.05)


def exported_items(root, bucket, desc):
    """The items of a completed export, read through its manifests."""
    bucket_dir = os.path.join(root, bucket)
    with open(os.path.join(bucket_dir, desc["ExportManifest"])) as f:
        summary = json.load(f)
    items = []
    with open(os.path.join(bucket_dir, summary["manifestFilesS3Key"])) as f:
        for line in f:
            entry = json.loads(line)
            with gzip.open(os.path.join(bucket_dir, entry["dataFileS3Key"]), "rt") as data:
                rows = [json.loads(r) for r in data if r.strip()]
            assert len(rows) == entry["itemCount"]
            items += [r["Item"] for r in rows]
    return summary, items


def key_of(item):
    return (item["pk"]["S"], item["sk"]["N"])


def test_export_writes_the_table_in_dynamodbs_s3_layout(exporter):
    c = exporter.admin
    name = make_table(c)
    items = [
        {"pk": {"S": "a"}, "sk": {"N": str(i)}, "s": {"S": "é\n\"x\""}, "n": {"N": "1.5"}, "b": {"B": b"\x00\x01"},
         "ss": {"SS": ["x", "y"]}, "l": {"L": [{"NULL": True}, {"BOOL": False}]}, "m": {"M": {"k": {"NS": ["1", "2"]}}}}
        for i in range(25)
    ]
    for item in items:
        c.put_item(TableName=name, Item=item)
    r = c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="my-bucket", S3Prefix="exports/2024")
    d = r["ExportDescription"]
    assert d["ExportStatus"] == "IN_PROGRESS"
    arn = d["ExportArn"]
    assert arn.startswith(table_arn(name) + "/export/")
    export_id = arn.rsplit("/", 1)[1]
    assert EXPORT_ID_RE.match(export_id), arn
    assert d["S3Bucket"] == "my-bucket" and d["S3Prefix"] == "exports/2024"
    assert d["ExportFormat"] == "DYNAMODB_JSON"
    assert d["ClientToken"]  # boto3 fills in an idempotency token

    done = wait_done(c, arn)
    assert done["ExportStatus"] == "COMPLETED", done
    assert done["ItemCount"] == 25
    assert done["BilledSizeBytes"] > 0
    assert done["EndTime"] >= done["StartTime"]
    assert done["ExportManifest"] == f"exports/2024/AWSDynamoDB/{export_id}/manifest-summary.json"

    folder = os.path.join(exporter.root, "my-bucket", "exports", "2024", "AWSDynamoDB", export_id)
    assert os.path.getsize(os.path.join(folder, "_started")) == 0
    summary, exported = exported_items(exporter.root, "my-bucket", done)
    assert summary["version"] == "2020-06-30"
    assert summary["exportArn"] == arn and summary["tableArn"] == table_arn(name)
    assert summary["itemCount"] == 25 and summary["outputFormat"] == "DYNAMODB_JSON"
    assert summary["s3Bucket"] == "my-bucket" and summary["s3Prefix"] == "exports/2024"
    # The items as the wire gives them (DynamoDB JSON, binaries in base64).
    raw_items = {key_of(i): i for i in exported}
    assert len(raw_items) == 25
    sample = raw_items[("a", "7")]
    assert sample["s"] == {"S": "é\n\"x\""}
    assert sample["b"] == {"B": "AAE="}
    assert sample["n"] == {"N": "1.5"}
    assert sorted(sample["ss"]["SS"]) == ["x", "y"]
    assert sample["l"] == {"L": [{"NULL": True}, {"BOOL": False}]}
    assert sorted(sample["m"]["M"]["k"]["NS"]) == ["1", "2"]

    listed = c.list_exports(TableArn=table_arn(name))["ExportSummaries"]
    assert [(s["ExportArn"], s["ExportStatus"]) for s in listed] == [(arn, "COMPLETED")]


def test_export_time_reads_the_table_as_it_was(exporter):
    c = exporter.admin
    name = make_table(c)
    c.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "old"}})
    c.put_item(TableName=name, Item={"pk": {"S": "gone"}, "sk": {"N": "1"}})
    time.sleep(1.1)
    then = time.time()
    time.sleep(1.1)
    c.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "new"}})
    c.delete_item(TableName=name, Key={"pk": {"S": "gone"}, "sk": {"N": "1"}})
    c.put_item(TableName=name, Item={"pk": {"S": "later"}, "sk": {"N": "1"}})
    arn = c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk", ExportTime=then)["ExportDescription"]["ExportArn"]
    done = wait_done(c, arn)
    assert done["ExportStatus"] == "COMPLETED", done
    # botocore sends a timestamp in whole seconds.
    assert done["ExportTime"].timestamp() == int(then)
    _, items = exported_items(exporter.root, "bk", done)
    assert sorted((i["pk"]["S"], i.get("v", {}).get("S")) for i in items) == [("a", "old"), ("gone", None)]


def test_export_errors(exporter):
    c = exporter.admin
    plain = make_table(c, pitr=False)
    name = make_table(c)

    def code(**kw):
        with pytest.raises(ClientError) as e:
            c.export_table_to_point_in_time(**kw)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    assert code(TableArn=table_arn(plain), S3Bucket="bk")[0] == "PointInTimeRecoveryUnavailableException"
    assert code(TableArn=table_arn("no-such-table"), S3Bucket="bk")[0] == "TableNotFoundException"
    assert code(TableArn=table_arn(name), S3Bucket="bk", ExportTime=time.time() - 3600)[0] == "InvalidExportTimeException"
    err, message = code(TableArn=table_arn(name), S3Bucket="bk", ExportFormat="ION")
    assert err == "ValidationException" and "ION" in message
    with pytest.raises(ClientError) as e:
        c.describe_export(ExportArn=table_arn(name) + "/export/01234567890123-abcdef01")
    assert e.value.response["Error"]["Code"] == "ExportNotFoundException"
    # The same ClientToken with other parameters.
    arn = c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk", ClientToken="tok")["ExportDescription"]["ExportArn"]
    again = c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk", ClientToken="tok")["ExportDescription"]
    assert again["ExportArn"] == arn
    assert code(TableArn=table_arn(name), S3Bucket="other", ClientToken="tok")[0] == "ExportConflictException"
    wait_done(c, arn)


def test_nothing_outside_the_export_root_is_written(exporter, tmp_path):
    c = exporter.admin
    name = make_table(c)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.makedirs(os.path.join(exporter.root, "bk"), exist_ok=True)
    os.symlink(outside, os.path.join(exporter.root, "bk", "link"))
    os.symlink(outside, os.path.join(exporter.root, "linked-bucket"))
    for bucket, prefix in [("bk", "../../outside"), ("bk", "/tmp/x"), ("bk", "a/../../b"), ("bk", "link"),
                           ("bk", "link/deeper"), ("linked-bucket", "p")]:
        with pytest.raises(ClientError) as e:
            c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket=bucket, S3Prefix=prefix)
        assert e.value.response["Error"]["Code"] == "ValidationException", (bucket, prefix)
    assert os.listdir(outside) == []


def test_records_survive_a_restart(exporter):
    c = exporter.admin
    name = make_table(c)
    c.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
    arn = c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk")["ExportDescription"]["ExportArn"]
    assert wait_done(c, arn)["ExportStatus"] == "COMPLETED"
    exporter.restart()
    c = exporter.admin
    d = c.describe_export(ExportArn=arn)["ExportDescription"]
    assert d["ExportStatus"] == "COMPLETED" and d["ItemCount"] == 1
    assert [s["ExportArn"] for s in c.list_exports()["ExportSummaries"]] == [arn]


def test_list_exports_pages(exporter):
    c = exporter.admin
    name = make_table(c)
    arns = [c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk")["ExportDescription"]["ExportArn"] for _ in range(3)]
    for a in arns:
        wait_done(c, a)
    seen, token = [], None
    while True:
        kw = {"TableArn": table_arn(name), "MaxResults": 2}
        if token:
            kw["NextToken"] = token
        page = c.list_exports(**kw)
        seen += [s["ExportArn"] for s in page["ExportSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == arns


def test_permissions_and_audit_log(exporter):
    c = exporter.admin
    name = make_table(c)
    ro = client(exporter.url, "AKIDREADONLY")
    with pytest.raises(ClientError) as e:
        ro.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    arn = c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk")["ExportDescription"]["ExportArn"]
    wait_done(c, arn)
    assert ro.describe_export(ExportArn=arn)["ExportDescription"]["ExportStatus"] == "COMPLETED"
    assert arn in [s["ExportArn"] for s in ro.list_exports()["ExportSummaries"]]
    with open(os.path.join(exporter.db, "audit.log")) as f:
        events = [json.loads(line) for line in f if line.strip()]
    exports = [e for e in events if e["eventName"] == "ExportTableToPointInTime"]
    assert [(e["accessKeyId"], e["outcome"]) for e in exports] == [("AKIDREADONLY", "denied"), ("AKIDADMIN", "success")], exports
    assert exports[1]["resources"] == [table_arn(name)]


def test_in_memory_server_has_no_export_root():
    srv = ServerProcess(["--in-memory"])
    try:
        c = client(srv.url, "AKIDADMIN")
        name = make_table(c)
        with pytest.raises(ClientError) as e:
            c.export_table_to_point_in_time(TableArn=table_arn(name), S3Bucket="bk")
        assert e.value.response["Error"]["Code"] == "ValidationException"
        assert "--export-root" in e.value.response["Error"]["Message"]
    finally:
        assert srv.stop() == 0, srv.log()
