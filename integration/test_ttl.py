"""Expiry: EXPIRE family, TTL queries, PERSIST, lazy and active expiry."""

import time

import pytest

from helpers import NOT_INT, NULL, OK, arity_err, bulk, expire_err, integer, wait_until

FAR = 4_000_000_000  # 2096-10-02, far-future absolute unix time in seconds
INCOMPAT_NX = b"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"
INCOMPAT_GT_LT = b"-ERR GT and LT options at the same time are not compatible\r\n"


@pytest.fixture
def c(raw):
    return raw()


def num(reply):
    assert reply.startswith(b":"), reply
    return int(reply[1:-2])


def test_expire_and_ttl(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("PTTL", "k") == integer(-1)
    assert c.cmd("TTL", "nokey") == integer(-2)
    assert c.cmd("PTTL", "nokey") == integer(-2)
    assert c.cmd("EXPIRE", "k", "100") == integer(1)
    assert 99 <= num(c.cmd("TTL", "k")) <= 100
    assert 99_000 <= num(c.cmd("PTTL", "k")) <= 100_000
    assert c.cmd("PEXPIRE", "k", "50000") == integer(1)
    assert 49_000 <= num(c.cmd("PTTL", "k")) <= 50_000
    assert c.cmd("EXPIRE", "nokey", "100") == integer(0)
    assert c.cmd("PEXPIRE", "nokey", "100") == integer(0)
    assert c.cmd("EXISTS", "nokey") == integer(0)


def test_ttl_rounds_up(c):
    # TTL is (pttl + 500) / 1000, rounded to the nearest second.
    assert c.cmd("SET", "k", "v", "PX", "100499") == OK
    assert c.cmd("TTL", "k") == integer(100)
    assert c.cmd("SET", "k", "v", "PX", "200999") == OK
    assert c.cmd("TTL", "k") == integer(201)


def test_expireat_and_expiretime(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("EXPIRETIME", "k") == integer(-1)
    assert c.cmd("PEXPIRETIME", "k") == integer(-1)
    assert c.cmd("EXPIRETIME", "nokey") == integer(-2)
    assert c.cmd("PEXPIRETIME", "nokey") == integer(-2)
    assert c.cmd("EXPIREAT", "k", str(FAR)) == integer(1)
    assert c.cmd("EXPIRETIME", "k") == integer(FAR)
    assert c.cmd("PEXPIRETIME", "k") == integer(FAR * 1000)
    assert c.cmd("PEXPIREAT", "k", str(FAR * 1000 + 123)) == integer(1)
    assert c.cmd("EXPIRETIME", "k") == integer(FAR)
    assert c.cmd("PEXPIRETIME", "k") == integer(FAR * 1000 + 123)
    # EXPIRETIME rounds to the nearest second.
    assert c.cmd("PEXPIREAT", "k", str(FAR * 1000 + 999)) == integer(1)
    assert c.cmd("EXPIRETIME", "k") == integer(FAR + 1)
    ttl = num(c.cmd("TTL", "k"))
    assert abs(ttl - (FAR + 1 - time.time())) < 60
    assert c.cmd("EXPIREAT", "nokey", str(FAR)) == integer(0)


def test_expire_in_the_past_deletes(c):
    for cmd, arg in (("EXPIRE", "0"), ("EXPIRE", "-10"), ("PEXPIRE", "0"), ("PEXPIRE", "-1"),
                     ("EXPIREAT", "1"), ("PEXPIREAT", "1"), ("EXPIREAT", "0"), ("EXPIREAT", "-5")):
        assert c.cmd("SET", "k", "v") == OK
        assert c.cmd(cmd, "k", arg) == integer(1), (cmd, arg)
        assert c.cmd("EXISTS", "k") == integer(0), (cmd, arg)
        assert c.cmd("GET", "k") == NULL


def test_expire_nx_xx(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("EXPIRE", "k", "100", "XX") == integer(0)
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("EXPIRE", "k", "100", "NX") == integer(1)
    assert c.cmd("EXPIRE", "k", "200", "NX") == integer(0)
    assert c.cmd("EXPIRE", "k", "300", "XX") == integer(1)
    assert 299 <= num(c.cmd("TTL", "k")) <= 300
    assert c.cmd("PEXPIREAT", "k", str(FAR * 1000), "xx") == integer(1)
    assert c.cmd("EXPIRETIME", "k") == integer(FAR)


def test_expire_gt_lt(c):
    assert c.cmd("SET", "k", "v") == OK
    # No TTL counts as infinite: GT never applies, LT always does.
    assert c.cmd("EXPIRE", "k", "100", "GT") == integer(0)
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("EXPIRE", "k", "100", "LT") == integer(1)
    assert c.cmd("EXPIRE", "k", "50", "GT") == integer(0)
    assert c.cmd("EXPIRE", "k", "200", "GT") == integer(1)
    assert c.cmd("EXPIRE", "k", "300", "LT") == integer(0)
    assert c.cmd("EXPIRE", "k", "10", "LT") == integer(1)
    assert 9 <= num(c.cmd("TTL", "k")) <= 10
    assert c.cmd("EXPIRE", "k", "5", "XX", "GT") == integer(0)  # (equal times would race the clock)
    assert c.cmd("EXPIRE", "k", "1000", "XX", "GT") == integer(1)
    assert c.cmd("EXPIREAT", "k", str(FAR), "GT") == integer(1)
    assert c.cmd("EXPIREAT", "k", str(FAR - 1), "GT") == integer(0)
    assert c.cmd("PEXPIREAT", "k", str(FAR * 1000 - 1), "LT") == integer(1)
    assert c.cmd("PEXPIRETIME", "k") == integer(FAR * 1000 - 1)
    # A past time with GT does nothing; with LT it deletes.
    assert c.cmd("EXPIRE", "k", "-1", "GT") == integer(0)
    assert c.cmd("EXISTS", "k") == integer(1)
    assert c.cmd("EXPIRE", "k", "-1", "LT") == integer(1)
    assert c.cmd("EXISTS", "k") == integer(0)


def test_expire_option_errors(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("EXPIRE", "k", "10", "NX", "XX") == INCOMPAT_NX
    assert c.cmd("EXPIRE", "k", "10", "NX", "GT") == INCOMPAT_NX
    assert c.cmd("EXPIRE", "k", "10", "LT", "NX") == INCOMPAT_NX
    assert c.cmd("EXPIRE", "k", "10", "GT", "LT") == INCOMPAT_GT_LT
    assert c.cmd("PEXPIRE", "k", "10", "FOO") == b"-ERR Unsupported option FOO\r\n"
    assert c.cmd("EXPIREAT", "k", "10", "nx", "bar") == b"-ERR Unsupported option bar\r\n"
    assert c.cmd("EXPIRE", "k", "x") == NOT_INT
    assert c.cmd("EXPIRE", "k", "1.5") == NOT_INT
    assert c.cmd("EXPIRE", "k", "") == NOT_INT
    assert c.cmd("PEXPIREAT", "k", "99999999999999999999") == NOT_INT
    assert c.cmd("TTL", "k") == integer(-1)


def test_expire_overflow(c):
    assert c.cmd("SET", "k", "v") == OK
    for cmd, arg in (("EXPIRE", "9223372036854775807"), ("EXPIRE", "9223372036854775"),
                     ("PEXPIRE", "9223372036854775807"), ("EXPIREAT", "9223372036854775807"),
                     ("EXPIRE", "-9223372036854775808")):
        assert c.cmd(cmd, "k", arg) == expire_err(cmd), (cmd, arg)
    assert c.cmd("TTL", "k") == integer(-1)
    # The largest absolute millisecond time is fine.
    assert c.cmd("PEXPIREAT", "k", "9223372036854775807") == integer(1)
    assert c.cmd("PEXPIRETIME", "k") == integer(9223372036854775807)


def test_expire_arity(c):
    for cmd in ("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"):
        assert c.cmd(cmd, "k") == arity_err(cmd)
    for cmd in ("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST"):
        assert c.cmd(cmd) == arity_err(cmd)
        assert c.cmd(cmd, "a", "b") == arity_err(cmd)


def test_persist(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("PERSIST", "k") == integer(0)
    assert c.cmd("EXPIRE", "k", "100") == integer(1)
    assert c.cmd("PERSIST", "k") == integer(1)
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("PERSIST", "k") == integer(0)
    assert c.cmd("PERSIST", "nokey") == integer(0)


def test_ttl_cleared_by_set_and_kept_by_writes(c):
    assert c.cmd("SET", "k", "1", "EX", "100") == OK
    assert c.cmd("APPEND", "k", "0") == integer(2)
    assert c.cmd("INCR", "k") == integer(11)
    assert c.cmd("SETRANGE", "k", "0", "2") == integer(2)
    assert 0 < num(c.cmd("TTL", "k")) <= 100
    assert c.cmd("SET", "k", "x") == OK
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("SET", "k", "1", "EX", "100") == OK
    assert c.cmd("GETSET", "k", "2") == bulk("1")
    assert c.cmd("TTL", "k") == integer(-1)
    assert c.cmd("SET", "k", "1", "EX", "100") == OK
    assert c.cmd("DEL", "k") == integer(1)
    assert c.cmd("SET", "k", "1") == OK
    assert c.cmd("TTL", "k") == integer(-1)


def test_expired_keys_are_invisible(c):
    assert c.cmd("SET", "s", "v", "PX", "20") == OK
    assert c.cmd("SET", "keep", "v") == OK
    assert c.cmd("SET", "s2", "v") == OK
    assert c.cmd("PEXPIRE", "s2", "20") == integer(1)
    wait_until(lambda: c.cmd("EXISTS", "s", "s2") == integer(0), msg="keys to expire")
    assert c.cmd("GET", "s") == NULL
    assert c.cmd("TTL", "s") == integer(-2)
    assert c.cmd("PTTL", "s2") == integer(-2)
    assert c.cmd("TYPE", "s2") == b"+none\r\n"
    assert c.cmd("STRLEN", "s2") == integer(0)
    assert c.cmd("MGET", "s", "keep") == b"*2\r\n$-1\r\n$1\r\nv\r\n"
    assert c.cmd("SETNX", "s", "new") == integer(1)
    assert c.cmd("GET", "s") == bulk("new")
    assert c.cmd("TTL", "s") == integer(-1)


@pytest.mark.container_types("RPUSH", "LLEN")
def test_expired_list_is_invisible(c):
    assert c.cmd("RPUSH", "l", "a") == integer(1)
    assert c.cmd("PEXPIRE", "l", "20") == integer(1)
    wait_until(lambda: c.cmd("EXISTS", "l") == integer(0), msg="list to expire")
    assert c.cmd("PTTL", "l") == integer(-2)
    assert c.cmd("TYPE", "l") == b"+none\r\n"
    assert c.cmd("LLEN", "l") == integer(0)


def test_expired_keys_invisible_with_active_expire_off(start_server):
    """With active expiry disabled, expired keys still count in DBSIZE but are
    invisible to reads and deleted lazily on access."""
    srv = start_server()
    c = srv.raw()
    assert c.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0") == OK
    assert c.cmd("SET", "a", "1", "PX", "5") == OK
    assert c.cmd("SET", "b", "1", "PX", "5") == OK
    assert c.cmd("SET", "c", "1") == OK
    start = time.time()

    def server_ms():
        reply = c.cmd("TIME")
        parts = reply.split(b"\r\n")
        return int(parts[2]) * 1000 + int(parts[4]) // 1000

    t0 = server_ms()
    wait_until(lambda: server_ms() > t0 + 20, msg="server clock to pass the expiry")
    assert time.time() - start < 30
    assert c.cmd("DBSIZE") == integer(3)
    assert c.cmd("KEYS", "*") == b"*1\r\n$1\r\nc\r\n"
    assert c.cmd("GET", "a") == NULL
    assert c.cmd("DBSIZE") == integer(2)
    assert c.cmd("EXISTS", "b") == integer(0)
    assert c.cmd("DBSIZE") == integer(1)
    assert c.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1") == OK


def test_active_expiry_100k_keys(start_server):
    srv = start_server()
    c = srv.raw(timeout=60)
    n = 100_000
    payload = b"".join(
        b"*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n$2\r\nPX\r\n$4\r\n1000\r\n" % (len(k), k)
        for k in (b"exp:%d" % i for i in range(n))
    )
    payload += b"*1\r\n$6\r\nDBSIZE\r\n"
    c.send(payload)
    for _ in range(n):
        assert c.read_reply() == OK
    size = num(c.read_reply())
    assert 0 < size <= n  # some may already be gone on a slow machine
    # Nothing touches the keys: only active expiry can remove them.
    wait_until(lambda: c.cmd("DBSIZE") == integer(0), timeout=60, interval=0.1,
               msg=lambda: f"active expiry to empty the db (DBSIZE now {c.cmd('DBSIZE')!r})")
    info = c.cmd("INFO", "stats")
    expired = int(info.split(b"expired_keys:")[1].split(b"\r\n")[0])
    assert expired == n


def test_ttl_redis_py(r):
    r.set("k", "v")
    assert r.expire("k", 100) is True
    assert 0 < r.ttl("k") <= 100
    assert r.persist("k") is True
    assert r.ttl("k") == -1
    assert r.pexpireat("k", FAR * 1000) is True
    assert r.pttl("k") > 0
