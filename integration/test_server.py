"""Server commands: INFO CONFIG COMMAND TIME DEBUG SLOWLOG MONITOR SHUTDOWN."""

import re
import time

import pytest

from helpers import (NULL, OK, arity_err, bulk, integer, parse_reply, wait_until)

DEFAULT_SECTIONS = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu",
                    "keyspace"]

# Field names each section must have (a core subset of Redis 7.0's).
SECTION_FIELDS = {
    "server": ["redis_version", "redis_mode", "os", "arch_bits", "process_id", "run_id", "tcp_port",
               "uptime_in_seconds", "uptime_in_days", "hz", "executable", "config_file"],
    "clients": ["connected_clients", "blocked_clients", "maxclients"],
    "memory": ["used_memory", "used_memory_human", "used_memory_rss", "used_memory_peak",
               "used_memory_peak_human", "maxmemory", "maxmemory_human", "maxmemory_policy",
               "mem_fragmentation_ratio", "mem_allocator"],
    "persistence": ["loading", "rdb_changes_since_last_save", "rdb_bgsave_in_progress",
                    "rdb_last_save_time", "rdb_last_bgsave_status", "aof_enabled",
                    "aof_rewrite_in_progress"],
    "stats": ["total_connections_received", "total_commands_processed", "instantaneous_ops_per_sec",
              "total_net_input_bytes", "total_net_output_bytes", "rejected_connections",
              "expired_keys", "evicted_keys", "keyspace_hits", "keyspace_misses",
              "total_error_replies"],
    "replication": ["role", "connected_slaves", "master_replid", "master_repl_offset"],
    "cpu": ["used_cpu_sys", "used_cpu_user"],
}


@pytest.fixture
def c(raw):
    return raw()


def info_text(c, *sections):
    (t, body), rest = parse_reply(c.cmd("INFO", *sections))
    assert t == b"$" and rest == b""
    return body.decode()


def headers(text):
    return [line[2:].lower() for line in text.split("\r\n") if line.startswith("# ")]


def fields(text):
    out = {}
    for line in text.split("\r\n"):
        if line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k] = v
    return out


# --- INFO ---------------------------------------------------------------------


def test_info_default_sections(c):
    text = info_text(c)
    assert text.startswith("# Server\r\n")
    assert text.endswith("\r\n")
    hs = headers(text)
    for s in DEFAULT_SECTIONS:
        assert s in hs, f"default INFO lacks section {s}: {hs}"
    assert "commandstats" not in hs
    f = fields(text)
    for names in SECTION_FIELDS.values():
        for name in names:
            assert name in f, f"INFO lacks {name}"


def test_info_line_format(c):
    for line in info_text(c, "all").split("\r\n"):
        if line == "" or line.startswith("# "):
            continue
        assert re.fullmatch(r"[A-Za-z0-9_|.\-]+:[^\r\n]*", line), f"bad INFO line {line!r}"


@pytest.mark.parametrize("section", list(SECTION_FIELDS))
def test_info_single_section(c, section):
    text = info_text(c, section)
    assert headers(text) == [section]
    f = fields(text)
    for name in SECTION_FIELDS[section]:
        assert name in f
    # Section names are case-insensitive.
    assert headers(info_text(c, section.upper())) == [section]


def test_info_values(c, server):
    f = fields(info_text(c))
    assert f["tcp_port"] == str(server.port)
    assert int(f["process_id"]) == server.proc.pid
    assert f["redis_mode"] == "standalone"
    assert f["role"] == "master"
    assert f["loading"] == "0"
    assert f["connected_slaves"] == "0"
    assert int(f["connected_clients"]) >= 1
    assert int(f["used_memory"]) > 0
    assert re.fullmatch(r"\d+\.\d+\.\d+", f["redis_version"])
    assert re.fullmatch(r"[0-9a-f]{40}", f["run_id"])
    assert re.fullmatch(r"[0-9a-f]{40}", f["master_replid"])
    assert re.fullmatch(r"\d+(\.\d+)?", f["used_cpu_sys"])


