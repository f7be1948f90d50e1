"""List commands, through redis-py and raw RESP (RESP3 via HELLO 3)."""

import pytest
import redis

from helpers import NULL, OK, WRONGTYPE, arity_err, bulk, integer

LIST_COMMANDS = ("LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LRANGE",
                 "LINDEX", "LSET", "LINSERT", "LREM", "LTRIM", "LPOS", "LMOVE", "RPOPLPUSH",
                 "LMPOP", "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP")

pytestmark = pytest.mark.container_types(*LIST_COMMANDS)

NULL_ARRAY = b"*-1\r\n"
NULL3 = b"_\r\n"


def bulks(*items):
    out = b"*%d\r\n" % len(items)
    for item in items:
        out += bulk(item)
    return out


def test_push_pop_and_ranges(rd):
    assert rd.rpush("l", "a", "b", "c") == 3
    assert rd.lpush("l", "z") == 4
    assert rd.lrange("l", 0, -1) == ["z", "a", "b", "c"]
    assert rd.lpushx("nokey", "a") == 0
    assert rd.rpushx("l", "d") == 5
    assert rd.llen("l") == 5
    assert rd.lindex("l", -1) == "d"
    assert rd.lpop("l") == "z"
    assert rd.rpop("l", 2) == ["d", "c"]
    assert rd.lpop("nokey", 2) is None
    assert rd.lpop("l", 0) == []
    assert rd.lrange("l", 0, -1) == ["a", "b"]
    assert rd.type("l") == "list"
    assert rd.object("encoding", "l") == "quicklist"
    assert rd.lpop("l", 5) == ["a", "b"]
    assert rd.exists("l") == 0


def test_changes_in_place(rd):
    rd.rpush("l", "a", "b", "a", "c", "a")
    assert rd.lset("l", 1, "B") is True
    assert rd.linsert("l", "BEFORE", "c", "x") == 6
    assert rd.linsert("l", "AFTER", "zz", "x") == -1
    assert rd.lrem("l", -2, "a") == 2
    assert rd.lrange("l", 0, -1) == ["a", "B", "x", "c"]
    assert rd.ltrim("l", 1, 2) is True
    assert rd.lrange("l", 0, -1) == ["B", "x"]
    with pytest.raises(redis.ResponseError, match="index out of range"):
        rd.lset("l", 5, "v")
    with pytest.raises(redis.ResponseError, match="no such key"):
        rd.lset("nokey", 0, "v")


def test_lpos(rd):
    rd.rpush("p", "a", "b", "c", "a", "b", "c", "a")
    assert rd.lpos("p", "a") == 0
    assert rd.lpos("p", "a", rank=-1) == 6
    assert rd.lpos("p", "a", count=0) == [0, 3, 6]
    assert rd.lpos("p", "a", rank=2, count=1) == [3]
    assert rd.lpos("p", "a", count=0, maxlen=3) == [0]
    assert rd.lpos("p", "zz") is None
    with pytest.raises(redis.ResponseError, match="RANK can't be zero"):
        rd.lpos("p", "a", rank=0)


def test_moves_and_lmpop(rd):
    rd.rpush("src", "a", "b", "c")
    assert rd.lmove("src", "dst", "LEFT", "RIGHT") == "a"
    assert rd.rpoplpush("src", "dst") == "c"
    assert rd.lrange("dst", 0, -1) == ["c", "a"]
    assert rd.lmove("nokey", "dst") is None
    assert rd.lmpop(2, "nokey", "src", direction="LEFT") == ["src", ["b"]]
    assert rd.exists("src") == 0
    assert rd.lmpop(1, "dst", direction="RIGHT", count=5) == ["dst", ["a", "c"]]
    assert rd.lmpop(1, "dst", direction="RIGHT") is None


def test_wrong_type_and_arity(raw):
    c = raw()
    assert c.cmd("SET", "s", "v") == OK
    for args in (("LPUSH", "s", "a"), ("LPOP", "s"), ("LLEN", "s"), ("LRANGE", "s", "0", "1"),
                 ("LINDEX", "s", "0"), ("LPOS", "s", "a"), ("LMOVE", "s", "d", "LEFT", "LEFT"),
                 ("BLPOP", "s", "0"), ("LMPOP", "1", "s", "LEFT")):
        assert c.cmd(*args) == WRONGTYPE, args
    assert c.cmd("LPOP", "l", "1", "2") == arity_err("lpop")
    assert c.cmd("RPUSH", "l") == arity_err("rpush")
    assert c.cmd("GET", "s") == bulk("v")


