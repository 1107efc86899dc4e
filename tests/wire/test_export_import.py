"""Table exports through boto3: ExportTableToPointInTime, DescribeExport and
ListExports, with a local folder (--export-root) standing in for S3 (Ion
exports and imports: test_export_ion.py; incremental exports:
test_export_incremental.py).

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
from import_util import make_pitr_table
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
    return make_pitr_table(c, "export-" + uuid.uuid4().hex[:8], pitr)


def poll_until_done(describe, status_key, timeout):
    """Calls describe() until its status_key leaves IN_PROGRESS or timeout
    seconds pass; its last answer."""
    deadline = time.time() + timeout
    while True:
        d = describe()
        if d[status_key] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.05)


def wait_done(c, arn, timeout=30):
    return poll_until_done(lambda: c.describe_export(ExportArn=arn)["ExportDescription"], "ExportStatus", timeout)


def list_all_arns(list_page, summaries_key, arn_key, **kw):
    """The ARNs of every page of a List* call, following NextToken."""
    seen, token = [], None
    while True:
        page = list_page(**kw, **({"NextToken": token} if token else {}))
        seen += [s[arn_key] for s in page[summaries_key]]
        token = page.get("NextToken")
        if not token:
            return seen


def audit_events(exporter, event_name):
    """The audit log's events named event_name, oldest first."""
    with open(os.path.join(exporter.db, "audit.log")) as f:
        events = [json.loads(line) for line in f if line.strip()]
    return [e for e in events if e["eventName"] == event_name]


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
    assert code(TableArn=table_arn(name), S3Bucket="bk", ExportTime=time.time() - 3600) == (
        "InvalidExportTimeException", "Export Time is invalid")
    assert code(TableArn=table_arn(name), S3Bucket="bk", ExportTime=time.time() + 3600) == (
        "InvalidExportTimeException", "Export Time is invalid")
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
    assert list_all_arns(c.list_exports, "ExportSummaries", "ExportArn", TableArn=table_arn(name), MaxResults=2) == arns


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
    exports = audit_events(exporter, "ExportTableToPointInTime")
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


# ---- Imports: ImportTable, DescribeImport, ListImports ----------------------------

IMPORT_ARN_RE = re.compile(r"^arn:aws:dynamodb:[^:]+:\d{12}:table/[^/]+/import/\d{14}-[0-9a-f]{8}$")


def wait_import(c, arn, timeout=30):
    return poll_until_done(lambda: c.describe_import(ImportArn=arn)["ImportTableDescription"], "ImportStatus", timeout)


