"""Sorted-set commands through redis-py, score formatting and the zset-max-* settings."""

import pytest
import redis

from helpers import bulk

ZSET_COMMANDS = ("ZADD", "ZINCRBY", "ZREM", "ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZSCORE", "ZMSCORE",
                 "ZRANK", "ZREVRANK", "ZRANGE", "ZRANGESTORE", "ZREVRANGE", "ZRANGEBYSCORE",
                 "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZREMRANGEBYRANK",
                 "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "ZMPOP",
                 "ZRANDMEMBER", "ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE",
                 "ZDIFFSTORE", "ZINTERCARD", "ZSCAN")


@pytest.fixture(autouse=True)
def _needs_zsets(require_commands):
    require_commands(ZSET_COMMANDS, "sorted sets: ")


@pytest.fixture
def limits(rd):
    """Restores the zset encoding limits the test changes (the server is shared)."""
    saved = rd.config_get("zset-max-listpack-*")
    try:
        yield rd
    finally:
        for name, value in saved.items():
            rd.config_set(name, value)


def test_zadd_flags(rd):
    assert rd.zadd("z", {"a": 1, "b": 2}) == 2
    assert rd.zadd("z", {"a": 5, "c": 3}) == 1
    assert rd.zadd("z", {"a": 6, "d": 4}, ch=True) == 2
    assert rd.zadd("z", {"a": 7, "e": 5}, nx=True) == 1
    assert rd.zscore("z", "a") == 6.0
    assert rd.zadd("z", {"a": 8, "f": 6}, xx=True) == 0
    assert rd.zscore("z", "a") == 8.0 and rd.zscore("z", "f") is None
    assert rd.zadd("z", {"a": 1, "b": 10}, gt=True, ch=True) == 1
    assert rd.zscore("z", "a") == 8.0 and rd.zscore("z", "b") == 10.0
    assert rd.zadd("z", {"a": 1, "b": 20, "g": 7}, lt=True, ch=True) == 2
    assert rd.zscore("z", "a") == 1.0 and rd.zscore("z", "b") == 10.0
    assert rd.zscore("z", "g") == 7.0
    assert rd.zadd("z", {"a": 2.5}, incr=True) == 3.5
    assert rd.zadd("z", {"a": 1}, incr=True, xx=True) == 4.5
    assert rd.zadd("z", {"new": 1}, incr=True, xx=True) is None
    assert rd.zadd("z", {"a": 1}, incr=True, nx=True) is None
    assert rd.zadd("z", {"a": 1}, incr=True, gt=True) == 5.5
    assert rd.zadd("z", {"a": -1}, incr=True, gt=True) is None
    assert rd.zcard("z") == 6
    with pytest.raises(redis.ResponseError, match="XX and NX options at the same time"):
        rd.execute_command("ZADD", "z", "NX", "XX", 1, "a")
    with pytest.raises(redis.ResponseError, match="GT, LT, and/or NX options at the same time"):
        rd.execute_command("ZADD", "z", "GT", "LT", 1, "a")
    with pytest.raises(redis.ResponseError, match="INCR option supports a single"):
        rd.execute_command("ZADD", "z", "INCR", 1, "a", 2, "b")
    with pytest.raises(redis.ResponseError, match="not a valid float"):
        rd.execute_command("ZADD", "z", "abc", "a")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        rd.execute_command("ZADD", "z", 1, "a", 2)


def test_zincrby_zrem_zcard(rd):
    assert rd.zincrby("z", 2, "a") == 2.0
    assert rd.zincrby("z", 1.5, "a") == 3.5
    assert rd.zincrby("z", -10, "b") == -10.0
    assert rd.zcard("z") == 2
    assert rd.zrem("z", "a", "nope") == 1
    assert rd.zcard("z") == 1
    assert rd.zrem("z", "b") == 1
    assert rd.exists("z") == 0
    assert rd.zcard("z") == 0
    assert rd.zrem("z", "x") == 0
    rd.zadd("z", {"x": "inf"})
    with pytest.raises(redis.ResponseError, match="resulting score is not a number"):
        rd.zincrby("z", "-inf", "x")
    assert rd.zscore("z", "x") == float("inf")


