"""Replication end to end: a Vireo server started with --replicaof (or told REPLICAOF) loads its
primary's checkpoint, applies the stream, refuses writes, survives link drops with a partial
resync, and becomes a primary again with REPLICAOF NO ONE."""
import os
import random

import pytest

from helpers import RawConn, encode_command, free_port, keyspace_image, start_or_fail, wait_until


@pytest.fixture(autouse=True)
def vireo_only(is_redis):
    if is_redis:
        pytest.skip("a Redis replica cannot read Vireo's checkpoint and record stream")


def offset(client):
    info = client.info("replication")
    return info["slave_repl_offset"] if info["role"] == "slave" else info["master_repl_offset"]


def syncs(primary):
    """(full syncs, partial resyncs accepted) that `primary` served since it started."""
    stats = primary.info("stats")
    return stats["sync_full"], stats["sync_partial_ok"]


def caught_up(primary, replica):
    """Polls until the replica's link is up and it applied everything the primary wrote."""
    def done():
        info = replica.info("replication")
        return info.get("master_link_status") == "up" and offset(replica) == offset(primary)
    wait_until(done, timeout=20, msg=lambda: f"the replica to catch up: {replica.info('replication')}")


def start_replica(start_server, primary, **config):
    return start_server({"replicaof": f"127.0.0.1 {primary.port}", **config})


def linked(start_server, **replica_config):
    """A fresh primary and a replica of it that has caught up: (primary, its client, replica,
    its client)."""
    primary = start_server()
    p = primary.client()
    replica = start_replica(start_server, primary, **replica_config)
    r = replica.client()
    caught_up(p, r)
    return primary, p, replica, r


def write_everything(c, rng, n):
    """A mixed workload over every type, with TTLs and several databases."""
    for i in range(n):
        k = f"k{rng.randrange(50)}"
        op = rng.randrange(9)
        try:
            if op == 0:
                c.set(k, rng.randbytes(rng.randrange(1, 40)))
            elif op == 1:
                c.rpush(f"l{k}", *[str(rng.random()) for _ in range(rng.randrange(1, 5))])
            elif op == 2:
                c.hset(f"h{k}", mapping={f"f{j}": j for j in range(rng.randrange(1, 6))})
            elif op == 3:
                c.sadd(f"s{k}", *[rng.randrange(100) for _ in range(3)])
            elif op == 4:
                c.zadd(f"z{k}", {f"m{rng.randrange(20)}": rng.random()})
            elif op == 5:
                c.pexpire(k, rng.randrange(100_000, 200_000))
            elif op == 6:
                c.delete(f"l{k}")
            elif op == 7:
                c.incrbyfloat(f"f{k}", 1.5)
            else:
                pipe = c.pipeline(transaction=True)
                pipe.lpush(f"l{k}", "x").spop(f"s{k}").hincrby(f"h{k}", "n", 1)
                pipe.execute()
        except Exception as e:  # noqa: BLE001 - WRONGTYPE on a reused name is fine
            assert "WRONGTYPE" in str(e)


@pytest.mark.parametrize("appendonly", ["no", "yes"])
def test_a_replica_loads_the_primary_then_follows_every_write(start_server, appendonly):
    primary = start_server(appendonly=appendonly)
    p = primary.client()
    rng = random.Random(11)
    write_everything(p, rng, 300)  # before the replica exists: its checkpoint
    p.execute_command("SELECT", 3)
    p.set("in-db-3", "x")
    p.execute_command("SELECT", 0)
    replica = start_replica(start_server, primary, appendonly=appendonly)
    r = replica.client()
    caught_up(p, r)
    write_everything(p, rng, 600)  # the stream
    caught_up(p, r)
    assert keyspace_image(r) == keyspace_image(p)
    assert r.execute_command("ROLE")[:4] == [b"slave", b"127.0.0.1", primary.port, b"connected"]
    assert p.info("replication")["connected_slaves"] == 1


def test_an_always_replica_makes_what_it_applies_durable(start_server):
    primary, p, replica, r = linked(start_server, appendonly="yes", appendfsync="always")
    p.set("a", "1")  # a record of the stream, not part of the checkpoint
    caught_up(p, r)

    def durable():
        info = r.info("persistence")
        return info["wal_durable_offset"] == info["wal_offset"] == offset(p)
    # No client of the replica waits for these records: the fsync must not wait for one.
    wait_until(durable, msg=lambda: f"the replica's log to be durable: {r.info('persistence')}")