def write_one_item_source(exporter):
    """bk/src/f.json under the export root: one item, pk "a", sk 1."""
    os.makedirs(os.path.join(exporter.root, "bk", "src"))
    with open(os.path.join(exporter.root, "bk", "src", "f.json"), "w") as f:
        f.write(json.dumps({"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}) + "\n")


def creation_params(name, gsi=True):
    p = {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if gsi:
        p["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
        p["GlobalSecondaryIndexes"] = [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "ALL"}}]
    return p


def scan_all(c, name, **kw):
    items, start = [], None
    while True:
        if start:
            kw["ExclusiveStartKey"] = start
        page = c.scan(TableName=name, **kw)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def every_type_item(i):
    return {"pk": {"S": f"p{i % 3}"}, "sk": {"N": str(i)}, "g": {"S": f"g{i % 2}"}, "s": {"S": "é\n\"x\""},
            "n": {"N": "-1500"}, "b": {"B": bytes([0, i, 255])}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]},
            "bs": {"BS": [b"\x01", b"\x02"]}, "m": {"M": {"k": {"L": [{"S": "v"}, {"N": "3"}]}}},
            "l": {"L": [{"NULL": True}, {"BOOL": False}, {"M": {}}]}, "t": {"BOOL": True}, "z": {"NULL": True}}


def test_export_then_import_round_trip_with_every_type_and_a_gsi(exporter):
    c = exporter.admin
    src = make_table(c)
    c.update_table(TableName=src, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by-g",
                                                            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                            "Projection": {"ProjectionType": "ALL"}}}])
    items = [every_type_item(i) for i in range(40)]
    for item in items:
        c.put_item(TableName=src, Item=item)
    export = c.export_table_to_point_in_time(TableArn=table_arn(src), S3Bucket="bk", S3Prefix="ex")
    done = wait_done(c, export["ExportDescription"]["ExportArn"])
    assert done["ExportStatus"] == "COMPLETED", done
    export_id = done["ExportArn"].rsplit("/", 1)[1]

    target = "import-" + uuid.uuid4().hex[:8]
    r = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": f"ex/AWSDynamoDB/{export_id}/data/"},
                       InputFormat="DYNAMODB_JSON", InputCompressionType="GZIP",
                       TableCreationParameters=creation_params(target))
    d = r["ImportTableDescription"]
    assert d["ImportStatus"] == "IN_PROGRESS"
    assert IMPORT_ARN_RE.match(d["ImportArn"]) and d["ImportArn"].startswith(table_arn(target) + "/import/")
    assert d["TableArn"] == table_arn(target)
    assert d["TableCreationParameters"]["TableName"] == target
    assert d["InputFormat"] == "DYNAMODB_JSON" and d["InputCompressionType"] == "GZIP"
    assert d["S3BucketSource"]["S3Bucket"] == "bk"
    assert d["ClientToken"]

    done = wait_import(c, d["ImportArn"])
    assert done["ImportStatus"] == "COMPLETED", done
    assert (done["ProcessedItemCount"], done["ImportedItemCount"], done["ErrorCount"]) == (40, 40, 0)
    assert done["ProcessedSizeBytes"] > 0 and done["EndTime"] >= done["StartTime"]
    t = c.describe_table(TableName=target)["Table"]
    assert t["TableStatus"] == "ACTIVE" and t["ItemCount"] == 40
    assert [g["IndexName"] for g in t["GlobalSecondaryIndexes"]] == ["by-g"]

    def by_key(xs):
        return sorted(xs, key=lambda it: (it["pk"]["S"], int(it["sk"]["N"])))
    assert by_key(scan_all(c, target)) == by_key(scan_all(c, src))
    assert by_key(scan_all(c, target)) == by_key(items)
    # The index was maintained by the import's writes.
    q = c.query(TableName=target, IndexName="by-g", KeyConditionExpression="g = :g",
                ExpressionAttributeValues={":g": {"S": "g1"}})
    assert q["Count"] == 20
    # Describe and List agree.
    summaries = c.list_imports(TableArn=table_arn(target))["ImportSummaryList"]
    assert [(s["ImportArn"], s["ImportStatus"], s["InputFormat"]) for s in summaries] == [
        (d["ImportArn"], "COMPLETED", "DYNAMODB_JSON")]


def test_import_counts_bad_records_as_errors_and_skips_them(exporter):
    c = exporter.admin
    folder = os.path.join(exporter.root, "bk", "raw")
    os.makedirs(folder)
    lines = [
        json.dumps({"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "ok"}}}),
        "{not json",
        json.dumps({"Item": {"sk": {"N": "2"}}}),  # no partition key
        json.dumps({"Item": {"pk": {"N": "3"}, "sk": {"N": "3"}}}),  # wrong key type
        "",
        json.dumps({"Item": {"pk": {"S": "b"}, "sk": {"N": "4"}}}),
    ]
    with open(os.path.join(folder, "part-1.json"), "w") as f:
        f.write("\n".join(lines) + "\n")
    target = "import-" + uuid.uuid4().hex[:8]
    arn = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "raw/part"}, InputFormat="DYNAMODB_JSON",
                         TableCreationParameters=creation_params(target, gsi=False))["ImportTableDescription"]["ImportArn"]
    d = wait_import(c, arn)
    assert d["ImportStatus"] == "COMPLETED", d
    assert d["InputCompressionType"] == "NONE"
    assert (d["ProcessedItemCount"], d["ImportedItemCount"], d["ErrorCount"]) == (5, 2, 3)
    assert sorted(i["pk"]["S"] for i in scan_all(c, target)) == ["a", "b"]
    assert "raw/part-1.json record 2" in exporter.srv.log()


