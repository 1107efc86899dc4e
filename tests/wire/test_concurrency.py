"""Writes to one item are serialized: concurrent conditional increments of a
single counter end at exactly the number of increments."""

import concurrent.futures
import threading

from wire_util import random_key

THREADS = 8


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def conditional_increment(client, table, key):
    """Read-modify-write guarded by a condition; retries on conflict. Returns attempts."""
    attempts = 0
    while True:
        attempts += 1
        item = client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        cur = int(item["c"]["N"]) if item and "c" in item else None
        try:
            if cur is None:
                client.update_item(
                    TableName=table,
                    Key=key,
                    UpdateExpression="SET c = :one",
                    ConditionExpression="attribute_not_exists(c)",
                    ExpressionAttributeValues={":one": N(1)},
                )
            else:
                client.update_item(
                    TableName=table,
                    Key=key,
                    UpdateExpression="SET c = :new",
                    ConditionExpression="c = :old",
                    ExpressionAttributeValues={":new": N(cur + 1), ":old": N(cur)},
                )
            return attempts
        except client.exceptions.ConditionalCheckFailedException:
            continue


def test_n_threads_conditional_increment_once_each(dynamodb, table_s):
    key = {"pk": S(random_key())}
    barrier = threading.Barrier(THREADS)

    def work(_):
        barrier.wait()
        return conditional_increment(dynamodb, table_s, key)

    with concurrent.futures.ThreadPoolExecutor(THREADS) as ex:
        attempts = list(ex.map(work, range(THREADS)))
    final = int(dynamodb.get_item(TableName=table_s, Key=key, ConsistentRead=True)["Item"]["c"]["N"])
    assert final == THREADS, f"attempts per thread: {attempts}"


def test_n_threads_many_conditional_increments(dynamodb, table_s):
    key = {"pk": S(random_key())}
    per_thread = 25

    def work(_):
        for _ in range(per_thread):
            conditional_increment(dynamodb, table_s, key)

    with concurrent.futures.ThreadPoolExecutor(THREADS) as ex:
        list(ex.map(work, range(THREADS)))
    final = int(dynamodb.get_item(TableName=table_s, Key=key, ConsistentRead=True)["Item"]["c"]["N"])
    assert final == THREADS * per_thread


def test_concurrent_add(dynamodb, table_s):
    key = {"pk": S(random_key())}
    per_thread = 50

    def work(_):
        for _ in range(per_thread):
            dynamodb.update_item(
                TableName=table_s, Key=key, UpdateExpression="ADD c :one", ExpressionAttributeValues={":one": N(1)}
            )

    with concurrent.futures.ThreadPoolExecutor(THREADS) as ex:
        list(ex.map(work, range(THREADS)))
    final = int(dynamodb.get_item(TableName=table_s, Key=key, ConsistentRead=True)["Item"]["c"]["N"])
    assert final == THREADS * per_thread


def test_concurrent_if_not_exists_increment_returns_unique_values(dynamodb, table_s):
    key = {"pk": S(random_key())}
    per_thread = 20

    def work(_):
        out = []
        for _ in range(per_thread):
            r = dynamodb.update_item(
                TableName=table_s,
                Key=key,
                UpdateExpression="SET c = if_not_exists(c, :zero) + :one",
                ExpressionAttributeValues={":zero": N(0), ":one": N(1)},
                ReturnValues="UPDATED_NEW",
            )
            out.append(int(r["Attributes"]["c"]["N"]))
        return out

    with concurrent.futures.ThreadPoolExecutor(THREADS) as ex:
        results = [v for part in ex.map(work, range(THREADS)) for v in part]
    # each increment saw a distinct value: no lost update, no duplicate
    assert sorted(results) == list(range(1, THREADS * per_thread + 1))


def test_only_one_create_wins(dynamodb, table_s):
    key = random_key()
    barrier = threading.Barrier(THREADS)

    def work(t):
        barrier.wait()
        try:
            dynamodb.put_item(
                TableName=table_s, Item={"pk": S(key), "owner": N(t)}, ConditionExpression="attribute_not_exists(pk)"
            )
            return t
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return None

    with concurrent.futures.ThreadPoolExecutor(THREADS) as ex:
        winners = [w for w in ex.map(work, range(THREADS)) if w is not None]
    assert len(winners) == 1
    item = dynamodb.get_item(TableName=table_s, Key={"pk": S(key)}, ConsistentRead=True)["Item"]
    assert item["owner"] == N(winners[0])
