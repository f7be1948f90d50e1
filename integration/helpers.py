"""Reusable helpers for the Vireo integration suite.

Everything here is independent of pytest except where noted, so it can also
be used from an interactive interpreter:

    >>> from helpers import ServerProcess
    >>> s = ServerProcess("/usr/bin/redis-server", "/tmp/x"); s.start()
    >>> c = s.raw(); c.cmd("PING")
    b'+PONG\\r\\n'
"""

import os
import signal
import socket
import subprocess
import time

import pytest
import redis

CRLF = b"\r\n"

# Generous: the suite runs on a busy 2-core machine.
DEFAULT_TIMEOUT = 10.0


# --------------------------------------------------------------------------
# Polling
# --------------------------------------------------------------------------

def start_or_fail(srv):
    """Starts `srv`; a server that dies during start-up fails the test with its log tail."""
    failure = None
    try:
        srv.start()
    except ServerDied as exc:
        failure = str(exc)
    if failure:
        pytest.fail(failure, pytrace=False)
    return srv


def wait_until(cond, timeout=DEFAULT_TIMEOUT, interval=0.01, msg="condition"):
    """Poll cond() until it returns a truthy value; return that value.

    Raises AssertionError with `msg` (a string or a callable producing one)
    when the deadline passes.  The last exception raised by cond(), if any,
    is included in the message.
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = cond()
            if value:
                return value
            last_exc = None
        except Exception as exc:  # noqa: BLE001 - reported below
            last_exc = exc
        if time.monotonic() >= deadline:
            text = msg() if callable(msg) else msg
            extra = f" (last error: {last_exc!r})" if last_exc else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {text}{extra}")
        time.sleep(interval)


def blocked_clients(r):
    """INFO clients blocked_clients of the server behind redis-py client r."""
    return r.info("clients")["blocked_clients"]


def park(raw, r, *args):
    """Sends a blocking request on a new raw connection and waits until it is parked."""
    before = blocked_clients(r)
    c = raw()
    c.send(encode_command(*args))
    wait_until(lambda: blocked_clients(r) == before + 1, msg=f"{args[0]} to park")
    return c


def server_ms(r):
    """The server's clock (TIME), in milliseconds."""
    seconds, micros = r.time()
    return int(seconds) * 1000 + int(micros) // 1000


def wait_past_deadline(r, key):
    """Waits until the server's clock passes `key`'s deadline, without
    touching the key afterwards (TIME reads no key), so that the key is
    expired but still stored unless active expiry reclaims it."""
    deadline = r.execute_command("PEXPIRETIME", key)
    assert deadline > 0, f"{key!r} has no deadline"
    wait_until(lambda: server_ms(r) > deadline, msg=f"the server clock to pass {key!r}'s deadline")


def free_port():
    """A TCP port that was free a moment ago (bind to port 0, read it back)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_redis_binary(path):
    return "redis" in os.path.basename(path)


# --------------------------------------------------------------------------
# RESP
# --------------------------------------------------------------------------

def encode_command(*args):
    """Encode args as a RESP multibulk request.  str/int/float/bytes accepted."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, bytes):
            b = a
        elif isinstance(a, str):
            b = a.encode()
        elif isinstance(a, (int, float)):
            b = repr(a).encode()
        else:
            raise TypeError(f"cannot encode {a!r}")
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class ConnectionClosed(Exception):
    """The peer closed the connection before a complete reply arrived."""

    def __init__(self, partial=b""):
        super().__init__(f"connection closed (partial reply: {partial!r})")
        self.partial = partial


# Types whose whole reply is one line.
_LINE_TYPES = b"+-:_,#("
# Types with a length line followed by that many bytes and CRLF.
_BULK_TYPES = b"$!="
# Aggregates of N replies, and of 2N replies.
_ARRAY_TYPES = b"*~>"
_MAP_TYPES = b"%|"


