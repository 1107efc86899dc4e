#!/usr/bin/python3
"""Creates the benchmark table on a DynamoDB-compatible server, loads it, and
checks that every benchmarked operation answers as DynamoDB would.

    load.py http://127.0.0.1:PORT [--table bench] [--no-index] [--no-transactions]
                                  [--threads 8]

The table has key pk (S, hash) + sk (S, range): 500 partitions "p000".."p499"
of 20 items "s00".."s19" each, 10,000 items, each with a 200-byte string
attribute "data", a number "n" and a string "g" = "g000".."g499" (item number
p*20+s modulo 500, so every g value has 20 items in 20 partitions). Unless
--no-index, CreateTable also creates the global secondary index "g-index"
(hash g, range pk, projection ALL), so a Query on it returns 20 items.
bench/ddb.lua relies on this layout.

The checks cover GetItem, Query, UpdateItem, and, on the indexed table, Query
on the index, BatchWriteItem and (unless --no-transactions: dynalite has none)
TransactWriteItems.

Speaks the JSON 1.0 protocol directly over keep-alive connections (no SDK),
with an Authorization header shaped like SigV4, so loading is quick and the
same for every server. Exits non-zero, saying why, if any request fails or an
answer is not what DynamoDB would return.
"""

import argparse
import concurrent.futures
import http.client
import json
import random
import string
import sys
import threading
import time
import urllib.parse

PARTITIONS = 500
ITEMS_PER_PARTITION = 20
PAYLOAD_BYTES = 200
INDEX = "g-index"

HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0123456789abcdef" * 4,
}


class LoadError(Exception):
    pass


