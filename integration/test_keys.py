"""Keyspace commands and glob patterns."""

import pytest

from helpers import (NOT_INT, NULL, OK, SYNTAX, arity_err, bulk, integer, parse_reply,
                     wait_until)

SAME_OBJ = b"-ERR source and destination objects are the same\r\n"
DB_RANGE = b"-ERR DB index is out of range\r\n"


@pytest.fixture
def c(raw):
    return raw()


def members(reply):
    """Sorted list of bulk elements of an array reply."""
    (t, items), rest = parse_reply(reply)
    assert t == b"*" and rest == b"", reply
    return sorted(v for _, v in items)


# --- DEL / UNLINK / EXISTS / TYPE -------------------------------------------


def test_del_unlink_exists(c):
    assert c.cmd("MSET", "a", "1", "b", "2", "c", "3") == OK
    assert c.cmd("EXISTS", "a", "a", "b", "nokey") == integer(3)
    assert c.cmd("DEL", "a", "a", "nokey") == integer(1)
    assert c.cmd("EXISTS", "a") == integer(0)
    assert c.cmd("UNLINK", "b", "c", "nokey") == integer(2)
    assert c.cmd("DBSIZE") == integer(0)
    assert c.cmd("DEL", "nokey") == integer(0)
    for cmd in ("DEL", "UNLINK", "EXISTS"):
        assert c.cmd(cmd) == arity_err(cmd)


def test_type(c):
    assert c.cmd("SET", "s", "v") == OK
    for key, t in (("s", "string"), ("nokey", "none")):
        assert c.cmd("TYPE", key) == b"+%s\r\n" % t.encode()
    assert c.cmd("TYPE") == arity_err("type")


@pytest.mark.container_types("RPUSH", "SADD", "HSET", "ZADD", "LLEN")
def test_keyspace_commands_on_other_types(c):
    """DEL, TYPE, RENAME and COPY on lists, sets, hashes and sorted sets."""
    assert c.cmd("RPUSH", "l", "x") == integer(1)
    assert c.cmd("DEL", "l") == integer(1)
    assert c.cmd("SET", "s", "v") == OK
    assert c.cmd("RPUSH", "l", "x") == integer(1)
    assert c.cmd("SADD", "st", "x") == integer(1)
    assert c.cmd("HSET", "h", "f", "v") == integer(1)
    assert c.cmd("ZADD", "z", "1", "m") == integer(1)
    for key, t in (("s", "string"), ("l", "list"), ("st", "set"), ("h", "hash"), ("z", "zset"),
                   ("nokey", "none")):
        assert c.cmd("TYPE", key) == b"+%s\r\n" % t.encode()
    assert c.cmd("RENAME", "l", "b") == OK  # any type, overwrites
    assert c.cmd("TYPE", "b") == b"+list\r\n"
    assert c.cmd("RENAME", "s", "b") == OK  # and a string overwrites a list
    assert c.cmd("TYPE", "b") == b"+string\r\n"
    # Copies are independent.
    assert c.cmd("RPUSH", "l", "a") == integer(1)
    assert c.cmd("COPY", "l", "l2") == integer(1)
    assert c.cmd("RPUSH", "l2", "b") == integer(2)
    assert c.cmd("LLEN", "l") == integer(1)


# --- RENAME / RENAMENX -----------------------------------------------------


def test_rename(c):
    assert c.cmd("SET", "a", "1", "EX", "1000") == OK
    assert c.cmd("RENAME", "a", "b") == OK
    assert c.cmd("EXISTS", "a") == integer(0)
    assert c.cmd("GET", "b") == bulk("1")
    assert 0 < int(c.cmd("TTL", "b")[1:-2]) <= 1000  # TTL moves with the key
    assert c.cmd("SET", "c", "3") == OK
    assert c.cmd("RENAME", "c", "b") == OK  # overwrites, TTL of the source (none)
    assert c.cmd("GET", "b") == bulk("3")
    assert c.cmd("TTL", "b") == integer(-1)
    assert c.cmd("RENAME", "b", "b") == OK  # same name: fine in Redis 7
    assert c.cmd("GET", "b") == bulk("3")
    assert c.cmd("RENAME", "nokey", "x") == b"-ERR no such key\r\n"
    assert c.cmd("RENAME", "nokey", "nokey") == b"-ERR no such key\r\n"
    assert c.cmd("RENAME", "a") == arity_err("rename")


