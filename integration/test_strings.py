"""String commands."""

import time

import pytest
import redis

from helpers import (NOT_FLOAT, NOT_INT, NULL, OK, OVERFLOW, SYNTAX, WRONGTYPE, arity_err,
                     bulk, expire_err, integer, wait_until)

INT64_MAX = 9223372036854775807
INT64_MIN = -9223372036854775808


@pytest.fixture
def c(raw):
    return raw()


@pytest.fixture
def c_list(c):
    """c with a list at "list": the wrong-type key (container_types tests only)."""
    assert c.cmd("LPUSH", "list", "x") == b":1\r\n"
    return c


def pttl(c, key):
    return int(c.cmd("PTTL", key)[1:-2])


# --- GET / SET ------------------------------------------------------------


def test_get_set_basic(c):
    assert c.cmd("GET", "k") == NULL
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("GET", "k") == bulk("v")
    assert c.cmd("SET", "k", "") == OK
    assert c.cmd("GET", "k") == b"$0\r\n\r\n"
    binary = bytes(range(256)) * 4
    assert c.cmd("SET", b"bin\x00key", binary) == OK
    assert c.cmd("GET", b"bin\x00key") == bulk(binary)
    assert c.cmd("GET") == arity_err("get")
    assert c.cmd("GET", "a", "b") == arity_err("get")
    assert c.cmd("SET", "k") == arity_err("set")


@pytest.mark.container_types("LPUSH")
def test_set_overwrites_other_type(c_list):
    c = c_list
    assert c.cmd("SET", "list", "now-a-string") == OK
    assert c.cmd("TYPE", "list") == b"+string\r\n"


def test_set_nx_xx(c):
    assert c.cmd("SET", "k", "1", "XX") == NULL
    assert c.cmd("EXISTS", "k") == integer(0)
    assert c.cmd("SET", "k", "1", "NX") == OK
    assert c.cmd("SET", "k", "2", "NX") == NULL
    assert c.cmd("GET", "k") == bulk("1")
    assert c.cmd("SET", "k", "3", "xx") == OK
    assert c.cmd("GET", "k") == bulk("3")
    assert c.cmd("SET", "k", "4", "NX", "XX") == SYNTAX
    assert c.cmd("SET", "k", "4", "FOO") == SYNTAX


def test_set_get_option(c):
    assert c.cmd("SET", "k", "v1", "GET") == NULL
    assert c.cmd("SET", "k", "v2", "GET") == bulk("v1")
    assert c.cmd("GET", "k") == bulk("v2")
    # Redis 7: NX and GET may be combined.
    assert c.cmd("SET", "k", "v3", "NX", "GET") == bulk("v2")
    assert c.cmd("GET", "k") == bulk("v2")
    assert c.cmd("SET", "new", "v", "NX", "GET") == NULL
    assert c.cmd("GET", "new") == bulk("v")
    assert c.cmd("SET", "k", "v4", "XX", "GET") == bulk("v2")
    assert c.cmd("SET", "absent", "v", "XX", "GET") == NULL
    assert c.cmd("EXISTS", "absent") == integer(0)


def test_set_expire_options(c):
    assert c.cmd("SET", "k", "v", "EX", "100") == OK
    assert 99_000 <= pttl(c, "k") <= 100_000
    assert c.cmd("SET", "k", "v", "PX", "100000") == OK
    assert 99_000 <= pttl(c, "k") <= 100_000
    at = int(time.time()) + 1000
    assert c.cmd("SET", "k", "v", "EXAT", str(at)) == OK
    assert c.cmd("EXPIRETIME", "k") == integer(at)
    assert c.cmd("SET", "k", "v", "PXAT", str(at * 1000 + 123)) == OK
    assert c.cmd("PEXPIRETIME", "k") == integer(at * 1000 + 123)
    # Plain SET clears the TTL, KEEPTTL keeps it.
    assert c.cmd("SET", "k", "v2", "KEEPTTL") == OK
    assert c.cmd("PEXPIRETIME", "k") == integer(at * 1000 + 123)
    assert c.cmd("SET", "k", "v3") == OK
    assert c.cmd("TTL", "k") == integer(-1)
    # A time in the past: the key is set and immediately gone.
    assert c.cmd("SET", "k", "v", "EXAT", "1") == OK
    assert c.cmd("EXISTS", "k") == integer(0)
    assert c.cmd("SET", "k", "v", "PXAT", "1") == OK
    assert c.cmd("GET", "k") == NULL


