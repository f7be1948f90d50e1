"""maxmemory: eviction by policy while a client fills the server past a real
limit, `evicted` notifications, OOM refusals (byte-exact) and the cases that
need a second connection. Every test starts its own server, so the limit
never leaks into other tests. Single-connection cases with a 1-byte limit
are in differential/maxmemory.txt.
"""

import redis

from helpers import wait_until

OOM = b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"
OOM_TEXT = "OOM command not allowed when used memory > 'maxmemory'."
VALUE = b"x" * 1000


def used_memory(r):
    return r.info("memory")["used_memory"]


def evicted_keys(r):
    return r.info("stats")["evicted_keys"]


def fill(r, prefix, count, chunk=50, **set_options):
    """SETs count keys of 1000 bytes, pipelined in chunks; returns the
    replies, errors included (not raised)."""
    replies = []
    for start in range(0, count, chunk):
        with r.pipeline(transaction=False) as p:
            for i in range(start, min(start + chunk, count)):
                p.set(f"{prefix}:{i}", VALUE, **set_options)
            replies += p.execute(raise_on_error=False)
    return replies


def limited_server(start_server, policy, headroom):
    """A fresh server whose maxmemory is `headroom` bytes above what it uses idle."""
    srv = start_server({"maxmemory-policy": policy})
    r = redis.Redis(port=srv.port)
    r.config_set("maxmemory", used_memory(r) + headroom)
    return srv, r


def test_allkeys_lru_evicts_to_stay_near_the_limit(start_server):
    srv, r = limited_server(start_server, "allkeys-lru", 2 << 20)
    limit = int(r.config_get("maxmemory")["maxmemory"])
    written = 8000  # about 8 MB of values against 2 MB of room
    assert all(reply is True for reply in fill(r, "k", written))
    kept = r.dbsize()
    assert 0 < kept < written
    # Every command evicts first if memory is over (INFO and DBSIZE too).
    evicted = evicted_keys(r)
    assert written - kept <= evicted <= written - r.dbsize()
    # Each command may take the server past the limit by what it adds, no
    # more; memory left out of the count (the effects awaiting the log, as
    # Redis leaves out its AOF buffer) comes on top.
    memory = r.info("memory")
    assert memory["used_memory"] - memory["mem_not_counted_for_evict"] <= limit + (64 << 10)
    # The most recent keys are the least idle: the last one written is there.
    assert r.exists(f"k:{written - 1}") == 1
    r.close()


def test_evicted_keys_are_announced(start_server):
    srv, r = limited_server(start_server, "allkeys-random", 1 << 20)
    r.config_set("notify-keyspace-events", "Ee")
    listener = redis.Redis(port=srv.port).pubsub()
    listener.psubscribe("__keyevent@*__:evicted")
    assert listener.get_message(timeout=10)["type"] == "psubscribe"
    fill(r, "k", 3000)
    evicted = evicted_keys(r)
    assert evicted > 0
    seen = []

    def all_announced():
        while message := listener.get_message(timeout=0.1):
            assert message["channel"] == b"__keyevent@0__:evicted"
            assert message["data"].startswith(b"k:")
            seen.append(message["data"])
        return len(seen) >= evicted

    wait_until(all_announced, msg=lambda: f"{evicted} evicted messages (got {len(seen)})")
    assert len(set(seen)) == len(seen)  # each key once
    assert all(r.exists(key) == 0 for key in seen)
    listener.close()
    r.close()


def test_lowering_maxmemory_evicts_without_further_commands(start_server):
    # The server starts evicting when the limit is lowered, not only when the
    # next command arrives: a subscriber hears every key go while nobody else
    # sends anything.
    srv = start_server({"maxmemory-policy": "allkeys-random", "notify-keyspace-events": "Ee"})
    r = redis.Redis(port=srv.port)
    fill(r, "k", 500)
    listener = redis.Redis(port=srv.port).pubsub()
    listener.psubscribe("__keyevent@0__:evicted")
    assert listener.get_message(timeout=10)["type"] == "psubscribe"
    r.config_set("maxmemory", 1)
    heard = set()

    def all_heard():
        while message := listener.get_message(timeout=0.1):
            heard.add(message["data"])
        return len(heard) == 500

    wait_until(all_heard, msg=lambda: f"500 evicted messages (got {len(heard)})")
    assert r.dbsize() == 0
    listener.close()
    r.close()


