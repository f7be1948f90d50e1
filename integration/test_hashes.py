"""Hash commands through redis-py (and raw RESP where reply types matter)."""

import pytest
import redis

from helpers import NULL, SYNTAX, WRONGTYPE, arity_err, bulk, integer

HASH_COMMANDS = ["HSET", "HGET", "HDEL", "HGETALL", "HSCAN", "HRANDFIELD", "HINCRBYFLOAT"]


@pytest.fixture(autouse=True)
def _needs_hashes(require_commands):
    require_commands(HASH_COMMANDS, "hashes: ")


@pytest.fixture
def limits(rd):
    """Restores the hash encoding limits the test changes (the server is shared)."""
    saved = rd.config_get("hash-max-listpack-*")
    yield rd
    for name, value in saved.items():
        rd.config_set(name, value)


def test_default_entry_limit_is_redis_7_0s(start_server):
    srv = start_server()
    r = redis.Redis(port=srv.port, decode_responses=True)
    assert r.config_get("hash-max-listpack-entries") == {"hash-max-listpack-entries": "512"}
    r.close()


def test_set_get_and_delete(rd):
    assert rd.hset("h", mapping={"a": "1", "b": "2"}) == 2
    assert rd.hset("h", "a", "10") == 0
    assert rd.hget("h", "a") == "10"
    assert rd.hget("h", "x") is None
    assert rd.hmget("h", ["a", "x", "b"]) == ["10", None, "2"]
    assert rd.hsetnx("h", "a", "x") == 0
    assert rd.hsetnx("h", "c", "3") == 1
    assert rd.hlen("h") == 3
    assert rd.hexists("h", "c") and not rd.hexists("h", "zz")
    assert rd.hstrlen("h", "a") == 2
    assert rd.hgetall("h") == {"a": "10", "b": "2", "c": "3"}
    assert rd.hkeys("h") == ["a", "b", "c"]
    assert rd.hvals("h") == ["10", "2", "3"]
    assert rd.hdel("h", "a", "b", "zz") == 2
    assert rd.hdel("h", "c") == 1
    assert rd.exists("h") == 0


def test_hmset_replies_ok(raw):
    c = raw()
    assert c.cmd("HMSET", "h", "a", "1", "b", "2") == b"+OK\r\n"
    assert c.cmd("HMSET", "h", "a") == arity_err("hmset")
    assert c.cmd("HSET", "h", "a", "1", "b") == arity_err("hset")


def test_counters(rd):
    assert rd.hincrby("h", "n", 5) == 5
    assert rd.hincrby("h", "n", -7) == -2
    assert rd.hincrbyfloat("h", "f", "10.5") == 10.5
    assert rd.hget("h", "f") == "10.5"
    assert rd.hincrbyfloat("h", "f", "0.1") == pytest.approx(10.6)
    assert rd.hget("h", "f") == "10.6"
    rd.hset("h", "max", "9223372036854775807")
    with pytest.raises(redis.ResponseError, match="increment or decrement would overflow"):
        rd.hincrby("h", "max", 1)
    with pytest.raises(redis.ResponseError, match="hash value is not an integer"):
        rd.hincrby("h", "f", 1)
    with pytest.raises(redis.ResponseError, match="value is NaN or Infinity"):
        rd.hincrbyfloat("h", "f", "inf")


def test_wrong_type(raw):
    c = raw()
    c.cmd("SET", "s", "v")
    for cmd in (["HSET", "s", "a", "1"], ["HGET", "s", "a"], ["HGETALL", "s"], ["HLEN", "s"],
                ["HDEL", "s", "a"], ["HRANDFIELD", "s"], ["HSCAN", "s", "0"]):
        assert c.cmd(*cmd) == WRONGTYPE, cmd
    assert c.cmd("GET", "s") == bulk("v")