def test_set_expire_errors(c):
    for opt in ("EX", "PX", "EXAT", "PXAT"):
        assert c.cmd("SET", "k", "v", opt, "0") == expire_err("set")
        assert c.cmd("SET", "k", "v", opt, "-1") == expire_err("set")
        assert c.cmd("SET", "k", "v", opt, "x") == NOT_INT
        assert c.cmd("SET", "k", "v", opt, "1.5") == NOT_INT
        assert c.cmd("SET", "k", "v", opt) == SYNTAX
    assert c.cmd("SET", "k", "v", "EX", str(INT64_MAX)) == expire_err("set")
    assert c.cmd("SET", "k", "v", "PX", str(INT64_MAX)) == expire_err("set")
    assert c.cmd("SET", "k", "v", "EX", "99999999999999999999") == NOT_INT
    assert c.cmd("SET", "k", "v", "EX", "10", "PX", "10") == SYNTAX
    assert c.cmd("SET", "k", "v", "KEEPTTL", "EX", "10") == SYNTAX
    assert c.cmd("SET", "k", "v", "EX", "10", "KEEPTTL") == SYNTAX
    assert c.cmd("SET", "k", "v", "EXAT", "10", "PXAT", "10") == SYNTAX
    assert c.cmd("EXISTS", "k") == integer(0)


def test_set_repeated_option_last_wins(c):
    # Redis accepts the same option twice; the last value wins.
    assert c.cmd("SET", "k", "v", "EX", "10", "EX", "1000") == OK
    assert 990_000 < pttl(c, "k") <= 1_000_000
    assert c.cmd("SET", "k", "w", "XX", "XX") == OK
    assert c.cmd("SET", "k", "x", "GET", "GET") == bulk("w")


def test_set_redis_py(r):
    assert r.set("a", "1", ex=100) is True
    assert 0 < r.ttl("a") <= 100
    assert r.set("a", "2", nx=True) is None
    assert r.set("a", "3", xx=True, get=True) == b"1"
    assert r.get("a") == b"3"


def test_setnx_setex_psetex(c):
    assert c.cmd("SETNX", "k", "1") == integer(1)
    assert c.cmd("SETNX", "k", "2") == integer(0)
    assert c.cmd("GET", "k") == bulk("1")
    assert c.cmd("SETNX", "k") == arity_err("setnx")
    assert c.cmd("SETEX", "k", "100", "v") == OK
    assert c.cmd("GET", "k") == bulk("v")
    assert 99_000 <= pttl(c, "k") <= 100_000
    assert c.cmd("PSETEX", "k", "100000", "w") == OK
    assert c.cmd("GET", "k") == bulk("w")
    assert 99_000 <= pttl(c, "k") <= 100_000
    assert c.cmd("SETEX", "k", "0", "v") == expire_err("setex")
    assert c.cmd("SETEX", "k", "-5", "v") == expire_err("setex")
    assert c.cmd("PSETEX", "k", "0", "v") == expire_err("psetex")
    assert c.cmd("SETEX", "k", "x", "v") == NOT_INT
    assert c.cmd("SETEX", "k", "10") == arity_err("setex")


def test_mget_mset_msetnx(c):
    assert c.cmd("MSET", "a", "1", "b", "2", "a", "3") == OK
    assert c.cmd("MGET", "a", "b", "nokey") == b"*3\r\n$1\r\n3\r\n$1\r\n2\r\n$-1\r\n"
    assert c.cmd("MSET", "a") == arity_err("mset")
    assert c.cmd("MSET", "a", "1", "b") == arity_err("mset")
    assert c.cmd("MGET") == arity_err("mget")
    assert c.cmd("MSETNX", "x", "1", "a", "9") == integer(0)
    assert c.cmd("EXISTS", "x") == integer(0)
    assert c.cmd("MSETNX", "x", "1", "y", "2") == integer(1)
    assert c.cmd("MGET", "x", "y") == b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    assert c.cmd("MSETNX", "x", "1", "b") == arity_err("msetnx")


