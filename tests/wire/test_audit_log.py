"""Issue 11: the audit log.

ddb-server and `cruddur serve` write JSON lines in CloudTrail's shape to
audit.log in their data folder (--audit-log PATH elsewhere, --no-audit-log
none): every control-plane operation and user-pool admin operation with its
outcome, and every denied request; repeated denials from one source are
counted into one "AggregatedDenials" event; the file is rotated by size
into a bounded number of owner-only files. Never an item value, a secret, a
password or a token."""

import json
import os
import re
import stat
import uuid

import pytest
from botocore.exceptions import ClientError

from access_util import REGION, client, raw, table_arn, write_credentials_file
from serve_util import POOL_ID, ServeProcess, cognito_client, requires_cruddur
from wire_util import ServerProcess

pytestmark = pytest.mark.local_only

ITEM_SECRET = "item-value-that-must-never-be-logged"
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
POOL_ARN = f"arn:aws:cognito-idp:{REGION}:000000000000:userpool/{POOL_ID}"


def read_events(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def read_text(directory):
    text = ""
    for name in os.listdir(directory):
        if name.startswith("audit.log"):
            with open(os.path.join(directory, name), errors="replace") as f:
                text += f.read()
    return text


def assert_never_logged(directory, *needles):
    text = read_text(directory)
    for n in needles:
        assert n not in text, f"{n!r} is in the audit log:\n{text}"


class Audited:
    """A ddb-server with a data folder (and, by default, the test credentials
    file); its audit log is <db>/audit.log."""

    def __init__(self, tmp_path, credentials=True, extra=()):
        os.makedirs(tmp_path, exist_ok=True)
        self.db = str(tmp_path / "ddb")
        args = ["--db-path", self.db]
        if credentials:
            args += ["--credentials", write_credentials_file(tmp_path)]
        self.srv = ServerProcess(args + list(extra))
        self.url = self.srv.url
        self.path = os.path.join(self.db, "audit.log")

    def events(self, **fields):
        return [e for e in read_events(self.path) if all(e.get(k) == v for k, v in fields.items())]

    def stop(self):
        code = self.srv.stop()
        assert code == 0, self.srv.log()


@pytest.fixture
def audited(tmp_path):
    a = Audited(tmp_path)
    yield a
    if a.srv.alive():
        a.stop()


def create(c, name):
    return c.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_control_plane_operations_are_recorded_data_plane_ones_are_not(audited):
    admin = client(audited.url, "AKIDADMIN")
    name = "audit-" + uuid.uuid4().hex[:8]
    created = create(admin, name)
    admin.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
    admin.tag_resource(ResourceArn=table_arn(name), Tags=[{"Key": "team", "Value": "audit"}])
    admin.put_item(TableName=name, Item={"pk": {"S": "k1"}, "payload": {"S": ITEM_SECRET}})
    admin.get_item(TableName=name, Key={"pk": {"S": "k1"}})
    admin.describe_table(TableName=name)
    admin.delete_table(TableName=name)

    events = read_events(audited.path)
    names = [e["eventName"] for e in events]
    assert names == ["CreateTable", "UpdateTimeToLive", "TagResource", "DeleteTable"], events
    for e in events:
        assert TIME_RE.match(e["eventTime"]), e
        assert e["eventSource"] == "dynamodb.amazonaws.com"
        assert e["accessKeyId"] == "AKIDADMIN"
        assert e["outcome"] == "success"
        assert "errorCode" not in e
        assert e["resources"] == [table_arn(name)], e
        assert e["userAgent"].startswith("Boto3/"), e
        assert "sourceIPAddress" in e
        assert len(e["requestID"]) == 52
    assert events[0]["requestID"] == created["ResponseMetadata"]["RequestId"]
    assert_never_logged(audited.db, ITEM_SECRET, "admin-secret", "Signature=")
    mode = stat.S_IMODE(os.stat(audited.path).st_mode)
    assert mode == 0o600, oct(mode)


def test_a_failed_control_plane_operation_is_recorded_as_an_error(audited):
    admin = client(audited.url, "AKIDADMIN")
    with pytest.raises(ClientError):
        admin.delete_table(TableName="no-such-table")
    (e,) = audited.events(eventName="DeleteTable")
    assert e["outcome"] == "error"
    assert e["errorCode"] == "ResourceNotFoundException"
    assert e["resources"] == [table_arn("no-such-table")]


def test_denied_requests_are_recorded_with_key_and_outcome(audited):
    admin = client(audited.url, "AKIDADMIN")
    name = "audit-" + uuid.uuid4().hex[:8]
    create(admin, name)
    with pytest.raises(ClientError) as e:
        client(audited.url, "AKIDREADONLY").put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"S": ITEM_SECRET}})
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError):
        client(audited.url, "AKIDNOBODY", secret="whatever").list_tables()
    with pytest.raises(ClientError):
        client(audited.url, "AKIDADMIN", secret="not-the-secret").describe_table(TableName=name)

    (put,) = audited.events(eventName="PutItem")
    assert put["outcome"] == "denied"
    assert put["accessKeyId"] == "AKIDREADONLY"
    assert put["errorCode"] == "AccessDeniedException"
    assert put["resources"] == [table_arn(name)]
    assert put["requestID"] == e.value.response["ResponseMetadata"]["RequestId"]
    (unknown,) = audited.events(eventName="ListTables")
    assert (unknown["outcome"], unknown["accessKeyId"], unknown["errorCode"]) == (
        "denied",
        "AKIDNOBODY",
        "UnrecognizedClientException",
    )
    (bad,) = audited.events(eventName="DescribeTable")
    assert (bad["outcome"], bad["accessKeyId"], bad["errorCode"]) == ("denied", "AKIDADMIN", "InvalidSignatureException")
    assert_never_logged(audited.db, ITEM_SECRET, "not-the-secret", "whatever", "readonly-secret")


