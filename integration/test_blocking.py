"""Blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP):
fairness, wake-ups, timeouts, cleanup, CLIENT UNBLOCK, and that a parked client
never holds up anyone else.

Clients park on raw connections (a request sent, its reply read later); every
"is it parked yet?" is polled through INFO blocked_clients, never slept on.
"""

import time

import pytest

from helpers import blocked_clients, encode_command, park, wait_until

pytestmark = pytest.mark.container_types("BLPOP", "BRPOP", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZMPOP")


def test_push_serves_a_parked_blpop(r, raw):
    c = park(raw, r, "BLPOP", "q", "0")
    assert r.rpush("q", "job") == 1
    assert c.read_reply() == b"*2\r\n$1\r\nq\r\n$3\r\njob\r\n"
    assert r.exists("q") == 0  # the pop emptied and deleted it
    assert blocked_clients(r) == 0


def test_clients_are_served_in_the_order_they_blocked(r, raw):
    clients = [park(raw, r, "BLPOP", "q", "0") for _ in range(3)]
    r.rpush("q", "a", "b", "c")
    replies = [c.read_reply() for c in clients]
    assert replies == [b"*2\r\n$1\r\nq\r\n$1\r\n" + v + b"\r\n" for v in (b"a", b"b", b"c")]


def test_a_client_that_finds_the_key_drained_keeps_its_place(r, raw):
    first = park(raw, r, "BRPOP", "q", "0")
    second = park(raw, r, "BRPOP", "q", "0")
    r.rpush("q", "only")
    assert first.read_reply() == b"*2\r\n$1\r\nq\r\n$4\r\nonly\r\n"
    assert blocked_clients(r) == 1
    third = park(raw, r, "BRPOP", "q", "0")
    r.rpush("q", "next")
    assert second.read_reply() == b"*2\r\n$1\r\nq\r\n$4\r\nnext\r\n"
    assert blocked_clients(r) == 1  # the third still waits
    r.rpush("q", "last")
    assert third.read_reply() == b"*2\r\n$1\r\nq\r\n$4\r\nlast\r\n"


def test_the_first_listed_key_with_a_value_is_popped(r, raw):
    c = park(raw, r, "BLPOP", "k1", "k2", "0")
    r.rpush("k2", "x")
    assert c.read_reply() == b"*2\r\n$2\r\nk2\r\n$1\r\nx\r\n"


def test_timeout_replies_null_and_fractional_timeouts_work(r, raw):
    c = raw()
    start = time.monotonic()
    c.send(encode_command("BLPOP", "nothing", "0.1"))
    assert c.read_reply() == b"*-1\r\n"
    # Deadlines are in whole milliseconds of the wall clock (as Redis's), so
    # the wait may end up to a millisecond before 100 ms of this clock.
    assert time.monotonic() - start >= 0.098
    # A null array even where the non-blocking form replies a null bulk.
    c.send(encode_command("BLMOVE", "nothing", "dst", "LEFT", "RIGHT", "0.05"))
    assert c.read_reply() == b"*-1\r\n"
    assert blocked_clients(r) == 0


def test_a_parked_client_does_not_hold_up_others(r, raw):
    park(raw, r, "BLPOP", "q", "0")
    other = raw()
    for i in range(100):
        assert other.cmd("SET", f"k{i}", "v") == b"+OK\r\n"
    assert other.cmd("PING") == b"+PONG\r\n"


def test_pipelined_commands_run_after_the_blocking_one_is_served(r, raw):
    c = raw()
    c.send(encode_command("BLPOP", "q", "0") + encode_command("SET", "after", "1")
           + encode_command("GET", "after"))
    wait_until(lambda: blocked_clients(r) == 1, msg="BLPOP to park")
    assert r.get("after") is None  # held behind the parked BLPOP
    r.rpush("q", "v")
    assert c.read_replies(3) == [b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n", b"+OK\r\n", b"$1\r\n1\r\n"]


def test_disconnecting_while_parked_cleans_up(r, raw):
    c = park(raw, r, "BLPOP", "q", "0")
    c.close()
    wait_until(lambda: blocked_clients(r) == 0, msg="the closed client to be unparked")
    r.rpush("q", "kept")
    assert r.lrange("q", 0, -1) == [b"kept"]


def test_client_unblock_timeout_and_error(r, raw):
    c = park(raw, r, "BLPOP", "q", "0")
    ids = [cl["id"] for cl in r.client_list() if cl.get("cmd") == "blpop"]
    assert len(ids) == 1
    assert r.execute_command("CLIENT", "UNBLOCK", ids[0]) == 1
    assert c.read_reply() == b"*-1\r\n"
    c.send(encode_command("BZPOPMIN", "z", "0"))
    wait_until(lambda: blocked_clients(r) == 1, msg="BZPOPMIN to park")
    ids = [cl["id"] for cl in r.client_list() if cl.get("cmd") == "bzpopmin"]
    assert r.execute_command("CLIENT", "UNBLOCK", ids[0], "ERROR") == 1
    assert c.read_reply() == b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"
    # A client that is not blocked is not unblocked.
    assert r.execute_command("CLIENT", "UNBLOCK", ids[0]) == 0
    assert c.cmd("PING") == b"+PONG\r\n"


def test_client_list_shows_the_b_flag(r, raw):
    park(raw, r, "BLPOP", "q", "0")
    flags = [cl["flags"] for cl in r.client_list() if cl.get("cmd") == "blpop"]
    assert flags == ["b"]


def test_client_list_counts_only_what_a_parked_client_pipelined_behind_its_wait(r, raw):
    # As Redis: the blocking request has been read; a PING sent after it waits in qbuf.
    c = park(raw, r, "BLPOP", "q", "0")
    c.send(encode_command("PING"))
    wait_until(lambda: [cl["qbuf"] for cl in r.client_list() if cl.get("cmd") == "blpop"] == ["14"],
               msg="the pipelined PING to show in qbuf")
    r.rpush("q", "x")
    assert c.read_reply() == b"*2\r\n$1\r\nq\r\n$1\r\nx\r\n"
    assert c.read_reply() == b"+PONG\r\n"


def test_blmove_serves_the_next_waiter_on_its_destination(r, raw):
    mover = park(raw, r, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
    popper = park(raw, r, "BLPOP", "dst", "0")
    r.rpush("src", "item")
    assert mover.read_reply() == b"$4\r\nitem\r\n"
    assert popper.read_reply() == b"*2\r\n$3\r\ndst\r\n$4\r\nitem\r\n"
    assert r.exists("src", "dst") == 0


def test_brpoplpush_and_blmpop(r, raw):
    c = park(raw, r, "BRPOPLPUSH", "src", "dst", "0")
    r.rpush("src", "a", "b")
    assert c.read_reply() == b"$1\r\nb\r\n"
    assert r.lrange("dst", 0, -1) == [b"b"]
    c2 = park(raw, r, "BLMPOP", "0", "2", "e1", "e2", "RIGHT", "COUNT", "2")
    r.rpush("e2", "x", "y", "z")
    assert c2.read_reply() == b"*2\r\n$2\r\ne2\r\n*2\r\n$1\r\nz\r\n$1\r\ny\r\n"


def test_sorted_set_pops_wake_on_zadd(r, raw):
    low = park(raw, r, "BZPOPMIN", "z", "0")
    high = park(raw, r, "BZPOPMAX", "z", "0")
    multi = park(raw, r, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "5")
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert low.read_reply() == b"*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert high.read_reply() == b"*3\r\n$1\r\nz\r\n$1\r\nd\r\n$1\r\n4\r\n"
    assert multi.read_reply() == (b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
                                  b"*2\r\n$1\r\nc\r\n$1\r\n3\r\n")


def test_a_key_of_another_type_does_not_serve_a_list_waiter(r, raw):
    c = park(raw, r, "BLPOP", "k", "0")
    r.zadd("k", {"m": 1})
    r.set("k", "string")
    assert blocked_clients(r) == 1
    r.delete("k")
    r.rpush("k", "v")
    assert c.read_reply() == b"*2\r\n$1\r\nk\r\n$1\r\nv\r\n"


def test_swapdb_serves_waiters_on_keys_it_brings_in(r, raw):
    c = park(raw, r, "BLPOP", "q", "0")
    db1 = raw()
    assert db1.cmd("SELECT", "1") == b"+OK\r\n"
    assert db1.cmd("RPUSH", "q", "from-db1") == b":1\r\n"
    r.swapdb(0, 1)
    assert c.read_reply() == b"*2\r\n$1\r\nq\r\n$8\r\nfrom-db1\r\n"


def test_errors_for_bad_timeouts(r):
    for timeout, error in (("abc", "timeout is not a float or out of range"),
                           ("-1", "timeout is negative"), ("inf", "timeout is negative")):
        with pytest.raises(Exception, match=error):
            r.execute_command("BLPOP", "q", timeout)


def test_idle_timeout_spares_parked_clients(r, raw):
    parked = park(raw, r, "BLPOP", "q", "0")
    idle = raw()
    assert idle.cmd("PING") == b"+PONG\r\n"
    r.config_set("timeout", 1)
    try:
        assert idle.is_closed(timeout=10), "the idle client was not closed"
        assert blocked_clients(r) == 1
    finally:
        r.config_set("timeout", 0)
    r.rpush("q", "v")
    assert parked.read_reply() == b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n"
