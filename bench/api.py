#!/usr/bin/python3
"""Helpers of bench/api.sh (the API part of `make bench`).

    api.py signin DDB_URL            signs the dev user in at the local user
                                     pool of `cruddur serve` (boto3
                                     cognito-idp, USER_PASSWORD_AUTH); prints
                                     the access token. Retries for ~20 s
                                     while the stack seeds itself.
    api.py check API_URL TOKEN GROUP checks that the three benchmarked routes
                                     answer as expected (one POST included);
                                     one line per route to stderr
    api.py tamper TOKEN              TOKEN with the middle character of its
                                     signature changed (a well-formed token
                                     whose signature check fails;
                                     bench/api.lua GetVary relies on which)
    api.py count DDB_URL TABLE PK    prints how many items partition PK holds
    api.py groups DDB_URL TABLE GROUP N
                                     writes N more conversations of GROUP's two
                                     members (their two inbox items each, as
                                     the app writes them, under new group
                                     uuids) straight into the table; prints
                                     the N uuids, space-separated
    api.py report RESULTS FACTS      prints the report section and its goals

RESULTS: one line per wrk run, tab-separated:
    op requests duration_us rps p50_us p99_us cpu_us errors
FACTS: key=value lines: machine, seconds, threads, mode, messages_before and
messages_after (the conversation's size around the POST run), note.
"""

import datetime
import json
import sys
import time
import uuid
import urllib.error
import urllib.request

from util import goal_writer, machine_line, read_facts, read_rows, verdict

CLIENT_ID = "cruddurlocalclient"
USERNAME = "andrew@exampro.co"
PASSWORD = "Cruddur1!"
GOAL_RATIO = 0.5  # each GET >= half the engine's own Query req/s

# Run names (bench/api.sh's) in table order, with their labels.
LABEL = {
    "Query": "engine Query (:ddb)",
    "GetMessages": "GET /api/messages/{g}",
    "GetGroups": "GET /api/message_groups",
    "PostMessage": "POST /api/messages",
    "Transact": "engine TransactWrite x5",
    "PostMany": "POST, 100 conversations",
    "GetMessagesAfter": "  GET messages, after",
    "GetGroupsAfter": "  GET message_groups, after",
    "BadSignature": "GET, bad signature",
    "Malformed": "GET, 'Bearer null'",
}
EXPECT_401 = {"BadSignature", "Malformed"}


def signin(ddb_url):
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "cognito-idp",
        endpoint_url=ddb_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            out = client.initiate_auth(
                AuthFlow="USER_PASSWORD_AUTH",
                ClientId=CLIENT_ID,
                AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD},
            )
            print(out["AuthenticationResult"]["AccessToken"])
            return 0
        except Exception as e:  # the pool may still be seeding
            if time.monotonic() > deadline:
                print(f"api.py: sign-in failed: {e}", file=sys.stderr)
                return 1
            time.sleep(0.2)


def count(ddb_url, table, pk):
    import boto3

    client = boto3.client("dynamodb", endpoint_url=ddb_url, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
    total, start = 0, None
    while True:
        args = {"TableName": table, "KeyConditionExpression": "pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": pk}}, "Select": "COUNT"}
        if start:
            args["ExclusiveStartKey"] = start
        out = client.query(**args)
        total += out["Count"]
        start = out.get("LastEvaluatedKey")
        if not start:
            print(total)
            return 0