def test_csv_import_reads_strings_and_typed_keys(exporter):
    c = exporter.admin
    folder = os.path.join(exporter.root, "bk", "csv")
    os.makedirs(folder)
    with gzip.open(os.path.join(folder, "a.csv.gz"), "wt", newline="") as f:
        f.write('pk,sk,name,note\r\np1,1,Ann,"says ""hi"", twice"\r\np2,2.50,Bob,\r\np3,x,Bad,\r\n')
    target = "import-" + uuid.uuid4().hex[:8]
    arn = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "csv/"}, InputFormat="CSV",
                         InputCompressionType="GZIP",
                         TableCreationParameters=creation_params(target, gsi=False))["ImportTableDescription"]["ImportArn"]
    d = wait_import(c, arn)
    assert d["ImportStatus"] == "COMPLETED", d
    assert (d["ProcessedItemCount"], d["ImportedItemCount"], d["ErrorCount"]) == (3, 2, 1)
    items = {i["pk"]["S"]: i for i in scan_all(c, target)}
    assert items["p1"] == {"pk": {"S": "p1"}, "sk": {"N": "1"}, "name": {"S": "Ann"}, "note": {"S": 'says "hi", twice'}}
    assert items["p2"] == {"pk": {"S": "p2"}, "sk": {"N": "2.5"}, "name": {"S": "Bob"}}

    # A header list and another delimiter: the first line is data.
    with open(os.path.join(folder, "b.txt"), "w") as f:
        f.write("p9|9|42\n")
    target2 = "import-" + uuid.uuid4().hex[:8]
    arn = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "csv/b"}, InputFormat="CSV",
                         InputFormatOptions={"Csv": {"Delimiter": "|", "HeaderList": ["pk", "sk", "count"]}},
                         TableCreationParameters=creation_params(target2, gsi=False))["ImportTableDescription"]["ImportArn"]
    d = wait_import(c, arn)
    assert d["ImportStatus"] == "COMPLETED" and d["ImportedItemCount"] == 1, d
    assert d["InputFormatOptions"] == {"Csv": {"Delimiter": "|", "HeaderList": ["pk", "sk", "count"]}}
    assert scan_all(c, target2) == [{"pk": {"S": "p9"}, "sk": {"N": "9"}, "count": {"S": "42"}}]


def test_import_errors(exporter):
    c = exporter.admin
    write_one_item_source(exporter)
    src = {"S3Bucket": "bk", "S3KeyPrefix": "src/"}

    def code(**kw):
        args = {"S3BucketSource": src, "InputFormat": "DYNAMODB_JSON",
                "TableCreationParameters": creation_params("import-" + uuid.uuid4().hex[:8], gsi=False)}
        args.update(kw)
        with pytest.raises(ClientError) as e:
            c.import_table(**args)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    existing = make_table(c, pitr=False)
    assert code(TableCreationParameters=creation_params(existing, gsi=False))[0] == "ResourceInUseException"
    bad = creation_params("import-x", gsi=False)
    bad["KeySchema"] = [{"AttributeName": "nope", "KeyType": "HASH"}]
    assert code(TableCreationParameters=bad)[0] == "ValidationException"
    assert code(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "missing/"})[0] == "ValidationException"
    assert code(S3BucketSource={"S3Bucket": "nobucket"})[0] == "ValidationException"
    # No table was left behind by a refused import.
    assert [t for t in c.list_tables()["TableNames"] if t.startswith("import-")] == []

    # ClientToken: the same request answers the same import; other parameters conflict.
    name = "import-" + uuid.uuid4().hex[:8]
    kw = dict(S3BucketSource=src, InputFormat="DYNAMODB_JSON", TableCreationParameters=creation_params(name, gsi=False),
              ClientToken="tok-1")
    first = c.import_table(**kw)["ImportTableDescription"]["ImportArn"]
    assert c.import_table(**kw)["ImportTableDescription"]["ImportArn"] == first
    kw["InputCompressionType"] = "NONE"
    with pytest.raises(ClientError) as e:
        c.import_table(**kw)
    assert e.value.response["Error"]["Code"] == "ImportConflictException"

    with pytest.raises(ClientError) as e:
        c.describe_import(ImportArn=table_arn("nothere") + "/import/01700000000000-abcdef12")
    assert e.value.response["Error"]["Code"] == "ImportNotFoundException"


def test_import_reads_nothing_outside_the_export_root(exporter, tmp_path):
    c = exporter.admin
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text(json.dumps({"Item": {"pk": {"S": "leak"}, "sk": {"N": "1"}}}) + "\n")
    os.makedirs(os.path.join(exporter.root, "bk", "in"))
    with open(os.path.join(exporter.root, "bk", "in", "ok.json"), "w") as f:
        f.write(json.dumps({"Item": {"pk": {"S": "fine"}, "sk": {"N": "1"}}}) + "\n")
    os.symlink(outside, os.path.join(exporter.root, "bk", "link"))
    os.symlink(outside / "secret.json", os.path.join(exporter.root, "bk", "in", "linked.json"))
    os.symlink(outside, os.path.join(exporter.root, "bk", "in", "linkdir"))
    os.symlink(outside, os.path.join(exporter.root, "linked-bucket"))
    for bucket, prefix in [("bk", "../../outside/"), ("bk", "/tmp/"), ("bk", "in/../../outside/"), ("bk", "link/"),
                           ("bk", "link/secret"), ("linked-bucket", "")]:
        with pytest.raises(ClientError) as e:
            c.import_table(S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": prefix}, InputFormat="DYNAMODB_JSON",
                           TableCreationParameters=creation_params("import-" + uuid.uuid4().hex[:8], gsi=False))
        assert e.value.response["Error"]["Code"] == "ValidationException", (bucket, prefix)
    # Links met inside the prefix are skipped, never followed.
    name = "import-" + uuid.uuid4().hex[:8]
    arn = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "in"}, InputFormat="DYNAMODB_JSON",
                         TableCreationParameters=creation_params(name, gsi=False))["ImportTableDescription"]["ImportArn"]
    d = wait_import(c, arn)
    assert d["ImportStatus"] == "COMPLETED" and d["ImportedItemCount"] == 1, d
    assert [i["pk"]["S"] for i in scan_all(c, name)] == ["fine"]