def test_renamenx(c):
    assert c.cmd("MSET", "a", "1", "b", "2") == OK
    assert c.cmd("RENAMENX", "a", "b") == integer(0)
    assert c.cmd("GET", "a") == bulk("1")
    assert c.cmd("RENAMENX", "a", "a") == integer(0)
    assert c.cmd("RENAMENX", "a", "c") == integer(1)
    assert c.cmd("MGET", "a", "c") == b"*2\r\n$-1\r\n$1\r\n1\r\n"
    assert c.cmd("RENAMENX", "nokey", "z") == b"-ERR no such key\r\n"
    assert c.cmd("RENAMENX", "a") == arity_err("renamenx")


# --- KEYS and glob patterns -------------------------------------------------

GLOB_KEYS = ["hello", "hallo", "hxllo", "hllo", "heeeello", "hillo", "a*b", "a?b", "a[b", "ab",
             "h\\llo", "x-y", "X"]

GLOB_CASES = [
    ("*", GLOB_KEYS),
    ("h?llo", ["hello", "hallo", "hxllo", "hillo", "h\\llo"]),
    ("h*llo", ["hello", "hallo", "hxllo", "hllo", "heeeello", "hillo", "h\\llo"]),
    ("h[ae]llo", ["hello", "hallo"]),
    ("h[^e]llo", ["hallo", "hxllo", "hillo", "h\\llo"]),
    ("h[a-b]llo", ["hallo"]),
    ("h[b-a]llo", ["hallo"]),             # reversed ranges are swapped
    ("h[z-a]llo", ["hello", "hallo", "hxllo", "hillo"]),
    ("h[!e]llo", ["hello"]),              # '!' is not negation in Redis globs
    ("a\\*b", ["a*b"]),
    ("a\\?b", ["a?b"]),
    ("a\\[b", ["a[b"]),
    ("a[[]b", ["a[b"]),
    ("a[\\*]b", ["a*b"]),
    ("h\\\\llo", ["h\\llo"]),
    ("\\h\\e\\l\\l\\o", ["hello"]),        # escaping ordinary characters
    ("x", []),                            # case sensitive
    ("X", ["X"]),
    ("x[-]y", ["x-y"]),
    ("h*", ["hello", "hallo", "hxllo", "hllo", "heeeello", "hillo", "h\\llo"]),
    ("*o", ["hello", "hallo", "hxllo", "hllo", "heeeello", "hillo", "h\\llo"]),
    ("*l*l*", ["hello", "hallo", "hxllo", "hllo", "heeeello", "hillo", "h\\llo"]),
    ("a?b", ["a*b", "a?b", "a[b"]),
    ("??", ["ab"]),
    ("?", ["X"]),
    ("", []),
    ("[", []),
    ("*[", []),
    ("nomatch*", []),
]


@pytest.mark.parametrize("pattern,expected", GLOB_CASES, ids=[p or "<empty>" for p, _ in GLOB_CASES])
def test_keys_glob(c, pattern, expected):
    args = []
    for k in GLOB_KEYS:
        args += [k, "1"]
    assert c.cmd("MSET", *args) == OK
    assert members(c.cmd("KEYS", pattern)) == sorted(k.encode() for k in expected)


def test_keys_binary_and_errors(c):
    assert c.cmd("SET", b"bin\x00\xffkey", "1") == OK
    assert members(c.cmd("KEYS", b"bin\x00*")) == [b"bin\x00\xffkey"]
    assert c.cmd("KEYS", "*", "x") == arity_err("keys")
    assert c.cmd("KEYS") == arity_err("keys")
    assert c.cmd("FLUSHALL") == OK
    assert c.cmd("KEYS", "*") == b"*0\r\n"


def test_keys_hides_expired(c):
    assert c.cmd("SET", "live", "1") == OK
    assert c.cmd("SET", "dead", "1", "PX", "1") == OK
    wait_until(lambda: members(c.cmd("KEYS", "*")) == [b"live"], msg="expired key to vanish from KEYS")


# --- SCAN -----------------------------------------------------------------


def full_scan(c, *opts):
    cursor, seen, calls = b"0", [], 0
    while True:
        (t, (cur, items)), rest = parse_reply(c.cmd("SCAN", cursor, *opts))
        assert t == b"*" and cur[0] == b"$" and items[0] == b"*"
        seen += [v for _, v in items[1]]
        cursor = cur[1]
        calls += 1
        assert calls < 100_000
        if cursor == b"0":
            return seen, calls


