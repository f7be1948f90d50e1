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
"""

import os

import pytest
import redis

from helpers import DEFAULT_TIMEOUT, RawConn, ServerDied, ServerProcess, is_redis_binary

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
        failure = None
        try:
            srv.start()
        except ServerDied as exc:
            failure = str(exc)
        if failure:
            pytest.fail(failure, pytrace=False)
        return srv

    yield start
    for srv in servers:
        srv.stop()
