#!/usr/bin/python3
"""The client of bench/instructions.sh: sends requests one after another over
one keep-alive connection and exits non-zero, saying why, if one fails.

    instructions.py ddb PORT OP N          N DynamoDB requests of OP (GetItem,
                                           PutItem, UpdateItem, Query) on
                                           bench/load.py's table, shaped as
                                           bench/ddb.lua sends them
    instructions.py api PORT PATH TOKEN N  N GETs of PATH with the bearer token
    instructions.py post PORT GROUP TOKEN N
                                           N POST /api/messages into GROUP

The keys are random (a fixed seed: every run sends the same requests).
"""

import http.client
import json
import random
import string
import sys

PARTITIONS = 500
ITEMS_PER_PARTITION = 20
# bench/lib.lua's header shape: servers that check only the shape accept it.
DDB_HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "X-Amz-Date": "20260101T000000Z",
}


def key(p, s):
    return {"pk": {"S": "p%03d" % p}, "sk": {"S": "s%02d" % s}}


def ddb_request(op, rng):
    p, s = rng.randrange(PARTITIONS), rng.randrange(ITEMS_PER_PARTITION)
    if op == "GetItem":
        return {"TableName": "bench", "Key": key(p, s)}
    if op == "PutItem":
        item = key(p, s)
        item["g"] = {"S": "g%03d" % ((p * ITEMS_PER_PARTITION + s) % PARTITIONS)}
        item["data"] = {"S": "".join(rng.choices(string.ascii_letters, k=200))}
        item["n"] = {"N": "0"}
        return {"TableName": "bench", "Item": item}
    if op == "UpdateItem":
        return {"TableName": "bench", "Key": key(p, s), "UpdateExpression": "ADD n :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}}}
    if op == "Query":
        return {"TableName": "bench", "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": "p%03d" % p}}}
    sys.exit(f"instructions.py: unknown operation {op}")


def main(argv):
    if len(argv) != 6 and not (len(argv) == 5 and argv[1] == "ddb"):
        sys.exit(__doc__)
    mode, port = argv[1], int(argv[2])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    rng = random.Random(7)
    n = int(argv[-1])
    for i in range(n):
        if mode == "ddb":
            op = argv[3]
            headers = dict(DDB_HEADERS, **{"X-Amz-Target": "DynamoDB_20120810." + op})
            conn.request("POST", "/", json.dumps(ddb_request(op, rng)), headers)
        elif mode == "api":
            conn.request("GET", argv[3], headers={"Authorization": "Bearer " + argv[4]})
        elif mode == "post":
            body = json.dumps({"message": "bench #%d" % i, "message_group_uuid": argv[3]})
            conn.request("POST", "/api/messages", body,
                         {"Authorization": "Bearer " + argv[4], "Content-Type": "application/json"})
        else:
            sys.exit(__doc__)
        res = conn.getresponse()
        data = res.read()
        if res.status not in (200, 201):
            sys.exit(f"instructions.py: request {i} failed: {res.status} {data[:200]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