def test_scan_returns_every_key(r, c):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"k:{i}", i)
    p.execute()
    seen, calls = full_scan(c)
    assert set(seen) == {f"k:{i}".encode() for i in range(1000)}
    assert calls > 1  # default COUNT 10 cannot return 1000 keys in one call
    seen, _ = full_scan(c, "MATCH", "k:1*")
    assert set(seen) == {f"k:{i}".encode() for i in range(1000) if str(i).startswith("1")}
    seen, _ = full_scan(c, "TYPE", "string", "MATCH", "k:99?", "COUNT", "7")
    assert set(seen) == {f"k:{i}".encode() for i in range(990, 1000)}
    seen, _ = full_scan(c, "TYPE", "hash")
    assert seen == []
    seen, _ = full_scan(c, "TYPE", "nosuchtype")
    assert seen == []
    assert {k.decode() for k in r.scan_iter(count=50)} == {k.decode() for k in r.keys()}


@pytest.mark.container_types("RPUSH")
def test_scan_type_filter_with_lists(r, c):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"k:{i}", i)
    for i in range(100):
        p.rpush(f"l:{i}", i)
    p.execute()
    seen, calls = full_scan(c)
    assert set(seen) == {f"k:{i}".encode() for i in range(1000)} | {f"l:{i}".encode() for i in range(100)}
    assert calls > 1  # default COUNT 10 cannot return 1100 keys in one call
    seen, _ = full_scan(c, "COUNT", "100", "TYPE", "list")
    assert set(seen) == {f"l:{i}".encode() for i in range(100)}
    seen, _ = full_scan(c, "TYPE", "string", "MATCH", "k:99?", "COUNT", "7")
    assert set(seen) == {f"k:{i}".encode() for i in range(990, 1000)}
    seen, _ = full_scan(c, "TYPE", "hash")
    assert seen == []


def test_scan_empty_db(c):
    assert c.cmd("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def test_scan_errors(c):
    assert c.cmd("SCAN", "x") == b"-ERR invalid cursor\r\n"
    assert c.cmd("SCAN", "18446744073709551616") == b"-ERR invalid cursor\r\n"
    assert c.cmd("SCAN", "0", "COUNT", "0") == SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "-1") == SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "x") == NOT_INT
    assert c.cmd("SCAN", "0", "MATCH") == SYNTAX
    assert c.cmd("SCAN", "0", "FOO", "x") == SYNTAX
    assert c.cmd("SCAN") == arity_err("scan")


# --- RANDOMKEY / DBSIZE / FLUSHDB / FLUSHALL --------------------------------


def test_randomkey_dbsize(c):
    assert c.cmd("RANDOMKEY") == NULL
    assert c.cmd("DBSIZE") == integer(0)
    assert c.cmd("SET", "only", "1") == OK
    assert c.cmd("RANDOMKEY") == bulk("only")
    assert c.cmd("MSET", "a", "1", "b", "2") == OK
    assert c.cmd("DBSIZE") == integer(3)
    for _ in range(20):
        assert c.cmd("RANDOMKEY") in (bulk("only"), bulk("a"), bulk("b"))
    assert c.cmd("RANDOMKEY", "x") == arity_err("randomkey")
    assert c.cmd("DBSIZE", "x") == arity_err("dbsize")


def test_randomkey_skips_expired(c):
    assert c.cmd("SET", "live", "1") == OK
    assert c.cmd("SET", "dead", "1", "PX", "1") == OK
    wait_until(lambda: c.cmd("EXISTS", "dead") == integer(0))
    for _ in range(20):
        assert c.cmd("RANDOMKEY") == bulk("live")


def test_flushdb_flushall(c):
    assert c.cmd("SET", "a", "1") == OK
    assert c.cmd("SELECT", "1") == OK
    assert c.cmd("SET", "b", "1") == OK
    assert c.cmd("FLUSHDB") == OK
    assert c.cmd("DBSIZE") == integer(0)
    assert c.cmd("SELECT", "0") == OK
    assert c.cmd("DBSIZE") == integer(1)
    assert c.cmd("FLUSHDB", "ASYNC") == OK
    assert c.cmd("DBSIZE") == integer(0)
    assert c.cmd("SET", "a", "1") == OK
    assert c.cmd("FLUSHDB", "sync") == OK
    assert c.cmd("DBSIZE") == integer(0)
    for db in ("0", "5", "15"):
        assert c.cmd("SELECT", db) == OK
        assert c.cmd("SET", "k", db) == OK
    assert c.cmd("FLUSHALL") == OK
    for db in ("0", "5", "15"):
        assert c.cmd("SELECT", db) == OK
        assert c.cmd("DBSIZE") == integer(0)
    assert c.cmd("SET", "k", "1") == OK
    assert c.cmd("FLUSHALL", "ASYNC") == OK
    assert c.cmd("DBSIZE") == integer(0)
    assert c.cmd("FLUSHALL", "SYNC") == OK
    assert c.cmd("FLUSHDB", "x") == SYNTAX
    assert c.cmd("FLUSHALL", "ASYNC", "SYNC") == SYNTAX
    assert c.cmd("FLUSHALL", "x") == SYNTAX