class RespReader:
    """Reads exactly one RESP2/RESP3 reply at a time from a socket and
    returns its raw bytes (nothing more is consumed from the stream)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def _fill(self, partial):
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            raise ConnectionClosed(bytes(partial) + bytes(self.buf))
        self.buf += chunk

    def _line(self, out):
        while True:
            i = self.buf.find(CRLF)
            if i >= 0:
                line = bytes(self.buf[: i + 2])
                del self.buf[: i + 2]
                out += line
                return line
            self._fill(out)

    def _exact(self, n, out):
        while len(self.buf) < n:
            self._fill(out)
        data = bytes(self.buf[:n])
        del self.buf[:n]
        out += data
        return data

    def _one(self, out):
        line = self._line(out)
        t = line[:1]
        if not t:
            raise ValueError("empty reply line")
        if t in _LINE_TYPES:
            return
        if t in _BULK_TYPES:
            n = int(line[1:-2])
            if n >= 0:
                self._exact(n + 2, out)
            return
        if t in _ARRAY_TYPES or t in _MAP_TYPES:
            n = int(line[1:-2])
            if t in _MAP_TYPES:
                n *= 2
            for _ in range(max(n, 0)):
                self._one(out)
            if t == b"|":  # an attribute precedes the reply it decorates
                self._one(out)
            return
        raise ValueError(f"unknown RESP type byte {t!r} in line {line!r}")

    def read(self):
        out = bytearray()
        self._one(out)
        return bytes(out)

    def pending(self):
        """Bytes already received but not yet consumed."""
        return bytes(self.buf)


def parse_reply(data):
    """Parse the raw bytes of one reply into (type_byte, value) trees.

    Scalars: (type, bytes-or-None); aggregates: (type, [children]).
    Attributes (`|`) become ('|', [attr children..., reply]).
    Returns (tree, rest_of_data).
    """
    i = data.index(CRLF)
    t, head, rest = data[:1], data[1:i], data[i + 2:]
    if t in _LINE_TYPES:
        return (t, head), rest
    if t in _BULK_TYPES:
        n = int(head)
        if n < 0:
            return (t, None), rest
        return (t, rest[:n]), rest[n + 2:]
    n = int(head)
    if n < 0:
        return (t, None), rest
    count = n * 2 if t in _MAP_TYPES else n
    if t == b"|":
        count += 1
    children = []
    for _ in range(count):
        child, rest = parse_reply(rest)
        children.append(child)
    return (t, children), rest


def reply_shape(data):
    """Structure of a reply without scalar contents: a string like
    '%7{$,$,$,$,$,:,...}' (types and aggregate lengths), used to compare
    replies whose values legitimately differ between servers."""

    def shape(node):
        t, v = node
        ts = t.decode()
        if isinstance(v, list):
            return f"{ts}{len(v)}{{{','.join(shape(c) for c in v)}}}"
        if v is None:
            return f"{ts}null"
        return ts

    tree, rest = parse_reply(data)
    assert not rest, f"trailing bytes after reply: {rest!r}"
    return shape(tree)


def sorted_reply(data):
    """Canonical form of an array/set reply with its elements sorted (for
    replies whose order is unspecified, e.g. KEYS).  Other replies are
    returned unchanged."""
    tree, rest = parse_reply(data)
    assert not rest
    t, v = tree
    if t not in b"*~" or not isinstance(v, list):
        return data
    # Re-split the raw element bytes to keep them byte-exact.
    head, body = data.split(CRLF, 1)
    elems = []
    for _ in v:
        _, after = parse_reply(body)
        elems.append(body[: len(body) - len(after)])
        body = after
    return head + CRLF + b"".join(sorted(elems))


# --------------------------------------------------------------------------
# Raw socket connection
# --------------------------------------------------------------------------

class RawConn:
    """A plain TCP connection that sends arbitrary bytes and reads exact
    reply bytes.

        c = RawConn(port)
        c.cmd("SET", "k", "v")   -> b"+OK\\r\\n"   (RESP multibulk request)
        c.send(b"PING\\r\\n")     -> None          (any bytes, e.g. inline)
        c.read_reply()           -> b"+PONG\\r\\n"
        c.wait_closed()          -> asserts the server closes the connection
    """

    def __init__(self, port, host="127.0.0.1", timeout=DEFAULT_TIMEOUT):
        self.port = port
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = RespReader(self.sock)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def read_reply(self):
        return self.reader.read()

    def read_replies(self, n):
        return [self.reader.read() for _ in range(n)]

    def cmd(self, *args):
        """Send one command as a RESP multibulk and return its raw reply."""
        self.sock.sendall(encode_command(*args))
        return self.reader.read()

    def inline(self, line):
        """Send one inline command (CRLF appended) and return its raw reply."""
        if isinstance(line, str):
            line = line.encode()
        self.sock.sendall(line + CRLF)
        return self.reader.read()

    def is_closed(self, timeout=DEFAULT_TIMEOUT):
        """True when the peer closes (EOF/reset) within timeout with no
        further data; raises AssertionError if unexpected data arrives."""
        deadline = time.monotonic() + timeout
        if self.reader.pending():
            raise AssertionError(f"unexpected data: {self.reader.pending()!r}")
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                return False
            except (ConnectionResetError, BrokenPipeError):
                return True
            finally:
                self.sock.settimeout(DEFAULT_TIMEOUT)
            if not chunk:
                return True
            raise AssertionError(f"unexpected data instead of close: {chunk!r}")

    def wait_closed(self, timeout=DEFAULT_TIMEOUT):
        assert self.is_closed(timeout), f"server did not close the connection within {timeout}s"

    def assert_silent(self, wait=0.2):
        """Assert nothing arrives for `wait` seconds (for commands that must
        not reply).  Prefer following up with a command whose reply proves
        ordering instead; this is a cheap extra check."""
        self.sock.settimeout(wait)
        try:
            chunk = self.sock.recv(4096)
        except socket.timeout:
            chunk = None
        finally:
            self.sock.settimeout(DEFAULT_TIMEOUT)
        assert chunk is None, f"unexpected data: {chunk!r}"

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------
# Server processes
# --------------------------------------------------------------------------

class ServerDied(Exception):
    pass


class ServerProcess:
    """One server process on a free port, logging to <dir>/server.log.

    config: dict or list of (name, value) pairs, passed as `--name value`.
    config_file: optional path passed as the first argument (before options).
    """

    def __init__(self, binary, directory, config=None, port=None, config_file=None):
        self.binary = binary
        self.dir = str(directory)
        os.makedirs(self.dir, exist_ok=True)
        if isinstance(config, dict):
            config = list(config.items())
        self.config = list(config or [])
        self.port = port
        self.config_file = str(config_file) if config_file else None
        self.proc = None
        self.log_path = os.path.join(self.dir, "server.log")
        self._log = None
        self._clients = []

    @property
    def is_redis(self):
        return is_redis_binary(self.binary)

    def argv(self):
        args = [self.binary]
        if self.config_file:
            args.append(self.config_file)
        # Both refuse DEBUG by default (enable-debug-command no); the tests need it.
        args += ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                 "--enable-debug-command", "yes"]
        if self.is_redis:
            args += ["--save", "", "--appendonly", "no"]
        for name, value in self.config:
            args += [f"--{name}", str(value)]
        return args

    def start(self, timeout=20.0, loaded=True):
        """Starts the process and waits until it answers PING; with
        loaded=False, a -LOADING answer is enough (the server is up, still
        replaying its data)."""
        if not os.path.exists(self.binary):
            raise FileNotFoundError(
                f"server binary {self.binary} not found (build it, or set VIREO_SERVER)"
            )
        attempts = 0
        while True:
            attempts += 1
            if self.port is None or attempts > 1:
                self.port = free_port()
            self._log = open(self.log_path, "ab")
            self._log.write(f"=== {' '.join(self.argv())}\n".encode())
            self._log.flush()
            self.proc = subprocess.Popen(
                self.argv(), stdout=self._log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=self.dir,
            )
            try:
                self.wait_ready(timeout, loaded)
                return self
            except ServerDied:
                # Lost a race for the port with another process: retry once
                # or twice, otherwise report the log.
                if attempts < 3 and "in use" in self.log_tail():
                    self._log.close()
                    continue
                raise

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout=20.0, loaded=True):
        deadline = time.monotonic() + timeout
        while True:
            if not self.alive():
                raise ServerDied(
                    f"server exited with status {self.proc.returncode} during start-up;"
                    f" log tail:\n{self.log_tail()}"
                )
            try:
                with RawConn(self.port, timeout=1.0) as c:
                    reply = c.cmd("PING")
                # A NOAUTH error still proves the server is up; -LOADING too,
                # when the caller wants to see the load.
                up = (b"+PONG", b"-NOAUTH") + (() if loaded else (b"-LOADING",))
                if reply.startswith(up):
                    return
            except (OSError, ConnectionClosed):
                pass
            if time.monotonic() >= deadline:
                self.stop()
                raise ServerDied(f"server not answering PING after {timeout}s; log tail:\n{self.log_tail()}")
            time.sleep(0.02)

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except OSError:
            return "<no log>"
        return "\n".join(data.decode(errors="replace").splitlines()[-lines:])

    def check_alive(self):
        if not self.alive():
            raise ServerDied(
                f"server {self.binary} (port {self.port}) died with status"
                f" {self.proc.returncode if self.proc else None}; log tail:\n{self.log_tail()}"
            )

    def stop(self, timeout=10.0):
        for c in self._clients:
            try:
                c.close()
            except Exception:  # noqa: BLE001
                pass
        self._clients = []
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def crash(self, timeout=DEFAULT_TIMEOUT):
        """SIGKILL: the process stops wherever it is, as in a crash."""
        self.proc.kill()
        self.proc.wait(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def wait_exit(self, timeout=DEFAULT_TIMEOUT):
        """Wait for the process to exit on its own; return its status."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"server still running after {timeout}s") from None

    def client(self, **kwargs):
        """A redis-py client; closed when the server is stopped."""
        kwargs.setdefault("socket_timeout", DEFAULT_TIMEOUT)
        c = redis.Redis(host="127.0.0.1", port=self.port, **kwargs)
        self._clients.append(c)
        return c

    def raw(self, timeout=DEFAULT_TIMEOUT):
        """A RawConn; closed when the server is stopped."""
        c = RawConn(self.port, timeout=timeout)
        self._clients.append(c)
        return c

    def __repr__(self):
        return f"<ServerProcess {os.path.basename(self.binary)} port={self.port}>"