def test_info_vireo_version(c, is_redis):
    if is_redis:
        pytest.skip("vireo_version is Vireo-only")
    f = fields(info_text(c, "server"))
    assert "vireo_version" in f
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", f["vireo_version"])


def test_info_all_and_everything(c):
    hs = headers(info_text(c, "all"))
    for s in DEFAULT_SECTIONS + ["commandstats"]:
        assert s in hs
    hs = headers(info_text(c, "everything"))
    assert "commandstats" in hs and "keyspace" in hs
    # Several sections at once (Redis 7).
    assert headers(info_text(c, "clients", "cpu")) == ["clients", "cpu"]
    assert info_text(c, "nosuchsection") == ""


def test_info_keyspace(c):
    assert headers(info_text(c, "keyspace")) == ["keyspace"]
    assert fields(info_text(c, "keyspace")) == {}
    assert c.cmd("MSET", "a", "1", "b", "2", "c", "3") == OK
    assert c.cmd("EXPIRE", "a", "1000") == integer(1)
    assert c.cmd("SELECT", "5") == OK
    assert c.cmd("SET", "x", "1") == OK
    f = fields(info_text(c, "keyspace"))
    assert set(f) == {"db0", "db5"}
    assert re.fullmatch(r"keys=3,expires=1,avg_ttl=\d+", f["db0"])
    assert f["db5"] == "keys=1,expires=0,avg_ttl=0"


def test_info_stats_and_commandstats(c):
    assert c.cmd("CONFIG", "RESETSTAT") == OK
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("GET", "k") == bulk("v")
    assert c.cmd("GET", "nokey") == NULL
    assert c.cmd("INCR", "k").startswith(b"-ERR")
    text = info_text(c, "commandstats")
    assert headers(text) == ["commandstats"]
    f = fields(text)
    assert re.fullmatch(r"calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0",
                        f["cmdstat_set"]), f["cmdstat_set"]
    assert f["cmdstat_get"].startswith("calls=2,")
    assert f["cmdstat_incr"].endswith(",rejected_calls=0,failed_calls=1")
    stats = fields(info_text(c, "stats"))
    assert stats["keyspace_hits"] == "1"  # GET k (INCR failing before lookup counts nothing)
    assert stats["keyspace_misses"] == "1"
    assert int(stats["total_commands_processed"]) >= 5
    assert int(stats["total_error_replies"]) >= 1
    # Subcommands are listed as cmd|sub; a command is counted after it runs,
    # so RESETSTAT counts itself.
    assert f["cmdstat_config|resetstat"].startswith("calls=1,")
    assert "cmdstat_info" in fields(info_text(c, "commandstats"))


def test_info_redis_py_parses(r, is_redis):
    r.set("a", 1)
    r.set("b", 2, ex=1000)
    info = r.info()
    for names in SECTION_FIELDS.values():
        for name in names:
            assert name in info
    assert info["db0"]["keys"] == 2
    assert info["db0"]["expires"] == 1
    assert isinstance(info["connected_clients"], int)
    assert isinstance(info["used_cpu_sys"], float)
    full = r.info("all")
    assert full["cmdstat_set"]["calls"] >= 2
    for section in list(SECTION_FIELDS) + ["keyspace", "commandstats", "everything", "default"]:
        assert isinstance(r.info(section), dict)
    if not is_redis:
        assert "vireo_version" in r.info("server")


def test_info_clients_counts(raw, server):
    a = raw()
    extra = [raw() for _ in range(3)]
    ids = [int(e.cmd("CLIENT", "ID")[1:-2]) for e in extra]
    listed = a.cmd("CLIENT", "LIST")
    assert all(b"id=%d " % i in listed for i in ids)
    # Other tests' connections may still be closing: only a lower bound.
    assert int(fields(info_text(a, "clients"))["connected_clients"]) >= 4
    for e in extra:
        e.close()

    def gone():
        listed = a.cmd("CLIENT", "LIST")
        return not any(b"id=%d " % i in listed for i in ids)

    wait_until(gone, msg="closed clients to leave CLIENT LIST")
    n = int(fields(info_text(a, "clients"))["connected_clients"])
    (_, body), _ = parse_reply(a.cmd("CLIENT", "LIST"))
    assert abs(n - body.count(b"\n")) <= 1  # a close may land in between