# --- MOVE / COPY / SWAPDB ----------------------------------------------------


def test_move(c):
    assert c.cmd("SET", "k", "v", "EX", "1000") == OK
    assert c.cmd("MOVE", "k", "1") == integer(1)
    assert c.cmd("EXISTS", "k") == integer(0)
    assert c.cmd("MOVE", "k", "1") == integer(0)
    assert c.cmd("MOVE", "nokey", "1") == integer(0)
    assert c.cmd("SELECT", "1") == OK
    assert c.cmd("GET", "k") == bulk("v")
    assert 0 < int(c.cmd("TTL", "k")[1:-2]) <= 1000  # TTL moves too
    assert c.cmd("SELECT", "0") == OK
    # Target exists: not moved.
    assert c.cmd("SET", "k", "other") == OK
    assert c.cmd("MOVE", "k", "1") == integer(0)
    assert c.cmd("GET", "k") == bulk("other")
    assert c.cmd("MOVE", "k", "0") == SAME_OBJ
    assert c.cmd("MOVE", "k", "16") == DB_RANGE
    assert c.cmd("MOVE", "k", "-1") == DB_RANGE
    assert c.cmd("MOVE", "k", "x") == NOT_INT
    assert c.cmd("MOVE", "k") == arity_err("move")


def test_copy(c):
    assert c.cmd("SET", "k", "v", "EX", "1000") == OK
    assert c.cmd("COPY", "k", "k2") == integer(1)
    assert c.cmd("GET", "k2") == bulk("v")
    assert 0 < int(c.cmd("TTL", "k2")[1:-2]) <= 1000
    assert c.cmd("SET", "k", "w") == OK
    assert c.cmd("COPY", "k", "k2") == integer(0)
    assert c.cmd("GET", "k2") == bulk("v")
    assert c.cmd("COPY", "k", "k2", "REPLACE") == integer(1)
    assert c.cmd("GET", "k2") == bulk("w")
    assert c.cmd("TTL", "k2") == integer(-1)
    assert c.cmd("COPY", "nokey", "x") == integer(0)
    assert c.cmd("EXISTS", "x") == integer(0)
    assert c.cmd("COPY", "k", "k3", "DB", "2") == integer(1)
    assert c.cmd("COPY", "k", "k3", "DB", "2") == integer(0)
    assert c.cmd("COPY", "k", "k", "DB", "2") == integer(1)
    assert c.cmd("SELECT", "2") == OK
    assert c.cmd("MGET", "k", "k3") == b"*2\r\n$1\r\nw\r\n$1\r\nw\r\n"
    assert c.cmd("SELECT", "0") == OK
    # Copies are independent.
    assert c.cmd("APPEND", "k2", "x") == integer(2)
    assert c.cmd("GET", "k") == bulk("w")


