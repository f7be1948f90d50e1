"""Fixtures for the Vireo integration suite.

Binary under test: $VIREO_SERVER (absolute path), default <repo>/build/vireo-server.
Run against real Redis to validate the expectations:

    VIREO_SERVER=/usr/bin/redis-server /usr/bin/python3 -m pytest -q integration

Fixtures
    server_binary   (session)  path of the binary under test
    is_redis        (session)  True when the binary under test is redis-server
    server          (function) the shared session ServerProcess; restarted if a
                               previous test killed it; a test that kills it
                               gets a teardown error with the log tail
    r               (function) redis.Redis(decode_responses=False) on `server`,
                               after FLUSHALL
    rd              (function) same, decode_responses=True
    raw             (function) factory: raw(srv=None) -> RawConn to `server`
                               (or to srv); all closed at teardown; `server`
                               is FLUSHALLed once at set-up
    start_server    (function) factory:
                               start_server(config=None, config_file=None, **config)
                               -> a fresh, started ServerProcess with `--name value`
                               options (underscores in kwargs become dashes) and
                               optionally a config file as first argument; all
                               stopped at teardown
    missing_commands (session) missing_commands(names) -> the names (upper-cased)
                               for which `COMMAND INFO` on the binary under test
                               replies nil
    require_commands (function) require_commands(names, what=""): skips the test,
                               reason what + CONTAINER_TYPES_REASON, unless the
                               binary under test knows all of names (what the
                               marker uses)

Marker
    @pytest.mark.container_types("RPUSH", "LLEN", ...)
        The test needs those list/hash/set/sorted-set commands (default: RPUSH
        HSET SADD ZADD). It is skipped, reason CONTAINER_TYPES_REASON plus the
        missing names, while the binary under test lacks any of them, and runs
        as soon as they all exist. Name every container command the test sends.
"""

import os

import pytest
import redis

from helpers import (DEFAULT_TIMEOUT, RawConn, ServerDied, ServerProcess, is_redis_binary,
                     parse_reply, start_or_fail)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CONTAINER_TYPES_REASON = "needs lists/hashes/sets/sorted sets (issue 3)"
DEFAULT_CONTAINER_COMMANDS = ("RPUSH", "HSET", "SADD", "ZADD")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "container_types(*commands): needs these list/hash/set/zset commands on the server"
        " under test (default RPUSH HSET SADD ZADD); skipped while any is missing",
    )


def _binary():
    return os.path.abspath(os.environ.get("VIREO_SERVER") or os.path.join(REPO, "build", "vireo-server"))


@pytest.fixture(scope="session")
def server_binary():
    path = _binary()
    if not os.path.exists(path):
        pytest.fail(f"server binary {path} not found: build it or set VIREO_SERVER")
    return path


@pytest.fixture(scope="session")
def is_redis(server_binary):
    return is_redis_binary(server_binary)


class _Holder:
    def __init__(self, binary, tmp_factory):
        self.binary = binary
        self.tmp_factory = tmp_factory
        self.srv = None
        self.start_failure = None

    def get(self):
        if self.start_failure:  # do not wait for a broken binary in every test
            raise ServerDied(f"(earlier start-up failure) {self.start_failure}")
        if self.srv is None or not self.srv.alive():
            if self.srv is not None:
                self.srv.stop()
            d = self.tmp_factory.mktemp("server")
            self.srv = ServerProcess(self.binary, d)
            try:
                self.srv.start()
            except ServerDied as exc:
                self.start_failure = str(exc)
                raise
        return self.srv


@pytest.fixture(scope="session")
def _server_holder(server_binary, tmp_path_factory):
    holder = _Holder(server_binary, tmp_path_factory)
    yield holder
    if holder.srv is not None:
        holder.srv.stop()


@pytest.fixture
def server(_server_holder):
    failure = None
    try:
        srv = _server_holder.get()
    except ServerDied as exc:
        failure = str(exc)
    if failure:
        pytest.fail(failure, pytrace=False)
    yield srv
    if not srv.alive():
        pytest.fail(
            f"the shared server died during this test (status {srv.proc.returncode});"
            f" log tail:\n{srv.log_tail()}",
            pytrace=False,
        )


def _client(srv, **kwargs):
    c = redis.Redis(host="127.0.0.1", port=srv.port, socket_timeout=DEFAULT_TIMEOUT, **kwargs)
    c.flushall()
    return c


@pytest.fixture
def r(server):
    c = _client(server)
    yield c
    c.close()


@pytest.fixture
def rd(server):
    c = _client(server, decode_responses=True)
    yield c
    c.close()


@pytest.fixture
def raw(server):
    conns = []
    with RawConn(server.port) as c:
        assert c.cmd("FLUSHALL") == b"+OK\r\n"

    def make(srv=None, timeout=DEFAULT_TIMEOUT):
        c = RawConn((srv or server).port, timeout=timeout)
        conns.append(c)
        return c

    yield make
    for c in conns:
        c.close()


@pytest.fixture
def start_server(server_binary, tmp_path_factory):
    servers = []

    def start(config=None, config_file=None, **kwargs):
        cfg = list((config or {}).items()) if isinstance(config, dict) else list(config or [])
        cfg += [(k.replace("_", "-"), v) for k, v in kwargs.items()]
        srv = ServerProcess(server_binary, tmp_path_factory.mktemp("srv"), cfg, config_file=config_file)
        servers.append(srv)
        return start_or_fail(srv)

    yield start
    for srv in servers:
        srv.stop()


def _commands_known(port, names):
    """{NAME: bool} from one `COMMAND INFO name...` (nil = unknown command)."""
    with RawConn(port) as c:
        reply = c.cmd("COMMAND", "INFO", *names)
    try:
        (t, items), rest = parse_reply(reply)
    except (ValueError, TypeError):
        t, items, rest = None, None, b"?"
    if t != b"*" or rest or items is None or len(items) != len(names):
        raise AssertionError(f"COMMAND INFO {' '.join(names)} gave an unusable reply {reply!r}")
    return {name: item[1] is not None for name, item in zip(names, items)}


@pytest.fixture(scope="session")
def missing_commands(_server_holder):
    known = {}  # one binary per session: a restarted server knows the same commands

    def missing(names):
        names = [n.upper() for n in names]
        unasked = sorted({n for n in names if n not in known})
        if unasked:
            try:
                srv = _server_holder.get()
            except ServerDied as exc:
                pytest.fail(str(exc), pytrace=False)
            known.update(_commands_known(srv.port, unasked))
        return [n for n in names if not known[n]]

    return missing


@pytest.fixture
def require_commands(missing_commands):
    def require(names, what=""):
        absent = missing_commands(names)
        if absent:
            pytest.skip(f"{what}{CONTAINER_TYPES_REASON}: the server under test lacks {' '.join(absent)}")

    return require


@pytest.fixture(autouse=True)
def _container_types(request):
    marker = request.node.get_closest_marker("container_types")
    if marker is not None:
        request.getfixturevalue("require_commands")(marker.args or DEFAULT_CONTAINER_COMMANDS)
