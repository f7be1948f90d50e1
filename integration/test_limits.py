"""Buffers a client can grow are bounded: a reader that never reads is disconnected at its
client-output-buffer-limit instead of growing the server's memory without end."""
import socket

import pytest
import redis

from helpers import wait_until


def test_output_buffer_hard_limit_disconnects_a_client_that_never_reads(start_server, is_redis):
    srv = start_server({"client-output-buffer-limit": "normal 1mb 1mb 0"})
    client = srv.client()
    client.set("big", b"x" * 100_000)
    sock = socket.create_connection(("127.0.0.1", srv.port))
    request = b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n" * 2000  # 200 MB of replies, never read
    try:
        sock.sendall(request)
    except OSError:
        pass  # the server may close while we are still sending: that is the point

    def closed():
        try:
            sock.settimeout(0.05)
            # Drain what the kernel holds; EOF or a reset means the server closed us.
            while True:
                data = sock.recv(1 << 20)
                if not data:
                    return True
        except socket.timeout:
            return False
        except OSError:
            return True

    wait_until(closed, timeout=20, msg="client over the output limit was not disconnected")
    assert client.ping()  # everyone else is unaffected
    if not is_redis:  # the counter is Redis 7.2's; 7.0 does not report it
        assert client.info("stats")["client_output_buffer_limit_disconnections"] == 1
    sock.close()


def test_output_buffer_below_the_limit_is_served_in_full(start_server):
    srv = start_server({"client-output-buffer-limit": "normal 64mb 64mb 0"})
    client = srv.client()
    client.set("v", b"y" * 10_000)
    pipe = client.pipeline(transaction=False)
    for _ in range(500):
        pipe.get("v")
    assert all(len(reply) == 10_000 for reply in pipe.execute())


@pytest.mark.container_types("SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER")
def test_random_member_counts_that_would_exhaust_memory_are_refused(r, is_redis):
    """A negative count repeats members, so its reply is unbounded: Redis 7.0
    tries to build it and dies of out-of-memory; Vireo refuses past 2^29 picks."""
    if is_redis:
        pytest.skip("Redis 7.0 tries to build the reply and is killed")
    r.sadd("s", "a", "b")
    r.hset("h", "f", "v")
    r.zadd("z", {"m": 1})
    for cmd in (("SRANDMEMBER", "s"), ("HRANDFIELD", "h"), ("ZRANDMEMBER", "z")):
        with pytest.raises(redis.ResponseError, match="^value is out of range$"):
            r.execute_command(*cmd, -(2**62))
        with pytest.raises(redis.ResponseError, match="^value is out of range$"):
            r.execute_command(*cmd, -(2**29) - 1)
        assert len(r.execute_command(*cmd, -1000)) == 1000
    assert r.ping()
