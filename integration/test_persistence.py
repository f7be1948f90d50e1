"""The write-ahead log (appendonly yes): what survives a restart and a crash,
what start-up does with torn and damaged logs, MISCONF while the disk refuses
writes, and appendfsync always's promise that a reply means durable."""

import os
import random
import resource
import struct
import subprocess
import threading
import time

import pytest
import redis

from helpers import (DEFAULT_TIMEOUT, ServerDied, damage_file, encode_command, keyspace_image,
                     start_or_fail, wait_until)


@pytest.fixture(autouse=True)
def vireo_only(is_redis):
    if is_redis:
        pytest.skip("Vireo's write-ahead log")


def log_dir(srv):
    return os.path.join(srv.dir, "appendonlydir")


def segments(srv):
    return sorted(os.path.join(log_dir(srv), f) for f in os.listdir(log_dir(srv))
                  if f.startswith("wal-"))


def records_end(path):
    """The file offset after a segment's last record: the writer keeps
    zero-filled space after it."""
    data = open(path, "rb").read()
    pos = 32
    while pos + 12 <= len(data) and any(data[pos:pos + 12]):
        pos += 12 + struct.unpack_from("<I", data, pos)[0]
    return pos


def restart(srv):
    srv.stop()
    return start_or_fail(srv)


def info(client, field):
    """One INFO persistence field, as the text the server printed."""
    raw = client.connection_pool.get_connection("INFO")
    try:
        raw.send_command("INFO", "persistence")
        text = raw.read_response().decode()
    finally:
        client.connection_pool.release(raw)
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1]
    raise KeyError(field)


def limit_file_size(srv, limit):
    """Sets (or lifts, with None) the server's soft file-size limit: writes of
    the log past it fail with EFBIG, as they would on a full disk. Only the
    soft limit, which an unprivileged process may raise back."""
    hard = resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE)[1]
    resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (hard if limit is None else limit, hard))


def check_wal_binary():
    return os.path.join(os.path.dirname(os.environ["VIREO_SERVER"]), "vireo-check-wal")


def fill_every_type(c):
    """Writes of every family, in several databases, with and without TTLs."""
    c.set("s", "v")
    c.set("n", 10)
    c.incrbyfloat("n", 1.5)
    c.set("ttl", "x", px=3_600_000)
    c.rpush("l", *[f"e{i}" for i in range(300)])  # past the compact encoding
    c.lpop("l")
    c.hset("h", mapping={f"f{i}": i for i in range(20)})
    c.hdel("h", "f3")
    c.sadd("si", *range(10))
    c.sadd("ss", *[f"m{i}" for i in range(200)])
    c.spop("ss", 5)
    c.zadd("z", {f"m{i}": i / 3 for i in range(150)})
    c.zincrby("z", 2.5, "m1")
    c.expire("h", 7200)
    with c.pipeline(transaction=True) as p:
        p.set("tx1", 1)
        p.incr("tx1")
        p.rpush("tx2", "a", "b")
        p.execute()
    c.execute_command("SELECT", 5)
    c.set("in5", "five")
    c.execute_command("SWAPDB", 5, 6)
    c.execute_command("SELECT", 0)
    c.delete("s")
    c.set("s", "again")
    c.rename("tx2", "renamed")


@pytest.mark.parametrize("fsync", ["always", "everysec", "no"])
def test_every_type_survives_a_restart(start_server, fsync):
    srv = start_server(appendonly="yes", appendfsync=fsync)
    c = srv.client()
    fill_every_type(c)
    before = keyspace_image(c)
    assert len(before) == 11
    srv = restart(srv)
    c = srv.client()
    assert keyspace_image(c) == before
    assert int(info(c, "wal_recovered_records")) > 0
    assert info(c, "aof_enabled") == "1"