def test_counts_scores_and_ranks(rd):
    rd.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert rd.zcount("z", 2, 3) == 2
    assert rd.zcount("z", "(2", "+inf") == 2
    assert rd.zcount("z", "-inf", "(1") == 0
    assert rd.zcount("nokey", 0, 10) == 0
    assert rd.zscore("z", "c") == 3.0
    assert rd.zscore("z", "x") is None
    assert rd.zmscore("z", ["a", "x", "d"]) == [1.0, None, 4.0]
    assert rd.zmscore("nokey", ["a"]) == [None]
    assert rd.zrank("z", "a") == 0 and rd.zrank("z", "d") == 3
    assert rd.zrevrank("z", "a") == 3 and rd.zrevrank("z", "d") == 0
    assert rd.zrank("z", "x") is None and rd.zrevrank("nokey", "a") is None
    with pytest.raises(redis.ResponseError, match="min or max is not a float"):
        rd.zcount("z", "x", 3)
    rd.zadd("l", {m: 0 for m in "abcdefg"})
    assert rd.zlexcount("l", "-", "+") == 7
    assert rd.zlexcount("l", "[b", "(e") == 3
    assert rd.zlexcount("l", "(a", "[c") == 2
    with pytest.raises(redis.ResponseError, match="min or max not valid string range item"):
        rd.zlexcount("l", "b", "[e")


def test_zrange_variants(rd):
    rd.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert rd.zrange("z", 0, -1) == ["a", "b", "c", "d", "e"]
    assert rd.zrange("z", 1, 2, withscores=True) == [("b", 2.0), ("c", 3.0)]
    assert rd.zrange("z", 0, 1, desc=True) == ["e", "d"]
    assert rd.zrange("z", -2, 100) == ["d", "e"]
    assert rd.zrange("z", 3, 1) == []
    assert rd.zrange("z", 2, 4, byscore=True) == ["b", "c", "d"]
    assert rd.zrange("z", "(2", "+inf", byscore=True, offset=1, num=2) == ["d", "e"]
    assert rd.zrange("z", 4, 2, byscore=True, desc=True, withscores=True) == [
        ("d", 4.0), ("c", 3.0), ("b", 2.0)]
    assert rd.zrevrange("z", 0, 1, withscores=True) == [("e", 5.0), ("d", 4.0)]
    assert rd.zrangebyscore("z", 2, "(4") == ["b", "c"]
    assert rd.zrangebyscore("z", "-inf", "+inf", start=1, num=2) == ["b", "c"]
    assert rd.zrevrangebyscore("z", "+inf", 4, withscores=True) == [("e", 5.0), ("d", 4.0)]
    assert rd.zrevrangebyscore("z", 5, 0, start=0, num=1) == ["e"]
    rd.zadd("l", {m: 0 for m in "abcdef"})
    assert rd.zrangebylex("l", "[b", "(e") == ["b", "c", "d"]
    assert rd.zrangebylex("l", "-", "+", start=2, num=2) == ["c", "d"]
    assert rd.zrevrangebylex("l", "+", "(d") == ["f", "e"]
    assert rd.zrange("l", "[c", "[d", bylex=True) == ["c", "d"]
    assert rd.zrange("l", "+", "[e", bylex=True, desc=True) == ["f", "e"]
    assert rd.zrange("nokey", 0, -1) == []
    with pytest.raises(redis.ResponseError, match="syntax error"):
        rd.execute_command("ZRANGE", "z", 0, 1, "LIMIT", 0, 1)
    with pytest.raises(redis.ResponseError):
        rd.execute_command("ZRANGE", "l", "[a", "[b", "BYLEX", "WITHSCORES")


def test_zrangestore(rd):
    rd.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert rd.zrangestore("dst", "z", 1, 2) == 2
    assert rd.zrange("dst", 0, -1, withscores=True) == [("b", 2.0), ("c", 3.0)]
    assert rd.zrangestore("dst", "z", 3, "+inf", byscore=True) == 2
    assert rd.zrange("dst", 0, -1) == ["c", "d"]
    assert rd.zrangestore("dst", "z", 10, 20) == 0
    assert rd.exists("dst") == 0
    rd.set("str", "v")
    assert rd.zrangestore("str", "z", 0, 0) == 1
    assert rd.type("str") == "zset"


