"""Amazon Ion exports and imports through boto3: ExportFormat ION writes
data/<id>.ion.gz files of `$ion_1_0 {Item:{...}}` lines (DynamoDB numbers as
Ion decimals, binaries as blobs, sets as lists annotated $dynamodb_SS/NS/BS),
and ImportTable with InputFormat ION reads them back, while writes to the
source table go on. Records of an Ion object that are no items are counted
in ErrorCount, as bad JSON lines are. ion-js reads the same files in
tests/js/exports_ion.test.mjs."""

import gzip
import os
import re
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from access_util import client, table_arn, write_credentials_file
from import_util import make_pitr_table
from wire_util import ServerProcess

pytestmark = pytest.mark.local_only


@pytest.fixture
def server(tmp_path):
    root = str(tmp_path / "s3")
    srv = ServerProcess(["--db-path", str(tmp_path / "ddb"), "--export-root", root,
                         "--credentials", write_credentials_file(tmp_path)])
    srv.root = root
    yield srv
    assert srv.stop() == 0, srv.log()


make_table = make_pitr_table


def creation_params(name):
    return {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def wait(describe, key, timeout=60):
    deadline = time.time() + timeout
    while True:
        d = describe()
        if d[key] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.05)


def scan_all(c, name):
    items, start = [], None
    while True:
        page = c.scan(TableName=name, **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def every_type_item(i):
    return {"pk": {"S": f"p{i % 4}"}, "sk": {"N": str(i)}, "s": {"S": "é\n\"x\" \\ 😀"}, "e": {"S": ""},
            "n": {"N": "-1500"}, "d": {"N": "0.000123"}, "big": {"N": "9" * 38}, "tiny": {"N": "1E-130"},
            "b": {"B": bytes([0, i, 255])}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5", "600"]},
            "bs": {"BS": [b"\x01", b"\x02"]}, "m": {"M": {"k": {"L": [{"S": "v"}, {"N": "3"}]}, "a b": {"NULL": True}}},
            "l": {"L": [{"NULL": True}, {"BOOL": False}, {"M": {}}, {"L": []}]}, "t": {"BOOL": True}, "z": {"NULL": True},
            "v": {"S": "before"}}


def key(item):
    return (item["pk"]["S"], int(item["sk"]["N"]))


def test_ion_export_imports_back_while_writes_go_on(server):
    c = client(server.url, "AKIDADMIN")
    src = "ion-src-" + uuid.uuid4().hex[:6]
    make_table(c, src)
    originals = [every_type_item(i) for i in range(40)]
    for item in originals:
        c.put_item(TableName=src, Item=item)
    # As the table gives them back (numbers normalized: 1E-130 is 0.00...1).
    snapshot = {key(i): i for i in scan_all(c, src)}
    assert len(snapshot) == 40

    # Writes go on all along: new items in order (bg 0, 1, 2, ...), and,
    # once the export is accepted, changes to the originals.
    stop, accepted, count = threading.Event(), threading.Event(), [0]

    def writer():
        wc = client(server.url, "AKIDADMIN")
        while not stop.is_set():
            n = count[0]
            wc.put_item(TableName=src, Item={"pk": {"S": "bg"}, "sk": {"N": str(n)}})
            if accepted.is_set():
                wc.update_item(TableName=src, Key={"pk": {"S": f"p{n % 4}"}, "sk": {"N": str(n % 40)}},
                               UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"S": "after"}})
            count[0] = n + 1

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        while count[0] < 5:
            time.sleep(0.01)
        d = c.export_table_to_point_in_time(TableArn=table_arn(src), S3Bucket="bk", S3Prefix="ion",
                                            ExportFormat="ION")["ExportDescription"]
        accepted.set()
        assert d["ExportFormat"] == "ION"
        done = wait(lambda: c.describe_export(ExportArn=d["ExportArn"])["ExportDescription"], "ExportStatus")
        assert done["ExportStatus"] == "COMPLETED", done
        export_id = done["ExportArn"].rsplit("/", 1)[1]
        data = os.path.join(server.root, "bk", "ion", "AWSDynamoDB", export_id, "data")
        files = os.listdir(data)
        assert files and all(re.match(r"^[a-z0-9]{26}\.ion\.gz$", f) for f in files), files
        lines = []
        for f in files:
            with gzip.open(os.path.join(data, f), "rt", encoding="utf-8") as g:
                lines += [line for line in g if line.strip()]
        assert len(lines) == done["ItemCount"]
        assert all(line.startswith("$ion_1_0 {Item:{") for line in lines)
        sample = next(line for line in lines if 'sk:7.' in line)
        assert 'n:-15d2' in sample and 'd:0.000123' in sample and "tiny:1d-130" in sample, sample
        assert 'ss:$dynamodb_SS::["x","y"]' in sample and "ns:$dynamodb_NS::[1.,2.5,6d2]" in sample, sample
        assert "bs:$dynamodb_BS::[{{AQ==}},{{Ag==}}]" in sample and "b:{{AAf/}}" in sample, sample

        target = "ion-dst-" + uuid.uuid4().hex[:6]
        r = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": f"ion/AWSDynamoDB/{export_id}/data/"},
                           InputFormat="ION", InputCompressionType="GZIP",
                           TableCreationParameters=creation_params(target))["ImportTableDescription"]
        assert r["InputFormat"] == "ION"
        imported = wait(lambda: c.describe_import(ImportArn=r["ImportArn"])["ImportTableDescription"], "ImportStatus")
    finally:
        stop.set()
        t.join(10)
    assert imported["ImportStatus"] == "COMPLETED", imported
    assert imported["ErrorCount"] == 0
    assert imported["ImportedItemCount"] == done["ItemCount"]
    items = scan_all(c, target)
    # The originals as they were when the export was accepted, every value exact.
    got = {key(i): i for i in items if i["pk"]["S"] != "bg"}
    assert got == snapshot
    # The background items: exactly those written before the export's time,
    # a prefix of the order they were written in.
    bg = sorted(int(i["sk"]["N"]) for i in items if i["pk"]["S"] == "bg")
    assert bg == list(range(len(bg))) and len(bg) >= 5