class Client:
    """One keep-alive connection; not thread-safe (one per thread)."""

    def __init__(self, endpoint):
        url = urllib.parse.urlparse(endpoint)
        self.host, self.port = url.hostname, url.port or 80
        self.conn = None

    def call(self, op, body, expect_ok=True):
        data = json.dumps(body).encode()
        headers = dict(HEADERS, **{"X-Amz-Target": "DynamoDB_20120810." + op})
        for attempt in range(2):  # one retry on a connection the server closed
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.conn.request("POST", "/", body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn = None
                if attempt == 1:
                    raise
        try:
            out = json.loads(raw) if raw else {}
        except ValueError:
            raise LoadError(f"{op}: HTTP {resp.status}, not JSON: {raw[:200]!r}")
        if expect_ok and resp.status != 200:
            raise LoadError(f"{op}: HTTP {resp.status}: {raw[:300].decode(errors='replace')}")
        return resp.status, out


def key(p, s):
    return {"pk": {"S": f"p{p:03d}"}, "sk": {"S": f"s{s:02d}"}}


def g_of(p, s):
    return f"g{(p * ITEMS_PER_PARTITION + s) % PARTITIONS:03d}"


def item(p, s, rng):
    it = key(p, s)
    it["g"] = {"S": g_of(p, s)}
    it["data"] = {"S": "".join(rng.choice(string.ascii_letters) for _ in range(PAYLOAD_BYTES))}
    it["n"] = {"N": "0"}
    return it


def create_table(client, table, index):
    req = {
        "TableName": table,
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if index:
        req["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
        req["GlobalSecondaryIndexes"] = [
            {
                "IndexName": INDEX,
                "KeySchema": [
                    {"AttributeName": "g", "KeyType": "HASH"},
                    {"AttributeName": "pk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    client.call("CreateTable", req)
    deadline = time.monotonic() + 30
    while True:
        _, out = client.call("DescribeTable", {"TableName": table})
        desc = out.get("Table", {})
        gsis = desc.get("GlobalSecondaryIndexes", [])
        if (
            desc.get("TableStatus") == "ACTIVE"
            and all(g.get("IndexStatus") == "ACTIVE" for g in gsis)
            and len(gsis) == (1 if index else 0)
        ):
            return
        if time.monotonic() > deadline:
            raise LoadError(f"table {table} not ACTIVE after 30 s: {out}")
        time.sleep(0.05)


def load(endpoint, table, threads):
    local = threading.local()

    def put_partition(p):
        if not hasattr(local, "client"):
            local.client = Client(endpoint)
        rng = random.Random(p)
        for s in range(ITEMS_PER_PARTITION):
            local.client.call("PutItem", {"TableName": table, "Item": item(p, s, rng)})

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for f in concurrent.futures.as_completed(
            [pool.submit(put_partition, p) for p in range(PARTITIONS)]
        ):
            f.result()


def check(client, table, index, transactions):
    """One request of each benchmarked operation, checked against DynamoDB."""
    _, out = client.call("GetItem", {"TableName": table, "Key": key(123, 7)})
    got = out.get("Item", {})
    if got.get("pk") != {"S": "p123"} or len(got.get("data", {}).get("S", "")) != PAYLOAD_BYTES:
        raise LoadError(f"GetItem returned {json.dumps(out)[:300]}")

    _, out = client.call(
        "Query",
        {
            "TableName": table,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "p042"}},
        },
    )
    sks = [i["sk"]["S"] for i in out.get("Items", [])]
    if out.get("Count") != ITEMS_PER_PARTITION or sks != sorted(sks):
        raise LoadError(f"Query returned Count={out.get('Count')} sort keys {sks}")

    _, out = client.call(
        "UpdateItem",
        {
            "TableName": table,
            "Key": key(0, 0),
            "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
            "ReturnValues": "UPDATED_NEW",
        },
    )
    if out.get("Attributes", {}).get("n") != {"N": "1"}:
        raise LoadError(f"UpdateItem ADD returned {out}")

    rng = random.Random(0)
    client.call("PutItem", {"TableName": table, "Item": item(0, 0, rng)})  # back to n = 0
    if index:
        check_index(client, table, transactions)


def check_index(client, table, transactions):
    # g042: items 42, 542, ..., 9542 -> partitions p002, p027, ..., p477.
    want = [f"p{(42 + 500 * i) // ITEMS_PER_PARTITION:03d}" for i in range(20)]
    query = {
        "TableName": table,
        "IndexName": INDEX,
        "KeyConditionExpression": "g = :g",
        "ExpressionAttributeValues": {":g": {"S": "g042"}},
    }
    deadline = time.monotonic() + 10  # GSIs may be eventually consistent
    while True:
        _, out = client.call("Query", query)
        pks = [i["pk"]["S"] for i in out.get("Items", [])]
        if pks == want and all(len(i.get("data", {}).get("S", "")) == PAYLOAD_BYTES
                               for i in out["Items"]):
            break
        if time.monotonic() > deadline:
            raise LoadError(f"Query on {INDEX} returned Count={out.get('Count')} keys {pks}")
        time.sleep(0.05)

    rng = random.Random(1)
    batch = [(p, 3) for p in range(100, 125)]
    _, out = client.call(
        "BatchWriteItem",
        {"RequestItems": {table: [{"PutRequest": {"Item": item(p, s, rng)}} for p, s in batch]}},
    )
    if out.get("UnprocessedItems"):
        raise LoadError(f"BatchWriteItem left items unprocessed: {str(out)[:300]}")

    if not transactions:
        return
    _, out = client.call(
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": table, "Item": item(1, 1, rng)}},
                {"Put": {"TableName": table, "Item": item(1, 2, rng)}},
                {
                    "Update": {
                        "TableName": table,
                        "Key": key(1, 3),
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
                {
                    "Update": {
                        "TableName": table,
                        "Key": key(1, 4),
                        "UpdateExpression": "SET n = :zero",
                        "ConditionExpression": "attribute_exists(pk)",
                        "ExpressionAttributeValues": {":zero": {"N": "0"}},
                    }
                },
            ]
        },
    )
    _, out = client.call("GetItem", {"TableName": table, "Key": key(1, 3)})
    if out.get("Item", {}).get("n") != {"N": "1"}:
        raise LoadError(f"TransactWriteItems: the ADD did not apply: {str(out)[:300]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("endpoint")
    ap.add_argument("--table", default="bench")
    ap.add_argument("--no-index", action="store_true", help="create the table without g-index")
    ap.add_argument(
        "--no-transactions", action="store_true", help="skip the TransactWriteItems check"
    )
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()

    client = Client(args.endpoint)
    t0 = time.monotonic()
    try:
        create_table(client, args.table, not args.no_index)
        load(args.endpoint, args.table, args.threads)
        check(client, args.table, not args.no_index, not args.no_transactions)
    except (LoadError, OSError, http.client.HTTPException) as e:
        print(f"load.py: {args.endpoint}: {e}", file=sys.stderr)
        return 1
    n = PARTITIONS * ITEMS_PER_PARTITION
    what = "without an index" if args.no_index else f"with {INDEX}"
    print(f"loaded {n} items into {args.table} ({what}) in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
