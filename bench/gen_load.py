#!/usr/bin/python3
"""Write a RESP command stream for `redis-cli --pipe` (stdlib only).

usage: gen_load.py SPEC KEYS OUTFILE

Keys are named key:000000000000 .. like redis-benchmark's `-r` keyspace
("key:" + 12-digit index), so a loaded keyspace is what `-t get -r KEYS` reads.
Values are distinct per key and deliberately non-numeric (a server could store
numeric strings as integers, which would flatter its memory use).

SPEC is KIND:ARG[:ARG...]. To add a data shape for a new benchmark row, add one
function to GENERATORS returning the command's arguments for key index i.
"""
import sys


def value(i, nbytes):
    """A distinct, non-numeric value of exactly nbytes bytes for key index i."""
    unit = b"v%x." % i
    return (unit * (nbytes // len(unit) + 1))[:nbytes]


def gen_string(i, key, nbytes):
    return [b"SET", key, value(i, int(nbytes))]


def gen_hash(i, key, fields, nbytes):
    """HSET key f0 <value> ... : small fields, as a user's per-object hash."""
    args = [b"HSET", key]
    for f in range(int(fields)):
        args += [b"field%d" % f, value(i * 31 + f, int(nbytes))]
    return args


def gen_zset(i, key, members):
    """ZADD key <score> <member> ... : distinct integer-ish scores, short members."""
    args = [b"ZADD", key]
    for m in range(int(members)):
        args += [b"%d" % (i + m * 7), b"member:%d" % m]
    return args


def gen_mylist(i, _key, count):
    """RPUSH mylist <count values>: redis-benchmark's list, for LPOP and LRANGE runs."""
    return [b"RPUSH", b"mylist"] + [value(i * int(count) + j, 3) for j in range(int(count))]


GENERATORS = {
    # string:BYTES         -> SET key <BYTES-byte value>
    "string": gen_string,
    # hash:FIELDS:BYTES    -> HSET key field0 <BYTES-byte value> ...
    "hash": gen_hash,
    # zset:MEMBERS         -> ZADD key <score> member:0 ...
    "zset": gen_zset,
    # mylist:COUNT         -> RPUSH mylist <COUNT values> (one key, KEYS commands)
    "mylist": gen_mylist,
}


def resp(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    spec, keys, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    kind, *params = spec.split(":")
    if kind not in GENERATORS:
        sys.exit(f"gen_load.py: unknown data spec {spec!r}; known kinds: {', '.join(GENERATORS)}")
    gen = GENERATORS[kind]
    with open(path, "wb", buffering=1 << 20) as f:
        batch = []
        for i in range(keys):
            batch.append(resp(gen(i, b"key:%012d" % i, *params)))
            if len(batch) == 10000:
                f.write(b"".join(batch))
                batch.clear()
        f.write(b"".join(batch))


if __name__ == "__main__":
    main()
