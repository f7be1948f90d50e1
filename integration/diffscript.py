"""Parsing and running differential scripts (syntax: differential/README.md)."""

import socket
from dataclasses import dataclass, field

from helpers import CRLF, ConnectionClosed, RawConn, parse_reply, reply_shape

MODES = ("exact", "shape", "sorted", "skip")


@dataclass
class ScriptLine:
    path: str
    lineno: int
    text: str
    args: list
    mode: str = "exact"


class ScriptError(ValueError):
    pass


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("a"): b"\a"}
_HEX = b"0123456789abcdefABCDEF"


def split_args(line):
    """Split one script line like Redis's sdssplitargs (redis-cli quoting).

    Returns (args as bytes, trailing comment or None).  A `#` at the start
    of an unquoted token begins a comment.  Raises ScriptError on unbalanced
    quotes.
    """
    data = line.encode() if isinstance(line, str) else line
    i, n = 0, len(data)
    args = []
    while True:
        while i < n and data[i] in b" \t\r\n\v\f":
            i += 1
        if i >= n:
            return args, None
        if data[i] == ord("#"):
            return args, data[i + 1:].decode().strip()
        cur = bytearray()
        inq = insq = False
        while True:
            if inq:
                if i >= n:
                    raise ScriptError("unbalanced double quotes")
                ch = data[i]
                if ch == ord("\\") and i + 3 < n and data[i + 1] == ord("x") \
                        and data[i + 2] in _HEX and data[i + 3] in _HEX:
                    cur.append(int(data[i + 2:i + 4], 16))
                    i += 3
                elif ch == ord("\\") and i + 1 < n:
                    i += 1
                    cur += _ESCAPES.get(data[i], bytes([data[i]]))
                elif ch == ord('"'):
                    if i + 1 < n and data[i + 1] not in b" \t\r\n\v\f":
                        raise ScriptError("closing quote must be followed by a space")
                    i += 1
                    break
                else:
                    cur.append(ch)
            elif insq:
                if i >= n:
                    raise ScriptError("unbalanced single quotes")
                ch = data[i]
                if ch == ord("\\") and i + 1 < n and data[i + 1] == ord("'"):
                    i += 1
                    cur.append(ord("'"))
                elif ch == ord("'"):
                    if i + 1 < n and data[i + 1] not in b" \t\r\n\v\f":
                        raise ScriptError("closing quote must be followed by a space")
                    i += 1
                    break
                else:
                    cur.append(ch)
            else:
                if i >= n or data[i] in b" \t\r\n\v\f":
                    break
                ch = data[i]
                if ch == ord('"'):
                    inq = True
                elif ch == ord("'"):
                    insq = True
                else:
                    cur.append(ch)
            i += 1
        args.append(bytes(cur))


