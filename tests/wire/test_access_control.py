"""Issue 11: the endpoint's credentials, signatures and permissions.

A ddb-server started with --credentials FILE verifies every request's SigV4
signature (header form and presigned URLs, 15 minutes of clock skew) and
applies each key's permissions (read / write / admin / streams on table
patterns); without a credentials file it keeps DynamoDB Local's convenience
(any well-formed signature) but only on loopback, and only for requests
addressed to localhost / 127.0.0.1 / [::1]."""

import datetime
import json
import os
import subprocess
import time
import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from access_util import (
    KEYS,
    REGION,
    client,
    denied_message,
    error_of,
    raw,
    table_arn,
    write_credentials_file,
)
from wire_util import SERVER_BIN, ServerProcess

pytestmark = pytest.mark.local_only

MESSAGES = "cruddur-messages"


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    """A ddb-server with the test credentials file, and two tables with streams."""
    path = write_credentials_file(tmp_path_factory.mktemp("creds"))
    srv = ServerProcess(["--in-memory", "--credentials", path])
    admin = client(srv.url, "AKIDADMIN")
    other = "other-" + uuid.uuid4().hex[:8]
    for name in (MESSAGES, other):
        admin.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        admin.put_item(TableName=name, Item={"pk": {"S": "seed"}})
    srv.other = other
    srv.creds_path = path
    yield srv
    code = srv.stop()
    assert code == 0, srv.log()


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------


def test_good_key_works(secured):
    c = client(secured.url, "AKIDADMIN")
    assert MESSAGES in c.list_tables()["TableNames"]
    c.put_item(TableName=MESSAGES, Item={"pk": {"S": "good"}})
    assert c.get_item(TableName=MESSAGES, Key={"pk": {"S": "good"}})["Item"]["pk"]["S"] == "good"


def test_unknown_key_is_unrecognized(secured):
    with pytest.raises(ClientError) as e:
        client(secured.url, "AKIDNOBODY", secret="whatever").list_tables()
    assert code_of(e) == ("UnrecognizedClientException", "The security token included in the request is invalid.")


def test_wrong_secret_is_invalid_signature(secured):
    with pytest.raises(ClientError) as e:
        client(secured.url, "AKIDADMIN", secret="not-the-secret").put_item(
            TableName=MESSAGES, Item={"pk": {"S": "wrong-secret"}}
        )
    code, message = code_of(e)
    assert code == "InvalidSignatureException"
    assert message.startswith("The request signature we calculated does not match")
    assert "Item" not in client(secured.url, "AKIDADMIN").get_item(TableName=MESSAGES, Key={"pk": {"S": "wrong-secret"}})


@pytest.mark.parametrize(
    "shift,needle",
    [
        (datetime.timedelta(minutes=-20), "Signature expired: "),
        (datetime.timedelta(minutes=20), "Signature not yet current: "),
    ],
)
def test_skewed_clock_is_refused(secured, shift, needle):
    r = raw(secured.url, "ListTables", {}, shift=shift)
    assert r.status_code == 400
    code, message = error_of(r)
    assert code == "InvalidSignatureException"
    assert message.startswith(needle) and "15 min." in message, message


def test_small_skew_is_accepted(secured):
    assert raw(secured.url, "ListTables", {}, shift=datetime.timedelta(minutes=-10)).status_code == 200
    assert raw(secured.url, "ListTables", {}, shift=datetime.timedelta(minutes=10)).status_code == 200


def test_presigned_url(secured):
    r = raw(secured.url, "ListTables", {}, presign_expires=300)
    assert "X-Amz-Signature=" in r.request.url and "Authorization" not in r.request.headers
    assert r.status_code == 200, r.text
    assert MESSAGES in r.json()["TableNames"]


def test_presigned_url_wrong_secret_and_unknown_key(secured):
    r = raw(secured.url, "ListTables", {}, secret="nope", presign_expires=300)
    assert error_of(r)[0] == "InvalidSignatureException"
    r = raw(secured.url, "ListTables", {}, key_id="AKIDNOBODY", secret="x", presign_expires=300)
    assert error_of(r)[0] == "UnrecognizedClientException"