def test_a_thousand_denials_from_one_source_take_a_few_lines(audited):
    admin = client(audited.url, "AKIDADMIN")
    name = "audit-" + uuid.uuid4().hex[:8]
    create(admin, name)
    for i in range(1000):
        r = raw(audited.url, "PutItem", {"TableName": name, "Item": {"pk": {"S": f"k{i}"}}}, key_id="AKIDREADONLY")
        assert r.status_code == 400, r.text
    audited.stop()  # the summary of the window still open is written at stop
    events = read_events(audited.path)
    denials = [e for e in events if e["outcome"] == "denied"]
    assert len(events) < 10, events
    summaries = [e for e in denials if e["eventName"] == "AggregatedDenials"]
    assert len(summaries) >= 1, events
    in_full = [e for e in denials if e["eventName"] == "PutItem"]
    assert len(in_full) + sum(s["count"] for s in summaries) == 1000, events
    for s in summaries:
        assert s["errorCode"] == "AccessDeniedException"
        assert TIME_RE.match(s["firstTime"]) and TIME_RE.match(s["lastTime"]), s
        assert s["eventSource"] == "dynamodb.amazonaws.com"


def test_rotation_keeps_at_most_n_small_files(tmp_path):
    a = Audited(tmp_path, extra=["--audit-log-max-bytes", "4096", "--audit-log-files", "3"])
    try:
        admin = client(a.url, "AKIDADMIN")
        name = "audit-" + uuid.uuid4().hex[:8]
        create(admin, name)
        for i in range(60):
            admin.tag_resource(ResourceArn=table_arn(name), Tags=[{"Key": "k", "Value": f"v{i}"}])
    finally:
        a.stop()
    files = sorted(n for n in os.listdir(a.db) if n.startswith("audit.log"))
    assert files == ["audit.log", "audit.log.1", "audit.log.2"], files
    total = 0
    for n in files:
        p = os.path.join(a.db, n)
        assert os.path.getsize(p) <= 4096, (n, os.path.getsize(p))
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, n
        events = read_events(p)
        assert all(e["eventName"] == "TagResource" for e in events), events
        total += len(events)
    assert 10 < total < 61


def test_no_audit_log_and_a_chosen_path(tmp_path):
    off = Audited(tmp_path / "off", extra=["--no-audit-log"])
    try:
        create(client(off.url, "AKIDADMIN"), "audit-off")
    finally:
        off.stop()
    assert not os.path.exists(off.path)

    chosen = str(tmp_path / "elsewhere.log")
    mem = ServerProcess(["--in-memory", "--audit-log", chosen])
    try:
        create(client(mem.url, "AKIDADMIN", secret="any"), "audit-mem")
    finally:
        assert mem.stop() == 0, mem.log()
    (e,) = read_events(chosen)
    assert e["eventName"] == "CreateTable" and e["accessKeyId"] == "AKIDADMIN"


