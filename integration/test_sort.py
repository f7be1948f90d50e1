"""SORT and SORT_RO through redis-py."""

import pytest
import redis

from helpers import SYNTAX


@pytest.fixture
def c(raw):
    return raw()


def test_missing_key_and_syntax(rd, c):
    assert rd.sort("nokey") == []
    assert rd.sort("nokey", store="dst") == 0
    assert c.cmd("SORT", "nokey", "LIMIT", "1") == SYNTAX
    assert c.cmd("SORT_RO", "nokey", "STORE", "dst") == SYNTAX
    rd.set("str", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        rd.sort("str")


@pytest.mark.container_types("RPUSH", "LRANGE", "HSET")
def test_by_get_limit_and_store(rd):
    rd.rpush("ids", 3, 1, 2)
    rd.mset({"w_1": 30, "w_2": 10, "w_3": 20})
    rd.hset("h_1", "name", "one")
    rd.hset("h_3", "name", "three")
    assert rd.sort("ids") == ["1", "2", "3"]
    assert rd.sort("ids", by="w_*") == ["2", "3", "1"]
    assert rd.sort("ids", by="w_*", get=["#", "h_*->name"]) == ["2", None, "3", "three", "1", "one"]
    assert rd.sort("ids", start=1, num=1, desc=True) == ["2"]
    assert rd.sort_ro("ids", by="nosort") == ["3", "1", "2"]
    assert rd.sort("ids", by="w_*", get="h_*->name", store="dst") == 3
    assert rd.lrange("dst", 0, -1) == ["", "three", "one"]
    assert rd.sort("nokey", store="dst") == 0
    assert rd.exists("dst") == 0


@pytest.mark.container_types("RPUSH", "SADD", "ZADD", "LRANGE")
def test_sets_and_sorted_sets(rd):
    rd.sadd("s", "b", "c", "a")
    rd.zadd("z", {"x": 3, "y": 1, "z": 2})
    assert rd.sort("s", alpha=True, desc=True) == ["c", "b", "a"]
    # Stored unsorted, a set is sorted ALPHA anyway so every replica agrees.
    assert rd.sort("s", by="nosort", store="dst") == 3
    assert rd.lrange("dst", 0, -1) == ["a", "b", "c"]
    assert rd.sort("z", by="nosort") == ["y", "z", "x"]
    assert rd.sort("z", by="nosort", desc=True, start=0, num=2) == ["x", "z"]
    rd.rpush("bad", "1", "x")
    with pytest.raises(redis.ResponseError, match="scores can't be converted"):
        rd.sort("bad")
