"""BEGIN / COMMIT / ROLLBACK, sentence by sentence as README states them
("Transactions: BEGIN / COMMIT / ROLLBACK"), with two or more concurrent
connections. The rule number is in each test's name.
"""

import pytest
import redis

from helpers import park, wait_past_deadline, wait_until



@pytest.fixture(autouse=True)
def vireo_only(is_redis):
    if is_redis:
        pytest.skip("BEGIN/COMMIT/ROLLBACK is a Vireo extension")


CONFLICT = b"-CONFLICT Transaction rolled back: another client changed a key it read or wrote."


def test_rule1_begin_nests_to_any_depth(raw, rd):
    c = raw()
    for depth in range(1, 51):
        assert c.cmd("BEGIN") == b"+OK\r\n"
    c.cmd("CLIENT", "SETNAME", "deep")
    mine = [x for x in rd.client_list() if x["name"] == "deep"][0]
    assert mine["txn-depth"] == "50"
    for depth in range(50):
        assert c.cmd("COMMIT") == b"+OK\r\n"
    assert "txn-depth" not in [x for x in rd.client_list() if x["name"] == "deep"][0]


def test_rule2_commands_run_at_once_with_real_replies(raw):
    c = raw()
    c.cmd("BEGIN")
    assert c.cmd("SET", "n", "41") == b"+OK\r\n"
    assert c.cmd("INCR", "n") == b":42\r\n"
    assert c.cmd("LPUSH", "n", "x").startswith(b"-WRONGTYPE")
    assert c.cmd("GET", "n") == b"$2\r\n42\r\n"


@pytest.mark.container_types("RPUSH", "HSET", "SADD", "ZADD", "LRANGE", "HGETALL")
def test_rule3_own_writes_are_visible_for_every_type_ttl_and_enumeration(raw, rd):
    rd.set("old", "1")
    c = raw()
    c.cmd("BEGIN")
    c.cmd("SET", "s", "v", "EX", "100")
    c.cmd("RPUSH", "l", "a", "b")
    c.cmd("HSET", "h", "f", "v")
    c.cmd("SADD", "set", "m")
    c.cmd("ZADD", "z", "1", "m")
    c.cmd("DEL", "old")
    assert c.cmd("TTL", "s") == b":100\r\n"
    assert c.cmd("LRANGE", "l", "0", "-1") == b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert c.cmd("DBSIZE") == b":5\r\n"
    assert c.cmd("EXISTS", "s", "l", "h", "set", "z", "old") == b":5\r\n"
    assert c.cmd("MGET", "s", "old") == b"*2\r\n$1\r\nv\r\n$-1\r\n"
    keys = c.cmd("KEYS", "*")
    assert keys.startswith(b"*5\r\n") and b"old" not in keys
    scanned = c.cmd("SCAN", "0", "COUNT", "1000")
    assert scanned.count(b"\r\n$") == 6  # cursor + five keys
    assert c.cmd("RANDOMKEY") != b"$3\r\nold\r\n"
    c.cmd("SET", "w_a", "2")
    c.cmd("RPUSH", "order", "a")
    assert c.cmd("SORT", "order", "BY", "w_*", "GET", "w_*") == b"*1\r\n$1\r\n2\r\n"


@pytest.mark.container_types("RPUSH", "BLPOP")
def test_rule4_nobody_else_reads_or_is_served_uncommitted_writes(raw, rd):
    waiter = park(raw, rd, "BLPOP", "q", "0")
    c = raw()
    c.cmd("BEGIN")
    c.cmd("SET", "k", "v")
    c.cmd("RPUSH", "q", "job")
    assert rd.get("k") is None
    assert rd.exists("q") == 0
    assert rd.info("clients")["blocked_clients"] == 1
    assert c.cmd("COMMIT") == b"+OK\r\n"
    assert waiter.read_reply() == b"*2\r\n$1\r\nq\r\n$3\r\njob\r\n"
    assert rd.get("k") == "v"


@pytest.mark.container_types("RPUSH")
def test_rule4_and_rule6_notifications_are_published_at_commit(raw, server, missing_commands):
    if missing_commands(["PSUBSCRIBE"]):
        pytest.skip("needs pub/sub")
    c = raw()
    c.cmd("CONFIG", "SET", "notify-keyspace-events", "KEA")
    sub = redis.Redis(port=server.port).pubsub()
    try:
        sub.psubscribe("__key*__:*")
        assert sub.get_message(timeout=5)["type"] == "psubscribe"
        c.cmd("BEGIN")
        c.cmd("SET", "k", "v")
        c.cmd("RPUSH", "q", "job")
        # A marker published now matches the pattern too: whatever arrives
        # before it was published before COMMIT, and nothing may.
        assert raw().cmd("PUBLISH", "__keyspace@0__:marker", "m") == b":1\r\n"
        first = sub.get_message(timeout=5)
        assert (first["channel"], first["data"]) == (b"__keyspace@0__:marker", b"m")
        assert c.cmd("COMMIT") == b"+OK\r\n"
        got = []
        while len(got) < 4:
            m = sub.get_message(timeout=5)
            assert m is not None, got
            got.append((m["channel"], m["data"]))
        assert got == [(b"__keyspace@0__:k", b"set"), (b"__keyevent@0__:set", b"k"),
                       (b"__keyspace@0__:q", b"rpush"), (b"__keyevent@0__:rpush", b"q")]
    finally:
        sub.close()
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "")