def test_a_replica_refuses_writes_from_its_clients(start_server):
    primary = start_server()
    replica = start_replica(start_server, primary)
    r = replica.client()
    caught_up(primary.client(), r)
    readonly = b"-READONLY You can't write against a read only replica.\r\n"
    with RawConn(replica.port) as c:
        assert c.cmd("SET", "k", "v") == readonly
        assert c.cmd("MULTI") == b"+OK\r\n"
        assert c.cmd("GET", "k") == b"+QUEUED\r\n"
        assert c.cmd("SET", "k", "v") == readonly
        assert c.cmd("EXEC") == b"-EXECABORT Transaction discarded because of previous errors.\r\n"
        assert c.cmd("GET", "k") == b"$-1\r\n"
        assert c.cmd("CONFIG", "SET", "replica-read-only", "no") == b"+OK\r\n"
        assert c.cmd("SET", "local", "v") == b"+OK\r\n"  # as Redis: writable, but not replicated
    primary.client().set("later", "1")
    caught_up(primary.client(), r)  # the local write did not knock the stream off its offsets
    assert r.mget("local", "later") == [b"v", b"1"]


def test_keys_expire_on_the_replica_when_the_primary_deletes_them(start_server):
    primary, p, replica, r = linked(start_server)
    p.set("short", "v", px=200)
    caught_up(p, r)
    wait_until(lambda: r.exists("short") == 0, msg="the primary's DEL to reach the replica")
    assert p.exists("short") == 0


def test_a_replica_hides_a_key_past_its_deadline_until_the_primary_deletes_it(start_server):
    primary, p, replica, r = linked(start_server)
    p.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")  # the primary deletes on access only
    p.set("short", "v", px=100)
    p.set("kept", "1")
    caught_up(p, r)
    wait_until(lambda: r.get("short") is None, msg="the deadline to pass on the replica")
    assert r.exists("short") == 0
    assert r.ttl("short") == -2
    assert r.keys("*") == [b"kept"]
    assert r.scan(0) == (0, [b"kept"])
    # Hidden, not deleted: the primary still has it, and only its DEL deletes it (as in Redis).
    assert r.dbsize() == 2
    assert p.dbsize() == 2
    assert p.get("short") is None  # the primary's lookup deletes it and streams the DEL
    caught_up(p, r)
    assert r.dbsize() == 1
    assert p.dbsize() == 1


def test_a_dropped_link_continues_from_the_backlog(start_server):
    primary, p, replica, r = linked(start_server)
    p.set("a", "1")
    caught_up(p, r)
    assert p.execute_command("CLIENT", "KILL", "TYPE", "replica") == 1
    p.set("b", "2")
    caught_up(p, r)
    assert r.mget("a", "b") == [b"1", b"2"]
    assert syncs(p) == (1, 1)


def replid(client):
    return client.info("replication")["master_replid"]


@pytest.mark.parametrize("appendonly,stop", [("yes", "sigterm"), ("no", "shutdown save")])
def test_a_primary_restarted_after_a_clean_shutdown_continues_its_history(start_server, appendonly,
                                                                         stop):
    """A clean exit records the replication id and the stream's end beside the data; the restarted
    primary keeps the id, so its replica continues with a partial resync (as from a Redis primary
    restarted from its RDB) instead of loading everything again."""
    primary = start_server(appendonly=appendonly)
    p = primary.client()
    replica = start_replica(start_server, primary)
    r = replica.client()
    p.set("a", "1")
    caught_up(p, r)
    before = replid(p)
    if stop == "sigterm":
        primary.stop()
    else:
        p.shutdown(save=True)  # redis-py expects the connection to close
        assert primary.wait_exit() == 0
    p = start_or_fail(primary).client()
    assert replid(p) == before
    p.set("b", "2")
    caught_up(p, r)
    assert r.mget("a", "b") == [b"1", b"2"]
    assert syncs(p) == (0, 1)


def test_a_replica_behind_a_cleanly_restarted_primary_continues_from_its_log(start_server):
    """The restarted primary's backlog is empty, but its log on disk holds what the replica
    missed: it continues (Redis would send the whole dataset again)."""
    primary = start_server(appendonly="yes")
    p = primary.client()
    replica = start_replica(start_server, primary, appendonly="yes")
    r = replica.client()
    p.rpush("l", "a")
    caught_up(p, r)
    replica.stop()
    p.rpush("l", "b")  # missed by the replica
    primary.stop()
    p = start_or_fail(primary).client()
    p.rpush("l", "c")
    r = start_or_fail(replica).client()
    caught_up(p, r)
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"c"]
    assert syncs(p) == (0, 1)