# --------------------------------------------------------------------------
# Common Redis 7.0 reply bytes
# --------------------------------------------------------------------------

OK = b"+OK\r\n"
NULL = b"$-1\r\n"
SYNTAX = b"-ERR syntax error\r\n"
NOT_INT = b"-ERR value is not an integer or out of range\r\n"
NOT_FLOAT = b"-ERR value is not a valid float\r\n"
WRONGTYPE = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
OVERFLOW = b"-ERR increment or decrement would overflow\r\n"


def arity_err(cmd):
    """-ERR wrong number of arguments for 'cmd' command (cmd lower-cased;
    subcommands as 'client|setname')."""
    return b"-ERR wrong number of arguments for '%s' command\r\n" % cmd.lower().encode()


def expire_err(cmd):
    return b"-ERR invalid expire time in '%s' command\r\n" % cmd.lower().encode()


def bulk(value):
    if isinstance(value, str):
        value = value.encode()
    return b"$%d\r\n%s\r\n" % (len(value), value)


def integer(n):
    return b":%d\r\n" % n


def array(*items):
    """RESP2 array of already-encoded items."""
    return b"*%d\r\n" % len(items) + b"".join(items)


# --------------------------------------------------------------------------
# Keyspace images (persistence and replication tests)
# --------------------------------------------------------------------------

