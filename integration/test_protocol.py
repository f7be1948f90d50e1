"""Wire protocol: pipelining, inline commands, RESP3, protocol errors, limits."""

import socket

import pytest

from helpers import (OK, ConnectionClosed, RawConn, arity_err, bulk, encode_command, integer,
                     parse_reply, wait_until)


@pytest.fixture
def c(raw):
    return raw()


def proto_err(msg):
    return b"-ERR Protocol error: %s\r\n" % msg


def assert_error_then_close(conn, data, expected):
    conn.send(data)
    assert conn.read_reply() == expected
    conn.wait_closed()


# --- pipelining ---------------------------------------------------------------------


def test_pipeline_many_commands_in_one_send(c):
    n = 10_000
    payload = b"".join(encode_command("INCR", "counter") for _ in range(n))
    payload += encode_command("GET", "counter")
    c.send(payload)
    for i in range(1, n + 1):
        assert c.read_reply() == integer(i)
    assert c.read_reply() == bulk(str(n))


def test_pipeline_mixed_commands_in_order(c):
    cmds = []
    expected = []
    for i in range(500):
        cmds.append(encode_command("SET", f"k{i}", f"v{i}"))
        expected.append(OK)
        cmds.append(encode_command("GET", f"k{i}"))
        expected.append(bulk(f"v{i}"))
        cmds.append(encode_command("NOSUCH", str(i)))
        expected.append(b"-ERR unknown command 'NOSUCH', with args beginning with: '%d' \r\n" % i)
        cmds.append(b"PING\r\n")  # inline between multibulk requests
        expected.append(b"+PONG\r\n")
        cmds.append(encode_command("GET"))
        expected.append(arity_err("get"))
    c.send(b"".join(cmds))
    assert c.read_replies(len(expected)) == expected


def test_pipeline_split_at_every_byte(c):
    """Requests arriving one byte at a time must parse the same."""
    data = encode_command("SET", "split", "a\r\nb") + b"ECHO hello\r\n" + encode_command("GET", "split")
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(len(data)):
        c.send(data[i:i + 1])
    assert c.read_replies(3) == [OK, bulk("hello"), bulk("a\r\nb")]


def test_pipeline_redis_py_strings(r):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.incr("n")
    p.getrange("n", 0, 1)
    res = p.execute()
    assert res[:1000] == list(range(1, 1001))
    assert res[1000] == b"10"


@pytest.mark.container_types("RPUSH", "LRANGE")
def test_pipeline_redis_py(r):
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.rpush("list", i)
    p.lrange("list", 0, 2)
    res = p.execute()
    assert res[:1000] == list(range(1, 1001))
    assert res[1000] == [b"0", b"1", b"2"]


def test_large_pipelined_values(c):
    value = b"v" * 200_000
    c.send(b"".join(encode_command("SET", f"big{i}", value) for i in range(20)))
    assert c.read_replies(20) == [OK] * 20
    c.send(b"".join(encode_command("GET", f"big{i}") for i in range(20)))
    assert c.read_replies(20) == [bulk(value)] * 20


# --- inline commands -------------------------------------------------------------------


def test_inline_commands(c):
    assert c.inline("PING") == b"+PONG\r\n"
    assert c.inline("ping") == b"+PONG\r\n"
    assert c.inline("   PING   x  ") == bulk("x")
    assert c.inline("SET inline value") == OK
    assert c.inline("GET inline") == bulk("value")
    c.send(b"PING\n")  # bare LF terminates inline commands too
    assert c.read_reply() == b"+PONG\r\n"
    c.send(b"\r\n\r\n\n")  # empty lines are ignored
    assert c.inline("PING") == b"+PONG\r\n"


