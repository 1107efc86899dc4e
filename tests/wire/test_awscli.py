"""The AWS CLI (Debian's awscli, /usr/bin/aws) against the server."""

import json
import os
import subprocess

import pytest

from wire_util import ACCESS_KEY, REGION, SECRET_KEY, unique_name

AWS = "/usr/bin/aws"


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    if not os.path.exists(AWS):
        pytest.skip("awscli is not installed (apt-get install awscli)")
    home = tmp_path_factory.mktemp("awshome")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_PAGER": "",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "LANG": "C.UTF-8",
    }
    if os.environ.get("AWS_SESSION_TOKEN"):
        env["AWS_SESSION_TOKEN"] = os.environ["AWS_SESSION_TOKEN"]
    return env


def aws(cli_env, endpoint, *args, check=True):
    r = subprocess.run(
        [AWS, "dynamodb", *args, "--endpoint-url", endpoint, "--output", "json"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check:
        assert r.returncode == 0, f"aws {' '.join(args)} failed ({r.returncode}): {r.stderr}"
    return r


def out(r):
    return json.loads(r.stdout) if r.stdout.strip() else {}


def test_cli_table_and_item_lifecycle(cli_env, endpoint):
    name = unique_name("cli")
    r = aws(
        cli_env,
        endpoint,
        "create-table",
        "--table-name", name,
        "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=S",
        "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
        "--billing-mode", "PAY_PER_REQUEST",
    )
    assert out(r)["TableDescription"]["TableName"] == name
    try:
        aws(cli_env, endpoint, "wait", "table-exists", "--table-name", name)
        assert name in out(aws(cli_env, endpoint, "list-tables"))["TableNames"]
        d = out(aws(cli_env, endpoint, "describe-table", "--table-name", name))["Table"]
        assert d["TableStatus"] == "ACTIVE"

        item = {"pk": {"S": "p1"}, "sk": {"S": "s1"}, "msg": {"S": "héllo"}, "n": {"N": "1.50"}}
        aws(cli_env, endpoint, "put-item", "--table-name", name, "--item", json.dumps(item))
        aws(cli_env, endpoint, "put-item", "--table-name", name, "--item", json.dumps({"pk": {"S": "p1"}, "sk": {"S": "s2"}}))
        got = out(aws(cli_env, endpoint, "get-item", "--table-name", name, "--key", '{"pk":{"S":"p1"},"sk":{"S":"s1"}}', "--consistent-read"))
        assert got["Item"] == {**item, "n": {"N": "1.5"}}

        r = out(
            aws(
                cli_env,
                endpoint,
                "update-item",
                "--table-name", name,
                "--key", '{"pk":{"S":"p1"},"sk":{"S":"s1"}}',
                "--update-expression", "ADD n :d",
                "--expression-attribute-values", '{":d":{"N":"1"}}',
                "--return-values", "UPDATED_NEW",
            )
        )
        assert r["Attributes"] == {"n": {"N": "2.5"}}

        s = out(aws(cli_env, endpoint, "scan", "--table-name", name))
        assert s["Count"] == 2 and len(s["Items"]) == 2

        q = out(
            aws(
                cli_env,
                endpoint,
                "query",
                "--table-name", name,
                "--key-condition-expression", "pk = :p AND begins_with(sk, :s)",
                "--expression-attribute-values", '{":p":{"S":"p1"},":s":{"S":"s"}}',
                "--no-scan-index-forward",
            )
        )
        assert [i["sk"]["S"] for i in q["Items"]] == ["s2", "s1"]

        # the CLI pages through scan results itself
        s = out(aws(cli_env, endpoint, "scan", "--table-name", name, "--page-size", "1"))
        assert s["Count"] == 2

        aws(cli_env, endpoint, "delete-item", "--table-name", name, "--key", '{"pk":{"S":"p1"},"sk":{"S":"s2"}}')
        assert out(aws(cli_env, endpoint, "scan", "--table-name", name))["Count"] == 1

        r = aws(
            cli_env,
            endpoint,
            "put-item",
            "--table-name", name,
            "--item", json.dumps(item),
            "--condition-expression", "attribute_not_exists(pk)",
            check=False,
        )
        assert r.returncode != 0
        assert "ConditionalCheckFailedException" in r.stderr
    finally:
        r = aws(cli_env, endpoint, "delete-table", "--table-name", name, check=False)
    assert r.returncode == 0, r.stderr
    assert out(r)["TableDescription"]["TableName"] == name


def test_cli_errors(cli_env, endpoint):
    r = aws(cli_env, endpoint, "describe-table", "--table-name", unique_name("nosuch"), check=False)
    assert r.returncode != 0
    assert "ResourceNotFoundException" in r.stderr
    r = aws(cli_env, endpoint, "delete-table", "--table-name", unique_name("nosuch"), check=False)
    assert r.returncode != 0
    assert "ResourceNotFoundException" in r.stderr


def test_cli_list_tables_query_table_output(cli_env, endpoint, table_s):
    r = subprocess.run(
        [AWS, "dynamodb", "list-tables", "--endpoint-url", endpoint, "--query", "TableNames", "--output", "table"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "ListTables" in r.stdout
    assert table_s in r.stdout
