"""Connection commands: PING ECHO HELLO AUTH QUIT RESET SELECT CLIENT *."""

import re
import time

import pytest
import redis

from helpers import parse_reply, wait_until

NOAUTH = b"-NOAUTH Authentication required.\r\n"
WRONGPASS = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
HELLO_NOAUTH = (
    b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the"
    b" HELLO AUTH <user> <pass> option can be used to authenticate the client and select"
    b" the RESP protocol version at the same time\r\n"
)
BAD_NAME = b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"


def arity(cmd):
    return b"-ERR wrong number of arguments for '%s' command\r\n" % cmd.encode()


def hello_fields(reply):
    """HELLO reply (RESP2 flat array or RESP3 map) -> ordered list of (key, node)."""
    (t, items), rest = parse_reply(reply)
    assert rest == b""
    assert t in (b"*", b"%"), reply
    return [(items[i][1], items[i + 1]) for i in range(0, len(items), 2)]


# --- PING / ECHO ----------------------------------------------------------


def test_ping(raw):
    c = raw()
    assert c.cmd("PING") == b"+PONG\r\n"
    assert c.cmd("PING", "hello world") == b"$11\r\nhello world\r\n"
    assert c.cmd("PING", "") == b"$0\r\n\r\n"
    assert c.cmd("ping", "a", "b") == arity("ping")


def test_ping_redis_py(r):
    assert r.ping() is True


def test_echo(raw):
    c = raw()
    assert c.cmd("ECHO", "hi") == b"$2\r\nhi\r\n"
    assert c.cmd("ECHO", b"a\x00\r\nb") == b"$5\r\na\x00\r\nb\r\n"
    assert c.cmd("ECHO", "") == b"$0\r\n\r\n"
    assert c.cmd("ECHO") == arity("echo")
    assert c.cmd("ECHO", "a", "b") == arity("echo")


# --- HELLO ----------------------------------------------------------------


def test_hello_default_is_resp2_array(raw):
    c = raw()
    reply = c.cmd("HELLO")
    assert reply.startswith(b"*14\r\n")
    fields = hello_fields(reply)
    assert [k for k, _ in fields] == [b"server", b"version", b"proto", b"id", b"mode", b"role", b"modules"]
    d = dict(fields)
    assert d[b"proto"] == (b":", b"2")
    assert d[b"mode"] == (b"$", b"standalone")
    assert d[b"role"] == (b"$", b"master")
    assert d[b"modules"] == (b"*", [])
    assert d[b"server"][0] == b"$" and d[b"server"][1]
    assert d[b"version"][0] == b"$" and d[b"version"][1]
    assert d[b"id"] == (b":", c.cmd("CLIENT", "ID")[1:-2])


def test_hello_3_returns_map_and_switches_protocol(raw):
    c = raw()
    reply = c.cmd("HELLO", "3")
    assert reply.startswith(b"%7\r\n$6\r\nserver\r\n")
    d = dict(hello_fields(reply))
    assert d[b"proto"] == (b":", b"3")
    assert d[b"modules"] == (b"*", [])
    # RESP3 from now on.
    assert c.cmd("GET", "nokey") == b"_\r\n"
    # And back.
    assert c.cmd("HELLO", "2").startswith(b"*14\r\n")
    assert c.cmd("GET", "nokey") == b"$-1\r\n"


@pytest.mark.container_types("HGETALL")
def test_hello_3_empty_hash_is_a_map(raw):
    c = raw()
    assert c.cmd("HELLO", "3").startswith(b"%7\r\n")
    assert c.cmd("HGETALL", "nokey") == b"%0\r\n"
    assert c.cmd("HELLO", "2").startswith(b"*14\r\n")
    assert c.cmd("HGETALL", "nokey") == b"*0\r\n"


