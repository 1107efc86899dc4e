"""ImportTable with InputCompressionType ZSTD: objects written by the zstd
tool (`scripts/install-deps.sh test` installs it), several frames in one
object, and an object that is not zstd data counted as an error."""
import json
import os
import shutil
import subprocess

import pytest

from import_util import import_server, pk_table, wait_import  # noqa: F401 (fixture)

pytestmark = pytest.mark.local_only


def zstd(path, text, *args):
    assert shutil.which("zstd"), "the zstd tool is missing: scripts/install-deps.sh test installs it"
    subprocess.run(["zstd", "-q", "-f", *args, "-o", path], input=text.encode(), check=True)


def lines(a, b):
    return "".join(json.dumps({"Item": {"pk": {"S": f"k{i}"}, "n": {"N": str(i)}}}) + "\n" for i in range(a, b))


def test_zstd_import(import_server):
    c = import_server.admin
    src = os.path.join(import_server.root, "bk", "z")
    os.makedirs(src)
    zstd(os.path.join(src, "a.json.zst"), lines(0, 3000), "-19")
    # Two frames in one object, as `cat x.zst y.zst` makes.
    zstd(os.path.join(src, "b1.zst"), lines(3000, 3500))
    zstd(os.path.join(src, "b2.zst"), lines(3500, 4000))
    with open(os.path.join(src, "b.json.zst"), "wb") as out:
        for part in ("b1.zst", "b2.zst"):
            with open(os.path.join(src, part), "rb") as f:
                out.write(f.read())
            os.remove(os.path.join(src, part))
    with open(os.path.join(src, "c.json.zst"), "w") as f:
        f.write(lines(9000, 9001))  # not zstd data: the object fails, the import goes on
    arn = c.import_table(S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "z/"}, InputFormat="DYNAMODB_JSON",
                         InputCompressionType="ZSTD",
                         TableCreationParameters=pk_table("zimp"))["ImportTableDescription"]["ImportArn"]
    d = wait_import(c, arn)
    assert d["ImportStatus"] == "COMPLETED", d
    assert d["InputCompressionType"] == "ZSTD"
    assert d["ImportedItemCount"] == 4000
    assert d["ErrorCount"] == 1
    assert c.get_item(TableName="zimp", Key={"pk": {"S": "k3999"}})["Item"]["n"] == {"N": "3999"}
    assert c.describe_table(TableName="zimp")["Table"]["ItemCount"] == 4000