def test_resp3_nulls(raw):
    c = raw()
    c.cmd("HELLO", "3")
    assert c.cmd("RPUSH", "l", "a") == integer(1)
    assert c.cmd("LPOP", "nokey") == NULL3
    assert c.cmd("LPOP", "nokey", "2") == NULL3
    assert c.cmd("LINDEX", "l", "5") == NULL3
    assert c.cmd("LPOS", "l", "zz") == NULL3
    assert c.cmd("LMOVE", "nokey", "d", "LEFT", "LEFT") == NULL3
    assert c.cmd("LMPOP", "1", "nokey", "LEFT") == NULL3
    assert c.cmd("LPOP", "l", "0") == b"*0\r\n"
    assert c.cmd("LMPOP", "1", "l", "LEFT") == b"*2\r\n" + bulk("l") + bulks("a")


def test_blocking_pop_served_at_once(raw):
    c = raw()
    c.cmd("RPUSH", "l", "a", "b")
    assert c.cmd("BLPOP", "nokey", "l", "0") == bulks("l", "a")
    assert c.cmd("BRPOP", "l", "0") == bulks("l", "b")
    assert c.cmd("EXISTS", "l") == integer(0)


def test_blocked_clients_served_in_order(raw):
    first, second, pusher = raw(), raw(), raw()
    first.send(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n")
    first.assert_silent(0.1)
    second.send(b"*3\r\n$5\r\nBRPOP\r\n$1\r\nk\r\n$1\r\n0\r\n")
    second.assert_silent(0.1)
    assert pusher.cmd("RPUSH", "k", "x", "y", "z") == integer(3)
    assert first.read_reply() == bulks("k", "x")
    assert second.read_reply() == bulks("k", "z")
    assert pusher.cmd("LRANGE", "k", "0", "-1") == bulks("y")


def test_blmove_wakes_and_times_out(raw):
    waiter, pusher = raw(), raw()
    waiter.send(b"*6\r\n$6\r\nBLMOVE\r\n$3\r\nsrc\r\n$3\r\ndst\r\n$5\r\nRIGHT\r\n$4\r\nLEFT\r\n$1\r\n0\r\n")
    waiter.assert_silent(0.1)
    assert pusher.cmd("LPUSH", "src", "v") == integer(1)
    assert waiter.read_reply() == bulk("v")
    assert pusher.cmd("LRANGE", "dst", "0", "-1") == bulks("v")
    assert pusher.cmd("EXISTS", "src") == integer(0)
    # Redis 7.0 answers a timed-out BLMOVE with a null array, BLMPOP too.
    assert waiter.cmd("BLMOVE", "nokey", "dst", "LEFT", "LEFT", "0.05") == NULL_ARRAY
    assert waiter.cmd("BRPOPLPUSH", "nokey", "dst", "0.05") == NULL_ARRAY
    assert waiter.cmd("BLMPOP", "0.05", "1", "nokey", "LEFT") == NULL_ARRAY
    assert waiter.cmd("BLPOP", "nokey", "0.05") == NULL_ARRAY


def test_blmpop_wakes_with_count(raw):
    waiter, pusher = raw(), raw()
    waiter.send(b"*7\r\n$6\r\nBLMPOP\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\nk\r\n$5\r\nRIGHT\r\n"
                b"$5\r\nCOUNT\r\n$1\r\n2\r\n")
    waiter.assert_silent(0.1)
    assert pusher.cmd("RPUSH", "k", "a", "b", "c") == integer(3)
    assert waiter.read_reply() == b"*2\r\n" + bulk("k") + bulks("c", "b")
    assert pusher.cmd("LRANGE", "k", "0", "-1") == bulks("a")


def test_large_list(rd):
    values = [str(i) * (i % 50) for i in range(5000)]
    for start in range(0, len(values), 1000):
        rd.rpush("big", *values[start:start + 1000])
    assert rd.llen("big") == 5000
    assert rd.lrange("big", 2500, 2599) == values[2500:2600]
    assert rd.lindex("big", -1) == values[-1]
    assert rd.lrem("big", 0, values[7]) == 1
    assert rd.lpop("big", 3) == values[:3]
    assert rd.rpop("big", 3) == values[-1:-4:-1]
    assert rd.llen("big") == 4993
    assert rd.copy("big", "big2") is True
    assert rd.lrange("big2", 0, -1) == rd.lrange("big", 0, -1)


def test_debug_object_describes_the_nodes_as_redis_names_them(r):
    r.config_set("list-max-listpack-size", "2")
    try:
        r.rpush("l", "a", "b", "c")
        info = r.debug_object("l")
    finally:
        r.config_set("list-max-listpack-size", "-2")
    assert info["encoding"] == "quicklist"
    fields = ("ql_nodes", "ql_avg_node", "ql_listpack_max", "ql_compressed")
    assert tuple(str(info[f]) for f in fields) == ("2", "1.50", "2", "0")
    assert int(info["ql_uncompressed_size"]) > 0