def test_mset_clears_ttl(c):
    assert c.cmd("SET", "a", "1", "EX", "100") == OK
    assert c.cmd("MSET", "a", "2") == OK
    assert c.cmd("TTL", "a") == integer(-1)


def test_getset_getdel(c):
    assert c.cmd("GETSET", "k", "1") == NULL
    assert c.cmd("SET", "k", "1", "EX", "100") == OK
    assert c.cmd("GETSET", "k", "2") == bulk("1")
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("GETDEL", "k") == bulk("2")
    assert c.cmd("EXISTS", "k") == integer(0)
    assert c.cmd("GETDEL", "k") == NULL
    assert c.cmd("GETDEL") == arity_err("getdel")


def test_getex(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("GETEX", "k") == bulk("v")
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("GETEX", "k", "EX", "100") == bulk("v")
    assert 99_000 <= pttl(c, "k") <= 100_000
    assert c.cmd("GETEX", "k", "PX", "50000") == bulk("v")
    assert 49_000 <= pttl(c, "k") <= 50_000
    at = int(time.time()) + 5000
    assert c.cmd("GETEX", "k", "EXAT", str(at)) == bulk("v")
    assert c.cmd("EXPIRETIME", "k") == integer(at)
    assert c.cmd("GETEX", "k", "PXAT", str(at * 1000 + 7)) == bulk("v")
    assert c.cmd("PEXPIRETIME", "k") == integer(at * 1000 + 7)
    assert c.cmd("GETEX", "k", "PERSIST") == bulk("v")
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("GETEX", "nokey", "EX", "10") == NULL
    assert c.cmd("GETEX", "k", "EX", "0") == expire_err("getex")
    assert c.cmd("GETEX", "k", "EX", "-1") == expire_err("getex")
    assert c.cmd("GETEX", "k", "EX", "x") == NOT_INT
    assert c.cmd("GETEX", "k", "EX") == SYNTAX
    assert c.cmd("GETEX", "k", "EX", "10", "PX", "10") == SYNTAX
    assert c.cmd("GETEX", "k", "PERSIST", "EX", "10") == SYNTAX
    assert c.cmd("GETEX", "k", "FOO") == SYNTAX
    assert c.cmd("GETEX") == arity_err("getex")
    # A past absolute time deletes the key but still returns the value.
    assert c.cmd("GETEX", "k", "EXAT", "1") == bulk("v")
    assert c.cmd("EXISTS", "k") == integer(0)


def test_append_strlen(c):
    assert c.cmd("APPEND", "k", "abc") == integer(3)
    assert c.cmd("APPEND", "k", "") == integer(3)
    assert c.cmd("APPEND", "k", b"\x00\xff") == integer(5)
    assert c.cmd("GET", "k") == bulk(b"abc\x00\xff")
    assert c.cmd("STRLEN", "k") == integer(5)
    assert c.cmd("STRLEN", "nokey") == integer(0)
    assert c.cmd("SET", "n", "12") == OK
    assert c.cmd("STRLEN", "n") == integer(2)
    assert c.cmd("APPEND", "n", "3") == integer(3)
    assert c.cmd("INCR", "n") == integer(124)
    assert c.cmd("APPEND", "k") == arity_err("append")


# --- counters -------------------------------------------------------------


def test_incr_decr(c):
    assert c.cmd("INCR", "n") == integer(1)
    assert c.cmd("INCR", "n") == integer(2)
    assert c.cmd("DECR", "n") == integer(1)
    assert c.cmd("DECR", "m") == integer(-1)
    assert c.cmd("INCRBY", "n", "10") == integer(11)
    assert c.cmd("INCRBY", "n", "-20") == integer(-9)
    assert c.cmd("DECRBY", "n", "-9") == integer(0)
    assert c.cmd("DECRBY", "n", "5") == integer(-5)
    assert c.cmd("GET", "n") == bulk("-5")
    assert c.cmd("SET", "t", "5", "EX", "100") == OK
    assert c.cmd("INCR", "t") == integer(6)
    assert 0 < pttl(c, "t") <= 100_000  # INCR keeps the TTL


def test_incr_not_an_integer(c):
    for v in ("abc", "", " 1", "1 ", "01", "+1", "-0", "1.0", "0x10", "99999999999999999999"):
        assert c.cmd("SET", "s", v) == OK
        assert c.cmd("INCR", "s") == NOT_INT, v
        assert c.cmd("GET", "s") == bulk(v)
    assert c.cmd("INCRBY", "n", "x") == NOT_INT
    assert c.cmd("INCRBY", "n", "1.5") == NOT_INT
    assert c.cmd("INCRBY", "n", "") == NOT_INT
    assert c.cmd("DECRBY", "n", "99999999999999999999") == NOT_INT
    assert c.cmd("INCR") == arity_err("incr")
    assert c.cmd("INCRBY", "n") == arity_err("incrby")
    assert c.cmd("DECR", "a", "b") == arity_err("decr")


def test_incr_overflow(c):
    assert c.cmd("SET", "n", str(INT64_MAX)) == OK
    assert c.cmd("INCR", "n") == OVERFLOW
    assert c.cmd("INCRBY", "n", "1") == OVERFLOW
    assert c.cmd("GET", "n") == bulk(str(INT64_MAX))
    assert c.cmd("SET", "m", str(INT64_MIN)) == OK
    assert c.cmd("DECR", "m") == OVERFLOW
    assert c.cmd("DECRBY", "m", "1") == OVERFLOW
    assert c.cmd("INCRBY", "m", str(INT64_MAX)) == integer(-1)
    assert c.cmd("SET", "z", "0") == OK
    assert c.cmd("DECRBY", "z", str(INT64_MIN)) == b"-ERR decrement would overflow\r\n"
    assert c.cmd("INCRBY", "z", str(INT64_MIN)) == integer(INT64_MIN)
    assert c.cmd("SET", "y", "-1") == OK
    assert c.cmd("DECRBY", "y", str(INT64_MAX)) == integer(INT64_MIN)


def test_incrbyfloat(c):
    assert c.cmd("INCRBYFLOAT", "f", "3") == bulk("3")
    assert c.cmd("INCRBYFLOAT", "f", "1.0") == bulk("4")
    assert c.cmd("SET", "f", "10.50") == OK
    assert c.cmd("INCRBYFLOAT", "f", "0.1") == bulk("10.6")
    assert c.cmd("INCRBYFLOAT", "g", "1e3") == bulk("1000")
    assert c.cmd("INCRBYFLOAT", "g", "-1000.5") == bulk("-0.5")
    assert c.cmd("SET", "h", "5") == OK
    assert c.cmd("INCRBYFLOAT", "h", "1e-5") == bulk("5.00001")
    assert c.cmd("INCRBYFLOAT", "h", "-5.00001") == bulk("0")
    assert c.cmd("INCRBYFLOAT", "hex", "0x10") == bulk("16")
    assert c.cmd("SET", "t", "1", "PX", "100000") == OK
    assert c.cmd("INCRBYFLOAT", "t", "1") == bulk("2")
    assert 0 < pttl(c, "t") <= 100_000


def test_incrbyfloat_errors(c):
    assert c.cmd("INCRBYFLOAT", "f", "abc") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", "") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", " 1") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", "nan") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", "inf") == b"-ERR increment would produce NaN or Infinity\r\n"
    assert c.cmd("INCRBYFLOAT", "f", "-inf") == b"-ERR increment would produce NaN or Infinity\r\n"
    assert c.cmd("EXISTS", "f") == integer(0)
    assert c.cmd("SET", "s", "abc") == OK
    assert c.cmd("INCRBYFLOAT", "s", "1") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f") == arity_err("incrbyfloat")