def test_noeviction_refuses_writes_but_reads_and_deletes_work(start_server, raw):
    srv, r = limited_server(start_server, "noeviction", 1 << 20)
    replies = fill(r, "k", 3000)
    refused = [reply for reply in replies if isinstance(reply, redis.ResponseError)]
    assert refused and all(str(e) == OOM_TEXT for e in refused)
    stored = replies.index(refused[0])
    assert r.dbsize() == stored
    assert evicted_keys(r) == 0
    c = raw(srv)
    assert c.cmd("SET", "another", "v") == OOM
    assert c.cmd("INCR", "counter") == OOM
    assert c.cmd("GET", "k:0") == b"$1000\r\n" + VALUE + b"\r\n"
    assert c.cmd("EXISTS", "k:0", "k:1") == b":2\r\n"
    assert c.cmd("PING") == b"+PONG\r\n"
    # Deleting gives memory back, and writes are accepted again.
    with r.pipeline(transaction=False) as p:
        for i in range(stored // 2):
            p.delete(f"k:{i}")
        assert all(n == 1 for n in p.execute())
    wait_until(lambda: c.cmd("SET", "another", "v") == b"+OK\r\n", msg="a SET after DEL")
    assert b"errorstat_OOM:count=" in c.cmd("INFO", "errorstats")
    r.close()


def test_volatile_lru_without_volatile_keys_refuses_and_evicts_nothing(start_server, raw):
    srv, r = limited_server(start_server, "volatile-lru", 1 << 20)
    replies = fill(r, "k", 3000)
    stored = sum(1 for reply in replies if reply is True)
    assert 0 < stored < 3000
    assert r.dbsize() == stored
    assert evicted_keys(r) == 0
    c = raw(srv)
    assert c.cmd("SET", "k:new", "v", "EX", "100") == OOM
    # With volatile keys present, those go and nothing else does.
    r.config_set("maxmemory", 0)
    fill(r, "v", 200, ex=1000)
    r.config_set("maxmemory", 1)
    # Eviction runs in slices of a time budget; commands are not refused
    # while it is under way.
    wait_until(lambda: evicted_keys(r) == 200, msg="the 200 volatile keys to go")
    assert c.cmd("SET", "k:new", "v") == OOM
    assert r.dbsize() == stored
    r.close()


def test_multi_while_over_the_limit_refuses_queueing(start_server, raw):
    srv = start_server({"maxmemory-policy": "noeviction", "maxmemory": 1})
    c = raw(srv)
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("GET", "k") == OOM
    assert c.cmd("SET", "k", "v") == OOM
    assert c.cmd("EXEC") == b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("DISCARD") == b"+OK\r\n"
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("EXEC") == b"*0\r\n"


def test_exec_of_a_write_refused_once_over_the_limit(start_server, raw):
    srv = start_server({"maxmemory-policy": "noeviction"})
    c, admin = raw(srv), raw(srv)
    assert c.cmd("SET", "q", "1") == b"+OK\r\n"
    assert c.cmd("WATCH", "q") == b"+OK\r\n"
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("SET", "q", "2") == b"+QUEUED\r\n"
    assert admin.cmd("CONFIG", "SET", "maxmemory", "1") == b"+OK\r\n"
    assert c.cmd("EXEC") == (b"-EXECABORT Transaction discarded because of: OOM command not "
                             b"allowed when used memory > 'maxmemory'.\r\n")
    # The refusal ended the transaction and the WATCH with it.
    assert c.cmd("EXEC") == b"-ERR EXEC without MULTI\r\n"
    # A transaction of reads still runs.
    assert admin.cmd("CONFIG", "SET", "maxmemory", "0") == b"+OK\r\n"
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("GET", "q") == b"+QUEUED\r\n"
    assert admin.cmd("CONFIG", "SET", "maxmemory", "1") == b"+OK\r\n"
    assert c.cmd("EXEC") == b"*1\r\n$1\r\n1\r\n"


def test_an_evicted_key_fails_the_exec_that_watches_it(start_server, raw):
    srv = start_server({"maxmemory-policy": "allkeys-random"})
    c, admin = raw(srv), raw(srv)
    assert c.cmd("SET", "k", "v") == b"+OK\r\n"
    assert c.cmd("WATCH", "k") == b"+OK\r\n"
    assert admin.cmd("CONFIG", "SET", "maxmemory", "1") == b"+OK\r\n"
    wait_until(lambda: admin.cmd("DBSIZE") == b":0\r\n", msg="k to be evicted")
    assert admin.cmd("CONFIG", "SET", "maxmemory", "0") == b"+OK\r\n"
    assert c.cmd("MULTI") == b"+OK\r\n"
    assert c.cmd("SET", "k", "again") == b"+QUEUED\r\n"
    assert c.cmd("EXEC") == b"*-1\r\n"
    assert admin.cmd("EXISTS", "k") == b":0\r\n"


def test_volatile_ttl_keeps_keys_without_deadline(start_server):
    srv, r = limited_server(start_server, "volatile-ttl", 2 << 20)
    r.config_set("maxmemory", 0)
    fill(r, "persistent", 100)
    fill(r, "soon", 1000, ex=100)
    fill(r, "later", 1000, ex=10000)
    r.config_set("maxmemory", 1)
    wait_until(lambda: evicted_keys(r) == 2000, msg="the 2000 volatile keys to go")
    assert isinstance(fill(r, "new", 1)[0], redis.ResponseError)
    assert r.dbsize() == 100
    r.close()


def test_info_reports_the_limit_and_the_evictions(start_server):
    srv, r = limited_server(start_server, "allkeys-lfu", 1 << 20)
    memory = r.info("memory")
    assert memory["maxmemory_policy"] == "allkeys-lfu"
    assert memory["maxmemory"] > memory["used_memory"] > 0
    assert memory["mem_not_counted_for_evict"] >= 0
    stats = r.info("stats")
    assert stats["evicted_keys"] == 0
    assert stats["current_eviction_exceeded_time"] == 0
    fill(r, "k", 3000)
    assert evicted_keys(r) > 0
    r.config_resetstat()
    assert evicted_keys(r) == 0
    assert r.config_get("maxmemory-samples") == {"maxmemory-samples": "5"}
    r.close()