def test_inline_quoting(c):
    assert c.inline('ECHO "a b"') == bulk("a b")
    assert c.inline('ECHO "a\\x41\\n\\r\\t\\"\\\\"') == bulk('aA\n\r\t"\\')
    assert c.inline("ECHO 'it\\'s'") == bulk("it's")
    assert c.inline("ECHO 'no \\n escape'") == bulk("no \\n escape")
    assert c.inline('SET "spaced key" "spaced value"') == OK
    assert c.inline('GET "spaced key"') == bulk("spaced value")
    assert c.inline('ECHO ""') == bulk("")
    assert c.inline('ECHO "\\xff\\x00"') == bulk(b"\xff\x00")


def test_inline_unbalanced_quotes(raw):
    a, b = raw(), raw()
    assert_error_then_close(a, b'ECHO "unterminated\r\n', proto_err(b"unbalanced quotes in request"))
    assert_error_then_close(b, b'ECHO "a"b\r\n', proto_err(b"unbalanced quotes in request"))
    assert raw().cmd("PING") == b"+PONG\r\n"


def test_inline_too_big(c, raw):
    other = raw()
    assert other.cmd("PING") == b"+PONG\r\n"
    assert_error_then_close(c, b"x" * 70_000, proto_err(b"too big inline request"))
    assert other.cmd("PING") == b"+PONG\r\n"


# --- RESP3 ----------------------------------------------------------------------------


def test_resp3_types(c):
    assert c.cmd("HELLO", "3").startswith(b"%7\r\n")
    assert c.cmd("GET", "nokey") == b"_\r\n"
    assert c.cmd("SET", "x", "1", "GET") == b"_\r\n"
    assert c.cmd("MGET", "x", "nokey") == b"*2\r\n$1\r\n1\r\n_\r\n"
    assert c.cmd("OBJECT", "ENCODING", "nokey") == b"_\r\n"
    assert c.cmd("CONFIG", "GET", "timeout") == b"%1\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"
    assert c.cmd("INCRBYFLOAT", "f", "1.5") == bulk("1.5")  # still a bulk string
    assert c.cmd("PING") == b"+PONG\r\n"
    assert c.cmd("EXISTS", "x") == integer(1)
    assert c.cmd("GET") == arity_err("get")  # errors unchanged


def test_resp3_verbatim_info(c):
    assert c.cmd("HELLO", "3").startswith(b"%")
    reply = c.cmd("INFO", "server")
    (t, body), _ = parse_reply(reply)
    assert t == b"="
    assert body.startswith(b"txt:# Server\r\n")
    (t, body), _ = parse_reply(c.cmd("CLIENT", "INFO"))
    assert t == b"=" and body.startswith(b"txt:id=") and body.endswith(b" resp=3\n")


def test_resp3_debug_protocol(c):
    assert c.cmd("HELLO", "3").startswith(b"%")
    assert c.cmd("DEBUG", "PROTOCOL", "double") == b",3.141\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "true") == b"#t\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "false") == b"#f\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "null") == b"_\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "bignum") == b"(1234567999999999999999999999999999999\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "set") == b"~3\r\n:0\r\n:1\r\n:2\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "map") == b"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "verbatim") == b"=29\r\ntxt:This is a verbatim\nstring\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "attrib") == (
        b"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
        b"$39\r\nSome real reply following the attribute\r\n")
    # push: an out-of-band push message, then the reply itself.
    c.send(encode_command("DEBUG", "PROTOCOL", "push"))
    assert c.read_reply() == b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
    assert c.read_reply() == bulk("Some real reply following the push reply")


def test_resp2_debug_protocol(c):
    assert c.cmd("DEBUG", "PROTOCOL", "double") == bulk("3.141")
    assert c.cmd("DEBUG", "PROTOCOL", "true") == integer(1)
    assert c.cmd("DEBUG", "PROTOCOL", "false") == integer(0)
    assert c.cmd("DEBUG", "PROTOCOL", "null") == b"$-1\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "map") == b"*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "set") == b"*3\r\n:0\r\n:1\r\n:2\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "verbatim") == bulk("This is a verbatim\nstring")
    assert c.cmd("DEBUG", "PROTOCOL", "push") == b"-ERR RESP2 is not supported by this command\r\n"
    assert c.cmd("DEBUG", "PROTOCOL", "foo") == (
        b"-ERR Wrong protocol type name. Please use one of the following: "
        b"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n")