def test_hello_errors(raw):
    c = raw()
    for v in ("1", "0", "4", "-1"):
        assert c.cmd("HELLO", v) == b"-NOPROTO unsupported protocol version\r\n"
    assert c.cmd("HELLO", "x") == b"-ERR Protocol version is not an integer or out of range\r\n"
    assert c.cmd("HELLO", "3", "FOO") == b"-ERR Syntax error in HELLO option 'FOO'\r\n"
    assert c.cmd("HELLO", "3", "SETNAME") == b"-ERR Syntax error in HELLO option 'SETNAME'\r\n"
    assert c.cmd("HELLO", "3", "AUTH", "default") == b"-ERR Syntax error in HELLO option 'AUTH'\r\n"
    # Failed HELLO does not switch protocol.
    assert c.cmd("GET", "nokey") == b"$-1\r\n"


def test_hello_setname(raw):
    c = raw()
    assert c.cmd("HELLO", "3", "SETNAME", "conn1").startswith(b"%7\r\n")
    assert c.cmd("CLIENT", "GETNAME") == b"$5\r\nconn1\r\n"
    assert c.cmd("HELLO", "2", "SETNAME", "bad name") == BAD_NAME
    # The failing HELLO changed neither the name nor the protocol.
    assert c.cmd("CLIENT", "GETNAME") == b"$5\r\nconn1\r\n"
    assert c.cmd("GET", "nokey") == b"_\r\n"


# --- AUTH -----------------------------------------------------------------


def test_auth_without_password_configured(raw):
    c = raw()
    assert c.cmd("AUTH", "x") == (
        b"-ERR AUTH <password> called without any password configured for the default user."
        b" Are you sure your configuration is correct?\r\n"
    )
    # The nopass default user accepts any password in the two-argument form.
    assert c.cmd("AUTH", "default", "x") == b"+OK\r\n"
    assert c.cmd("AUTH", "nouser", "x") == WRONGPASS
    assert c.cmd("AUTH", "a", "b", "c") == b"-ERR syntax error\r\n"
    assert c.cmd("AUTH") == arity("auth")


@pytest.fixture
def authsrv(start_server):
    return start_server(requirepass="s3cret", databases=4)


def test_noauth_before_auth(authsrv, raw):
    c = raw(authsrv)
    assert c.cmd("PING") == NOAUTH
    assert c.cmd("GET", "x") == NOAUTH
    assert c.cmd("SET", "x", "1") == NOAUTH
    assert c.cmd("SELECT", "1") == NOAUTH
    assert c.cmd("CLIENT", "ID") == NOAUTH
    # Inline commands too.
    c.send(b"PING\r\n")
    assert c.read_reply() == NOAUTH
    # Unknown commands are rejected as unknown before the auth check.
    assert c.cmd("NOSUCHCMD") == b"-ERR unknown command 'NOSUCHCMD', with args beginning with: \r\n"
    for v in ([], ["2"], ["3"]):
        assert c.cmd("HELLO", *v) == HELLO_NOAUTH
    assert c.cmd("AUTH", "wrong") == WRONGPASS
    assert c.cmd("AUTH", "default", "wrong") == WRONGPASS
    assert c.cmd("AUTH", "nouser", "s3cret") == WRONGPASS
    assert c.cmd("PING") == NOAUTH
    assert c.cmd("AUTH", "s3cret") == b"+OK\r\n"
    assert c.cmd("PING") == b"+PONG\r\n"
    assert c.cmd("SET", "x", "1") == b"+OK\r\n"
    # QUIT works unauthenticated.
    c2 = raw(authsrv)
    assert c2.cmd("QUIT") == b"+OK\r\n"
    c2.wait_closed()


def test_auth_username_form(authsrv, raw):
    c = raw(authsrv)
    assert c.cmd("AUTH", "default", "s3cret") == b"+OK\r\n"
    assert c.cmd("GET", "x") == b"$-1\r\n"