def test_counters_redis_py(r):
    assert r.incr("c") == 1
    assert r.incrby("c", 41) == 42
    assert r.decrby("c", 2) == 40
    assert r.incrbyfloat("c", 0.5) == 40.5
    with pytest.raises(redis.ResponseError, match="not an integer"):
        r.incr("c")


# --- ranges ---------------------------------------------------------------


def test_getrange_substr(c):
    assert c.cmd("SET", "s", "Hello World") == OK
    cases = [
        (("0", "4"), "Hello"), (("-5", "-1"), "World"), (("5", "2"), ""), (("-100", "100"), "Hello World"),
        (("100", "200"), ""), (("-1", "-5"), ""), (("0", "-100"), "H"), (("0", "-1"), "Hello World"),
        (("6", "6"), "W"), (("10", "10"), "d"), (("11", "11"), ""),
    ]
    for (start, end), expected in cases:
        assert c.cmd("GETRANGE", "s", start, end) == bulk(expected), (start, end)
    assert c.cmd("SUBSTR", "s", "0", "2") == bulk("Hel")
    assert c.cmd("GETRANGE", "nokey", "0", "-1") == bulk("")
    assert c.cmd("SET", "e", "") == OK
    assert c.cmd("GETRANGE", "e", "0", "-1") == bulk("")
    assert c.cmd("SET", "n", "12345") == OK
    assert c.cmd("GETRANGE", "n", "1", "2") == bulk("23")
    assert c.cmd("GETRANGE", "s", "x", "1") == NOT_INT
    assert c.cmd("GETRANGE", "s", "0", "1.5") == NOT_INT
    assert c.cmd("GETRANGE", "s", "0") == arity_err("getrange")