# --- CONFIG ---------------------------------------------------------------------


def config_get(c, *args):
    (t, items), _ = parse_reply(c.cmd("CONFIG", "GET", *args))
    assert t == b"*"
    vals = [v for _, v in items]
    return dict(zip(vals[::2], vals[1::2]))


def test_config_get(c, server):
    assert config_get(c, "port") == {b"port": str(server.port).encode()}
    assert config_get(c, "port", "bind") == {b"port": str(server.port).encode(), b"bind": b"127.0.0.1"}
    assert config_get(c, "maxmemory") == {b"maxmemory": b"0"}
    assert config_get(c, "databases") == {b"databases": b"16"}
    assert config_get(c, "timeout") == {b"timeout": b"0"}
    assert c.cmd("CONFIG", "GET", "nosuchparam") == b"*0\r\n"
    assert c.cmd("CONFIG", "GET") == arity_err("config|get")


def test_config_get_glob(c):
    got = config_get(c, "maxmemory*")
    assert {b"maxmemory", b"maxmemory-policy"} <= set(got)
    assert all(k.startswith(b"maxmemory") for k in got)
    assert got[b"maxmemory-policy"] == b"noeviction"
    got = config_get(c, "*")
    for name in (b"port", b"bind", b"dir", b"timeout", b"maxclients", b"databases",
                 b"maxmemory", b"hz", b"slowlog-log-slower-than", b"slowlog-max-len",
                 b"proto-max-bulk-len", b"requirepass"):
        assert name in got, name
    # Patterns match case-insensitively and return canonical names.
    assert config_get(c, "Time?ut") == {b"timeout": b"0"}
    got = config_get(c, "slowlog-*")
    assert {b"slowlog-log-slower-than", b"slowlog-max-len"} <= set(got)
    assert all(k.startswith(b"slowlog-") for k in got)
    assert config_get(c, "no-such-*") == {}


def test_config_set(c):
    try:
        assert c.cmd("CONFIG", "SET", "maxmemory", "100mb") == OK
        assert config_get(c, "maxmemory") == {b"maxmemory": b"104857600"}
        assert c.cmd("CONFIG", "SET", "maxmemory", "1gb", "timeout", "300") == OK
        assert config_get(c, "maxmemory", "timeout") == {b"maxmemory": b"1073741824", b"timeout": b"300"}
        assert c.cmd("CONFIG", "SET", "MAXMEMORY-POLICY", "allkeys-lru") == OK
        assert config_get(c, "maxmemory-policy") == {b"maxmemory-policy": b"allkeys-lru"}
        assert fields(info_text(c, "memory"))["maxmemory_policy"] == "allkeys-lru"
    finally:
        assert c.cmd("CONFIG", "SET", "maxmemory", "0", "timeout", "0", "maxmemory-policy", "noeviction") == OK
    assert config_get(c, "maxmemory") == {b"maxmemory": b"0"}


def test_config_set_errors(c):
    assert c.cmd("CONFIG", "SET", "nosuch", "1") == (
        b"-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n")
    assert c.cmd("CONFIG", "SET", "maxmemory", "abc") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n")
    assert c.cmd("CONFIG", "SET", "timeout", "-1") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and"
        b" 2147483647 inclusive\r\n")
    assert c.cmd("CONFIG", "SET", "maxmemory-policy", "bogus") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one"
        b" of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru,"
        b" allkeys-lfu, allkeys-random, noeviction\r\n")
    assert c.cmd("CONFIG", "SET", "timeout", "0", "timeout", "1") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter\r\n")
    assert c.cmd("CONFIG", "SET", "daemonize", "no") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config\r\n")
    assert c.cmd("CONFIG", "SET", "maxmemory") == arity_err("config|set")
    assert c.cmd("CONFIG", "SET", "maxmemory", "1", "timeout") == b"-ERR syntax error\r\n"
    assert c.cmd("CONFIG", "XYZ") == b"-ERR unknown subcommand 'XYZ'. Try CONFIG HELP.\r\n"
    # A failing multi-set changes nothing.
    assert c.cmd("CONFIG", "SET", "timeout", "5", "maxmemory", "abc").startswith(b"-ERR CONFIG SET failed")
    assert config_get(c, "timeout") == {b"timeout": b"0"}


