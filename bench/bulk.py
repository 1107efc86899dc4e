#!/usr/bin/python3
"""The table of bench/run.sh's bulk load (written by bench/bulk.lua).

    bulk.py create URL [--table bulk]         creates the table (key pk, S, hash)
    bulk.py verify URL ITEMS [--table bulk]   checks that it holds exactly the
                                              ITEMS items bulk.lua writes

verify counts the items with Scan Select=COUNT (every page) and reads the
first and the last item back; it prints "verified N items (...)" or says what
is wrong and exits non-zero.
"""

import argparse
import http.client
import sys
import time

from load import Client, LoadError

PAYLOAD_BYTES = 180  # as bench/bulk.lua writes them


def create(client, table):
    client.call(
        "CreateTable",
        {
            "TableName": table,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    deadline = time.monotonic() + 30
    while True:
        _, out = client.call("DescribeTable", {"TableName": table})
        if out.get("Table", {}).get("TableStatus") == "ACTIVE":
            return
        if time.monotonic() > deadline:
            raise LoadError(f"table {table} not ACTIVE after 30 s: {out}")
        time.sleep(0.05)


def verify(client, table, items):
    for i in sorted({0, items - 1}):
        _, out = client.call("GetItem", {"TableName": table, "Key": {"pk": {"S": f"b{i:07d}"}}})
        got = out.get("Item", {})
        if len(got.get("data", {}).get("S", "")) != PAYLOAD_BYTES or got.get("n") != {
            "N": str(i % 1000)
        }:
            raise LoadError(f"item b{i:07d}: GetItem returned {str(out)[:300]}")
    t0 = time.monotonic()
    count, pages, req = 0, 0, {"TableName": table, "Select": "COUNT"}
    while True:
        _, out = client.call("Scan", req)
        count += out.get("Count", 0)
        pages += 1
        if "LastEvaluatedKey" not in out:
            break
        req["ExclusiveStartKey"] = out["LastEvaluatedKey"]
    if count != items:
        raise LoadError(f"Scan counted {count} items in {table}, expected {items}")
    return f"verified {count} items (Scan COUNT: {pages} pages in {time.monotonic() - t0:.1f} s)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=["create", "verify"])
    ap.add_argument("endpoint")
    ap.add_argument("items", type=int, nargs="?")
    ap.add_argument("--table", default="bulk")
    args = ap.parse_args()
    if args.action == "verify" and not args.items:
        ap.error("verify needs ITEMS")
    client = Client(args.endpoint)
    try:
        if args.action == "create":
            create(client, args.table)
        else:
            print(verify(client, args.table, args.items))
    except (LoadError, OSError, http.client.HTTPException) as e:
        print(f"bulk.py: {args.endpoint}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
