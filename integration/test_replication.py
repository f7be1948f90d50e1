"""Replication, the primary's side: SYNC/PSYNC turn a connection into a replica that gets a
checkpoint and then the stream (the log's records, byte for byte), a backlog lets a replica
continue from its offset, and a replica that stops reading meets client-output-buffer-limit's
replica class. The stream format is Vireo's own, so these tests skip against Redis."""
import os
import re
import socket
import struct

import pytest

from helpers import RespReader, encode_command, wait_until
from test_persistence import segments


@pytest.fixture(autouse=True)
def vireo_only(is_redis):
    if is_redis:
        pytest.skip("Vireo's replication stream is its log's records, not Redis's RDB + commands")


RECORD_HEADER = 12


class ReplicaSocket:
    """The replica end of a replication link, spoken by hand."""

    def __init__(self, port, rcvbuf=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        self.reader = RespReader(self.sock)

    def cmd(self, *args):
        self.sock.sendall(encode_command(*args))
        return self.reader.read()

    def send(self, *args):
        self.sock.sendall(encode_command(*args))

    def _fill(self):
        self.reader._fill(bytearray())

    def line(self):
        """The next reply line, skipping the keepalive newlines a primary sends while it works."""
        buf = self.reader.buf
        while True:
            while buf[:1] == b"\n":
                del buf[:1]
            i = buf.find(b"\r\n")
            if i >= 0:
                line = bytes(buf[:i])
                del buf[: i + 2]
                return line
            self._fill()

    def exact(self, n):
        buf = self.reader.buf
        while len(buf) < n:
            self._fill()
        data = bytes(buf[:n])
        del buf[:n]
        return data

    def psync(self, replid="?", offset=-1):
        self.send("PSYNC", replid, offset)
        return self.line()

    def checkpoint(self):
        size_line = self.line()
        assert size_line.startswith(b"$"), size_line
        data = self.exact(int(size_line[1:]))
        assert data.startswith(b"VIREOCKP")
        return data

    def record(self):
        """One record of the stream: its payload (the RESP effects), and its size with header."""
        header = self.exact(RECORD_HEADER)
        (length,) = struct.unpack("<I", header[:4])
        return self.exact(length), RECORD_HEADER + length

    def full_sync(self, listening_port=7000):
        assert self.cmd("REPLCONF", "listening-port", listening_port) == b"+OK\r\n"
        line = self.psync()
        assert line.startswith(b"+FULLRESYNC "), line
        _, replid, offset = line.split(b" ")
        self.checkpoint()
        return replid.decode(), int(offset)

    def close(self):
        self.sock.close()


def repl_info(client):
    return client.info("replication")


def replica_state(client):
    return repl_info(client).get("slave0", {}).get("state")


def test_psync_sends_a_checkpoint_then_the_log_records_with_offsets(start_server):
    srv = start_server()
    r = srv.client()
    r.set("before", "1")
    replica = ReplicaSocket(srv.port)
    replid, offset = replica.full_sync()
    info = repl_info(r)
    assert replid == info["master_replid"]
    r.set("after", "2")
    r.incr("counter")
    seen = b""
    while b"counter" not in seen:
        payload, size = replica.record()
        assert payload.startswith(b"*2\r\n$6\r\nSELECT\r\n")  # every record starts with SELECT
        seen += payload
        offset += size
    assert b"$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n2\r\n" in seen
    assert b"before" not in seen  # that one is in the checkpoint
    assert repl_info(r)["master_repl_offset"] == offset
    replica.close()


def test_sync_sends_the_checkpoint_without_a_fullresync_line(start_server):
    srv = start_server()
    replica = ReplicaSocket(srv.port)
    replica.send("SYNC")
    replica.checkpoint()
    srv.client().set("k", "v")
    payload, _ = replica.record()
    assert b"$1\r\nk\r\n" in payload
    replica.close()


def test_a_replica_continues_from_the_backlog_after_reconnecting(start_server):
    srv = start_server()
    r = srv.client()
    first = ReplicaSocket(srv.port)
    replid, offset = first.full_sync()
    r.set("a", "1")
    _, size = first.record()
    offset += size
    first.close()
    r.set("b", "2")  # made while the replica was away
    second = ReplicaSocket(srv.port)
    assert second.psync(replid, offset) == b"+CONTINUE " + replid.encode()
    payload, _ = second.record()
    assert b"$1\r\nb\r\n$1\r\n2\r\n" in payload
    stats = r.info("stats")
    assert stats["sync_full"] == 1 and stats["sync_partial_ok"] == 1
    second.close()


def test_an_unknown_history_or_an_offset_outside_the_backlog_gets_a_full_sync(start_server):
    srv = start_server({"repl-backlog-size": "16kb"})
    r = srv.client()
    first = ReplicaSocket(srv.port)
    replid, offset = first.full_sync()
    first.close()
    r.set("big", "x" * 40_000)  # pushes the replica's offset out of the 16 KB backlog
    for asked in [(replid, offset), ("0" * 40, offset)]:
        replica = ReplicaSocket(srv.port)
        assert replica.psync(*asked).startswith(b"+FULLRESYNC ")
        replica.close()
    assert r.info("stats")["sync_partial_err"] == 2


def test_an_offset_older_than_the_backlog_continues_from_the_log_on_disk(start_server):
    srv = start_server({"repl-backlog-size": "16kb", "appendonly": "yes"})
    r = srv.client()
    first = ReplicaSocket(srv.port)
    replid, offset = first.full_sync()
    first.close()
    r.set("big", "x" * 40_000)  # out of the 16 KB backlog, but in the log's segment
    r.set("small", "y")
    replica = ReplicaSocket(srv.port)
    assert replica.psync(replid, offset) == b"+CONTINUE " + replid.encode()
    payload, size = replica.record()
    assert b"$3\r\nbig\r\n$40000\r\n" + b"x" * 40_000 in payload
    payload, size2 = replica.record()
    assert b"$5\r\nsmall\r\n" in payload
    assert offset + size + size2 == repl_info(r)["master_repl_offset"]
    stats = r.info("stats")
    assert stats["sync_partial_ok"] == 1 and stats["sync_full"] == 1
    # A checkpoint drops the segments it covers: then only a full sync will do.
    replica.close()
    r.bgrewriteaof()
    wait_until(lambda: r.info("persistence")["aof_rewrite_in_progress"] == 0 and
               r.info("persistence")["aof_rewrites"] == 1, msg="the rewrite")
    r.set("after", "z" * 20_000)  # pushes `offset` out of the backlog again
    late = ReplicaSocket(srv.port)
    assert late.psync(replid, offset).startswith(b"+FULLRESYNC ")
    late.close()


def test_a_long_catch_up_from_the_log_is_read_as_the_replica_takes_it(start_server):
    """Far behind the backlog, a replica gets the log on disk a chunk at a time while it reads
    slowly: the range (five times the replica class's limit here) never sits in the primary's
    memory, so the limit does not close it; a checkpoint that removes the range's segments
    meanwhile does not cut it short; and writes made meanwhile follow the range."""
    srv = start_server({"repl-backlog-size": "16kb", "appendonly": "yes",
                        "client-output-buffer-limit": "replica 2mb 2mb 0"})
    r = srv.client()
    first = ReplicaSocket(srv.port)
    replid, offset = first.full_sync()
    first.close()
    value = "v" * 100_000
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"k{i}", value)
    pipe.execute()
    replica = ReplicaSocket(srv.port, rcvbuf=64 * 1024)
    assert replica.cmd("REPLCONF", "listening-port", 7001) == b"+OK\r\n"
    assert replica.psync(replid, offset) == b"+CONTINUE " + replid.encode()
    assert replica_state(r) == "online"
    r.set("during", "x")
    r.bgrewriteaof()
    wait_until(lambda: r.info("persistence")["aof_rewrite_in_progress"] == 0 and
               r.info("persistence")["aof_rewrites"] == 1, msg="the rewrite")
    # No segment on disk holds the range's start any more.
    assert min(int(os.path.basename(p)[4:-4]) for p in segments(srv)) > offset
    end = repl_info(r)["master_repl_offset"]
    keys = []
    while offset < end:
        payload, size = replica.record()
        keys += re.findall(rb"\*3\r\n\$3\r\nSET\r\n\$\d+\r\n(\w+)\r\n", payload)
        offset += size
    assert offset == end
    assert keys == [f"k{i}".encode() for i in range(100)] + [b"during"]
    stats = r.info("stats")
    assert stats["sync_partial_ok"] == 1 and stats["client_output_buffer_limit_disconnections"] == 0
    replica.close()