def test_presigned_url_expires(secured):
    # Signed 10 s ago, valid 5 s: expired (X-Amz-Expires is honoured).
    r = raw(secured.url, "ListTables", {}, presign_expires=5, shift=datetime.timedelta(seconds=-10))
    assert r.status_code == 400
    code, message = error_of(r)
    assert code == "InvalidSignatureException" and message.startswith("Signature expired: "), message
    # Signed 10 s ago, valid 60 s: fine.
    r = raw(secured.url, "ListTables", {}, presign_expires=60, shift=datetime.timedelta(seconds=-10))
    assert r.status_code == 200, r.text


def test_presigned_url_is_permission_checked(secured):
    r = raw(
        secured.url,
        "PutItem",
        {"TableName": MESSAGES, "Item": {"pk": {"S": "presigned-ro"}}},
        key_id="AKIDREADONLY",
        presign_expires=60,
    )
    assert error_of(r)[0] == "AccessDeniedException", r.text


def test_unsigned_request_is_refused(secured):
    r = raw(secured.url, "ListTables", {}, sign=False)
    assert r.status_code == 400
    assert error_of(r)[0] == "MissingAuthenticationTokenException"


def test_aws_cli(secured, tmp_path):
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="AKIDREADONLY",
        AWS_SECRET_ACCESS_KEY=KEYS["AKIDREADONLY"][0],
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
    )
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    base = ["aws", "--endpoint-url", secured.url, "--output", "json", "dynamodb"]
    ok = subprocess.run(base + ["list-tables"], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert MESSAGES in json.loads(ok.stdout)["TableNames"]
    denied = subprocess.run(
        base + ["put-item", "--table-name", MESSAGES, "--item", '{"pk":{"S":"cli"}}'],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert denied.returncode != 0
    assert "AccessDeniedException" in denied.stderr
    assert denied_message("AKIDREADONLY", "dynamodb:PutItem", table_arn(MESSAGES)) in denied.stderr
    env["AWS_SECRET_ACCESS_KEY"] = "wrong"
    bad = subprocess.run(base + ["list-tables"], env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "InvalidSignatureException" in bad.stderr


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------


def write_paths(table, other):
    """Every write path: (operation, body) as the wire sends them."""
    key = {"pk": {"S": "seed"}}
    backup_arn = f"{table_arn(table)}/backup/01234567890123-abcdefgh"
    return [
        ("PutItem", {"TableName": table, "Item": {"pk": {"S": "ro"}}}),
        ("UpdateItem", {"TableName": table, "Key": key, "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}),
        ("DeleteItem", {"TableName": table, "Key": key}),
        ("BatchWriteItem", {"RequestItems": {table: [{"PutRequest": {"Item": {"pk": {"S": "ro"}}}}]}}),
        ("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": table, "Item": {"pk": {"S": "ro"}}}}]}),
        ("CreateTable", {"TableName": table + "-new", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
        ("UpdateTable", {"TableName": table, "BillingMode": "PAY_PER_REQUEST"}),
        ("DeleteTable", {"TableName": table}),
        ("CreateBackup", {"TableName": table, "BackupName": "b"}),
        ("DeleteBackup", {"BackupArn": backup_arn}),
        ("RestoreTableFromBackup", {"TargetTableName": table + "-restored", "BackupArn": backup_arn}),
        ("RestoreTableToPointInTime", {"SourceTableName": table, "TargetTableName": table + "-pitr"}),
        ("UpdateTimeToLive", {"TableName": table, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}}),
        ("UpdateContinuousBackups", {"TableName": table, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}),
        ("TagResource", {"ResourceArn": table_arn(table), "Tags": [{"Key": "k", "Value": "v"}]}),
        ("UntagResource", {"ResourceArn": table_arn(table), "TagKeys": ["k"]}),
        ("ExportTableToPointInTime", {"TableArn": table_arn(table), "S3Bucket": "bucket"}),
        ("ImportTable", {"S3BucketSource": {"S3Bucket": "bucket"}, "InputFormat": "DYNAMODB_JSON",
                         "TableCreationParameters": {"TableName": table + "-imported", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                                     "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}}),
    ]


def test_read_only_key_is_denied_every_write_path(secured):
    before = client(secured.url, "AKIDADMIN").scan(TableName=MESSAGES)["Items"]
    for operation, body in write_paths(MESSAGES, secured.other):
        r = raw(secured.url, operation, body, key_id="AKIDREADONLY")
        assert r.status_code == 400, (operation, r.text)
        code, message = error_of(r)
        assert code == "AccessDeniedException", (operation, r.text)
        assert message.startswith("User: arn:aws:iam::000000000000:user/cruddur-readonly is not authorized to perform: dynamodb:" + operation + " on resource: arn:aws:dynamodb:us-east-1:000000000000:table/"), message
    # The exact wording, once.
    r = raw(secured.url, "PutItem", {"TableName": MESSAGES, "Item": {"pk": {"S": "ro"}}}, key_id="AKIDREADONLY")
    assert error_of(r)[1] == denied_message("AKIDREADONLY", "dynamodb:PutItem", table_arn(MESSAGES))
    admin = client(secured.url, "AKIDADMIN")
    assert admin.scan(TableName=MESSAGES)["Items"] == before
    assert MESSAGES in admin.list_tables()["TableNames"]
    assert admin.describe_time_to_live(TableName=MESSAGES)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    assert admin.list_tags_of_resource(ResourceArn=table_arn(MESSAGES)).get("Tags", []) == []


def test_read_only_key_may_read_everything(secured):
    ro = client(secured.url, "AKIDREADONLY")
    key = {"pk": {"S": "seed"}}
    for table in (MESSAGES, secured.other):
        assert ro.get_item(TableName=table, Key=key)["Item"] == key
        assert ro.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "seed"}})["Count"] == 1
        assert ro.scan(TableName=table)["Count"] >= 1
        ro.describe_table(TableName=table)
        ro.describe_time_to_live(TableName=table)
        ro.describe_continuous_backups(TableName=table)
        ro.list_tags_of_resource(ResourceArn=table_arn(table))
    ro.batch_get_item(RequestItems={MESSAGES: {"Keys": [key]}, secured.other: {"Keys": [key]}})
    ro.transact_get_items(TransactItems=[{"Get": {"TableName": MESSAGES, "Key": key}}, {"Get": {"TableName": secured.other, "Key": key}}])
    assert MESSAGES in ro.list_tables()["TableNames"]
    ro.list_backups()
    ro.describe_limits()
    ro.describe_endpoints()
    ro.list_exports()
    ro.list_exports(TableArn=table_arn(MESSAGES))
    # Allowed, and answered: no such export.
    with pytest.raises(ClientError) as e:
        ro.describe_export(ExportArn=table_arn(MESSAGES) + "/export/01234567890123-abcdef01")
    assert code_of(e)[0] == "ExportNotFoundException"
    ro.list_imports()
    ro.list_imports(TableArn=table_arn(MESSAGES))
    with pytest.raises(ClientError) as e:
        ro.describe_import(ImportArn=table_arn(MESSAGES) + "/import/01234567890123-abcdef01")
    assert code_of(e)[0] == "ImportNotFoundException"


def test_table_scoped_key(secured):
    svc = client(secured.url, "AKIDMESSAGES")
    svc.put_item(TableName=MESSAGES, Item={"pk": {"S": "svc"}})
    svc.get_item(TableName=MESSAGES, Key={"pk": {"S": "svc"}})
    for call in (
        lambda: svc.put_item(TableName=secured.other, Item={"pk": {"S": "svc"}}),
        lambda: svc.get_item(TableName=secured.other, Key={"pk": {"S": "seed"}}),
        lambda: svc.scan(TableName=secured.other),
        lambda: svc.delete_table(TableName=MESSAGES),
        lambda: svc.update_time_to_live(TableName=MESSAGES, TimeToLiveSpecification={"Enabled": True, "AttributeName": "t"}),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert code_of(e)[0] == "AccessDeniedException"
    # A batch or transaction naming one forbidden table is refused whole.
    with pytest.raises(ClientError) as e:
        svc.batch_write_item(
            RequestItems={
                MESSAGES: [{"PutRequest": {"Item": {"pk": {"S": "batch-ok"}}}}],
                secured.other: [{"PutRequest": {"Item": {"pk": {"S": "batch-no"}}}}],
            }
        )
    assert code_of(e) == ("AccessDeniedException", denied_message("AKIDMESSAGES", "dynamodb:BatchWriteItem", table_arn(secured.other)))
    with pytest.raises(ClientError) as e:
        svc.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": MESSAGES, "Item": {"pk": {"S": "tx-ok"}}}},
                {"Put": {"TableName": secured.other, "Item": {"pk": {"S": "tx-no"}}}},
            ]
        )
    assert code_of(e)[0] == "AccessDeniedException"
    with pytest.raises(ClientError) as e:
        svc.batch_get_item(RequestItems={MESSAGES: {"Keys": [{"pk": {"S": "seed"}}]}, secured.other: {"Keys": [{"pk": {"S": "seed"}}]}})
    assert code_of(e)[0] == "AccessDeniedException"
    admin = client(secured.url, "AKIDADMIN")
    for table, pk in ((MESSAGES, "batch-ok"), (secured.other, "batch-no"), (MESSAGES, "tx-ok"), (secured.other, "tx-no")):
        assert "Item" not in admin.get_item(TableName=table, Key={"pk": {"S": pk}}), (table, pk)
    # Table-less reads are allowed by any read grant.
    assert MESSAGES in svc.list_tables()["TableNames"]


def test_streams(secured):
    ro = client(secured.url, "AKIDREADONLY", service="dynamodbstreams")
    streams = ro.list_streams(TableName=MESSAGES)["Streams"]
    assert streams
    arn = streams[0]["StreamArn"]
    shard = ro.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = ro.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert ro.get_records(ShardIterator=it)["Records"]
    # The messages key has no streams permission.
    svc = client(secured.url, "AKIDMESSAGES", service="dynamodbstreams")
    for call in (
        lambda: svc.list_streams(),
        lambda: svc.describe_stream(StreamArn=arn),
        lambda: svc.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"),
        lambda: svc.get_records(ShardIterator=it),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert code_of(e)[0] == "AccessDeniedException"
    with pytest.raises(ClientError) as e:
        svc.get_records(ShardIterator=it)
    assert code_of(e)[1] == denied_message("AKIDMESSAGES", "dynamodb:GetRecords", table_arn(MESSAGES))


def test_no_host_rule_with_credentials(secured):
    r = raw(secured.url, "ListTables", {}, host="db.example.com")
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------------------
# Without a credentials file
# ---------------------------------------------------------------------------


def test_default_mode_accepts_any_signature_on_loopback(server):
    r = raw(server.url, "ListTables", {}, key_id="anything", secret="anything")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8000", "192.168.1.20:8000", "localhost.evil.example"])
def test_rebinding_host_is_refused(server, host):
    name = "rebind-" + uuid.uuid4().hex[:8]
    r = raw(
        server.url,
        "CreateTable",
        {"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"},
        key_id="anything",
        secret="anything",
        host=host,
    )
    assert r.status_code == 403, r.text
    code, message = error_of(r)
    assert code == "AccessDeniedException" and "DNS rebinding" in message
    assert "Access-Control-Allow-Origin" not in r.headers
    assert requests.get(server.url, headers={"Host": host}, timeout=10).status_code == 403
    assert name not in raw(server.url, "ListTables", {"Limit": 100}, key_id="a", secret="b").json()["TableNames"]


@pytest.mark.parametrize("host", ["localhost", "localhost:1234", "127.0.0.1:9", "[::1]:8000", "LOCALHOST"])
def test_loopback_hosts_are_served(server, host):
    assert raw(server.url, "ListTables", {}, key_id="a", secret="b", host=host).status_code == 200


def test_allowed_host_flag():
    srv = ServerProcess(["--in-memory", "--allowed-host", "ddb.internal"])
    try:
        assert raw(srv.url, "ListTables", {}, key_id="a", secret="b", host="ddb.internal:8000").status_code == 200
        assert raw(srv.url, "ListTables", {}, key_id="a", secret="b", host="other.internal").status_code == 403
    finally:
        assert srv.stop() == 0


def run_server(*args):
    return subprocess.run([SERVER_BIN, "--port", "0", "--in-memory", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1"])
def test_non_loopback_without_credentials_is_refused_at_start(host):
    r = run_server("--host", host)
    assert r.returncode != 0
    lines = (r.stdout + r.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("ddb-server: refusing to listen on " + host + " without a credentials file")


def test_bad_credentials_file_is_refused_at_start(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"keys": [{"access_key_id": "A", "secret_access_key": "s", "name": "n", "permissions": [{"actions": ["wirte"]}]}]}))
    r = run_server("--credentials", str(bad))
    assert r.returncode != 0
    lines = (r.stdout + r.stderr).strip().splitlines()
    assert len(lines) == 1 and "unknown group 'wirte'" in lines[0], lines
