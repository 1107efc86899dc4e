"""DescribeLimits answers with the limits the server enforces."""


def test_describe_limits(dynamodb):
    r = dynamodb.describe_limits()
    assert r["AccountMaxReadCapacityUnits"] == 80000
    assert r["AccountMaxWriteCapacityUnits"] == 80000
    assert r["TableMaxReadCapacityUnits"] == 40000
    assert r["TableMaxWriteCapacityUnits"] == 40000
