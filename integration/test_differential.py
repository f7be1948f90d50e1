"""Differential test: the same scripted commands against Debian's redis-server
(the reference) and the binary under test; every reply compared byte for byte.

Scripts and their syntax: integration/differential/ (see README.md there).
"""

import glob
import os

import pytest

from diffscript import canonical_sorted, parse_script, replies_match, run_script, split_args
from helpers import ServerDied, ServerProcess, reply_shape

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = sorted(glob.glob(os.path.join(HERE, "differential", "*.txt")))
REFERENCE = os.environ.get("VIREO_REFERENCE_SERVER", "/usr/bin/redis-server")


@pytest.fixture(scope="module")
def reference_server(tmp_path_factory):
    if not os.path.exists(REFERENCE):
        pytest.skip(f"reference server {REFERENCE} not installed")
    srv = ServerProcess(REFERENCE, tmp_path_factory.mktemp("reference"))
    failure = None
    try:
        srv.start()
    except ServerDied as exc:
        failure = str(exc)
    if failure:
        pytest.fail(failure, pytrace=False)
    yield srv
    srv.stop()


@pytest.mark.parametrize("script", SCRIPTS, ids=[os.path.basename(s) for s in SCRIPTS])
def test_script(script, reference_server, server, server_binary):
    lines = parse_script(script)
    assert lines, f"{script} has no commands"
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