def test_a_primary_restarted_after_a_crash_starts_a_new_history(start_server):
    """After a crash the log may lack records the replicas already got (they are streamed before
    their fsync), so the id is not kept and the replica syncs in full. The record a clean exit
    leaves is claimed by the next start only: a crash after it, even with nothing written since,
    does not find it again."""
    primary = start_server(appendonly="yes")
    p = primary.client()
    replica = start_replica(start_server, primary)
    r = replica.client()
    p.set("a", "1")
    caught_up(p, r)
    primary.stop()
    p = start_or_fail(primary).client()
    kept = replid(p)
    primary.crash()
    p = start_or_fail(primary).client()
    assert replid(p) != kept
    p.set("b", "2")
    caught_up(p, r)
    assert r.mget("a", "b") == [b"1", b"2"]
    assert syncs(p)[0] == 1


def test_a_primary_whose_data_starts_before_its_exit_starts_a_new_history(start_server):
    """Without a log, SHUTDOWN NOSAVE leaves the last checkpoint, older than the exit: continuing
    the history would leave the replica with a write the primary no longer has."""
    primary = start_server(appendonly="no")
    p = primary.client()
    replica = start_replica(start_server, primary)
    r = replica.client()
    p.set("a", "1")
    caught_up(p, r)  # its full sync's checkpoint is done
    p.save()
    p.set("b", "2")
    caught_up(p, r)
    before = replid(p)
    p.shutdown(nosave=True)
    assert primary.wait_exit() == 0
    p = start_or_fail(primary).client()
    assert replid(p) != before
    caught_up(p, r)
    assert r.mget("a", "b") == [b"1", None]
    assert syncs(p)[0] == 1


def test_a_restarted_replica_keeps_its_data_and_follows_again(start_server):
    primary, p, replica, r = linked(start_server, appendonly="yes")
    p.rpush("l", "a", "b")
    caught_up(p, r)
    replica.stop()
    p.rpush("l", "c")
    replica.start()
    r = replica.client()
    caught_up(p, r)
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"c"]
    # Its log holds the primary's history up to where it stopped: it continued from there.
    assert syncs(p) == (1, 1)
    assert r.info("replication")["master_replid"] == p.info("replication")["master_replid"]


def test_a_replica_that_wrote_as_a_primary_syncs_in_full_after_a_restart(start_server):
    primary, p, replica, r = linked(start_server, appendonly="yes")
    p.set("a", "1")
    caught_up(p, r)
    r.execute_command("REPLICAOF", "NO", "ONE")
    r.set("mine", "x")  # its log is its own history now
    replica.stop()
    replica.start()
    r = replica.client()
    caught_up(p, r)
    assert r.get("mine") is None and r.get("a") == b"1"
    assert syncs(p)[0] == 2


def test_replicaof_no_one_makes_a_primary_that_keeps_its_data(start_server):
    primary, p, replica, r = linked(start_server)
    p.set("a", "1")
    caught_up(p, r)
    old_id = r.info("replication")["master_replid"]
    assert r.execute_command("REPLICAOF", "NO", "ONE") == b"OK"
    assert r.execute_command("ROLE")[0] == b"master"
    assert r.info("replication")["master_replid"] != old_id  # a history of its own
    assert r.set("b", "2")
    p.set("c", "3")
    assert r.get("a") == b"1" and r.get("c") is None
    # And back: REPLICAOF makes it follow (and take the primary's data) again.
    assert r.execute_command("REPLICAOF", "127.0.0.1", primary.port) == b"OK"
    assert r.execute_command("REPLICAOF", "127.0.0.1", primary.port) == (
        b"OK Already connected to specified master")
    caught_up(p, r)
    assert r.get("b") is None and r.get("c") == b"3"