def test_copy_errors(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("COPY", "k", "k") == SAME_OBJ
    assert c.cmd("COPY", "k", "k", "REPLACE") == SAME_OBJ
    assert c.cmd("COPY", "k", "k", "DB", "0") == SAME_OBJ
    assert c.cmd("COPY", "k", "x", "DB", "16") == DB_RANGE
    assert c.cmd("COPY", "k", "x", "DB", "x") == NOT_INT
    assert c.cmd("COPY", "k", "x", "DB") == SYNTAX
    assert c.cmd("COPY", "k", "x", "FOO") == SYNTAX
    assert c.cmd("COPY", "k") == arity_err("copy")


def test_swapdb(c):
    assert c.cmd("SET", "a", "0") == OK
    assert c.cmd("SELECT", "1") == OK
    assert c.cmd("MSET", "b", "1", "c", "1") == OK
    assert c.cmd("SWAPDB", "0", "1") == OK
    # This connection is still on db 1, which now holds the old db 0.
    assert c.cmd("DBSIZE") == integer(1)
    assert c.cmd("GET", "a") == bulk("0")
    assert c.cmd("SELECT", "0") == OK
    assert c.cmd("MGET", "b", "c") == b"*2\r\n$1\r\n1\r\n$1\r\n1\r\n"
    assert c.cmd("SWAPDB", "0", "0") == OK
    assert c.cmd("DBSIZE") == integer(2)
    assert c.cmd("SWAPDB", "0", "16") == DB_RANGE
    assert c.cmd("SWAPDB", "0", "-1") == DB_RANGE
    assert c.cmd("SWAPDB", "x", "1") == b"-ERR invalid first DB index\r\n"
    assert c.cmd("SWAPDB", "0", "x") == b"-ERR invalid second DB index\r\n"
    assert c.cmd("SWAPDB", "0") == arity_err("swapdb")


def test_swapdb_seen_by_other_client(raw):
    a, b = raw(), raw()
    assert a.cmd("SET", "k", "db0") == OK
    assert b.cmd("SELECT", "3") == OK
    assert b.cmd("GET", "k") == NULL
    assert a.cmd("SWAPDB", "0", "3") == OK
    assert b.cmd("GET", "k") == bulk("db0")
    assert a.cmd("GET", "k") == NULL


def test_touch(c):
    assert c.cmd("MSET", "a", "1", "b", "2") == OK
    assert c.cmd("TOUCH", "a", "b", "nokey", "a") == integer(3)
    assert c.cmd("TOUCH") == arity_err("touch")


# --- OBJECT -----------------------------------------------------------------


def test_object_encoding(c):
    cases = [("123", "int"), ("-5", "int"), ("9223372036854775807", "int"),
             ("9223372036854775808", "embstr"), ("01", "embstr"), (" 1", "embstr"), ("", "embstr"),
             ("a" * 44, "embstr"), ("a" * 45, "raw")]
    for value, enc in cases:
        assert c.cmd("SET", "s", value) == OK
        assert c.cmd("OBJECT", "ENCODING", "s") == bulk(enc), value
    assert c.cmd("SET", "s", "ab") == OK
    assert c.cmd("APPEND", "s", "c") == integer(3)
    assert c.cmd("OBJECT", "ENCODING", "s") == bulk("raw")
    assert c.cmd("SET", "n", "5") == OK
    assert c.cmd("INCR", "n") == integer(6)
    assert c.cmd("OBJECT", "ENCODING", "n") == bulk("int")
    assert c.cmd("OBJECT", "ENCODING", "nokey") == NULL
    assert c.cmd("OBJECT", "ENCODING") == arity_err("object|encoding")
    assert c.cmd("OBJECT", "ENCODING", "a", "b") == arity_err("object|encoding")


def test_object_refcount_idletime(c):
    assert c.cmd("SET", "s", "some string value") == OK
    assert c.cmd("OBJECT", "REFCOUNT", "s") == integer(1)
    assert c.cmd("OBJECT", "IDLETIME", "s") in (integer(0), integer(1))
    assert c.cmd("OBJECT", "REFCOUNT", "nokey") == NULL
    assert c.cmd("OBJECT", "IDLETIME", "nokey") == NULL
    assert c.cmd("OBJECT", "FREQ", "s") == (
        b"-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note"
        b" that when switching between policies at runtime LRU and LFU data will take some time"
        b" to adjust.\r\n"
    )


def test_object_freq_with_lfu(c):
    assert c.cmd("SET", "s", "v") == OK
    assert c.cmd("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu") == OK
    try:
        reply = c.cmd("OBJECT", "FREQ", "s")
        assert reply.startswith(b":"), reply
        assert c.cmd("OBJECT", "FREQ", "nokey") == NULL
        assert c.cmd("OBJECT", "IDLETIME", "s") == (
            b"-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that"
            b" when switching between policies at runtime LRU and LFU data will take some time"
            b" to adjust.\r\n"
        )
    finally:
        assert c.cmd("CONFIG", "SET", "maxmemory-policy", "noeviction") == OK


def test_object_help_and_errors(c):
    (t, lines), _ = parse_reply(c.cmd("OBJECT", "HELP"))
    assert t == b"*"
    assert all(kind == b"+" for kind, _ in lines)
    text = b"\n".join(v for _, v in lines)
    assert lines[0][1].startswith(b"OBJECT <subcommand>")
    for sub in (b"ENCODING", b"FREQ", b"IDLETIME", b"REFCOUNT", b"HELP"):
        assert sub in text
    assert c.cmd("OBJECT", "XYZ") == b"-ERR unknown subcommand 'XYZ'. Try OBJECT HELP.\r\n"
    assert c.cmd("OBJECT") == arity_err("object")


# --- redis-py view ------------------------------------------------------------


def test_keys_redis_py(r):
    r.mset({"user:1": "a", "user:2": "b", "post:1": "c"})
    assert sorted(r.keys("user:*")) == [b"user:1", b"user:2"]
    assert r.exists("user:1", "post:1", "nope") == 2
    assert r.delete("user:1", "nope") == 1
    assert r.type("post:1") == b"string"
    assert r.rename("post:1", "post:2") is True
    assert r.dbsize() == 2