def test_info_role_and_client_list_show_the_replica(start_server):
    srv = start_server()
    r = srv.client()
    replica = ReplicaSocket(srv.port)
    _, offset = replica.full_sync(listening_port=7123)
    wait_until(lambda: replica_state(r) == "online", msg="online")
    replica.send("REPLCONF", "ACK", offset)
    wait_until(lambda: repl_info(r)["slave0"]["offset"] == offset, msg="the ACK")
    info = repl_info(r)
    assert info["connected_slaves"] == 1
    assert info["slave0"]["ip"] == "127.0.0.1" and info["slave0"]["port"] == 7123
    assert info["repl_backlog_active"] == 1
    role = r.execute_command("ROLE")
    assert role[0] == b"master" and role[1] == info["master_repl_offset"]
    assert role[2] == [[b"127.0.0.1", b"7123", str(offset).encode()]]
    listed = r.client_list(_type="replica")
    assert len(listed) == 1 and "S" in listed[0]["flags"]
    assert r.execute_command("CLIENT", "KILL", "TYPE", "replica") == 1
    wait_until(lambda: repl_info(r)["connected_slaves"] == 0, msg="the replica to go")
    replica.close()


def test_wait_waits_for_this_clients_writes_not_later_ones(start_server):
    """WAIT's target is the record holding the client's own last write (Redis's woff): a write
    another client made after it, not yet acknowledged, does not hold it up."""
    srv = start_server()
    a, b = srv.client(), srv.client()
    replica = ReplicaSocket(srv.port)
    _, offset = replica.full_sync()
    a.set("a", "1")
    _, size = replica.record()
    replica.send("REPLCONF", "ACK", offset + size)
    wait_until(lambda: repl_info(a)["slave0"]["offset"] == offset + size, msg="the ACK")
    b.set("b", "2")  # streamed, never acknowledged
    assert a.wait(1, 10_000) == 1
    assert b.wait(1, 100) == 0
    assert srv.client().wait(1, 10_000) == 1  # no writes: nothing to wait for
    replica.close()