def test_rule5_inner_commit_merges_and_outer_rollback_still_discards(raw, rd):
    c = raw()
    c.cmd("BEGIN")
    c.cmd("SET", "a", "1")
    c.cmd("BEGIN")
    c.cmd("SET", "b", "2")
    assert c.cmd("COMMIT") == b"+OK\r\n"
    assert c.cmd("GET", "b") == b"$1\r\n2\r\n"
    assert rd.get("b") is None
    assert c.cmd("ROLLBACK") == b"+OK\r\n"
    assert c.cmd("GET", "b") == b"$-1\r\n"
    assert rd.exists("a", "b") == 0


def test_rule6_outermost_commit_applies_everything_at_once(raw, rd):
    c = raw()
    c.cmd("BEGIN")
    for i in range(100):
        c.cmd("SET", f"k{i}", str(i))
    c.cmd("BEGIN")
    c.cmd("INCR", "k0")
    c.cmd("COMMIT")
    assert rd.dbsize() == 0
    assert c.cmd("COMMIT") == b"+OK\r\n"
    assert rd.dbsize() == 100
    assert rd.get("k0") == "1"
    assert rd.get("k99") == "99"


def test_rule7_rollback_discards_the_innermost_level_only(raw, rd):
    c = raw()
    c.cmd("BEGIN")
    c.cmd("SET", "x", "outer")
    c.cmd("BEGIN")
    c.cmd("SET", "x", "inner")
    c.cmd("DEL", "x")
    assert c.cmd("ROLLBACK") == b"+OK\r\n"
    assert c.cmd("GET", "x") == b"$5\r\nouter\r\n"
    assert c.cmd("COMMIT") == b"+OK\r\n"
    assert rd.get("x") == "outer"
    c.cmd("BEGIN")
    c.cmd("SET", "x", "gone")
    assert c.cmd("ROLLBACK") == b"+OK\r\n"
    assert c.cmd("COMMIT") == b"-ERR COMMIT without BEGIN\r\n"
    assert rd.get("x") == "outer"


def test_rule8_closing_or_reset_rolls_everything_back(raw, rd):
    c = raw()
    c.cmd("BEGIN")
    c.cmd("BEGIN")
    c.cmd("SET", "closed", "1")
    c.close()
    wait_until(lambda: rd.info("clients")["txn_clients"] == 0, msg="the connection to close")
    assert rd.exists("closed") == 0
    c = raw()
    c.cmd("BEGIN")
    c.cmd("SET", "reset", "1")
    assert c.cmd("RESET") == b"+RESET\r\n"
    assert c.cmd("COMMIT") == b"-ERR COMMIT without BEGIN\r\n"
    assert rd.exists("reset") == 0


@pytest.mark.parametrize("read", [("GET", "k"), ("EXISTS", "k"), ("MGET", "z", "k"),
                                  ("TTL", "k"), ("SET", "k", "mine")])
def test_rule9_a_change_to_a_read_key_fails_the_commit(raw, rd, read):
    rd.set("k", "0")
    c = raw()
    c.cmd("BEGIN")
    c.cmd(*read)
    c.cmd("SET", "other", "1")
    rd.set("k", "theirs")
    assert c.cmd("COMMIT").startswith(CONFLICT)
    assert rd.get("k") == "theirs"
    assert rd.exists("other") == 0
    assert c.cmd("COMMIT") == b"-ERR COMMIT without BEGIN\r\n"  # the transaction ended


@pytest.mark.parametrize("change", [("DEL", "k"), ("FLUSHDB",), ("FLUSHALL",), ("SWAPDB", "0", "1"),
                                    ("EXPIRE", "k", "100"), ("RENAME", "k", "k2")])
def test_rule9_every_kind_of_change_conflicts(raw, rd, change):
    rd.set("k", "0")
    c = raw()
    c.cmd("BEGIN")
    c.cmd("GET", "k")
    assert not raw().cmd(*change).startswith(b"-")
    assert c.cmd("COMMIT").startswith(CONFLICT)


def test_rule9_enumerating_is_not_reading_and_retry_succeeds(raw, rd):
    c = raw()
    c.cmd("BEGIN")
    c.cmd("KEYS", "*")
    c.cmd("DBSIZE")
    c.cmd("SET", "mine", "1")
    rd.set("phantom", "1")  # enumerated, never named: no conflict
    assert c.cmd("COMMIT") == b"+OK\r\n"
    c.cmd("BEGIN")
    c.cmd("INCR", "mine")
    rd.set("mine", "10")
    assert c.cmd("COMMIT").startswith(CONFLICT)
    c.cmd("BEGIN")  # the retry reads the new value
    assert c.cmd("INCR", "mine") == b":11\r\n"
    assert c.cmd("COMMIT") == b"+OK\r\n"
    assert rd.get("mine") == "11"