def test_zremrange(rd):
    rd.zadd("z", {m: i for i, m in enumerate("abcdefgh")})
    assert rd.zremrangebyrank("z", 0, 1) == 2
    assert rd.zrange("z", 0, 0) == ["c"]
    assert rd.zremrangebyrank("z", -1, -1) == 1
    assert rd.zremrangebyscore("z", "(2", 4) == 2
    assert rd.zrange("z", 0, -1) == ["c", "f", "g"]
    rd.zadd("l", {m: 0 for m in "abcdef"})
    assert rd.zremrangebylex("l", "[b", "(e") == 3
    assert rd.zrange("l", 0, -1) == ["a", "e", "f"]
    assert rd.zremrangebylex("l", "-", "+") == 3
    assert rd.exists("l") == 0
    assert rd.zremrangebyscore("nokey", 0, 1) == 0


def test_pops(rd):
    rd.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert rd.zpopmin("z") == [("a", 1.0)]
    assert rd.zpopmax("z", 2) == [("d", 4.0), ("c", 3.0)]
    assert rd.zpopmin("z", 10) == [("b", 2.0)]
    assert rd.exists("z") == 0
    assert rd.zpopmin("z") == []
    with pytest.raises(redis.ResponseError, match="value is out of range, must be positive"):
        rd.zpopmin("z", -1)


def test_zmpop(rd):
    rd.zadd("b", {"x": 1, "y": 2, "z": 3})
    assert rd.execute_command("ZMPOP", 2, "a", "b", "MIN") == ["b", [["x", "1"]]]
    assert rd.execute_command("ZMPOP", 2, "a", "b", "MAX", "COUNT", 5) == [
        "b", [["z", "3"], ["y", "2"]]]
    assert rd.exists("b") == 0
    assert rd.execute_command("ZMPOP", 1, "b", "MIN") is None
    with pytest.raises(redis.ResponseError, match="numkeys"):
        rd.execute_command("ZMPOP", 0, "b", "MIN")
    with pytest.raises(redis.ResponseError, match="syntax error"):
        rd.execute_command("ZMPOP", 1, "b", "MIDDLE")
    with pytest.raises(redis.ResponseError, match="count"):
        rd.execute_command("ZMPOP", 1, "b", "MIN", "COUNT", 0)


def test_zrandmember(rd):
    members = {m: i for i, m in enumerate("abcdefghij")}
    rd.zadd("z", members)
    assert rd.zrandmember("z") in members
    picked = rd.zrandmember("z", 5)
    assert len(picked) == 5 and len(set(picked)) == 5 and set(picked) <= set(members)
    assert sorted(rd.zrandmember("z", 50)) == sorted(members)
    assert len(rd.zrandmember("z", -30)) == 30
    flat = rd.zrandmember("z", 3, withscores=True)
    assert len(flat) == 6
    for m, s in zip(flat[::2], flat[1::2]):
        assert float(s) == members[m]
    assert rd.zrandmember("nokey") is None
    assert rd.zrandmember("nokey", 3) == []