def test_replconf_errors_match_redis(start_server):
    r = ReplicaSocket(start_server().port)
    assert r.cmd("REPLCONF") == b"+OK\r\n"
    assert r.cmd("REPLCONF", "foo") == b"-ERR syntax error\r\n"
    assert r.cmd("REPLCONF", "foo", "bar") == b"-ERR Unrecognized REPLCONF option: foo\r\n"
    assert r.cmd("REPLCONF", "listening-port", "abc") == (
        b"-ERR value is not an integer or out of range\r\n")
    assert r.cmd("REPLCONF", "capa", "eof", "capa", "psync2") == b"+OK\r\n"
    r.send("REPLCONF", "ACK", "5")  # no reply outside a link
    assert r.cmd("PING") == b"+PONG\r\n"
    r.close()


def test_a_replica_that_stops_reading_meets_the_replica_class_hard_limit(start_server):
    # The normal class is unlimited: only the replica class can close it.
    srv = start_server({"client-output-buffer-limit": "normal 0 0 0 replica 1mb 1mb 0"})
    r = srv.client()
    replica = ReplicaSocket(srv.port, rcvbuf=64 * 1024)
    replica.full_sync()
    wait_until(lambda: replica_state(r) == "online", msg="online")
    chunk = "x" * 100_000
    written = 0
    while repl_info(r)["connected_slaves"] == 1:
        assert written < 2000, "the replica over its limit was never disconnected"
        pipe = r.pipeline(transaction=False)
        for i in range(10):
            pipe.set(f"k{i}", chunk)
        pipe.execute()
        written += 10
    assert r.info("stats")["client_output_buffer_limit_disconnections"] == 1
    assert r.ping()
    replica.close()


def test_the_stream_held_during_a_full_sync_counts_against_the_limit(start_server):
    # A slow checkpoint (1 ms a key) keeps the replica waiting while writes pile up.
    srv = start_server({"client-output-buffer-limit": "replica 256kb 256kb 0"})
    r = srv.client()
    pipe = r.pipeline(transaction=False)
    for i in range(2000):
        pipe.set(f"seed{i}", i)
    pipe.execute()
    r.config_set("rdb-key-save-delay", 1000)
    replica = ReplicaSocket(srv.port)
    assert replica.cmd("REPLCONF", "listening-port", 7000) == b"+OK\r\n"
    assert replica.psync().startswith(b"+FULLRESYNC ")
    assert replica_state(r) == "wait_bgsave"
    payload = "y" * 50_000
    written = 0
    while repl_info(r)["connected_slaves"] == 1:
        assert written < 200, "the waiting replica over its limit was never disconnected"
        r.set(f"w{written}", payload)
        written += 1
    assert written >= 5  # it took more than the limit's worth of stream
    assert r.info("persistence")["rdb_bgsave_in_progress"] == 1  # still waiting when it went
    assert r.info("stats")["client_output_buffer_limit_disconnections"] == 1
    replica.close()


def test_a_replica_that_stops_acknowledging_is_dropped_after_repl_timeout(start_server):
    srv = start_server({"repl-timeout": 1})
    r = srv.client()
    replica = ReplicaSocket(srv.port)
    replica.full_sync()
    wait_until(lambda: repl_info(r)["connected_slaves"] == 0, timeout=10,
               msg="the silent replica to be dropped")
    replica.close()


def test_an_idle_primary_sends_empty_records_as_keepalives(start_server):
    srv = start_server({"repl-ping-replica-period": 1})
    r = srv.client()
    replica = ReplicaSocket(srv.port)
    _, offset = replica.full_sync()
    payload, size = replica.record()  # nothing was written: this is the keepalive
    assert payload == b"" and size == RECORD_HEADER
    assert repl_info(r)["master_repl_offset"] >= offset + size
    replica.close()