def parse_script(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for lineno, text in enumerate(f, 1):
            text = text.rstrip("\n")
            try:
                args, comment = split_args(text)
            except ScriptError as exc:
                raise ScriptError(f"{path}:{lineno}: {exc}: {text!r}") from None
            if not args:
                continue
            mode = "exact"
            if comment:
                word = comment.split()[0].rstrip(":,").lower() if comment.split() else ""
                if word in MODES:
                    mode = word
            lines.append(ScriptLine(str(path), lineno, text, args, mode))
    return lines


def script_requires(path):
    """Command names (upper-cased) from the script's `# requires: A B ...`
    header lines, which must come before its first command."""
    names = []
    with open(path, encoding="utf-8") as f:
        for text in f:
            args, comment = split_args(text.rstrip("\n"))
            if args:
                break
            if comment and comment.lower().startswith("requires:"):
                names += comment.split(":", 1)[1].upper().split()
    return names


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------

def _split_elements(body, count):
    elems = []
    for _ in range(count):
        _, after = parse_reply(body)
        elems.append(body[: len(body) - len(after)])
        body = after
    return elems, body


def canonical_sorted(data):
    """The reply with every array/set sorted and every map's pairs sorted,
    recursively (byte-exact otherwise)."""
    head, rest = data.split(CRLF, 1)
    t = head[:1]
    if t not in b"*~%>" or head[1:] == b"-1":
        return data
    n = int(head[1:])
    count = n * 2 if t == b"%" else n
    elems, _ = _split_elements(rest, count)
    elems = [canonical_sorted(e) for e in elems]
    if t == b"%":
        pairs = sorted(zip(elems[::2], elems[1::2]))
        elems = [x for p in pairs for x in p]
    else:
        elems = sorted(elems)
    return head + CRLF + b"".join(elems)


def replies_match(mode, ref, got):
    if mode == "skip":
        return True
    if isinstance(ref, str) or isinstance(got, str):  # <closed> / <timeout> markers
        return ref == got
    if mode == "exact":
        return ref == got
    if mode == "shape":
        return reply_shape(ref) == reply_shape(got)
    if mode == "sorted":
        return canonical_sorted(ref) == canonical_sorted(got)
    raise ValueError(mode)


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

class Side:
    """One server's connection while a script runs."""

    def __init__(self, name, port, timeout):
        self.name = name
        self.port = port
        self.timeout = timeout
        self.conn = None

    def connect(self):
        if self.conn:
            self.conn.close()
        self.conn = RawConn(self.port, timeout=self.timeout)

    def start(self):
        self.connect()
        for args in (("FLUSHALL",), ("SELECT", "0")):
            reply = self.conn.cmd(*args)
            if reply != b"+OK\r\n":
                raise AssertionError(f"{self.name}: {args} failed: {reply!r}")

    def run(self, args):
        try:
            return self.conn.cmd(*args)
        except ConnectionClosed as exc:
            return "<connection closed>" + (f" after {exc.partial!r}" if exc.partial else "")
        except (socket.timeout, TimeoutError):
            return f"<no reply within {self.timeout}s>"
        except OSError as exc:
            return f"<connection error {exc!r}>"

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


@dataclass
class Mismatch:
    line: ScriptLine
    ref: object
    got: object

    def describe(self, ref_name, got_name):
        where = f"{self.line.path.rsplit('/', 1)[-1]}:{self.line.lineno}"
        mode = "" if self.line.mode == "exact" else f" [{self.line.mode}]"
        text = [f"{where}{mode}: {self.line.text.strip()}",
                f"    {ref_name:>9}: {self.ref!r}",
                f"    {got_name:>9}: {self.got!r}"]
        if self.line.mode == "shape" and isinstance(self.ref, bytes) and isinstance(self.got, bytes):
            text.append(f"    shapes: {reply_shape(self.ref)} vs {reply_shape(self.got)}")
        return "\n".join(text)


@dataclass
class Result:
    mismatches: list = field(default_factory=list)
    lines_run: int = 0
    aborted: str = ""


def run_script(lines, ref_port, got_port, timeout=10.0, max_mismatches=25):
    ref, got = Side("reference", ref_port, timeout), Side("tested", got_port, timeout)
    result = Result()
    try:
        ref.start()
        got.start()
        for line in lines:
            a = ref.run(line.args)
            b = got.run(line.args)
            result.lines_run += 1
            if not replies_match(line.mode, a, b):
                result.mismatches.append(Mismatch(line, a, b))
                if len(result.mismatches) >= max_mismatches:
                    result.aborted = f"stopped after {max_mismatches} mismatches"
                    break
            a_dead, b_dead = isinstance(a, str), isinstance(b, str)
            if not (a_dead or b_dead) and line.args[0].upper() == b"QUIT":
                # Both must close after QUIT's reply; then carry on, fresh.
                a_closed, b_closed = ref.conn.is_closed(timeout), got.conn.is_closed(timeout)
                if a_closed != b_closed:
                    state = {True: "<closed after reply>", False: "<still open after reply>"}
                    result.mismatches.append(Mismatch(line, state[a_closed], state[b_closed]))
                ref.connect()
                got.connect()
                continue
            if a_dead or b_dead:
                if "<no reply" in str(a) + str(b) or a_dead != b_dead:
                    result.aborted = f"stopped at line {line.lineno}: connections out of step"
                    break
                ref.connect()  # both closed (QUIT...): continue on fresh connections
                got.connect()
    finally:
        ref.close()
        got.close()
    return result


def _main(argv):
    """Print each script line with its reply from one server:
    /usr/bin/python3 integration/diffscript.py SCRIPT PORT"""
    path, port = argv[1], int(argv[2])
    side = Side("server", port, 10.0)
    side.start()
    for line in parse_script(path):
        reply = side.run(line.args)
        print(f"{line.lineno:4} {line.text.strip()}\n     -> {reply!r}")
        if isinstance(reply, str) or line.args[0].upper() == b"QUIT":
            side.connect()
    side.close()


if __name__ == "__main__":
    import sys
    _main(sys.argv)
