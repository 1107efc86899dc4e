"""TransactWriteItems / TransactGetItems through boto3: all-or-nothing,
cancellation reasons in action order, idempotency tokens, one action per item,
double capacity."""

import threading
import uuid

from botocore.exceptions import ClientError

from wire_util import expect_error, expect_validation


def put(t, pk, **attrs):
    item = {"pk": {"S": pk}}
    item.update(attrs)
    return {"Put": {"TableName": t, "Item": item}}


def test_transaction_applies_all_actions(dynamodb, table_factory):
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "gone"}})
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "n"}, "c": {"N": "1"}})
    r = dynamodb.transact_write_items(
        TransactItems=[
            put(t, "new", v={"S": "x"}),
            {"Delete": {"TableName": t, "Key": {"pk": {"S": "gone"}}}},
            {
                "Update": {
                    "TableName": t,
                    "Key": {"pk": {"S": "n"}},
                    "UpdateExpression": "ADD c :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 6.0, "WriteCapacityUnits": 6.0}]
    got = dynamodb.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": t, "Key": {"pk": {"S": "new"}}}},
            {"Get": {"TableName": t, "Key": {"pk": {"S": "gone"}}}},
            {"Get": {"TableName": t, "Key": {"pk": {"S": "n"}}}},
        ]
    )["Responses"]
    assert got[0]["Item"]["v"] == {"S": "x"}
    assert "Item" not in got[1]
    assert got[2]["Item"]["c"] == {"N": "2"}


def test_failed_condition_cancels_everything_with_reasons_in_order(dynamodb, table_factory):
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "held"}, "v": {"N": "5"}})
    try:
        dynamodb.transact_write_items(
            TransactItems=[
                put(t, "would-be-new"),
                {
                    "ConditionCheck": {
                        "TableName": t,
                        "Key": {"pk": {"S": "held"}},
                        "ConditionExpression": "v = :six",
                        "ExpressionAttributeValues": {":six": {"N": "6"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        )
        raise AssertionError("expected TransactionCanceledException")
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == "TransactionCanceledException"
        assert err["Message"] == (
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[None, ConditionalCheckFailed]"
        )
        reasons = e.response["CancellationReasons"]
        assert reasons[0] == {"Code": "None"}
        assert reasons[1]["Code"] == "ConditionalCheckFailed"
        assert reasons[1]["Item"] == {"pk": {"S": "held"}, "v": {"N": "5"}}
    assert "Item" not in dynamodb.get_item(TableName=t, Key={"pk": {"S": "would-be-new"}})


def test_two_actions_on_one_item_are_rejected(dynamodb, table_factory):
    t = table_factory()
    with expect_validation(message="Transaction request cannot include multiple operations on one item"):
        dynamodb.transact_write_items(TransactItems=[put(t, "a"), {"Delete": {"TableName": t, "Key": {"pk": {"S": "a"}}}}])


def test_client_request_token_is_idempotent(dynamodb, table_factory):
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "n"}, "c": {"N": "0"}})
    incr = {
        "Update": {
            "TableName": t,
            "Key": {"pk": {"S": "n"}},
            "UpdateExpression": "ADD c :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    token = "tok-" + uuid.uuid4().hex[:16]  # tokens live 10 minutes server-wide
    for _ in range(3):
        dynamodb.transact_write_items(TransactItems=[incr], ClientRequestToken=token)
    assert dynamodb.get_item(TableName=t, Key={"pk": {"S": "n"}})["Item"]["c"] == {"N": "1"}
    with expect_error("IdempotentParameterMismatchException"):
        dynamodb.transact_write_items(TransactItems=[put(t, "other")], ClientRequestToken=token)


def test_concurrent_transfers_conserve_the_total(dynamodb, table_factory):
    t = table_factory()
    for k in ("a", "b"):
        dynamodb.put_item(TableName=t, Item={"pk": {"S": k}, "bal": {"N": "1000"}})

    def transfer(src, dst, n):
        for _ in range(n):
            try:
                dynamodb.transact_write_items(
                    TransactItems=[
                        {
                            "Update": {
                                "TableName": t,
                                "Key": {"pk": {"S": src}},
                                "UpdateExpression": "SET bal = bal - :one",
                                "ConditionExpression": "bal >= :one",
                                "ExpressionAttributeValues": {":one": {"N": "1"}},
                            }
                        },
                        {
                            "Update": {
                                "TableName": t,
                                "Key": {"pk": {"S": dst}},
                                "UpdateExpression": "SET bal = bal + :one",
                                "ExpressionAttributeValues": {":one": {"N": "1"}},
                            }
                        },
                    ]
                )
            except ClientError as e:
                assert e.response["Error"]["Code"] in ("TransactionCanceledException", "TransactionConflictException")

    threads = [threading.Thread(target=transfer, args=(s, d, 40)) for s, d in [("a", "b"), ("b", "a")] * 2]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    got = dynamodb.transact_get_items(
        TransactItems=[{"Get": {"TableName": t, "Key": {"pk": {"S": k}}}} for k in ("a", "b")]
    )["Responses"]
    assert sum(int(g["Item"]["bal"]["N"]) for g in got) == 2000


def test_transaction_size_bounds(raw_client, table_factory):
    t = table_factory()
    with expect_validation(match="Member must have length less than or equal to 100"):
        raw_client.transact_write_items(TransactItems=[put(t, str(i)) for i in range(101)])
    with expect_validation(match="Member must have length greater than or equal to 1"):
        raw_client.transact_write_items(TransactItems=[])
    with expect_validation(match="Member must have length less than or equal to 100"):
        raw_client.transact_get_items(
            TransactItems=[{"Get": {"TableName": t, "Key": {"pk": {"S": str(i)}}}} for i in range(101)]
        )


def test_client_request_token_longer_than_36_is_rejected(raw_client, table_factory):
    t = table_factory()
    with expect_validation(match="at 'clientRequestToken' failed to satisfy constraint"):
        raw_client.transact_write_items(TransactItems=[put(t, "a")], ClientRequestToken="x" * 37)


def test_idempotency_mismatch_message(dynamodb, table_factory):
    t = table_factory()
    token = "tok-" + uuid.uuid4().hex[:16]
    dynamodb.transact_write_items(TransactItems=[put(t, "a")], ClientRequestToken=token)
    with expect_error(
        "IdempotentParameterMismatchException",
        message="The request uses the same client token as a previous, but non-identical request.",
    ):
        dynamodb.transact_write_items(TransactItems=[put(t, "b")], ClientRequestToken=token)


def _increment(t):
    return {
        "Update": {
            "TableName": t,
            "Key": {"pk": {"S": "n"}},
            "UpdateExpression": "ADD c :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }


def test_client_request_token_replay_reports_read_capacity(dynamodb, table_factory):
    """API Reference, TransactWriteItems ClientRequestToken: the first call
    returns the write capacity consumed, a replay "the number of read capacity
    units consumed in reading the item" (how many is our guess: one strongly
    consistent read per item)."""
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "n"}, "c": {"N": "0"}})
    token = "tok-" + uuid.uuid4().hex[:16]
    first = dynamodb.transact_write_items(TransactItems=[_increment(t)], ClientRequestToken=token, ReturnConsumedCapacity="TOTAL")
    assert first["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}]
    again = dynamodb.transact_write_items(TransactItems=[_increment(t)], ClientRequestToken=token, ReturnConsumedCapacity="TOTAL")
    assert again["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 1.0, "ReadCapacityUnits": 1.0}]
    assert dynamodb.get_item(TableName=t, Key={"pk": {"S": "n"}}, ConsistentRead=True)["Item"]["c"] == {"N": "1"}


def test_client_request_token_of_a_cancelled_transaction_runs_again(dynamodb, table_factory):
    """Only a transaction that succeeded is remembered: a retry of a cancelled
    one with its token runs anew."""
    t = table_factory()
    token = "tok-" + uuid.uuid4().hex[:16]
    guarded = [
        {"Put": {"TableName": t, "Item": {"pk": {"S": "new"}}, "ConditionExpression": "attribute_exists(gate)"}}
    ]
    with expect_error("TransactionCanceledException"):
        dynamodb.transact_write_items(TransactItems=guarded, ClientRequestToken=token)
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "new"}, "gate": {"BOOL": True}})
    dynamodb.transact_write_items(TransactItems=guarded, ClientRequestToken=token)
    assert dynamodb.get_item(TableName=t, Key={"pk": {"S": "new"}}, ConsistentRead=True)["Item"] == {"pk": {"S": "new"}}
    # now remembered: a replay, not a cancellation (the gate is gone)
    dynamodb.transact_write_items(TransactItems=guarded, ClientRequestToken=token)


def test_concurrent_uses_of_one_token_apply_once(dynamodb, table_factory):
    """Requests racing with one token: the transaction runs once; the others
    are replays or TransactionInProgressException (botocore retries it)."""
    t = table_factory()
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "n"}, "c": {"N": "0"}})
    token = "tok-" + uuid.uuid4().hex[:16]
    errors = []

    def go():
        try:
            dynamodb.transact_write_items(TransactItems=[_increment(t)], ClientRequestToken=token)
        except ClientError as e:
            errors.append(e.response["Error"]["Code"])

    threads = [threading.Thread(target=go) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert set(errors) <= {"TransactionInProgressException"}
    assert dynamodb.get_item(TableName=t, Key={"pk": {"S": "n"}}, ConsistentRead=True)["Item"]["c"] == {"N": "1"}