def test_union_inter_diff(rd):
    rd.zadd("a", {"x": 1, "y": 2, "z": 3})
    rd.zadd("b", {"y": 10, "z": 20, "w": 30})
    assert rd.zunion(["a", "b"], withscores=True) == [
        ("x", 1.0), ("y", 12.0), ("z", 23.0), ("w", 30.0)]
    assert rd.zinter(["a", "b"], withscores=True) == [("y", 12.0), ("z", 23.0)]
    assert rd.zinter(["a", "b"], aggregate="MIN", withscores=True) == [("y", 2.0), ("z", 3.0)]
    assert rd.zinter({"a": 2, "b": 0.5}, aggregate="MAX", withscores=True) == [
        ("y", 5.0), ("z", 10.0)]
    assert rd.zdiff(["a", "b"]) == ["x"]
    # redis-py 4.3.4 leaves ZDIFF WITHSCORES as a flat list
    assert rd.execute_command("ZDIFF", 2, "a", "b", "WITHSCORES") in (["x", "1"], [("x", 1.0)])
    assert rd.zunionstore("u", {"a": 1, "b": -1}) == 4
    assert rd.zrange("u", 0, -1, withscores=True) == [
        ("w", -30.0), ("z", -17.0), ("y", -8.0), ("x", 1.0)]
    assert rd.zinterstore("i", ["a", "b"], aggregate="MAX") == 2
    assert rd.zrange("i", 0, -1, withscores=True) == [("y", 10.0), ("z", 20.0)]
    assert rd.zdiffstore("d", ["b", "a"]) == 1
    assert rd.zrange("d", 0, -1, withscores=True) == [("w", 30.0)]
    assert rd.zinterstore("i", ["a", "nokey"]) == 0
    assert rd.exists("i") == 0
    assert rd.zintercard(2, ["a", "b"]) == 2
    assert rd.zintercard(2, ["a", "b"], limit=1) == 1
    assert rd.zintercard(2, ["a", "nokey"]) == 0
    with pytest.raises(redis.ResponseError, match="syntax error"):
        rd.execute_command("ZUNION", 2, "a", "b", "AGGREGATE", "AVG")
    with pytest.raises(redis.ResponseError, match="weight value is not a float"):
        rd.execute_command("ZUNION", 2, "a", "b", "WEIGHTS", 1, "x")


def test_set_as_input_to_zunionstore(rd):
    rd.sadd("s", "a", "b")
    rd.zadd("z", {"a": 5, "c": 1})
    assert rd.zunionstore("out", ["s", "z"]) == 3
    assert rd.zrange("out", 0, -1, withscores=True) == [("b", 1.0), ("c", 1.0), ("a", 6.0)]
    assert rd.zinterstore("out2", {"s": 3, "z": 1}) == 1
    assert rd.zrange("out2", 0, -1, withscores=True) == [("a", 8.0)]
    assert rd.zunionstore("out3", ["s"]) == 2
    assert rd.zscore("out3", "a") == 1.0


def test_infinite_scores_and_formatting(r, raw):
    r.zadd("z", {"lo": "-inf", "hi": "+inf", "h": 1.5, "big": 1e300, "n": -2, "i": 3})
    assert r.zrange("z", 0, -1) == [b"lo", b"n", b"h", b"i", b"big", b"hi"]
    flat = r.execute_command("ZRANGE", "z", 0, -1, "WITHSCORES")
    assert flat == [b"lo", b"-inf", b"n", b"-2", b"h", b"1.5", b"i", b"3",
                   b"big", b"1.0000000000000001e+300", b"hi", b"inf"]
    c = raw()
    assert c.cmd("ZSCORE", "z", "big") == bulk("1.0000000000000001e+300")
    assert c.cmd("ZSCORE", "z", "lo") == bulk("-inf")
    assert c.cmd("ZINCRBY", "z", "0.1", "h") == bulk("1.6000000000000001")
    assert c.cmd("ZADD", "z", "INCR", "2", "i") == bulk("5")
    assert r.zcount("z", "-inf", "+inf") == 6
    assert r.zcount("z", "(-inf", "(+inf") == 4
    assert r.zrangebyscore("z", "inf", "inf") == [b"hi"]
    r.zadd("z", {"zero": "-0"})
    assert c.cmd("ZSCORE", "z", "zero") == bulk("0")
    with pytest.raises(redis.ResponseError, match="not a valid float"):
        r.execute_command("ZADD", "z", "nan", "x")


def test_equal_scores_sort_by_member(rd):
    rd.zadd("z", {"b": 1, "a": 1, "c": 1, "B": 1, "aa": 1})
    assert rd.zrange("z", 0, -1) == ["B", "a", "aa", "b", "c"]
    assert rd.zrevrange("z", 0, 1) == ["c", "b"]