def test_config_resetstat(c):
    assert c.cmd("SET", "k", "v") == OK
    assert c.cmd("GET", "k") == bulk("v")
    assert c.cmd("CONFIG", "RESETSTAT") == OK
    f = fields(info_text(c, "stats"))
    assert f["keyspace_hits"] == "0"
    assert f["keyspace_misses"] == "0"
    assert f["expired_keys"] == "0"
    assert "cmdstat_get" not in fields(info_text(c, "commandstats"))
    assert c.cmd("CONFIG", "RESETSTAT", "x") == arity_err("config|resetstat")


def test_config_rewrite_without_file(c):
    assert c.cmd("CONFIG", "REWRITE") == b"-ERR The server is running without a config file\r\n"


def test_config_rewrite_roundtrip(start_server, tmp_path):
    conf = tmp_path / "test.conf"
    conf.write_text("# initial\ntimeout 0\n")
    srv = start_server(config_file=conf)
    c = srv.raw()
    assert c.cmd("CONFIG", "SET", "maxmemory", "2mb", "timeout", "123",
                 "maxmemory-policy", "allkeys-lru") == OK
    assert c.cmd("CONFIG", "REWRITE") == OK
    text = conf.read_text()
    assert re.search(r"^timeout 123$", text, re.M), text
    assert re.search(r"^maxmemory-policy allkeys-lru$", text, re.M), text
    assert re.search(r"^maxmemory ", text, re.M), text
    srv.stop()
    srv2 = start_server(config_file=conf)
    c2 = srv2.raw()
    assert config_get(c2, "maxmemory", "timeout", "maxmemory-policy") == {
        b"maxmemory": b"2097152", b"timeout": b"123", b"maxmemory-policy": b"allkeys-lru"}


def test_config_file_is_read(start_server, tmp_path):
    conf = tmp_path / "read.conf"
    conf.write_text("# comment\n\ntimeout 77\nmaxmemory-policy volatile-ttl\n")
    c = start_server(config_file=conf).raw()
    assert config_get(c, "timeout", "maxmemory-policy") == {b"timeout": b"77",
                                                           b"maxmemory-policy": b"volatile-ttl"}


# --- COMMAND ----------------------------------------------------------------------


def test_command_count_list(c):
    count = int(c.cmd("COMMAND", "COUNT")[1:-2])
    (_, all_info), _ = parse_reply(c.cmd("COMMAND"))
    assert len(all_info) == count
    (_, names), _ = parse_reply(c.cmd("COMMAND", "LIST"))
    names = [v for _, v in names]
    # COMMAND LIST also lists subcommands as "parent|sub".
    assert len([n for n in names if b"|" not in n]) == count
    assert b"config|get" in names and b"client|id" in names
    for cmd in (b"get", b"set", b"ping", b"client", b"config", b"info", b"command", b"expire", b"scan"):
        assert cmd in names
    (_, got), _ = parse_reply(c.cmd("COMMAND", "LIST", "FILTERBY", "PATTERN", "getra*"))
    assert [v for _, v in got] == [b"getrange"]
    assert c.cmd("COMMAND", "LIST", "FILTERBY", "FOO", "x") == b"-ERR syntax error\r\n"
    assert c.cmd("COMMAND", "COUNT", "x") == arity_err("command|count")
    assert c.cmd("COMMAND", "FOO") == b"-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n"