def test_a_restart_continues_the_same_log(start_server):
    srv = start_server(appendonly="yes")
    for i in range(3):
        c = srv.client()
        assert c.incr("n") == i + 1
        srv = restart(srv)
    assert srv.client().get("n") == b"3"
    assert len(segments(srv)) == 4  # one per start, none removed without a checkpoint
    out = subprocess.run([check_wal_binary(), log_dir(srv)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "The log is intact." in out.stdout


def test_keys_that_expired_while_down_are_gone_after_start_up(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    c.set("short", "x", px=200)
    c.set("long", "y", ex=3600)
    deadline_ms = c.execute_command("PEXPIRETIME", "short")
    srv.stop()
    wait_until(lambda: time.time() * 1000 > deadline_ms + 50, msg="the deadline to pass")
    srv = start_or_fail(srv)
    c = srv.client()
    assert c.dbsize() == 1
    assert c.get("long") == b"y"
    assert c.info("keyspace") == {"db0": {"keys": 1, "expires": 1, "avg_ttl": pytest.approx(3600_000, rel=0.01)}}


def test_a_torn_tail_is_dropped_with_a_log_line(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    c.set("kept", "yes")
    srv.stop()
    last = segments(srv)[-1]
    end = records_end(last)
    assert os.path.getsize(last) > end  # zero-filled space after the records
    # Part of a record: what a crash in the middle of a write leaves. A copy
    # of the last record, cut short, has a valid header and half a payload.
    data = open(last, "rb").read()
    pos = 32
    while pos + 12 + struct.unpack_from("<I", data, pos)[0] < end:
        pos += 12 + struct.unpack_from("<I", data, pos)[0]
    with open(last, "r+b") as f:
        f.seek(end)
        f.write(data[pos:pos + 15])
    srv = start_or_fail(srv)
    c = srv.client()
    assert c.get("kept") == b"yes"
    assert "dropping its 15 bytes" in srv.log_tail()
    assert info(c, "wal_recovery_torn_bytes_dropped") == "15"
    assert os.path.getsize(last) == end
    # The log goes on after the cut.
    c.set("after", "1")
    srv = restart(srv)
    assert srv.client().mget("kept", "after") == [b"yes", b"1"]


def test_damage_stops_start_up_until_an_operator_truncates(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    c.set("first", "1")
    c.set("second", "2")  # damaged below
    c.set("third", "3")
    srv.stop()
    path = segments(srv)[-1]
    damage_file(path, lambda data: data.index(b"second"), 0x20)
    with pytest.raises(ServerDied) as died:
        srv.start()
    assert "The log is damaged: record checksum mismatch at offset" in str(died.value)
    assert os.path.basename(path) in str(died.value)
    check = subprocess.run([check_wal_binary(), log_dir(srv)], capture_output=True, text=True)
    assert check.returncode == 1
    assert "Damage: record checksum mismatch" in check.stdout
    fix = subprocess.run([check_wal_binary(), "--truncate", log_dir(srv)], capture_output=True,
                         text=True)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    srv = start_or_fail(srv)
    assert srv.client().mget("first", "second", "third") == [b"1", None, None]


def test_misconf_while_the_disk_refuses_then_recovery(start_server):
    srv = start_server(appendonly="yes", appendfsync="everysec")
    c = srv.client()
    c.set("before", "1")
    # A file-size limit makes the next write of the log fail (EFBIG), as a
    # full disk would.
    limit = records_end(segments(srv)[-1]) + 100
    limit_file_size(srv, limit)
    assert c.set("big", "x" * 1000)  # everysec acknowledges before the write
    with pytest.raises(redis.ResponseError) as refused:
        c.set("refused", "1")
    assert str(refused.value) == "MISCONF Errors writing to the AOF file: File too large"
    assert c.get("before") == b"1"  # reads go on
    assert info(c, "aof_last_write_status") == "err"
    limit_file_size(srv, None)
    wait_until(lambda: info(c, "aof_last_write_status") == "ok", msg="the log to recover")
    assert c.set("after", "1")
    assert "The log is being written again" in srv.log_tail()
    srv = restart(srv)
    c = srv.client()
    assert c.mget("before", "big", "refused", "after") == [b"1", b"x" * 1000, None, b"1"]


def test_always_holds_a_reply_until_its_write_is_durable(start_server):
    srv = start_server(appendonly="yes", appendfsync="always")
    c = srv.client()
    for i in range(50):
        c.set(f"k{i}", i)
        # The write this client was told about is durable: nothing else writes.
        assert int(info(c, "wal_durable_offset")) == int(info(c, "wal_offset"))
    # A reply that cannot be made durable is not sent.
    limit = records_end(segments(srv)[-1]) + 10
    limit_file_size(srv, limit)
    waiting = srv.raw()
    waiting.send(encode_command("SET", "pending", "v" * 100))
    other = srv.client()
    wait_until(lambda: info(other, "wal_clients_waiting_fsync") == "1",
               msg="the writer's reply to be held")
    assert other.get("k1") == b"1"  # durable data is served meanwhile
    # A read of the key whose write is not durable waits for it too: its
    # reply would show a value a crash could take back.
    reader = srv.raw()
    reader.send(encode_command("GET", "pending"))
    wait_until(lambda: info(other, "wal_clients_waiting_fsync") == "2",
               msg="the reader's reply to be held")
    assert other.get("k2") == b"2"
    limit_file_size(srv, None)
    assert waiting.read_reply() == b"+OK\r\n"
    assert reader.read_reply() == b"$100\r\n" + b"v" * 100 + b"\r\n"
    srv = restart(srv)
    assert srv.client().get("pending") == b"v" * 100


class Writer(threading.Thread):
    """One client writing numbered values until stopped by the crash; it
    remembers the last sequence number the server acknowledged."""

    def __init__(self, port, name):
        super().__init__(daemon=True)
        self.port, self.name = port, name
        self.acked = 0
        self.sent = 0

    def run(self):
        c = redis.Redis(port=self.port, socket_timeout=DEFAULT_TIMEOUT)
        try:
            while True:
                self.sent = self.acked + 1
                n = self.sent
                with c.pipeline(transaction=True) as p:
                    p.rpush(f"{self.name}:list", n)
                    p.set(f"{self.name}:last", n)
                    p.incr(f"{self.name}:count")
                    p.execute()
                self.acked = n
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return


def crash_under_load(srv, round_, rng, writers=4, before_crash=None):
    """One crash test round: `writers` transactional writers get going,
    `before_crash(client)` runs, the server is SIGKILLed at a random moment
    and restarted; every writer's acknowledged transactions must be there,
    whole and in order, and nothing it never sent. Returns the restarted
    server and a client of it."""
    group = [Writer(srv.port, f"r{round_}:w{i}") for i in range(writers)]
    for w in group:
        w.start()
    wait_until(lambda: all(w.acked > 0 for w in group), msg="writers to get going")
    if before_crash:
        before_crash(srv.client())
    time.sleep(rng.uniform(0.0, 0.15))  # a random moment, not a synchronisation
    srv.crash()
    for w in group:
        w.join(DEFAULT_TIMEOUT)
    srv = start_or_fail(srv)
    c = srv.client()
    for w in group:
        items = [int(x) for x in c.lrange(f"{w.name}:list", 0, -1)]
        count = int(c.get(f"{w.name}:count") or 0)
        last = int(c.get(f"{w.name}:last") or 0)
        where = f"round {round_}, {w.name}: acked {w.acked}, found {count}"
        # Whole transactions, in order, none lost, none invented.
        assert items == list(range(1, count + 1)), where
        assert last == count, where
        assert w.acked <= count <= w.sent, where
    return srv, c


def test_sigkill_under_load_loses_no_acknowledged_write(start_server, capsys):
    """At least 20 crashes at random moments with appendfsync always: every
    acknowledged transaction survives whole, an unacknowledged one is there
    whole or not at all."""
    srv = start_server(appendonly="yes", appendfsync="always")
    rng = random.Random(5)
    kills = 0
    for round_ in range(22):
        srv, _ = crash_under_load(srv, round_, rng)
        kills += 1
    with capsys.disabled():
        print(f"\n[crash test] survived {kills} SIGKILLs under appendfsync always")
    assert kills >= 20


def test_replay_after_restart_matches_a_server_that_never_restarted(start_server):
    """A random workload sent to two servers; one restarts; their keyspaces match."""
    durable = start_server(appendonly="yes", appendfsync="everysec")
    volatile = start_server(appendonly="no")
    rng = random.Random(11)
    clients = [durable.client(), volatile.client()]
    keys = [f"k{i}" for i in range(30)]
    far = int(time.time() * 1000) + 3_600_000

    def command():
        k, k2 = rng.choice(keys), rng.choice(keys)
        m = f"m{rng.randrange(40)}"
        return rng.choice([
            ("SET", k, rng.randrange(1000)), ("APPEND", k, "x"), ("INCRBY", k, 3),
            ("DEL", k), ("RPUSH", k, m, m), ("LPOP", k), ("LTRIM", k, 0, 5),
            ("HSET", k, m, rng.random()), ("HDEL", k, m), ("HINCRBY", k, m, 2),
            ("SADD", k, m), ("SREM", k, m), ("SMOVE", k, k2, m),
            ("ZADD", k, rng.randrange(100), m), ("ZINCRBY", k, 1.5, m), ("ZPOPMIN", k),
            ("PEXPIREAT", k, far + rng.randrange(1000)), ("PERSIST", k), ("RENAME", k, k2),
            ("COPY", k, k2, "REPLACE"), ("SUNIONSTORE", k, k, k2), ("SELECT", rng.randrange(3)),
            ("MOVE", k, rng.randrange(3)), ("LMOVE", k, k2, "LEFT", "RIGHT"),
        ])

    for _ in range(3000):
        cmd = command()
        outcomes = []
        for c in clients:
            try:
                outcomes.append(c.execute_command(*cmd))
            except redis.ResponseError as e:
                outcomes.append(str(e))
        assert outcomes[0] == outcomes[1], cmd
    expected = keyspace_image(clients[1])
    assert len(expected) > 10
    durable = restart(durable)
    assert keyspace_image(durable.client()) == expected


def test_clients_get_loading_while_the_log_is_replayed(start_server):
    srv = start_server(appendonly="yes")
    c = srv.client()
    for i in range(300):
        c.set(f"k{i}", i)  # one record each
    srv.stop()
    # 300 records at 10 ms each: three seconds of loading to watch.
    srv.config.append(("key-load-delay", 10000))
    srv.start(loaded=False)  # returns once PING answers -LOADING
    raw = srv.raw()
    assert raw.cmd("GET", "k1") == b"-LOADING Vireo is loading the dataset in memory\r\n"
    assert b"loading:1" in raw.cmd("INFO", "persistence")
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("SET", "x", "1").startswith(b"-LOADING")
    assert raw.cmd("EXEC").startswith(b"-EXECABORT")
    wait_until(lambda: raw.cmd("GET", "k299") == b"$3\r\n299\r\n", timeout=60,
               msg="the load to finish")
    assert srv.client().dbsize() == 300
