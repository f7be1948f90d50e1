"""MULTI / EXEC / DISCARD / WATCH / UNWATCH through redis-py's own API
(pipeline(transaction=True), watch, WatchError) and raw connections, with the
cases that need a second client. Single-connection reply bytes are in
differential/transactions.txt.
"""

import pytest
import redis

from helpers import encode_command, park, wait_past_deadline, wait_until


def test_pipeline_transaction_runs_queued_commands_atomically(rd):
    with rd.pipeline(transaction=True) as p:
        p.set("a", "1").incr("a").get("a")
        assert p.execute() == [True, 2, "2"]


def test_runtime_error_fails_only_its_command(rd):
    rd.set("s", "str")
    with rd.pipeline(transaction=True) as p:
        p.set("x", "1").lpush("s", "v").incr("x")
        results = p.execute(raise_on_error=False)
    assert results[0] is True
    assert isinstance(results[1], redis.ResponseError)
    assert "WRONGTYPE" in str(results[1])
    assert results[2] == 2


def test_queueing_error_discards_everything(raw, rd):
    c = raw()
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("SET", "k", "v") == b"+QUEUED\r\n"
    assert c.cmd("GET").startswith(b"-ERR wrong number of arguments")
    assert c.cmd("EXEC") == b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    assert rd.exists("k") == 0


def test_watch_fails_exec_when_another_client_writes(rd, server):
    other = redis.Redis(port=server.port, decode_responses=True)
    rd.set("balance", "10")
    with rd.pipeline(transaction=True) as p:
        p.watch("balance")
        assert p.get("balance") == "10"
        other.set("balance", "20")
        p.multi()
        p.set("balance", "9")
        with pytest.raises(redis.WatchError):
            p.execute()
    assert rd.get("balance") == "20"
    other.close()


def test_transaction_helper_retries_until_it_wins(rd, server):
    other = redis.Redis(port=server.port, decode_responses=True)
    rd.set("n", "0")
    attempts = []

    def bump(pipe):
        value = int(pipe.get("n"))
        attempts.append(value)
        if len(attempts) == 1:
            other.incr("n")  # a conflicting write between WATCH and EXEC
        pipe.multi()
        pipe.set("n", value + 1)

    rd.transaction(bump, "n")
    assert attempts == [0, 1]
    assert rd.get("n") == "2"
    other.close()


def test_watch_is_untouched_by_other_keys_and_by_reads(rd, server):
    other = redis.Redis(port=server.port)
    rd.set("w", "1")
    with rd.pipeline(transaction=True) as p:
        p.watch("w")
        other.set("unrelated", "x")
        other.get("w")
        p.multi()
        p.set("w", "2")
        assert p.execute() == [True]
    other.close()


def test_a_watched_key_that_expires_fails_exec(r):
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        r.set("t", "v", px=50)
        with r.pipeline(transaction=True) as p:
            p.watch("t")
            wait_past_deadline(r, "t")
            p.multi()
            p.set("other", "1")
            with pytest.raises(redis.WatchError):
                p.execute()
    finally:
        r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_a_key_expired_before_watch_does_not_fail_exec(r):
    r.set("gone", "v", px=1)
    wait_until(lambda: r.pttl("gone") == -2, msg="the key to expire")
    with r.pipeline(transaction=True) as p:
        p.watch("gone")
        p.multi()
        p.set("gone", "back")
        assert p.execute() == [True]


@pytest.mark.parametrize("change", [
    ("DEL", "k"), ("RENAME", "k", "k2"), ("EXPIRE", "k", "100"), ("FLUSHDB",), ("FLUSHALL",),
    ("SWAPDB", "0", "1"), ("APPEND", "k", "x"), ("SETRANGE", "k", "0", "z"), ("MOVE", "k", "5"),
])
def test_every_kind_of_change_invalidates_a_watch(raw, change):
    c, other = raw(), raw()
    assert c.cmd("SET", "k", "v") == b"+OK\r\n"
    assert c.cmd("WATCH", "k") == b"+OK\r\n"
    assert not other.cmd(*change).startswith(b"-")
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("PING") == b"+QUEUED\r\n"
    assert c.cmd("EXEC") == b"*-1\r\n"


@pytest.mark.container_types("RPUSH", "LPOP", "HSET", "SADD", "ZADD")
@pytest.mark.parametrize("change", [
    ("RPUSH", "k", "x"), ("LPOP", "k"), ("HSET", "k", "f", "v"), ("SADD", "k", "m"),
    ("ZADD", "k", "1", "m"),
])
def test_container_writes_invalidate_a_watch(raw, change):
    c, other = raw(), raw()
    if change[0] == "LPOP":
        assert c.cmd("RPUSH", "k", "a", "b") == b":2\r\n"
    assert c.cmd("WATCH", "k") == b"+OK\r\n"
    assert not other.cmd(*change).startswith(b"-")
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("EXEC") == b"*-1\r\n"