def test_host_and_origin_refusals_are_recorded(tmp_path):
    a = Audited(tmp_path, credentials=False)
    try:
        r = raw(a.url, "ListTables", {}, key_id="local", secret="local", host="evil.example")
        assert r.status_code == 403
        r = raw(a.url, "ListTables", {}, key_id="local", secret="local", headers={"Origin": "http://evil.example"})
        assert r.status_code == 403
        r = raw(a.url, "ListTables", {}, key_id="local", secret="local", headers={"Origin": "http://localhost:3000"})
        assert r.status_code == 403  # DynamoDB from a browser needs a credentials file
        r = raw(a.url, "ListTables", {}, sign=False)
        assert r.status_code == 400
        events = a.events(outcome="denied")
        reasons = [(e["errorCode"], e.get("errorMessage")) for e in events]
        assert reasons == [
            ("AccessDeniedException", "Host not allowed"),
            ("AccessDeniedException", "Origin not allowed"),
            ("AccessDeniedException", "DynamoDB from a browser needs a credentials file"),
            ("MissingAuthenticationTokenException", None),
        ], events
        assert all(e["eventName"] == "ListTables" for e in events)
    finally:
        a.stop()
    assert_never_logged(a.db, "evil.example")


def test_the_source_address_is_recorded(tmp_path):
    a = Audited(tmp_path)
    try:
        create(client(a.url, "AKIDADMIN"), "audit-source")
        (e,) = a.events(eventName="CreateTable")
        assert e["sourceIPAddress"] == "127.0.0.1"
    finally:
        a.stop()


# ---------------------------------------------------------------------------
# cruddur serve: the user pool
# ---------------------------------------------------------------------------


@requires_cruddur
def test_serve_records_pool_admin_operations_never_passwords(tmp_path):
    data = tmp_path / "serve"
    srv = ServeProcess(data, extra_args=("--no-seed", "--no-web"))
    path = os.path.join(str(data), "audit.log")
    email = f"audit-{uuid.uuid4().hex[:8]}@wire.example.com"
    temp_password = "Temp-Audit-Pass1!"
    try:
        idp = cognito_client(srv.ddb_url)
        idp.admin_create_user(
            UserPoolId=POOL_ID,
            Username=email,
            TemporaryPassword=temp_password,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email}],
        )
        idp.admin_set_user_password(UserPoolId=POOL_ID, Username=email, Password="Final-Audit-Pass1!", Permanent=True)
        with pytest.raises(ClientError) as wrong:
            idp.initiate_auth(
                ClientId=srv.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": "Wrong-Audit-Pass1!"},
            )
        assert wrong.value.response["Error"]["Code"] == "NotAuthorizedException"
        ok = idp.initiate_auth(
            ClientId=srv.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": "Final-Audit-Pass1!"},
        )
        token = ok["AuthenticationResult"]["AccessToken"]
        unsigned = raw(srv.ddb_url, "AdminGetUser", {"UserPoolId": POOL_ID, "Username": email}, api="cognito-idp", sign=False)
        assert unsigned.status_code == 400
        events = read_events(path)
    finally:
        srv.stop_cleanly()

    by_name = {}
    for e in events:
        by_name.setdefault(e["eventName"], []).append(e)
    (created,) = by_name["AdminCreateUser"]
    assert created["eventSource"] == "cognito-idp.amazonaws.com"
    assert created["outcome"] == "success"
    assert created["accessKeyId"] == "serve-test"
    assert created["resources"] == [POOL_ARN]
    assert by_name["AdminSetUserPassword"][0]["outcome"] == "success"
    (refused,) = by_name["InitiateAuth"]  # the successful sign-in is not an admin operation
    assert (refused["outcome"], refused["errorCode"]) == ("denied", "NotAuthorizedException")
    (unsigned_event,) = by_name["AdminGetUser"]
    assert (unsigned_event["outcome"], unsigned_event["errorCode"]) == ("denied", "MissingAuthenticationTokenException")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert_never_logged(
        str(data), temp_password, "Final-Audit-Pass1!", "Wrong-Audit-Pass1!", email, token[:40], "serve-test/"
    )