def test_setrange(c):
    assert c.cmd("SET", "s", "Hello World") == OK
    assert c.cmd("SETRANGE", "s", "6", "Redis") == integer(11)
    assert c.cmd("GET", "s") == bulk("Hello Redis")
    assert c.cmd("SETRANGE", "s", "11", "!") == integer(12)
    assert c.cmd("SETRANGE", "pad", "3", "ab") == integer(5)
    assert c.cmd("GET", "pad") == bulk(b"\x00\x00\x00ab")
    # An empty value on a missing key creates nothing; on an existing key is a no-op.
    assert c.cmd("SETRANGE", "none", "0", "") == integer(0)
    assert c.cmd("SETRANGE", "none", "10", "") == integer(0)
    assert c.cmd("EXISTS", "none") == integer(0)
    assert c.cmd("SETRANGE", "s", "100", "") == integer(12)
    assert c.cmd("SET", "n", "12") == OK
    assert c.cmd("SETRANGE", "n", "2", "3") == integer(3)
    assert c.cmd("INCR", "n") == integer(124)
    assert c.cmd("SETRANGE", "s", "-1", "x") == b"-ERR offset is out of range\r\n"
    assert c.cmd("SETRANGE", "s", "x", "x") == NOT_INT
    assert c.cmd("SETRANGE", "s", "536870912", "x") == (
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    )
    assert c.cmd("SETRANGE", "s", "0") == arity_err("setrange")


# --- LCS ------------------------------------------------------------------


def test_lcs(c):
    assert c.cmd("MSET", "key1", "ohmytext", "key2", "mynewtext") == OK
    assert c.cmd("LCS", "key1", "key2") == bulk("mytext")
    assert c.cmd("LCS", "key1", "key2", "LEN") == integer(6)
    assert c.cmd("LCS", "key1", "key2", "IDX") == (
        b"*4\r\n$7\r\nmatches\r\n*2\r\n"
        b"*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
        b"*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n"
        b"$3\r\nlen\r\n:6\r\n"
    )
    assert c.cmd("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN") == (
        b"*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
    )
    assert c.cmd("LCS", "key1", "nokey") == bulk("")
    assert c.cmd("LCS", "nokey", "nokey2", "IDX") == b"*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
    assert c.cmd("LCS", "key1", "key1") == bulk("ohmytext")