def test_hello_auth(authsrv, raw):
    c = raw(authsrv)
    assert c.cmd("HELLO", "3", "AUTH", "default", "wrong") == WRONGPASS
    assert c.cmd("PING") == NOAUTH
    reply = c.cmd("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "authed")
    assert dict(hello_fields(reply))[b"proto"] == (b":", b"3")
    assert c.cmd("CLIENT", "GETNAME") == b"$6\r\nauthed\r\n"
    assert c.cmd("GET", "nokey") == b"_\r\n"


def test_redis_py_password(authsrv):
    with pytest.raises(redis.RedisError, match="WRONGPASS"):
        authsrv.client(password="wrong").ping()
    with pytest.raises(redis.RedisError, match="Authentication required"):
        authsrv.client().ping()
    c = authsrv.client(password="s3cret")
    assert c.set("k", "v") is True
    assert c.get("k") == b"v"


def test_reset_deauthenticates(authsrv, raw):
    c = raw(authsrv)
    assert c.cmd("AUTH", "s3cret") == b"+OK\r\n"
    assert c.cmd("RESET") == b"+RESET\r\n"
    assert c.cmd("PING") == NOAUTH


# --- QUIT / RESET / SELECT --------------------------------------------------


def test_quit(raw):
    c = raw()
    assert c.cmd("QUIT") == b"+OK\r\n"
    c.wait_closed()
    # Server still fine for others.
    assert raw().cmd("PING") == b"+PONG\r\n"


def test_reset(raw):
    c = raw()
    assert c.cmd("SELECT", "3") == b"+OK\r\n"
    assert c.cmd("SET", "in3", "x") == b"+OK\r\n"
    assert c.cmd("HELLO", "3", "SETNAME", "before-reset").startswith(b"%7")
    assert c.cmd("RESET") == b"+RESET\r\n"
    # Name cleared, back to RESP2 ($-1 instead of _), back in db 0.
    assert c.cmd("CLIENT", "GETNAME") == b"$-1\r\n"
    assert c.cmd("GET", "in3") == b"$-1\r\n"
    assert c.cmd("SELECT", "3") == b"+OK\r\n"
    assert c.cmd("GET", "in3") == b"$1\r\nx\r\n"
    assert c.cmd("RESET", "x") == arity("reset")


def test_select(raw):
    c = raw()
    assert c.cmd("SELECT", "15") == b"+OK\r\n"
    assert c.cmd("SET", "k", "15") == b"+OK\r\n"
    assert c.cmd("SELECT", "0") == b"+OK\r\n"
    assert c.cmd("GET", "k") == b"$-1\r\n"
    assert c.cmd("SELECT", "15") == b"+OK\r\n"
    assert c.cmd("GET", "k") == b"$2\r\n15\r\n"
    assert c.cmd("SELECT", "16") == b"-ERR DB index is out of range\r\n"
    assert c.cmd("SELECT", "-1") == b"-ERR DB index is out of range\r\n"
    assert c.cmd("SELECT", "x") == b"-ERR value is not an integer or out of range\r\n"
    assert c.cmd("SELECT", "1.5") == b"-ERR value is not an integer or out of range\r\n"
    assert c.cmd("SELECT") == arity("select")


def test_select_with_databases_config(authsrv, raw):
    c = raw(authsrv)
    assert c.cmd("AUTH", "s3cret") == b"+OK\r\n"
    assert c.cmd("SELECT", "3") == b"+OK\r\n"
    assert c.cmd("SELECT", "4") == b"-ERR DB index is out of range\r\n"


# --- CLIENT ---------------------------------------------------------------


def client_id(c):
    reply = c.cmd("CLIENT", "ID")
    assert reply.startswith(b":"), reply
    return int(reply[1:-2])


def test_client_id(raw):
    a, b = raw(), raw()
    ia, ib = client_id(a), client_id(b)
    assert ia > 0 and ib > ia
    assert client_id(a) == ia
    assert a.cmd("CLIENT", "ID", "x") == b"-ERR wrong number of arguments for 'client|id' command\r\n"


def test_client_setname_getname(raw):
    c = raw()
    assert c.cmd("CLIENT", "GETNAME") == b"$-1\r\n"
    assert c.cmd("CLIENT", "SETNAME", "worker-1") == b"+OK\r\n"
    assert c.cmd("CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    for bad in ("a b", "a\nb", "tab\tx", "\x7f"):
        assert c.cmd("CLIENT", "SETNAME", bad) == BAD_NAME
    assert c.cmd("CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    # Empty name clears it.
    assert c.cmd("CLIENT", "SETNAME", "") == b"+OK\r\n"
    assert c.cmd("CLIENT", "GETNAME") == b"$-1\r\n"
    assert c.cmd("CLIENT", "SETNAME") == b"-ERR wrong number of arguments for 'client|setname' command\r\n"
    assert c.cmd("CLIENT", "GETNAME", "x") == b"-ERR wrong number of arguments for 'client|getname' command\r\n"


def test_client_setname_redis_py(r):
    assert r.client_setname("pyclient") is True
    assert r.client_getname() == "pyclient"  # redis-py decodes this one


def parse_client_line(line):
    return dict(kv.split("=", 1) for kv in line.split(" "))


def test_client_info(raw, server):
    c = raw()
    cid = client_id(c)
    assert c.cmd("CLIENT", "SETNAME", "infotest") == b"+OK\r\n"
    assert c.cmd("SELECT", "2") == b"+OK\r\n"
    (t, body), _ = parse_reply(c.cmd("CLIENT", "INFO"))
    assert t == b"$"
    text = body.decode()
    assert text.endswith("\n") and text.count("\n") == 1
    f = parse_client_line(text[:-1])
    for key in ("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
                "multi", "qbuf", "qbuf-free", "obl", "oll", "omem", "tot-mem", "events", "cmd",
                "user", "resp"):
        assert key in f, f"CLIENT INFO lacks {key}: {text!r}"
    assert f["id"] == str(cid)
    assert f["name"] == "infotest"
    assert f["db"] == "2"
    assert f["cmd"] == "client|info"
    assert f["user"] == "default"
    assert f["resp"] == "2"
    assert f["flags"] == "N"
    assert f["multi"] == "-1"
    assert f["laddr"] == f"127.0.0.1:{server.port}"
    assert f["addr"].startswith("127.0.0.1:")
    assert int(f["addr"].rsplit(":", 1)[1]) == c.sock.getsockname()[1]


def test_client_list(raw):
    a, b = raw(), raw()
    ia, ib = client_id(a), client_id(b)
    assert b.cmd("CLIENT", "SETNAME", "bee") == b"+OK\r\n"
    (t, body), _ = parse_reply(a.cmd("CLIENT", "LIST"))
    assert t == b"$"
    lines = body.decode().split("\n")
    assert lines[-1] == ""
    clients = {int(d["id"]): d for d in map(parse_client_line, lines[:-1])}
    assert ia in clients and ib in clients
    assert clients[ib]["name"] == "bee"
    assert clients[ia]["cmd"] == "client|list"
    assert clients[ib]["cmd"] == "client|setname"
    # Filters.
    (_, only), _ = parse_reply(a.cmd("CLIENT", "LIST", "ID", str(ib)))
    assert [parse_client_line(x)["id"] for x in only.decode().split("\n")[:-1]] == [str(ib)]
    (_, both), _ = parse_reply(a.cmd("CLIENT", "LIST", "ID", str(ia), str(ib), "999999"))
    assert sorted(int(parse_client_line(x)["id"]) for x in both.decode().split("\n")[:-1]) == [ia, ib]
    assert a.cmd("CLIENT", "LIST", "ID", "999999") == b"$0\r\n\r\n"
    (_, normal), _ = parse_reply(a.cmd("CLIENT", "LIST", "TYPE", "normal"))
    assert str(ib).encode() in normal
    assert a.cmd("CLIENT", "LIST", "TYPE", "xx") == b"-ERR Unknown client type 'xx'\r\n"
    assert a.cmd("CLIENT", "LIST", "ID", "x") == b"-ERR Invalid client ID\r\n"


def test_client_list_redis_py(r, rd):
    rd.client_setname("pylist")
    names = [c["name"] for c in r.client_list()]
    assert "pylist" in names


def connected(c):
    """Make sure the server has accepted c (TCP connect alone is not enough)."""
    assert c.cmd("PING") == b"+PONG\r\n"
    return c


def test_client_kill(raw):
    killer, victim, bystander = raw(), raw(), raw()
    vid = client_id(victim)
    assert killer.cmd("CLIENT", "KILL", "ID", str(vid)) == b":1\r\n"
    victim.wait_closed()
    assert killer.cmd("CLIENT", "KILL", "ID", str(vid)) == b":0\r\n"
    assert bystander.cmd("PING") == b"+PONG\r\n"
    # Old form: CLIENT KILL addr:port
    v2 = connected(raw())
    addr = "127.0.0.1:%d" % v2.sock.getsockname()[1]
    assert killer.cmd("CLIENT", "KILL", addr) == b"+OK\r\n"
    v2.wait_closed()
    assert killer.cmd("CLIENT", "KILL", addr) == b"-ERR No such client\r\n"
    # New form ADDR.
    v3 = connected(raw())
    addr3 = "127.0.0.1:%d" % v3.sock.getsockname()[1]
    assert killer.cmd("CLIENT", "KILL", "ADDR", addr3) == b":1\r\n"
    v3.wait_closed()
    assert killer.cmd("PING") == b"+PONG\r\n"


def test_client_kill_skipme(raw):
    c = raw()
    cid = client_id(c)
    # SKIPME yes is the default: killing yourself by ID with SKIPME yes is a no-op.
    assert c.cmd("CLIENT", "KILL", "ID", str(cid), "SKIPME", "yes") == b":0\r\n"
    assert c.cmd("PING") == b"+PONG\r\n"
    # SKIPME no: the caller is killed (the reply is still sent first).
    assert c.cmd("CLIENT", "KILL", "ID", str(cid), "SKIPME", "no") == b":1\r\n"
    c.wait_closed()


def test_client_kill_errors(raw):
    c = raw()
    assert c.cmd("CLIENT", "KILL", "ID", "x") == b"-ERR client-id should be greater than 0\r\n"
    assert c.cmd("CLIENT", "KILL", "ID", "0") == b"-ERR client-id should be greater than 0\r\n"
    assert c.cmd("CLIENT", "KILL", "ID", "1", "SKIPME", "x") == b"-ERR syntax error\r\n"
    assert c.cmd("CLIENT", "KILL", "FOO", "x") == b"-ERR syntax error\r\n"
    assert c.cmd("CLIENT", "KILL", "1.2.3.4:5") == b"-ERR No such client\r\n"
    assert c.cmd("CLIENT", "KILL", "ADDR", "1.1.1.1:1") == b":0\r\n"


def test_client_setinfo(raw, is_redis):
    c = raw()
    info = c.cmd("INFO", "server")
    version = re.search(rb"redis_version:(\d+)\.(\d+)", info)
    if is_redis and version and tuple(map(int, version.groups())) < (7, 2):
        # Not in Redis 7.0 (added in 7.2); the reference rejects it.
        assert c.cmd("CLIENT", "SETINFO", "lib-name", "x") == (
            b"-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n"
        )
        pytest.skip("CLIENT SETINFO is a Redis 7.2 command; reference is 7.0")
    assert c.cmd("CLIENT", "SETINFO", "lib-name", "vireo-py") == b"+OK\r\n"
    assert c.cmd("CLIENT", "SETINFO", "lib-ver", "1.2.3") == b"+OK\r\n"
    (_, body), _ = parse_reply(c.cmd("CLIENT", "INFO"))
    f = parse_client_line(body.decode().strip())
    assert f["lib-name"] == "vireo-py"
    assert f["lib-ver"] == "1.2.3"
    assert c.cmd("CLIENT", "SETINFO", "lib-name", "bad name").startswith(b"-ERR")
    assert c.cmd("CLIENT", "SETINFO", "nosuch", "x").startswith(b"-ERR")


def test_client_no_evict(raw):
    c = raw()
    assert c.cmd("CLIENT", "NO-EVICT", "on") == b"+OK\r\n"
    (_, body), _ = parse_reply(c.cmd("CLIENT", "INFO"))
    assert "e" in parse_client_line(body.decode().strip())["flags"]
    assert c.cmd("CLIENT", "NO-EVICT", "off") == b"+OK\r\n"
    (_, body), _ = parse_reply(c.cmd("CLIENT", "INFO"))
    assert parse_client_line(body.decode().strip())["flags"] == "N"
    assert c.cmd("CLIENT", "NO-EVICT", "x") == b"-ERR syntax error\r\n"


def test_client_pause_write_blocks_writes_until_unpause(raw):
    ctl, writer = raw(), raw()
    try:
        assert ctl.cmd("CLIENT", "PAUSE", "100000", "WRITE") == b"+OK\r\n"
        # Reads still served during a WRITE pause.
        assert writer.cmd("GET", "pk") == b"$-1\r\n"
        writer.send(b"*3\r\n$3\r\nSET\r\n$2\r\npk\r\n$1\r\n1\r\n")
        writer.assert_silent(0.3)
        assert ctl.cmd("CLIENT", "UNPAUSE") == b"+OK\r\n"
        assert writer.read_reply() == b"+OK\r\n"
        assert writer.cmd("GET", "pk") == b"$1\r\n1\r\n"
    finally:
        ctl.cmd("CLIENT", "UNPAUSE")


def test_client_pause_all_expires_by_itself(raw):
    ctl, other = raw(), raw()
    started = time.monotonic()
    assert ctl.cmd("CLIENT", "PAUSE", "500") == b"+OK\r\n"
    other.send(b"*1\r\n$4\r\nPING\r\n")
    # Held while the pause lasts (a pause that did nothing would answer at once)...
    other.assert_silent(0.2)
    # ...and released when it times out, without UNPAUSE.
    assert other.read_reply() == b"+PONG\r\n"
    assert time.monotonic() - started >= 0.45


def test_client_pause_errors(raw):
    c = raw()
    assert c.cmd("CLIENT", "PAUSE", "x") == b"-ERR timeout is not an integer or out of range\r\n"
    assert c.cmd("CLIENT", "PAUSE", "-1") == b"-ERR timeout is negative\r\n"
    assert c.cmd("CLIENT", "PAUSE", "10", "XX") == b"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"
    assert c.cmd("CLIENT", "PAUSE") == b"-ERR wrong number of arguments for 'client|pause' command\r\n"
    assert c.cmd("CLIENT", "UNPAUSE", "x") == b"-ERR wrong number of arguments for 'client|unpause' command\r\n"
    assert c.cmd("CLIENT", "UNPAUSE") == b"+OK\r\n"


def test_client_reply_off_on(raw):
    c = raw()
    c.send(b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n")
    c.send(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n")
    c.send(b"*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
    # The first reply after ON is ON's own +OK: nothing from the 3 above.
    assert c.cmd("CLIENT", "REPLY", "ON") == b"+OK\r\n"
    assert c.cmd("GET", "a") == b"$1\r\n1\r\n"


def test_client_reply_skip(raw):
    c = raw()
    c.send(b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n")
    c.send(b"*2\r\n$4\r\nECHO\r\n$7\r\nskipped\r\n")
    assert c.cmd("ECHO", "shown") == b"$5\r\nshown\r\n"
    assert c.cmd("CLIENT", "REPLY", "x") == b"-ERR syntax error\r\n"


def test_client_errors(raw):
    c = raw()
    assert c.cmd("CLIENT") == arity("client")
    assert c.cmd("CLIENT", "XYZ") == b"-ERR unknown subcommand 'XYZ'. Try CLIENT HELP.\r\n"
    assert c.cmd("CLIENT", "XYZ", "a") == b"-ERR unknown subcommand 'XYZ'. Try CLIENT HELP.\r\n"
    help_reply = c.cmd("CLIENT", "HELP")
    assert help_reply.startswith(b"*") and b"SETNAME" in help_reply


def test_connections_are_independent(raw):
    a, b = raw(), raw()
    ida = client_id(a)
    assert a.cmd("SELECT", "1") == b"+OK\r\n"
    assert a.cmd("SET", "k", "a") == b"+OK\r\n"
    assert b.cmd("GET", "k") == b"$-1\r\n"
    assert b"id=%d " % ida in b.cmd("CLIENT", "LIST")
    a.close()
    wait_until(lambda: b"id=%d " % ida not in b.cmd("CLIENT", "LIST"), msg="closed client to leave CLIENT LIST")
    assert b.cmd("PING") == b"+PONG\r\n"
