"""The credentials file's account_id in the engine's ARNs.

A ddb-server started with a credentials file whose account_id is not
000000000000 puts that account in every ARN it hands out (TableArn,
LatestStreamArn, index and backup ARNs), the same account its permission
checks name in AccessDeniedException messages; the tag calls work on those
ARNs, and an ARN of another account (000000000000 here) is refused with
AccessDeniedException, as DynamoDB refuses a resource of another account
(the engine's message: table_ops_tags.cc)."""

import json

import pytest
from botocore.exceptions import ClientError

from access_util import REGION, client
from wire_util import ServerProcess, wait_table_active

pytestmark = pytest.mark.local_only

ACCOUNT = "123456789012"
KEYS = {
    "AKIDADMIN": ("admin-secret", "acct-admin", [{"actions": ["*"]}]),
    "AKIDSCOPED": ("scoped-secret", "acct-scoped", [{"actions": ["read", "admin"], "tables": ["acct-*"]}]),
}


@pytest.fixture(scope="module")
def account_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("acct") / "credentials.json"
    doc = {
        "account_id": ACCOUNT,
        "keys": [
            {"access_key_id": k, "secret_access_key": s, "name": n, "permissions": p}
            for k, (s, n, p) in KEYS.items()
        ],
    }
    path.write_text(json.dumps(doc))
    srv = ServerProcess(["--in-memory", "--credentials", str(path)])
    yield srv
    code = srv.stop()
    assert code == 0, srv.log()


def keyed(srv, key_id):
    return client(srv.url, key_id, secret=KEYS[key_id][0])


def arn(table, account=ACCOUNT):
    return f"arn:aws:dynamodb:{REGION}:{account}:table/{table}"


def make_table(c, name, **kw):
    c.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **kw,
    )
    wait_table_active(c, name)


def error_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def test_arns_carry_the_files_account(account_server):
    c = keyed(account_server, "AKIDADMIN")
    make_table(c, "acct-arns", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    t = c.describe_table(TableName="acct-arns")["Table"]
    assert t["TableArn"] == arn("acct-arns")
    assert t["LatestStreamArn"].startswith(arn("acct-arns") + "/stream/")
    streams = client(account_server.url, "AKIDADMIN", secret=KEYS["AKIDADMIN"][0], service="dynamodbstreams")
    assert streams.list_streams(TableName="acct-arns")["Streams"][0]["StreamArn"] == t["LatestStreamArn"]
    assert streams.describe_stream(StreamArn=t["LatestStreamArn"])["StreamDescription"]["TableName"] == "acct-arns"
    b = c.create_backup(TableName="acct-arns", BackupName="bk1")["BackupDetails"]
    assert b["BackupArn"].startswith(arn("acct-arns") + "/backup/")


def test_the_denial_names_the_arn_describe_table_returns(account_server):
    admin = keyed(account_server, "AKIDADMIN")
    make_table(admin, "acct-scope")
    make_table(admin, "other-scope")
    scoped = keyed(account_server, "AKIDSCOPED")
    # A permission on the table (by name pattern) allows the call on it...
    table_arn = scoped.describe_table(TableName="acct-scope")["Table"]["TableArn"]
    assert table_arn == arn("acct-scope")
    # ...and a refusal names the resource with the same account.
    with pytest.raises(ClientError) as e:
        scoped.describe_table(TableName="other-scope")
    code, message = error_of(e)
    assert code == "AccessDeniedException"
    assert f"arn:aws:iam::{ACCOUNT}:user/acct-scoped" in message
    assert f"on resource: {arn('other-scope')} " in message


def test_tag_calls_on_the_files_account_arn(account_server):
    scoped = keyed(account_server, "AKIDSCOPED")
    make_table(keyed(account_server, "AKIDADMIN"), "acct-tags")
    table_arn = scoped.describe_table(TableName="acct-tags")["Table"]["TableArn"]
    scoped.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "env", "Value": "test"}])
    assert scoped.list_tags_of_resource(ResourceArn=table_arn)["Tags"] == [{"Key": "env", "Value": "test"}]
    scoped.untag_resource(ResourceArn=table_arn, TagKeys=["env"])
    assert scoped.list_tags_of_resource(ResourceArn=table_arn)["Tags"] == []


@pytest.mark.parametrize("op", ["TagResource", "UntagResource", "ListTagsOfResource"])
def test_tag_calls_on_a_zeros_account_arn_are_denied(account_server, op):
    c = keyed(account_server, "AKIDADMIN")
    make_table(c, f"acct-zero-{op.lower()}")
    foreign = arn(f"acct-zero-{op.lower()}", account="000000000000")
    calls = {
        "TagResource": lambda: c.tag_resource(ResourceArn=foreign, Tags=[{"Key": "k", "Value": "v"}]),
        "UntagResource": lambda: c.untag_resource(ResourceArn=foreign, TagKeys=["k"]),
        "ListTagsOfResource": lambda: c.list_tags_of_resource(ResourceArn=foreign),
    }
    with pytest.raises(ClientError) as e:
        calls[op]()
    code, message = error_of(e)
    assert code == "AccessDeniedException", message
    # The engine's refusal names the server's own account as the caller's.
    assert message == (
        f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: dynamodb:{op} on resource: "
        f"{foreign} because no resource-based policy allows the dynamodb:{op} action"
    )


def test_cruddur_serve_uses_the_files_account(tmp_path):
    """`cruddur serve --credentials FILE` runs the same engine in process: its
    tables' ARNs carry the file's account too."""
    from serve_util import ServeProcess

    path = tmp_path / "credentials.json"
    path.write_text(json.dumps({
        "account_id": ACCOUNT,
        "keys": [{"access_key_id": "AKIDADMIN", "secret_access_key": KEYS["AKIDADMIN"][0], "name": "acct-admin",
                  "permissions": [{"actions": ["*"]}]}],
    }))
    s = ServeProcess(tmp_path / "data", extra_args=["--in-memory", "--credentials", str(path)])
    try:
        c = client(s.ddb_url, "AKIDADMIN", secret=KEYS["AKIDADMIN"][0])
        t = c.describe_table(TableName="cruddur-messages")["Table"]
        assert t["TableArn"] == arn("cruddur-messages")
        c.tag_resource(ResourceArn=t["TableArn"], Tags=[{"Key": "env", "Value": "local"}])
        # (the seeded table has tags of its own)
        assert {"Key": "env", "Value": "local"} in c.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"]
    finally:
        s.stop_cleanly()