def test_exec_and_discard_and_reset_forget_watched_keys(raw):
    c, other = raw(), raw()
    for end in (("EXEC",), ("DISCARD",)):
        assert c.cmd("WATCH", "k") == b"+OK\r\n"
        assert c.cmd("MULTI") == b"+OK\r\n"
        c.cmd(*end)
        other.cmd("SET", "k", "changed")
        assert c.cmd("MULTI") == b"+OK\r\n"
        assert c.cmd("EXEC") == b"*0\r\n"
    assert c.cmd("WATCH", "k") == b"+OK\r\n"
    assert c.cmd("RESET") == b"+RESET\r\n"
    other.cmd("SET", "k", "again")
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("EXEC") == b"*0\r\n"


def test_client_list_shows_the_open_transaction(raw, rd):
    c = raw()
    c.cmd("CLIENT", "SETNAME", "tx")
    c.cmd("MULTI")
    c.cmd("SET", "a", "1")
    c.cmd("SET", "b", "2")
    mine = [x for x in rd.client_list() if x["name"] == "tx"][0]
    assert "x" in mine["flags"]
    assert mine["multi"] == "2"
    assert int(mine["multi-mem"]) > 0
    c.cmd("DISCARD")
    mine = [x for x in rd.client_list() if x["name"] == "tx"][0]
    assert "x" not in mine["flags"] and mine["multi"] == "-1"


@pytest.mark.container_types("RPUSH", "BLPOP")
def test_a_push_inside_exec_wakes_waiters_only_after_exec(raw, rd):
    waiter = park(raw, rd, "BLPOP", "q", "0")
    c = raw()
    c.cmd("MULTI")
    c.cmd("RPUSH", "q", "a")
    c.cmd("RPUSH", "q", "b")
    c.cmd("LLEN", "q")
    # Inside the transaction the list keeps both elements: the waiter is
    # served after EXEC, with the first of them.
    assert c.cmd("EXEC") == b"*3\r\n:1\r\n:2\r\n:2\r\n"
    assert waiter.read_reply() == b"*2\r\n$1\r\nq\r\n$1\r\na\r\n"
    assert rd.lrange("q", 0, -1) == ["b"]


@pytest.mark.container_types("BLPOP", "BZPOPMIN", "BLMOVE")
def test_blocking_commands_inside_multi_do_not_block(raw, rd):
    c = raw()
    c.cmd("MULTI")
    for args in (("BLPOP", "nol", "0"), ("BZPOPMIN", "noz", "0"), ("BLMOVE", "a", "b", "LEFT",
                                                                    "LEFT", "0")):
        assert c.cmd(*args) == b"+QUEUED\r\n"
    assert c.cmd("EXEC") == b"*3\r\n*-1\r\n*-1\r\n$-1\r\n"
    assert rd.info("clients")["blocked_clients"] == 0


def test_client_pause_write_holds_an_exec_that_writes(raw, rd):
    c = raw()
    c.cmd("MULTI")
    c.cmd("SET", "p", "1")
    rd.execute_command("CLIENT", "PAUSE", "10000", "WRITE")
    try:
        c.send(encode_command("EXEC"))
        reader = raw()
        assert reader.cmd("GET", "p") == b"$-1\r\n"
    finally:
        rd.execute_command("CLIENT", "UNPAUSE")
    assert c.read_reply() == b"*1\r\n+OK\r\n"
    assert rd.get("p") == "1"


def test_queue_is_limited_by_client_query_buffer_limit(raw, rd, is_redis):
    if is_redis:
        pytest.skip("a Vireo limit: Redis lets the MULTI queue grow up to maxmemory")
    rd.config_set("client-query-buffer-limit", "1mb")
    try:
        c = raw()
        c.cmd("MULTI")
        big = "x" * (400 * 1024)
        assert c.cmd("SET", "a", big) == b"+QUEUED\r\n"
        assert c.cmd("SET", "b", big) == b"+QUEUED\r\n"
        assert c.cmd("SET", "c", big).startswith(b"-ERR Transaction queue exceeds")
        assert c.cmd("EXEC").startswith(b"-EXECABORT")
    finally:
        rd.config_set("client-query-buffer-limit", "1gb")


def test_one_clock_for_the_whole_exec(raw):
    """No key expires between two commands of one EXEC (Redis 7 fixes the
    clock for the transaction): EXISTS after a 200 ms DEBUG SLEEP still sees a
    key set with PX 100 inside the same EXEC; the next command does not."""
    c = raw()
    c.cmd("MULTI")
    c.cmd("SET", "t", "v", "PX", "100")
    c.cmd("DEBUG", "SLEEP", "0.2")
    c.cmd("EXISTS", "t")
    assert c.cmd("EXEC") == b"*3\r\n+OK\r\n+OK\r\n:1\r\n"
    assert c.cmd("EXISTS", "t") == b":0\r\n"