def damage_file(path, at, mask):
    """XORs `mask` into the byte at `at` of the file at `path` (a bit flip the
    checksums must catch); `at` may be a function of the file's bytes."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    offset = at(data) if callable(at) else at
    data[offset] ^= mask
    with open(path, "wb") as f:
        f.write(bytes(data))


def keyspace_image(client, databases=16):
    """Everything observable about every key of every database, as a dict
    {(db, key): (type, value, absolute expiry ms or -1)}; hash fields and set
    members sorted, sorted sets with their scores. `client` is a redis-py
    client (bytes replies); its selected database is left at 0."""
    image = {}
    for db in range(databases):
        client.execute_command("SELECT", db)
        for key in client.scan_iter(count=1000):
            kind = client.type(key).decode()
            if kind == "string":
                value = client.get(key)
            elif kind == "list":
                value = tuple(client.lrange(key, 0, -1))
            elif kind == "hash":
                value = tuple(sorted(client.hgetall(key).items()))
            elif kind == "set":
                value = tuple(sorted(client.smembers(key)))
            elif kind == "zset":
                value = tuple(client.zrange(key, 0, -1, withscores=True))
            else:
                value = None
            image[(db, key)] = (kind, value, client.execute_command("PEXPIRETIME", key))
    client.execute_command("SELECT", 0)
    return image