@pytest.mark.container_types("ZADD", "ZSCORE", "ZINCRBY")
def test_resp3_sorted_set_double(c):
    assert c.cmd("HELLO", "3").startswith(b"%")
    assert c.cmd("ZADD", "z", "1.5", "a") == integer(1)
    assert c.cmd("ZSCORE", "z", "a") == b",1.5\r\n"
    assert c.cmd("ZINCRBY", "z", "1", "a") == b",2.5\r\n"
    assert c.cmd("ZSCORE", "z", "nosuch") == b"_\r\n"
    assert c.cmd("HELLO", "2").startswith(b"*14")
    assert c.cmd("ZSCORE", "z", "a") == bulk("2.5")


def test_resp3_redis_py_parses_hello3(server):
    # redis-py 4.3 speaks RESP2 only, but the raw map must parse with our reader.
    with RawConn(server.port) as conn:
        (t, items), rest = parse_reply(conn.cmd("HELLO", "3"))
        assert t == b"%" and len(items) == 14 and rest == b""


# --- protocol errors ----------------------------------------------------------------------

PROTOCOL_ERRORS = [
    (b"*x\r\n", b"invalid multibulk length"),
    (b"*2147483648\r\n", b"invalid multibulk length"),
    (b"*1\r\nx\r\n", b"expected '$', got 'x'"),
    (b"*1\r\n$x\r\n", b"invalid bulk length"),
    (b"*1\r\n$-1\r\n", b"invalid bulk length"),
    (b"*1\r\n$536870913\r\n", b"invalid bulk length"),  # > proto-max-bulk-len (512mb)
    (b"*1\r\n$" + b"1" * 70_000, b"too big bulk count string"),
    (b"*" + b"1" * 70_000, b"too big mbulk count string"),
]


@pytest.mark.parametrize("data,msg", PROTOCOL_ERRORS, ids=[m.decode() for _, m in PROTOCOL_ERRORS])
def test_protocol_error_closes_connection(raw, data, msg):
    bystander, victim = raw(), raw()
    assert bystander.cmd("SET", "survivor", "1") == OK
    assert victim.cmd("PING") == b"+PONG\r\n"
    assert_error_then_close(victim, data, proto_err(msg))
    assert bystander.cmd("GET", "survivor") == bulk("1")
    assert raw().cmd("PING") == b"+PONG\r\n"


def test_protocol_error_after_valid_commands(c):
    # Commands before the bad one in the same packet are answered first.
    c.send(encode_command("SET", "a", "1") + b"*1\r\n$4\r\nPING\r\n*x\r\n")
    assert c.read_reply() == OK
    assert c.read_reply() == b"+PONG\r\n"
    assert c.read_reply() == proto_err(b"invalid multibulk length")
    c.wait_closed()


