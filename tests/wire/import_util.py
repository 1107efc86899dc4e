"""A ddb-server with a data folder and an export root (the folder standing in
for S3) for the import tests that start their own server, and the helpers they
share: waiting for an import, a one-key table's creation parameters, a
PITR table for exports, an import that keeps its table CREATING."""
import json
import os
import time

import pytest

from access_util import client, write_credentials_file
from wire_util import ServerProcess


class ImportServer:
    def __init__(self, tmp_path):
        self.root = str(tmp_path / "s3")
        creds = write_credentials_file(tmp_path)
        self.srv = ServerProcess(["--db-path", str(tmp_path / "ddb"), "--export-root", self.root,
                                  "--credentials", creds])
        self.admin = client(self.srv.url, "AKIDADMIN")


@pytest.fixture
def import_server(tmp_path):
    s = ImportServer(tmp_path)
    yield s
    code = s.srv.stop()
    assert code == 0, s.srv.log()


def wait_import(c, arn, timeout=60):
    deadline = time.time() + timeout
    while True:
        d = c.describe_import(ImportArn=arn)["ImportTableDescription"]
        if d["ImportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.05)


def pk_table(name):
    return {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def make_pitr_table(c, name, pitr=True):
    """A (pk S, sk N) on-demand table, with point-in-time recovery unless
    `pitr` is false (exports need it)."""
    c.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    if pitr:
        c.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    return name


def start_long_import(server, name, items):
    """Starts an import of `items` ~100-byte items into a new table `name`
    (one that stays CREATING for a while); returns the ImportArn."""
    src = os.path.join(server.root, "bk", "big")
    os.makedirs(src)
    with open(os.path.join(src, "items.json"), "w") as f:
        for i in range(items):
            f.write(json.dumps({"Item": {"pk": {"S": f"k{i}"}, "pad": {"S": "x" * 100}}}) + "\n")
    return server.admin.import_table(
        S3BucketSource={"S3Bucket": "bk", "S3KeyPrefix": "big/"}, InputFormat="DYNAMODB_JSON",
        TableCreationParameters=pk_table(name))["ImportTableDescription"]["ImportArn"]