def test_a_promoted_replica_lets_its_old_primarys_replicas_continue(start_server):
    """REPLICAOF NO ONE keeps the old primary's id as master_replid2, valid up to where the two
    histories agree (as Redis's): the primary's other replica, and the primary itself rejoining
    as a replica, continue from it with partial resyncs and take its new id."""
    primary, p, promoted, r1 = linked(start_server)
    other = start_replica(start_server, primary)
    r2 = other.client()
    p.set("a", "1")
    caught_up(p, r1)
    caught_up(p, r2)
    old, at = replid(p), offset(p)
    r1.execute_command("REPLICAOF", "NO", "ONE")
    info = r1.info("replication")
    assert info["master_replid"] != old
    assert info["master_replid2"] == old and info["second_repl_offset"] == at + 1
    r2.execute_command("REPLICAOF", "127.0.0.1", promoted.port)
    p.execute_command("REPLICAOF", "127.0.0.1", promoted.port)  # nothing written since
    r1.set("b", "2")
    caught_up(r1, r2)
    caught_up(r1, p)
    assert r2.mget("a", "b") == [b"1", b"2"] and p.mget("a", "b") == [b"1", b"2"]
    assert syncs(r1) == (0, 2)
    assert replid(r2) == replid(p) == replid(r1)


def test_a_primary_that_wrote_after_the_promotion_syncs_in_full(start_server):
    """Its history went on past the point the promoted replica shares with it."""
    primary, p, promoted, r1 = linked(start_server)
    p.set("a", "1")
    caught_up(p, r1)
    r1.execute_command("REPLICAOF", "NO", "ONE")
    p.set("lost", "x")
    p.execute_command("REPLICAOF", "127.0.0.1", promoted.port)
    caught_up(r1, p)
    assert p.mget("a", "lost") == [b"1", None]
    assert syncs(r1) == (1, 0)


def test_a_replicas_own_replicas_take_its_new_id_when_it_is_promoted(start_server):
    """Disconnected at the promotion, they continue under the new id, and record it beside their
    log: a restart continues the new history."""
    primary, p, middle, r1 = linked(start_server, appendonly="yes")
    leaf = start_replica(start_server, middle, appendonly="yes")
    s = leaf.client()
    p.set("a", "1")
    caught_up(p, r1)
    caught_up(r1, s)
    r1.execute_command("REPLICAOF", "NO", "ONE")
    wait_until(lambda: replid(s) == replid(r1), msg="the leaf to take the new id")
    r1.set("b", "2")
    caught_up(r1, s)
    leaf.stop()
    s = start_or_fail(leaf).client()
    caught_up(r1, s)
    assert s.mget("a", "b") == [b"1", b"2"]
    assert syncs(r1) == (1, 2)  # its first full sync, then two continues


def test_start_up_removes_a_checkpoint_a_crash_left_half_received(start_server):
    """A replica writes its primary's checkpoint to one fixed temporary file; a crash during the
    transfer leaves it, and the next start removes it."""
    srv = start_server(appendonly="yes")
    srv.stop()
    leftover = os.path.join(srv.dir, "appendonlydir", "replica-sync.tmp")
    with open(leftover, "wb") as f:
        f.write(b"x" * 1000)
    start_or_fail(srv)
    assert not os.path.exists(leftover)


def test_replicaof_errors_match_redis(start_server):
    r = start_server().client()
    with pytest.raises(Exception, match="^Invalid master port$"):
        r.execute_command("REPLICAOF", "localhost", "abc")
    with pytest.raises(Exception, match="^Invalid master port$"):
        r.execute_command("REPLICAOF", "localhost", "70000")
    assert r.execute_command("REPLICAOF", "NO", "ONE") == b"OK"  # already a primary


def test_a_replica_of_a_replica_follows_the_chain(start_server):
    primary = start_server()
    p = primary.client()
    middle = start_replica(start_server, primary)
    m = middle.client()
    last = start_replica(start_server, middle)
    last_client = last.client()
    p.set("a", "1")
    p.hset("h", "f", "v")
    caught_up(p, m)
    caught_up(m, last_client)
    assert keyspace_image(last_client) == keyspace_image(p)
    assert offset(last_client) == offset(p)  # the offsets are the primary's all the way


def test_a_replica_without_its_primary_refuses_to_sync_others(start_server):
    replica = start_server(replicaof=f"127.0.0.1 {free_port()}")  # nobody listens there
    with RawConn(replica.port) as c:
        assert c.cmd("PSYNC", "?", "-1") == (
            b"-NOMASTERLINK Can't SYNC while not connected with my master\r\n")


def test_a_replica_authenticates_with_masterauth(start_server):
    primary = start_server(requirepass="s3cret")
    p = primary.client(password="s3cret")
    replica = start_replica(start_server, primary, masterauth="s3cret")
    r = replica.client()
    p.set("a", "1")
    caught_up(p, r)
    assert r.get("a") == b"1"
    assert "masterauth" not in str(r.execute_command("CLIENT", "LIST"))