def test_rule9_a_read_key_reaching_its_deadline_conflicts(raw, rd):
    # Nobody deletes the key: it only passes its deadline before COMMIT.
    rd.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        rd.set("t", "v", px=100)
        c = raw()
        c.cmd("BEGIN")
        assert c.cmd("GET", "t") == b"$1\r\nv\r\n"
        c.cmd("SET", "other", "1")
        wait_past_deadline(rd, "t")
        assert c.cmd("COMMIT").startswith(CONFLICT)
        assert rd.exists("other") == 0
    finally:
        rd.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_rule9_a_rolled_back_savepoint_keeps_its_reads(raw, rd):
    rd.set("k", "0")
    c = raw()
    c.cmd("BEGIN")
    c.cmd("BEGIN")
    c.cmd("GET", "k")
    c.cmd("ROLLBACK")
    rd.set("k", "1")
    assert c.cmd("COMMIT").startswith(CONFLICT)


@pytest.mark.parametrize("args, error", [
    (("BLPOP", "q", "0"), b"-ERR blocking commands are not allowed inside BEGIN\r\n"),
    (("SELECT", "1"), b"-ERR SELECT is not allowed inside BEGIN\r\n"),
    (("MULTI",), b"-ERR MULTI, EXEC, DISCARD, WATCH and UNWATCH are not allowed inside BEGIN\r\n"),
    (("WATCH", "k"), b"-ERR MULTI, EXEC, DISCARD, WATCH and UNWATCH are not allowed inside BEGIN\r\n"),
    (("FLUSHALL",), b"-ERR FLUSHDB, FLUSHALL, SWAPDB and MOVE are not allowed inside BEGIN\r\n"),
    (("MOVE", "k", "1"), b"-ERR FLUSHDB, FLUSHALL, SWAPDB and MOVE are not allowed inside BEGIN\r\n"),
    (("COPY", "a", "b", "DB", "2"), b"-ERR COPY ... DB is not allowed inside BEGIN\r\n"),
])
def test_rule10_refused_commands_name_themselves(raw, args, error):
    c = raw()
    c.cmd("BEGIN")
    assert c.cmd(*args) == error
    assert c.cmd("PING") == b"+PONG\r\n"  # the transaction goes on


def test_rule10_pubsub_commands_are_refused(raw, missing_commands):
    if missing_commands(["PUBLISH"]):
        pytest.skip("needs pub/sub")
    c = raw()
    c.cmd("BEGIN")
    for args in (("PUBLISH", "ch", "m"), ("SUBSCRIBE", "ch")):
        assert c.cmd(*args) == b"-ERR pub/sub commands are not allowed inside BEGIN\r\n"


def test_rule10_begin_commit_rollback_inside_multi_and_without_begin(raw):
    c = raw()
    assert c.cmd("COMMIT") == b"-ERR COMMIT without BEGIN\r\n"
    assert c.cmd("ROLLBACK") == b"-ERR ROLLBACK without BEGIN\r\n"
    c.cmd("MULTI")
    assert c.cmd("BEGIN") == b"-ERR Command not allowed inside a transaction\r\n"
    assert c.cmd("EXEC").startswith(b"-EXECABORT")


def test_rule11_info_shows_transactions_and_depth(raw, rd):
    a, b = raw(), raw()
    a.cmd("BEGIN")
    b.cmd("BEGIN")
    b.cmd("BEGIN")
    b.cmd("BEGIN")
    info = rd.info("clients")
    assert info["txn_clients"] == 2
    assert info["txn_max_depth"] == 3


def test_many_concurrent_transactions_on_disjoint_keys_all_commit(raw, rd):
    clients = [raw() for _ in range(8)]
    for i, c in enumerate(clients):
        c.cmd("BEGIN")
        c.cmd("SET", f"own{i}", str(i))
    for c in clients:
        assert c.cmd("COMMIT") == b"+OK\r\n"
    assert rd.dbsize() == 8


def test_two_transactions_writing_one_key_first_committer_wins(raw, rd):
    a, b = raw(), raw()
    a.cmd("BEGIN")
    b.cmd("BEGIN")
    a.cmd("SET", "seat", "alice")
    b.cmd("SET", "seat", "bob")
    assert a.cmd("GET", "seat") == b"$5\r\nalice\r\n"
    assert b.cmd("GET", "seat") == b"$3\r\nbob\r\n"
    assert a.cmd("COMMIT") == b"+OK\r\n"
    assert b.cmd("COMMIT").startswith(CONFLICT)
    assert rd.get("seat") == "alice"
