"""Differential test: the same scripted commands against Debian's redis-server
(the reference) and the binary under test; every reply compared byte for byte.

Scripts and their syntax: integration/differential/ (see README.md there).
"""

import glob
import os

import pytest

from diffscript import (canonical_sorted, parse_script, replies_match, run_script, script_requires,
                        split_args)
from helpers import RawConn, ServerProcess, parse_reply, reply_shape, start_or_fail

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = sorted(glob.glob(os.path.join(HERE, "differential", "*.txt")))
REFERENCE = os.environ.get("VIREO_REFERENCE_SERVER", "/usr/bin/redis-server")


@pytest.fixture(scope="module")
def reference_server(tmp_path_factory):
    if not os.path.exists(REFERENCE):
        pytest.skip(f"reference server {REFERENCE} not installed")
    srv = start_or_fail(ServerProcess(REFERENCE, tmp_path_factory.mktemp("reference")))
    yield srv
    srv.stop()


@pytest.mark.parametrize("script", SCRIPTS, ids=[os.path.basename(s) for s in SCRIPTS])
def test_script(script, reference_server, server, server_binary, require_commands):
    lines = parse_script(script)
    assert lines, f"{script} has no commands"
    require_commands(script_requires(script), what=f"{os.path.basename(script)} ")
    result = run_script(lines, reference_server.port, server.port)
    reference_server.check_alive()
    if result.mismatches or result.aborted:
        name = os.path.basename(server_binary)
        report = [m.describe("redis", name) for m in result.mismatches]
        summary = (f"{len(result.mismatches)} of {result.lines_run} lines differ in"
                   f" {os.path.basename(script)}" + (f" ({result.aborted})" if result.aborted else ""))
        pytest.fail(summary + "\n\n" + "\n\n".join(report), pytrace=False)


def test_scripts_exist():
    assert len(SCRIPTS) >= 5


# Commands of these ACL categories need a key type other than strings.
CONTAINER_CATEGORIES = {b"@list", b"@hash", b"@set", b"@sortedset", b"@stream", b"@geo",
                        b"@hyperloglog"}


def container_commands(port, names):
    """The names whose COMMAND INFO (on the server at port) has a container category."""
    with RawConn(port) as c:
        (_, infos), _ = parse_reply(c.cmd("COMMAND", "INFO", *names))
    found = set()
    for name, (_, info) in zip(names, infos):
        if info is not None and CONTAINER_CATEGORIES & {v for _, v in info[6][1]}:
            found.add(name)
    return found


def test_scripts_declare_container_commands(reference_server):
    """Every list/hash/set/zset... command a script sends is in its `# requires:`
    header, so the script is skipped (not failed) on a server that lacks it."""
    undeclared = []
    for script in SCRIPTS:
        used = sorted({line.args[0].upper().decode("latin-1") for line in parse_script(script)})
        needed = container_commands(reference_server.port, used)
        missing = needed - set(script_requires(script))
        if missing:
            undeclared.append(f"{os.path.basename(script)}: {' '.join(sorted(missing))}")
    assert not undeclared, "container commands missing from `# requires:` headers:\n" + "\n".join(undeclared)
    assert container_commands(reference_server.port, ["RPUSH", "GET", "SMEMBERS"]) == {"RPUSH", "SMEMBERS"}


# --- the machinery itself -----------------------------------------------------------


def test_split_args():
    assert split_args('SET k "a b"') == ([b"SET", b"k", b"a b"], None)
    assert split_args(r'SET k "\x00\xff\n\"\\"') == ([b"SET", b"k", b'\x00\xff\n"\\'], None)
    assert split_args(r"SET k 'it\'s \n'") == ([b"SET", b"k", b"it's \\n"], None)
    assert split_args('SET "" ""  # shape why') == ([b"SET", b"", b""], "shape why")
    assert split_args('SET k "#notacomment" a#b') == ([b"SET", b"k", b"#notacomment", b"a#b"], None)
    assert split_args("   # only a comment") == ([], "only a comment")
    assert split_args("") == ([], None)
    for bad in ('SET "abc', "SET 'abc", 'SET "a"b'):
        with pytest.raises(ValueError):
            split_args(bad)


def test_modes():
    assert replies_match("exact", b"+OK\r\n", b"+OK\r\n")
    assert not replies_match("exact", b":1\r\n", b":2\r\n")
    assert replies_match("shape", b":1\r\n", b":2\r\n")
    assert not replies_match("shape", b":1\r\n", b"$1\r\n1\r\n")
    assert not replies_match("shape", b"*1\r\n:1\r\n", b"*2\r\n:1\r\n:2\r\n")
    assert replies_match("sorted", b"*2\r\n$1\r\nb\r\n$1\r\na\r\n", b"*2\r\n$1\r\na\r\n$1\r\nb\r\n")
    assert not replies_match("sorted", b"*2\r\n$1\r\nb\r\n$1\r\na\r\n", b"*2\r\n$1\r\na\r\n$1\r\nc\r\n")
    assert replies_match("skip", b":1\r\n", "<connection closed>")
    assert not replies_match("exact", b"+OK\r\n", "<connection closed>")
    assert canonical_sorted(b"%2\r\n$1\r\nz\r\n:1\r\n$1\r\na\r\n:2\r\n") == \
        b"%2\r\n$1\r\na\r\n:2\r\n$1\r\nz\r\n:1\r\n"
    assert reply_shape(b"%1\r\n$1\r\na\r\n*2\r\n:1\r\n_\r\n") == "%2{$,*2{:,_}}"


def test_script_requires(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("# about\n# requires: rpush HSET\n\n# Requires: zadd\nGET k\n# requires: SADD\n")
    assert script_requires(path) == ["RPUSH", "HSET", "ZADD"]
    path.write_text("GET k\n")
    assert script_requires(path) == []