def test_command_info(c):
    reply = c.cmd("COMMAND", "INFO", "get")
    assert reply.startswith(
        b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
        b"*3\r\n+@read\r\n+@string\r\n+@fast\r\n")
    (_, [(_, info)]), _ = parse_reply(reply)
    assert len(info) == 10
    reply = c.cmd("COMMAND", "INFO", "nosuch", "SET", "mset")
    (_, entries), _ = parse_reply(reply)
    assert entries[0] == (b"*", None) or entries[0] == (b"$", None)
    assert reply.startswith(b"*3\r\n$-1\r\n*10\r\n$3\r\nset\r\n:-3\r\n")
    assert entries[2][1][:6] == [(b"$", b"mset"), (b":", b"-3"), entries[2][1][2], (b":", b"1"),
                                 (b":", b"-1"), (b":", b"2")]
    reply = c.cmd("COMMAND", "INFO", "config|get")
    assert reply.startswith(b"*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n")


def doc_fields(doc):
    return {doc[i][1]: doc[i + 1] for i in range(0, len(doc), 2)}


# Summaries and complexities are prose, which Vireo words itself: only the
# structure and the data fields (version, group, subcommand names) must match.
def test_command_docs(c):
    (t, items), _ = parse_reply(c.cmd("COMMAND", "DOCS", "get"))
    assert t == b"*" and items[0] == (b"$", b"get")
    d = doc_fields(items[1][1])
    for field in (b"summary", b"complexity"):
        kind, text = d[field]
        assert kind == b"$" and text
    assert d[b"since"] == (b"$", b"1.0.0")
    assert d[b"group"] == (b"$", b"string")
    assert c.cmd("COMMAND", "DOCS", "nosuch") == b"*0\r\n"
    # A container's subcommands are a map keyed by full name, each documented.
    (_, items), _ = parse_reply(c.cmd("COMMAND", "DOCS", "config"))
    assert items[0] == (b"$", b"config")
    d = doc_fields(items[1][1])
    assert d[b"group"] == (b"$", b"server")
    kind, subs = d[b"subcommands"]
    assert kind == b"*"
    subs = {subs[i][1]: doc_fields(subs[i + 1][1]) for i in range(0, len(subs), 2)}
    assert {b"config|get", b"config|set", b"config|help"} <= set(subs)
    assert subs[b"config|get"][b"since"] == (b"$", b"2.0.0")
    assert subs[b"config|get"][b"group"] == (b"$", b"server")
    assert subs[b"config|get"][b"summary"][1]


def test_command_getkeys(c):
    assert c.cmd("COMMAND", "GETKEYS", "SET", "k", "v") == b"*1\r\n$1\r\nk\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "GET", "k") == b"*1\r\n$1\r\nk\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "DEL", "a", "b", "c") == b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "PING", "x") == b"-ERR The command has no key arguments\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "nosuch", "x") == b"-ERR Invalid command specified\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "GET", "k", "extra") == (
        b"-ERR Invalid number of arguments specified for command\r\n")
    assert c.cmd("COMMAND", "GETKEYS", "GET") == arity_err("command|getkeys")


def test_command_redis_py(r):
    assert r.command_count() > 50
    cmds = r.command()
    assert cmds["get"]["arity"] == 2


# --- TIME / DEBUG -------------------------------------------------------------------


def test_time(c):
    before = time.time()
    (t, [(t1, sec), (t2, usec)]), _ = parse_reply(c.cmd("TIME"))
    after = time.time()
    assert t == b"*" and t1 == t2 == b"$"
    assert re.fullmatch(rb"\d+", sec) and re.fullmatch(rb"\d+", usec)
    assert 0 <= int(usec) < 1_000_000
    server_t = int(sec) + int(usec) / 1e6
    assert before - 1 <= server_t <= after + 1
    assert c.cmd("TIME", "x") == arity_err("time")