def groups(ddb_url, table, group, n):
    import boto3

    client = boto3.client("dynamodb", endpoint_url=ddb_url, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
    inboxes = client.query(
        TableName=table, IndexName="message-group-sk-index",
        KeyConditionExpression="message_group_uuid = :g",
        ExpressionAttributeValues={":g": {"S": group}})["Items"]
    inboxes = [i for i in inboxes if i["pk"]["S"].startswith("GRP#")]
    if len(inboxes) != 2:
        print(f"api.py: {group} has {len(inboxes)} inbox items, not 2", file=sys.stderr)
        return 1
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    made = []
    for i in range(n):
        g = str(uuid.uuid4())
        sk = (start + datetime.timedelta(minutes=i)).isoformat(timespec="microseconds")
        for item in inboxes:
            client.put_item(TableName=table,
                            Item=dict(item, sk={"S": sk}, message_group_uuid={"S": g}))
        made.append(g)
    print(" ".join(made))
    return 0


def call(method, url, token, body=None):
    data = None
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def check(api_url, token, group):
    ok = True

    def fail(what, status, body):
        nonlocal ok
        ok = False
        print(f"api.py: {what}: HTTP {status} {body[:300]!r}", file=sys.stderr)

    status, body = call("GET", f"{api_url}/api/messages/{group}", token)
    if status != 200:
        fail(f"GET /api/messages/{group}", status, body)
    else:
        msgs = json.loads(body)
        print(f"api.py: GET /api/messages/{{g}}: 200, {len(msgs)} messages", file=sys.stderr)
        if not isinstance(msgs, list) or not msgs:
            fail("GET /api/messages/{g}: expected a non-empty list", status, body)
    status, body = call("GET", f"{api_url}/api/message_groups", token)
    if status != 200:
        fail("GET /api/message_groups", status, body)
    else:
        groups = json.loads(body)
        print(f"api.py: GET /api/message_groups: 200, {len(groups)} groups", file=sys.stderr)
        if not any(g.get("uuid") == group for g in groups if isinstance(g, dict)):
            fail(f"GET /api/message_groups: {group} not listed", status, body)
    status, body = call("POST", f"{api_url}/api/messages", token,
                        {"message": "bench check", "message_group_uuid": group})
    if status // 100 != 2:
        fail("POST /api/messages", status, body)
    else:
        print(f"api.py: POST /api/messages: {status}", file=sys.stderr)
    status, body = call("GET", f"{api_url}/api/messages/{group}", tamper(token))
    if status != 401:
        fail("GET with a bad signature (expected 401)", status, body)
    return 0 if ok else 1


def tamper(token):
    head, payload, sig = token.split(".")
    i = len(sig) // 2  # a middle character: every one of its bits is signature
    return f"{head}.{payload}.{sig[:i]}{'B' if sig[i] == 'A' else 'A'}{sig[i + 1:]}"


def report(tsv, facts_path):
    rows = {op: r for (op,), r in read_rows(tsv)}
    facts = read_facts(facts_path)
    out = []
    p = out.append
    p(f"cruddur API benchmark (issue 5): one `cruddur serve` ({facts.get('mode', '?')}),"
      f" {facts.get('seconds', '?')} s per run, wrk {facts.get('threads', '?')} thread(s),"
      " 16 connections")
    p("  the seeded conversation 5ae290ed-... (andrewbrown/bayko); GETs return 20 items; every"
      " API request carries")
    p("  the dev user's Cognito access token; engine Query: the same Query the GET runs"
      " (pk = MSG#<g>, newest")
    p("  first, Limit 20) sent straight to serve's DynamoDB port; CPU us/req: the serve"
      " process's utime+stime / requests")
    p("  'after': the same GETs once the POST run has added its messages (each POST replaces the"
      " conversation's")
    p("  two inbox items); last two rows: 401 answers (expected), for the cost of the token"
      " check: well-formed")
    p("  tokens with a bad signature, a new one each request (full RSA check) vs 'Bearer null'"
      " (rejected unparsed)")
    machine_line(facts, p)
    p("")
    p(f"{'run':<26} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU us/req':>11} {'errors':>7}")
    for op, label in LABEL.items():
        r = rows.get(op)
        if r is None:
            continue
        errors = f"{r['errors']}" + (" (401)" if op in EXPECT_401 else "")
        p(f"{label:<26} {r['rps']:>9.0f} {r['p50_ms']:>8.3f} {r['p99_ms']:>8.3f}"
          f" {r['cpu_per_req']:>11.1f} {errors:>7}")
    p("")
    p("goals (issue 5)")

    line = goal_writer(p)
    query = rows.get("Query")
    for op, what in (("GetMessages", "GET messages req/s / engine Query's"),
                     ("GetGroups", "GET message_groups req/s / engine Query's")):
        r = rows.get(op)
        if r and query and query["rps"] > 0:
            ratio = r["rps"] / query["rps"]
            line(what, f"{ratio:.2f}x", f"(>= {GOAL_RATIO}x)",
                 verdict(ratio >= GOAL_RATIO, r["errors"] + query["errors"]))
        else:
            line(what, "n/a", f"(>= {GOAL_RATIO}x)", "n/a")
    for op, what in (("GetMessages", "GET messages CPU/req / engine Query's"),
                     ("GetGroups", "GET message_groups CPU/req / engine Query's")):
        r = rows.get(op)
        if r and query and query["cpu_per_req"] > 0:
            line(what, f"{r['cpu_per_req'] / query['cpu_per_req']:.2f}x", "",
                 "(for information: less noisy than req/s)")
    post = rows.get("PostMessage")
    if post:
        line("POST messages req/s (for information)", f"{post['rps']:.0f}", "",
             f"({post['errors']} failed)" if post["errors"] else "")
    for op, what in (("GetMessagesAfter", "GET messages req/s after / before the POSTs"),
                     ("GetGroupsAfter", "GET message_groups req/s after / before")):
        before, after = rows.get(op[: -len("After")]), rows.get(op)
        if post and before and after and before["rps"] > 0:
            line(what, f"{after['rps'] / before['rps']:.2f}x", "", "(for information)")
    if post and "messages_after" in facts:
        p(f"    (the conversation then held {facts['messages_after']} messages,"
          f" {facts.get('messages_before', '?')} before the POST run)")
    bad, malformed, get = rows.get("BadSignature"), rows.get("Malformed"), rows.get("GetMessages")
    if bad and malformed:
        check_us = bad["cpu_per_req"] - malformed["cpu_per_req"]
        line("token signature check, CPU us (401 runs)", f"{check_us:.1f} us", "", "")
        if get and get["cpu_per_req"] > 0:
            share = 100 * check_us / get["cpu_per_req"]
            p(f"    = {share:.0f}% of a GET messages' CPU ({get['cpu_per_req']:.1f} us): what each"
              " GET pays unless the verifier")
            p("    caches verified tokens (the GET runs reuse one token)")
    p("")
    issue15(rows, line, p)
    if "note" in facts:
        p(f"  {facts['note']}")
    print("\n".join(x.rstrip() for x in out))
    return 0


def issue15(rows, line, p):
    """The API goal lines of issue 15: sends against the engine's own
    transaction of the same shape."""
    post, many, tx = rows.get("PostMessage"), rows.get("PostMany"), rows.get("Transact")
    p("goals (issue 15: sends that never stall)")
    what = "POST, 1 conversation: failed sends"
    if post:
        line(what, f"{post['errors']}", "(0)", verdict(post["errors"] == 0))
    else:
        line(what, "n/a", "(0)", "n/a")

    def ratio(what, num, den, key, goal, ok):
        if num and den and den[key] > 0:
            r = num[key] / den[key]
            line(what, f"{r:.2f}x", goal, verdict(ok(r), num["errors"] + den["errors"]))
        else:
            line(what, "n/a", goal, "n/a")

    ratio("POST p99, 1 conversation / TransactWrite's", post, tx, "p99_ms", "(<= 5x)",
          lambda r: r <= 5)
    ratio("POST req/s, 100 conversations / TransactW's", many, tx, "rps", "(>= 0.5x)",
          lambda r: r >= 0.5)
    ratio("POST CPU/req / TransactWrite's", post, tx, "cpu_per_req", "(<= 2x)", lambda r: r <= 2)
    for op, what in (("GetMessages", "GET messages"), ("GetGroups", "GET message_groups")):
        ratio(f"{what} req/s / engine Query's", rows.get(op), rows.get("Query"), "rps",
              "(>= 0.9x)", lambda r: r >= 0.9)
        ratio(f"{what} CPU/req / engine Query's", rows.get(op), rows.get("Query"),
              "cpu_per_req", "(<= 1.2x)", lambda r: r <= 1.2)


def main(argv):
    if len(argv) == 2 and argv[0] == "signin":
        return signin(argv[1])
    if len(argv) == 4 and argv[0] == "check":
        return check(argv[1].rstrip("/"), argv[2], argv[3])
    if len(argv) == 4 and argv[0] == "count":
        return count(argv[1], argv[2], argv[3])
    if len(argv) == 5 and argv[0] == "groups":
        return groups(argv[1], argv[2], argv[3], int(argv[4]))
    if len(argv) == 2 and argv[0] == "tamper":
        print(tamper(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "report":
        return report(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