def test_ion_import_counts_records_that_are_no_items(server):
    c = client(server.url, "AKIDADMIN")
    folder = os.path.join(server.root, "bk", "raw")
    os.makedirs(folder)
    with gzip.open(os.path.join(folder, "a.ion.gz"), "wt", encoding="utf-8") as f:
        f.write('$ion_1_0 {Item:{pk:"a",sk:1.,v:"ok"}}\n'
                '$ion_1_0 {Item:{pk:"b",sk:2.,v:sym}}\n'          # a symbol value
                '$ion_1_0 {Item:{pk:"c",sk:2007-01-01T}}\n'       # a timestamp
                '$ion_1_0 {Item:{sk:4.}}\n'                       # no partition key
                '$ion_1_0 {Item:{pk:"e",sk:"5"}}\n'               # a key of the wrong type
                '$ion_1_0 {Item:{pk:"f",sk:6.,s:$dynamodb_SS::[]}}\n'  # an empty set
                "// Ion as a person writes it\n"
                "{ 'Item' : { pk: '''g''', sk: 7_0, n: 0x10, ns: $dynamodb_NS::[ 1e2, 2d0 ], },\n}\n")
    target = "ion-raw-" + uuid.uuid4().hex[:6]
    r = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "raw/"}, InputFormat="ION",
                       InputCompressionType="GZIP", TableCreationParameters=creation_params(target))
    d = wait(lambda: c.describe_import(ImportArn=r["ImportTableDescription"]["ImportArn"])["ImportTableDescription"],
             "ImportStatus")
    assert d["ImportStatus"] == "COMPLETED", d
    assert (d["ProcessedItemCount"], d["ImportedItemCount"], d["ErrorCount"]) == (7, 2, 5)
    items = {i["pk"]["S"]: i for i in scan_all(c, target)}
    assert items["a"] == {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "ok"}}
    assert items["g"]["sk"] == {"N": "70"} and items["g"]["n"] == {"N": "16"}
    assert sorted(items["g"]["ns"]["NS"]) == ["100", "2"]
    assert "raw/a.ion.gz record 2" in server.log()
    # CSV options belong to CSV (DynamoDB's answer for another format).
    with pytest.raises(ClientError) as e:
        c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "raw/"}, InputFormat="ION",
                       InputFormatOptions={"Csv": {"Delimiter": ";"}},
                       TableCreationParameters=creation_params("ion-x-" + uuid.uuid4().hex[:6]))
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert e.value.response["Error"]["Message"] == (
        "Invalid Request: Unsupported InputFormatOptions for the given input format: ION.")