def test_resp3_reply_types(raw):
    c = raw()
    c.cmd("HELLO", "3")
    c.cmd("HSET", "h", "a", "1")
    assert c.cmd("HGETALL", "h") == b"%1\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert c.cmd("HGETALL", "nokey") == b"%0\r\n"
    assert c.cmd("HRANDFIELD", "h", "1", "WITHVALUES") == b"*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert c.cmd("HGET", "h", "x") == b"_\r\n"
    assert c.cmd("HSCAN", "h", "0") == b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"


def test_hrandfield(raw):
    c = raw()
    assert c.cmd("HRANDFIELD", "nokey") == NULL
    c.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    assert c.cmd("HRANDFIELD", "h", "0") == b"*0\r\n"
    assert c.cmd("HRANDFIELD", "h", "1", "foo") == SYNTAX
    assert c.cmd("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == \
        b"-ERR value is out of range\r\n"
    r = redis.Redis(port=c.port, decode_responses=True)
    assert sorted(r.hrandfield("h", 10)) == ["a", "b", "c"]
    assert len(set(r.hrandfield("h", 2))) == 2
    assert len(r.hrandfield("h", -10)) == 10
    pairs = r.hrandfield("h", -6, withvalues=True)
    assert len(pairs) == 12
    for field, value in zip(pairs[::2], pairs[1::2]):
        assert {"a": "1", "b": "2", "c": "3"}[field] == value


@pytest.mark.parametrize("fields", [5, 1000])
def test_hscan_returns_every_field(rd, fields):
    mapping = {f"f{i}": str(i) for i in range(fields)}
    rd.hset("h", mapping=mapping)
    seen = {}
    cursor = 0
    calls = 0
    while True:
        cursor, page = rd.hscan("h", cursor, count=50)
        seen.update(page)
        calls += 1
        if cursor == 0:
            break
    assert seen == mapping
    assert (calls == 1) == (fields == 5)
    assert dict(rd.hscan_iter("h", match="f99*")) == {
        k: v for k, v in mapping.items() if k.startswith("f99")}


def test_config_set_changes_the_encoding_threshold(limits):
    rd = limits
    rd.config_set("hash-max-listpack-entries", 4)
    rd.hset("small", mapping={f"f{i}": "v" for i in range(4)})
    assert rd.object("encoding", "small") == "listpack"
    rd.hset("small", "f4", "v")
    assert rd.object("encoding", "small") == "hashtable"
    rd.config_set("hash-max-listpack-entries", 128)
    rd.hset("again", mapping={f"f{i}": "v" for i in range(5)})
    assert rd.object("encoding", "again") == "listpack"
    # A hash never converts back.
    assert rd.object("encoding", "small") == "hashtable"
    rd.config_set("hash-max-listpack-value", 3)
    rd.hset("v", "abc", "123")
    assert rd.object("encoding", "v") == "listpack"
    rd.hset("v", "abcd", "1")
    assert rd.object("encoding", "v") == "hashtable"


def test_copy_rename_type(rd):
    rd.hset("h", mapping={"a": "1", "b": "2"})
    assert rd.type("h") == "hash"
    assert rd.copy("h", "c")
    rd.hset("h", "a", "changed")
    assert rd.hgetall("c") == {"a": "1", "b": "2"}
    rd.rename("c", "r")
    assert rd.hgetall("r") == {"a": "1", "b": "2"}
    assert rd.exists("c") == 0


def test_large_hash_round_trip(rd):
    mapping = {f"field:{i}": "x" * (i % 100) for i in range(5000)}
    rd.hset("big", mapping=mapping)
    assert rd.object("encoding", "big") == "hashtable"
    assert rd.hlen("big") == 5000
    assert rd.hgetall("big") == mapping
    assert rd.hdel("big", *mapping.keys()) == 5000
    assert rd.exists("big") == 0


def test_arity_errors(raw):
    c = raw()
    for cmd, args in (("hget", ["h"]), ("hdel", ["h"]), ("hlen", []), ("hscan", ["h"]),
                      ("hincrby", ["h", "f"]), ("hrandfield", [])):
        assert c.cmd(cmd, *args) == arity_err(cmd)
    assert c.cmd("HLEN", "nokey") == integer(0)