def test_lcs_resp3_map(c):
    assert c.cmd("MSET", "key1", "ohmytext", "key2", "mynewtext") == OK
    assert c.cmd("HELLO", "3").startswith(b"%")
    assert c.cmd("LCS", "key1", "key2", "IDX", "WITHMATCHLEN") == (
        b"%2\r\n$7\r\nmatches\r\n*2\r\n"
        b"*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
        b"*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n"
        b"$3\r\nlen\r\n:6\r\n"
    )


def test_lcs_errors(c):
    assert c.cmd("MSET", "key1", "a", "key2", "b") == OK
    assert c.cmd("LCS", "key1", "key2", "LEN", "IDX") == (
        b"-ERR If you want both the length and indexes, please just use IDX.\r\n"
    )
    assert c.cmd("LCS", "key1", "key2", "FOO") == SYNTAX
    assert c.cmd("LCS", "key1", "key2", "MINMATCHLEN") == SYNTAX
    assert c.cmd("LCS", "key1", "key2", "MINMATCHLEN", "x") == NOT_INT
    assert c.cmd("LCS", "key1") == arity_err("lcs")


@pytest.mark.container_types("LPUSH")
def test_wrong_type_errors(c_list):
    """Every string command on a list: WRONGTYPE (or LCS's own text), nothing
    changed; only the commands that overwrite any type succeed."""
    c = c_list
    assert c.cmd("GET", "list") == WRONGTYPE
    # GET on a wrong type fails and does not overwrite.
    assert c.cmd("SET", "list", "v", "GET") == WRONGTYPE
    assert c.cmd("TYPE", "list") == b"+list\r\n"
    assert c.cmd("SETNX", "list", "2") == integer(0)
    assert c.cmd("MSET", "a", "3", "b", "2") == OK
    assert c.cmd("MGET", "a", "b", "list", "nokey") == b"*4\r\n$1\r\n3\r\n$1\r\n2\r\n$-1\r\n$-1\r\n"
    assert c.cmd("MSETNX", "z", "1", "list", "2") == integer(0)
    assert c.cmd("GETSET", "list", "x") == WRONGTYPE
    assert c.cmd("GETDEL", "list") == WRONGTYPE
    assert c.cmd("GETEX", "list") == WRONGTYPE
    assert c.cmd("APPEND", "list", "x") == WRONGTYPE
    assert c.cmd("STRLEN", "list") == WRONGTYPE
    assert c.cmd("INCR", "list") == WRONGTYPE
    assert c.cmd("INCRBY", "list", "1") == WRONGTYPE
    assert c.cmd("INCRBYFLOAT", "list", "1") == WRONGTYPE
    assert c.cmd("GETRANGE", "list", "0", "1") == WRONGTYPE
    assert c.cmd("SETRANGE", "list", "0", "x") == WRONGTYPE
    assert c.cmd("MSET", "key1", "a") == OK
    assert c.cmd("LCS", "key1", "list") == b"-ERR The specified keys must contain string values\r\n"
    assert c.cmd("TYPE", "list") == b"+list\r\n"
    assert c.cmd("SETEX", "list", "10", "v") == OK  # overwrites any type


def test_large_value_roundtrip(r):
    big = b"x" * (3 * 1024 * 1024 + 17)
    assert r.set("big", big) is True
    assert r.get("big") == big
    assert r.strlen("big") == len(big)
    assert r.append("big", b"yz") == len(big) + 2


def test_set_get_many_keys_pipelined(r):
    p = r.pipeline(transaction=False)
    for i in range(2000):
        p.set(f"key:{i}", i)
    assert all(p.execute())
    assert r.dbsize() == 2000
    values = r.mget([f"key:{i}" for i in range(2000)])
    assert values == [str(i).encode() for i in range(2000)]


def test_expired_string_is_gone(c):
    assert c.cmd("SET", "k", "v", "PX", "1") == OK
    wait_until(lambda: c.cmd("GET", "k") == NULL, msg="1 ms key to expire")
    assert c.cmd("EXISTS", "k") == integer(0)
    assert c.cmd("STRLEN", "k") == integer(0)
