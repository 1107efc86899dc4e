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
import sys

import load  # bench/load.py: the table's layout, its items, a DynamoDB client


def ddb_request(op, rng):
    p, s = rng.randrange(load.PARTITIONS), rng.randrange(load.ITEMS_PER_PARTITION)
    if op == "GetItem":
        return {"TableName": "bench", "Key": load.key(p, s)}
    if op == "PutItem":
        return {"TableName": "bench", "Item": load.item(p, s, rng)}
    if op == "UpdateItem":
        return {"TableName": "bench", "Key": load.key(p, s), "UpdateExpression": "ADD n :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}}}
    if op == "Query":
        return {"TableName": "bench", "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": f"p{p:03d}"}}}
    sys.exit(f"instructions.py: unknown operation {op}")


def main(argv):
    if len(argv) != 6 and not (len(argv) == 5 and argv[1] == "ddb"):
        sys.exit(__doc__)
    mode, port = argv[1], int(argv[2])
    rng = random.Random(7)
    n = int(argv[-1])
    if mode == "ddb":
        client = load.Client(f"http://127.0.0.1:{port}")
        try:
            for _ in range(n):
                client.call(argv[3], ddb_request(argv[3], rng))
        except load.LoadError as e:
            sys.exit(f"instructions.py: {e}")
        return 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for i in range(n):
        if mode == "api":
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