def test_import_records_survive_a_restart_and_list_pages(exporter):
    c = exporter.admin
    write_one_item_source(exporter)
    arns = []
    for _ in range(3):
        name = "import-" + uuid.uuid4().hex[:8]
        arns.append(c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "src/"}, InputFormat="DYNAMODB_JSON",
                                   TableCreationParameters=creation_params(name, gsi=False))["ImportTableDescription"]["ImportArn"])
    for a in arns:
        assert wait_import(c, a)["ImportStatus"] == "COMPLETED"
    exporter.restart()
    c = exporter.admin
    d = c.describe_import(ImportArn=arns[0])["ImportTableDescription"]
    assert d["ImportStatus"] == "COMPLETED" and d["ImportedItemCount"] == 1
    assert list_all_arns(c.list_imports, "ImportSummaryList", "ImportArn", PageSize=2) == arns


def test_import_permissions_and_audit_log(exporter):
    c = exporter.admin
    write_one_item_source(exporter)
    ro = client(exporter.url, "AKIDREADONLY")
    name = "import-" + uuid.uuid4().hex[:8]
    kw = dict(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "src/"}, InputFormat="DYNAMODB_JSON",
              TableCreationParameters=creation_params(name, gsi=False))
    with pytest.raises(ClientError) as e:
        ro.import_table(**kw)
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    arn = c.import_table(**kw)["ImportTableDescription"]["ImportArn"]
    wait_import(c, arn)
    assert ro.describe_import(ImportArn=arn)["ImportTableDescription"]["ImportStatus"] == "COMPLETED"
    assert arn in [s["ImportArn"] for s in ro.list_imports()["ImportSummaryList"]]
    imports = audit_events(exporter, "ImportTable")
    assert [(e["accessKeyId"], e["outcome"]) for e in imports] == [("AKIDREADONLY", "denied"), ("AKIDADMIN", "success")], imports
    assert imports[1]["resources"] == [table_arn(name)]


def test_bin_ddb_export_and_import_scripts(exporter):
    """bin/ddb/export turns on PITR locally, exports the messages table and
    prints its folder; bin/ddb/import imports it into a new table."""
    import subprocess
    import sys
    sys.path.insert(0, os.path.dirname(__file__))
    from serve_util import CRUDDUR_BIN, REPO
    if not os.path.exists(CRUDDUR_BIN):
        pytest.skip(f"{CRUDDUR_BIN} not built")
    c = exporter.admin
    table = "msgs-" + uuid.uuid4().hex[:6]
    c.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
                   BillingMode="PAY_PER_REQUEST")
    for i in range(5):
        c.put_item(TableName=table, Item={"pk": {"S": "g"}, "sk": {"S": str(i)}, "message": {"S": f"m{i}"}})
    env = dict(os.environ, AWS_ENDPOINT_URL=exporter.url, DDB_MESSAGE_TABLE=table, CRUDDUR_BIN=CRUDDUR_BIN,
               AWS_ACCESS_KEY_ID="AKIDADMIN", AWS_SECRET_ACCESS_KEY="admin-secret")

    def run(script, *args):
        return subprocess.run([os.path.join(REPO, "bin", "ddb", script), *args], env=env, capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
    r = run("export", "dev")
    assert r.returncode == 0, r.stderr
    folder = r.stdout.strip()
    assert folder.startswith("s3://cruddur-exports/dev/AWSDynamoDB/"), r.stdout
    assert "enabled point-in-time recovery" in r.stderr
    key = folder[len("s3://cruddur-exports/"):]
    r = run("import", key + "data/", table + "-copy")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == table + "-copy"
    assert len(scan_all(c, table + "-copy")) == 5
    # Errors: one line, non-zero.
    r = run("import", "nothing-here/", table + "-x")
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = run("import")
    assert r.returncode != 0 and "usage" in r.stderr