def test_debug(c):
    assert c.cmd("DEBUG", "SLEEP", "0") == OK
    start = time.monotonic()
    assert c.cmd("DEBUG", "SLEEP", "0.2") == OK
    assert time.monotonic() - start >= 0.19
    assert c.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0") == OK
    # DEBUG OBJECT shows what is stored, even past its deadline, and deletes nothing.
    assert c.cmd("SET", "short", "v", "PX", "1") == OK
    deadline_ms = int(c.cmd("PEXPIRETIME", "short")[1:])

    def server_ms():  # TIME, not a lookup of the key: a lookup would delete it
        sec, usec = re.findall(rb"\$\d+\r\n(\d+)", c.cmd("TIME"))
        return int(sec) * 1000 + int(usec) // 1000
    wait_until(lambda: server_ms() > deadline_ms, msg="the deadline to pass")
    assert c.cmd("DBSIZE") == b":1\r\n"
    assert c.cmd("DEBUG", "OBJECT", "short").startswith(b"+Value at:")
    assert c.cmd("DBSIZE") == b":1\r\n"
    assert c.cmd("GET", "short") == b"$-1\r\n"  # a read deletes it
    assert c.cmd("DBSIZE") == b":0\r\n"
    assert c.cmd("DEBUG", "OBJECT", "short") == b"-ERR no such key\r\n"
    assert c.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1") == OK
    assert c.cmd("DEBUG") == arity_err("debug")
    assert c.cmd("DEBUG", "NOSUCHSUB") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'NOSUCHSUB'. Try DEBUG HELP.\r\n")


# --- SLOWLOG ------------------------------------------------------------------------


def test_slowlog(start_server):
    srv = start_server(slowlog_log_slower_than=0, slowlog_max_len=3)
    c = srv.raw()
    assert c.cmd("SLOWLOG", "RESET") == OK
    assert c.cmd("CLIENT", "SETNAME", "slowpoke") == OK
    assert c.cmd("SET", "a", "b") == OK
    # A command is logged after it runs: RESET logs itself, LEN does not see itself.
    assert c.cmd("SLOWLOG", "LEN") == integer(3)
    (t, entries), _ = parse_reply(c.cmd("SLOWLOG", "GET", "1"))
    assert t == b"*" and len(entries) == 1
    e = entries[0][1]
    assert len(e) == 6
    assert e[0][0] == b":" and e[1][0] == b":" and e[2][0] == b":"
    assert abs(int(e[1][1]) - time.time()) < 60
    assert e[3] == (b"*", [(b"$", b"SLOWLOG"), (b"$", b"LEN")])
    assert e[4] == (b"$", b"127.0.0.1:%d" % c.sock.getsockname()[1])
    assert e[5] == (b"$", b"slowpoke")
    (_, entries), _ = parse_reply(c.cmd("SLOWLOG", "GET", "-1"))
    # Newest first, capped at slowlog-max-len, ids consecutive and decreasing.
    assert [[v for _, v in x[1][3][1]] for x in entries] == [
        [b"SLOWLOG", b"GET", b"1"], [b"SLOWLOG", b"LEN"], [b"SET", b"a", b"b"]]
    ids = [int(x[1][0][1]) for x in entries]
    assert ids == [ids[2] + 2, ids[2] + 1, ids[2]]
    # Ids are not reset by SLOWLOG RESET; an unnamed client is an empty name.
    c2 = srv.raw()
    assert c2.cmd("SLOWLOG", "RESET") == OK
    (_, entries), _ = parse_reply(c2.cmd("SLOWLOG", "GET"))
    assert len(entries) == 1
    assert int(entries[0][1][0][1]) > ids[0]
    assert entries[0][1][5] == (b"$", b"")
    assert c.cmd("SLOWLOG", "GET", "0") == b"*0\r\n"
    assert c.cmd("SLOWLOG", "GET", "x") == b"-ERR count should be greater than or equal to -1\r\n"
    assert c.cmd("SLOWLOG", "GET", "-2") == b"-ERR count should be greater than or equal to -1\r\n"
    assert c.cmd("SLOWLOG", "RESET") == OK
    assert c.cmd("CONFIG", "SET", "slowlog-log-slower-than", "10000000") == OK
    assert c.cmd("SLOWLOG", "RESET") == OK
    assert c.cmd("SLOWLOG", "LEN") == integer(0)
    assert c.cmd("SLOWLOG", "GET") == b"*0\r\n"
    assert c.cmd("SLOWLOG", "LEN", "x") == arity_err("slowlog|len")
    assert c.cmd("SLOWLOG", "FOO") == b"-ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.\r\n"


