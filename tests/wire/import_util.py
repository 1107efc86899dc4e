"""A ddb-server with a data folder and an export root (the folder standing in
for S3) for the import tests that start their own server, and the helpers they
share: waiting for an import, a one-key table's creation parameters."""
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