def test_a_wrong_masterauth_keeps_the_link_down(start_server):
    primary = start_server(requirepass="s3cret")
    replica = start_replica(start_server, primary, masterauth="wrong")
    r = replica.client()
    wait_until(lambda: replica.log_tail().count("AUTH") >= 1, msg="the refused AUTH to be logged")
    assert r.info("replication")["master_link_status"] == "down"


def test_an_idle_link_stays_up_past_repl_timeout(start_server):
    primary = start_server({"repl-ping-replica-period": 1, "appendonly": "yes"})
    p = primary.client()
    replica = start_replica(start_server, primary, **{"repl-timeout": 2})
    r = replica.client()
    p.set("a", "1")
    caught_up(p, r)
    # Three seconds of nothing to replicate: only the keepalives keep the link.
    wait_until(lambda: offset(r) >= offset(p) and p.info("server")["uptime_in_seconds"] >= 4,
               timeout=20, msg="an idle stretch")
    caught_up(p, r)
    assert syncs(p) == (1, 0)  # never dropped
    # The keepalives are in the primary's log too, and it still recovers.
    primary.stop()
    primary.start()
    assert primary.client().get("a") == b"1"


def test_wait_returns_once_replicas_acknowledge_the_writes(start_server):
    primary, p, replica, r = linked(start_server)
    p.set("a", "1")
    assert p.execute_command("WAIT", 1, 0) == 1  # blocks (no timeout) until the ACK
    assert r.get("a") == b"1"  # acknowledged means applied
    assert p.execute_command("WAIT", 0, 0) == 1
    pipe = p.pipeline(transaction=True)
    pipe.set("b", "2").execute_command("WAIT", 5, 0)
    assert pipe.execute()[1] <= 1  # inside MULTI it cannot block: it counts at once
    with pytest.raises(Exception, match="WAIT cannot be used with replica instances"):
        r.execute_command("WAIT", 1, 0)


def test_wait_for_more_replicas_than_there_are_times_out_with_the_count(start_server):
    primary = start_server()
    p = primary.client()
    replica = start_replica(start_server, primary)
    caught_up(p, replica.client())
    p.set("a", "1")
    assert p.execute_command("WAIT", 2, 200) == 1
    # Without a timeout it waits until CLIENT UNBLOCK, which answers with the count too.
    waiter = primary.client()
    waiter_id = waiter.client_id()
    with RawConn(primary.port) as c:
        c.send(encode_command("WAIT", 3, 0))
        wait_until(lambda: p.info("clients")["blocked_clients"] == 1, msg="WAIT to block")
        assert p.execute_command("CLIENT", "UNBLOCK", waiter_id) == 0  # not that one
        ids = [cl["id"] for cl in p.client_list() if cl["cmd"] == "wait"]
        assert p.execute_command("CLIENT", "UNBLOCK", ids[0]) == 1
        assert c.read_reply() == b":1\r\n"


def test_wait_errors_match_redis(start_server):
    p = start_server().client()
    assert p.execute_command("WAIT", 0, 0) == 0
    with pytest.raises(Exception, match="^value is not an integer or out of range$"):
        p.execute_command("WAIT", "a", 0)
    with pytest.raises(Exception, match="^timeout is negative$"):
        p.execute_command("WAIT", 1, -1)
    with pytest.raises(Exception, match="^timeout is not an integer or out of range$"):
        p.execute_command("WAIT", 0, "a")
    # A timeout past the clock's end waits for ever, like 0.
    with RawConn(p.connection_pool.connection_kwargs["port"]) as c:
        c.send(encode_command("WAIT", 1, 2**63 - 1))
        wait_until(lambda: p.info("clients")["blocked_clients"] == 1, msg="WAIT to block")
        waiting = [cl["id"] for cl in p.client_list() if cl["cmd"] == "wait"]
        assert p.execute_command("CLIENT", "UNBLOCK", waiting[0]) == 1
        assert c.read_reply() == b":0\r\n"


def test_a_replica_over_maxmemory_keeps_every_key_of_its_primary(start_server):
    primary, p, replica, r = linked(start_server, **{"maxmemory": "1mb", "maxmemory-policy": "allkeys-lru"})
    pipe = p.pipeline(transaction=False)
    for i in range(3000):
        pipe.set(f"k{i}", "v" * 1000)  # about 3 MB: three times the replica's maxmemory
    pipe.execute()
    caught_up(p, r)
    # Commands on the replica are where an eviction would run: none may.
    assert r.dbsize() == 3000 and r.get("k0") == b"v" * 1000
    assert r.info("stats")["evicted_keys"] == 0