def test_slowlog_truncates_long_args(start_server):
    c = start_server(slowlog_log_slower_than=0).raw()
    assert c.cmd("SLOWLOG", "RESET") == OK
    args = [str(i) for i in range(40)]
    assert c.cmd("DEL", *args) == integer(0)
    (_, entries), _ = parse_reply(c.cmd("SLOWLOG", "GET", "1"))
    logged = [v for _, v in entries[0][1][3][1]]
    # At most 32 arguments are kept, the last one says how many more there were.
    assert len(logged) == 32
    assert logged[:31] == [b"DEL"] + [str(i).encode() for i in range(30)]
    assert logged[31] == b"... (10 more arguments)"
    long_value = "x" * 200
    assert c.cmd("SLOWLOG", "RESET") == OK
    assert c.cmd("ECHO", long_value) == bulk(long_value)
    (_, entries), _ = parse_reply(c.cmd("SLOWLOG", "GET", "1"))
    assert entries[0][1][3][1][1][1] == b"x" * 128 + b"... (72 more bytes)"


# --- MONITOR ----------------------------------------------------------------------------


def test_monitor(raw):
    m, other = raw(), raw()
    assert m.cmd("MONITOR") == OK
    assert other.cmd("set", "foo", 'bar baz"\n\x01') == OK
    assert other.cmd("SELECT", "3") == OK
    assert other.cmd("GET", "x") == NULL
    port = other.sock.getsockname()[1]
    lines = [m.read_reply() for _ in range(3)]
    pat = rb"\+(\d+\.\d{6}) \[(\d+) 127\.0\.0\.1:(\d+)\] (.*)\r\n"
    parsed = [re.fullmatch(pat, line, re.S) for line in lines]
    assert all(parsed), lines
    assert [p.group(4) for p in parsed] == [
        b'"set" "foo" "bar baz\\"\\n\\x01"', b'"SELECT" "3"', b'"GET" "x"']
    # The db shown is the client's db after the command ran.
    assert [p.group(2) for p in parsed] == [b"0", b"3", b"3"]
    assert all(int(p.group(3)) == port for p in parsed)
    assert abs(float(parsed[0].group(1)) - time.time()) < 60


def test_monitor_redis_py_client_commands(raw, r):
    m = raw()
    assert m.cmd("MONITOR") == OK
    r.set("pykey", "pyval")
    line = m.read_reply()
    while b'"pykey"' not in line:  # skip anything redis-py sends first
        line = m.read_reply()
    assert line.endswith(b'"SET" "pykey" "pyval"\r\n')


# --- SHUTDOWN -----------------------------------------------------------------------------


def test_shutdown_nosave(start_server):
    srv = start_server()
    c = srv.raw()
    assert c.cmd("SET", "k", "v") == OK
    c.send(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
    c.wait_closed()
    assert srv.wait_exit(timeout=20) == 0
    assert not srv.alive()


def test_shutdown_errors(c):
    assert c.cmd("SHUTDOWN", "BOGUS") == b"-ERR syntax error\r\n"
    assert c.cmd("PING") == b"+PONG\r\n"


def test_info_errorstats_counts_error_replies_by_code(r, raw):
    r.config_resetstat()
    conn = raw()
    for args in (["GET"], ["NOSUCHCMD"], ["SET", "k", "v"], ["INCR", "k"]):
        conn.cmd(*args)
    assert r.info("errorstats") == {"errorstat_ERR": "count=3"}  # as redis-py 4.3 parses it
    assert r.info("stats")["total_error_replies"] == 3
    assert "errorstat_ERR" in r.info()  # part of the default sections, as in Redis
