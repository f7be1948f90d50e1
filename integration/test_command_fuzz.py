"""Nothing a client sends can crash the server: every command Vireo lists, with hostile
arguments (huge, negative and malformed numbers, globs, empty and binary strings), from a fixed
seed so that a failure reproduces. The server must answer every request and stay up."""
import os
import random

import pytest

from helpers import RawConn, encode_command

# A longer hunt: VIREO_FUZZ_SEEDS=1-20 VIREO_FUZZ_ROUNDS=5000 (CI runs the defaults).
_first, _, _last = os.environ.get("VIREO_FUZZ_SEEDS", "20261121").partition("-")
SEEDS = range(int(_first), int(_last or _first) + 1)
ROUNDS = int(os.environ.get("VIREO_FUZZ_ROUNDS", "3000"))

ARGS = [b"", b"0", b"1", b"-1", b"2", b"10", b"-10", b"9223372036854775807",
        b"-9223372036854775808", b"9223372036854775808", b"18446744073709551616", b"1e400",
        b"inf", b"-inf", b"nan", b"1.5", b"0x10", b" 1", b"k", b"k2", b"*", b"?", b"[a-",
        b"\\", b"\x00\xff\r\n", b"NX", b"XX", b"GT", b"LT", b"EX", b"PX", b"EXAT", b"PXAT",
        b"KEEPTTL", b"GET", b"PERSIST", b"MATCH", b"COUNT", b"TYPE", b"string", b"DB",
        b"REPLACE", b"ASYNC", b"SYNC", b"LEN", b"IDX", b"MINMATCHLEN", b"WITHMATCHLEN",
        b"x" * 70000]
# Commands whose purpose is to stop, stall, detach or re-role the server or the client under
# test (blocking commands are skipped by their COMMAND INFO flag), and the unsubscribes, which
# reply once per argument.
SKIP = {b"shutdown", b"debug", b"monitor", b"quit", b"reset", b"client|kill", b"client|pause",
        b"client|reply", b"hello", b"auth", b"flushall", b"swapdb", b"replicaof", b"slaveof",
        b"failover", b"sync", b"psync", b"save", b"bgsave", b"bgrewriteaof", b"subscribe",
        b"psubscribe", b"ssubscribe", b"unsubscribe", b"punsubscribe", b"sunsubscribe",
        b"config|set"}


def command_names(conn):
    reply = conn.cmd("COMMAND", "LIST")
    names, pos = [], reply.index(b"\r\n") + 2
    while pos < len(reply):
        length_end = reply.index(b"\r\n", pos)
        length = int(reply[pos + 1:length_end])
        names.append(reply[length_end + 2:length_end + 2 + length])
        pos = length_end + 2 + length + 2
    return [n for n in names if n not in SKIP and not is_blocking(conn, n)]


def is_blocking(conn, name):
    info = conn.cmd("COMMAND", "INFO", name.split(b"|")[0])
    return b"+blocking\r\n" in info


@pytest.mark.parametrize("protocol", [2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_random_commands_never_crash_the_server(server, seed, protocol, is_redis):
    if is_redis:
        pytest.skip("a robustness test of Vireo")
    conn = RawConn(server.port)
    if protocol == 3:
        assert conn.cmd("HELLO", "3").startswith(b"%")
    names = command_names(conn)
    assert len(names) > 50
    rng = random.Random(seed)
    for _ in range(ROUNDS):
        name = rng.choice(names)
        words = name.split(b"|")
        args = words + [rng.choice(ARGS) for _ in range(rng.randrange(0, 7))]
        conn.send(encode_command(*args))
        reply = conn.read_reply()
        assert reply[:1] in b"+-:$*%~_,#=(>|", (name, args, reply)
    # The random commands may have left the connection in MULTI, BEGIN or
    # subscribed mode: RESET ends them all.
    assert conn.cmd("RESET") == b"+RESET\r\n"
    assert conn.cmd("PING") == b"+PONG\r\n"
    assert server.alive()