def test_wrong_type(rd):
    rd.set("s", "v")
    rd.zadd("z", {"a": 1})
    for call in (lambda: rd.zadd("s", {"a": 1}), lambda: rd.zscore("s", "a"),
                 lambda: rd.zrange("s", 0, -1), lambda: rd.zcard("s"),
                 lambda: rd.zincrby("s", 1, "a"), lambda: rd.zpopmin("s"),
                 lambda: rd.zunionstore("d", ["z", "s"]), lambda: rd.zinter(["z", "s"]),
                 lambda: rd.zrangestore("d", "s", 0, -1),
                 lambda: rd.zrandmember("s"), lambda: list(rd.zscan_iter("s"))):
        with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
            call()
    assert rd.get("s") == "v"
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        rd.get("z")
    assert rd.exists("d") == 0


def test_zscan_iter_covers_a_large_zset(rd):
    members = {f"m{i}": i for i in range(500)}
    rd.zadd("z", members)
    seen = dict(rd.zscan_iter("z"))
    assert seen == {m: float(s) for m, s in members.items()}
    small = dict(rd.zscan_iter("z", match="m1?"))
    assert small == {f"m{i}": float(i) for i in range(10, 20)}


def test_encoding_conversion(limits):
    rd = limits
    rd.config_set("zset-max-listpack-entries", 4)
    rd.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert rd.object("encoding", "z") == "listpack"
    rd.zadd("z", {"e": 5})
    assert rd.object("encoding", "z") == "skiplist"
    assert rd.zrange("z", 0, -1, withscores=True) == [
        ("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 4.0), ("e", 5.0)]
    assert rd.zrank("z", "d") == 3
    assert rd.zrangebyscore("z", "(1", 3) == ["b", "c"]
    rd.zrem("z", "a", "b", "c")
    assert rd.object("encoding", "z") == "skiplist"
    assert rd.zrange("z", 0, -1) == ["d", "e"]
    rd.config_set("zset-max-listpack-entries", 128)
    rd.config_set("zset-max-listpack-value", 8)
    rd.zadd("v", {"short": 1})
    assert rd.object("encoding", "v") == "listpack"
    rd.zadd("v", {"x" * 9: 2})
    assert rd.object("encoding", "v") == "skiplist"
    assert rd.zscore("v", "x" * 9) == 2.0


def test_default_limit_converts_past_128(rd):
    assert rd.config_get("zset-max-listpack-entries") == {"zset-max-listpack-entries": "128"}
    rd.zadd("z", {f"m{i}": i for i in range(128)})
    assert rd.object("encoding", "z") == "listpack"
    rd.zadd("z", {"m128": 128})
    assert rd.object("encoding", "z") == "skiplist"
    assert rd.zcard("z") == 129
    assert rd.zrange("z", -1, -1) == ["m128"]


def test_store_edge_cases(rd):
    rd.zadd("a", {"x": "inf", "y": 1})
    rd.zadd("b", {"x": "-inf", "y": 2})
    # inf + -inf and inf * 0 are taken as 0, not NaN
    assert rd.zunionstore("u", ["a", "b"]) == 2
    assert rd.zscore("u", "x") == 0.0
    assert rd.zunionstore("u", {"a": 0, "b": 1}, aggregate="MAX") == 2
    assert rd.zrange("u", 0, -1, withscores=True) == [("x", 0.0), ("y", 2.0)]
    # the destination may be a source, and an existing key of another type is replaced
    assert rd.zunionstore("a", ["a", "b"], aggregate="MIN") == 2
    assert rd.zrange("a", 0, -1, withscores=True) == [("x", float("-inf")), ("y", 1.0)]
    rd.rpush("lst", "v")
    assert rd.zinterstore("lst", ["a", "b"]) == 2
    assert rd.type("lst") == "zset"
    rd.zadd("l", {m: 0 for m in "abcdef"})
    assert rd.zrangestore("dst", "l", "[e", "-", bylex=True, desc=True, offset=1, num=2) == 2
    assert rd.zrange("dst", 0, -1) == ["c", "d"]
    assert rd.zrevrangebylex("l", "+", "-", start=1, num=2) == ["e", "d"]
    assert rd.zrangebyscore("l", 0, 0, start=4, num=-1) == ["e", "f"]