def test_empty_and_negative_multibulk_are_ignored(c):
    c.send(b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n")
    assert c.read_reply() == b"+PONG\r\n"


def test_bulk_length_limit_is_configurable(start_server):
    srv = start_server(proto_max_bulk_len="1mb")
    conn = srv.raw()
    assert conn.cmd("SET", "k", "x" * (1024 * 1024)) == OK
    conn.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n")
    assert conn.read_reply() == proto_err(b"invalid bulk length")
    conn.wait_closed()


def test_unauthenticated_limits(start_server):
    srv = start_server(requirepass="pw")
    a = srv.raw()
    assert_error_then_close(a, b"*1048577\r\n", proto_err(b"unauthenticated multibulk length"))
    b = srv.raw()
    assert_error_then_close(b, b"*1\r\n$16385\r\n", proto_err(b"unauthenticated bulk length"))
    # Authenticated clients may send both.
    c = srv.raw()
    assert c.cmd("AUTH", "pw") == OK
    assert c.cmd("SET", "k", "x" * 16385) == OK


# --- unknown commands and arity ----------------------------------------------------------


def test_unknown_command_texts(c):
    assert c.cmd("NOSUCH") == b"-ERR unknown command 'NOSUCH', with args beginning with: \r\n"
    assert c.cmd("nosuch", "a", "b") == b"-ERR unknown command 'nosuch', with args beginning with: 'a' 'b' \r\n"
    assert c.cmd("") == b"-ERR unknown command '', with args beginning with: \r\n"
    # Arguments are listed up to 128 characters in total, each cut at what is left.
    assert c.cmd("FOO", *["abcdefghij"] * 20) == (
        b"-ERR unknown command 'FOO', with args beginning with: " + b"'abcdefghij' " * 10 + b"\r\n")
    assert c.cmd("FOO", "a" * 200) == (
        b"-ERR unknown command 'FOO', with args beginning with: '" + b"a" * 128 + b"' \r\n")
    assert c.cmd("X" * 200) == b"-ERR unknown command '" + b"X" * 128 + b"', with args beginning with: \r\n"
    # CR/LF inside the error text are replaced by spaces.
    assert c.cmd("FOO", "a\r\nb") == b"-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n"
    assert c.cmd("PING") == b"+PONG\r\n"


def test_wrong_arity_texts(c):
    for args, name in ((["GET"], "get"), (["set", "k"], "set"), (["GETRANGE", "k", "0"], "getrange"),
                       (["ECHO", "a", "b"], "echo"), (["DBSIZE", "x"], "dbsize"),
                       (["CONFIG", "GET"], "config|get"), (["CLIENT", "ID", "x"], "client|id"),
                       (["OBJECT"], "object")):
        assert c.cmd(*args) == arity_err(name), args


def test_unknown_subcommand_texts(c):
    for cmd in ("CLIENT", "CONFIG", "OBJECT", "COMMAND", "SLOWLOG"):
        assert c.cmd(cmd, "nosuchsub") == (
            b"-ERR unknown subcommand 'nosuchsub'. Try %s HELP.\r\n" % cmd.encode())


# --- client timeout and maxclients ---------------------------------------------------------


def test_idle_client_timeout(start_server):
    srv = start_server(timeout=1)
    idle = srv.raw(timeout=30)
    assert idle.cmd("PING") == b"+PONG\r\n"
    assert idle.is_closed(timeout=20), "idle client not closed after `timeout 1`"
    fresh = srv.raw()
    assert fresh.cmd("PING") == b"+PONG\r\n"


def test_timeout_zero_never_closes(c):
    assert c.cmd("CONFIG", "GET", "timeout") == b"*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"
    c.assert_silent(1.5)
    assert c.cmd("PING") == b"+PONG\r\n"


def connected_clients(conn):
    (_, body), _ = parse_reply(conn.cmd("INFO", "clients"))
    return int(body.split(b"connected_clients:")[1].split(b"\r\n")[0])


def test_maxclients(start_server):
    srv = start_server(maxclients=3)
    first = srv.raw()
    # Wait until the harness's readiness probe connection is gone.
    wait_until(lambda: connected_clients(first) == 1, msg="only one client connected")
    second, third = srv.raw(), srv.raw()
    assert second.cmd("PING") == b"+PONG\r\n"
    assert third.cmd("PING") == b"+PONG\r\n"
    fourth = srv.raw()
    try:
        reply = fourth.read_reply()
    except ConnectionClosed as exc:  # pragma: no cover - shows what was received
        raise AssertionError(f"closed without the error reply, got {exc.partial!r}") from None
    assert reply == b"-ERR max number of clients reached\r\n"
    fourth.wait_closed()
    assert first.cmd("PING") == b"+PONG\r\n"
    (_, body), _ = parse_reply(first.cmd("INFO", "stats"))
    assert b"rejected_connections:1\r\n" in body
    third.close()
    wait_until(lambda: connected_clients(first) == 2, msg="closed client to be released")
    assert srv.raw().cmd("PING") == b"+PONG\r\n"
