#!/usr/bin/python3
"""Restart and checkpoint benchmark: Vireo vs Debian's redis-server (stdlib only).

usage: restart.py VIREO_SERVER OUT.md     (bench/run.sh runs it; knobs below)

For each server, alternating rounds (redis, vireo, redis, vireo, ...):
  - load BENCH_RESTART_KEYS keys (SET key:N <16-byte value>) with redis-cli --pipe into a
    server with its log on (Redis: appendonly yes, appendfsync everysec; Vireo: the same);
  - restart it from the log alone, timing from exec until PING answers PONG, and
    reading its peak RSS (VmHWM) then;
  - take a checkpoint (SAVE), restart it from the checkpoint (Redis: appendonly no, so it
    loads dump.rdb; Vireo: the checkpoint, with nothing in the log after it), time and
    peak RSS again; record the checkpoint's size;
  - with the data loaded, run BGSAVE under a SET load (redis-benchmark) and sample the
    proportional set size (Pss) of the server and its child every 10 ms: the peak of the
    sum is the memory a background checkpoint really costs.
Medians over rounds, Vireo/Redis ratios, targets: restart time <= 0.5x Redis's.
"""
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")
REDIS_CLI = os.environ.get("REDIS_CLI", "/usr/bin/redis-cli")
REDIS_BENCHMARK = os.environ.get("REDIS_BENCHMARK", "/usr/bin/redis-benchmark")
KEYS = int(os.environ.get("BENCH_RESTART_KEYS", "1000000"))
ROUNDS = int(os.environ.get("BENCH_RESTART_ROUNDS", "3"))
PORT = int(os.environ.get("BENCH_PORT_RESTART", "6433"))
SERVER_CPU = os.environ.get("BENCH_SERVER_CPU", "0")
CLIENT_CPU = os.environ.get("BENCH_CLIENT_CPU", "1")


def log(msg):
    print(f"bench: restart: {msg}", file=sys.stderr, flush=True)


def cli(*args, check=True):
    out = subprocess.run([REDIS_CLI, "-p", str(PORT), *map(str, args)], capture_output=True,
                         text=True, timeout=600)
    if check and out.returncode != 0:
        raise RuntimeError(f"redis-cli {args}: {out.stderr}")
    return out.stdout.strip()


class Server:
    def __init__(self, kind, binary, workdir):
        self.kind, self.binary = kind, binary
        self.dir = os.path.join(workdir, kind)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.proc = None

    def start(self, appendonly):
        args = ["taskset", "-c", SERVER_CPU, self.binary, "--port", str(PORT), "--bind",
                "127.0.0.1", "--dir", self.dir, "--save", "", "--appendonly", appendonly,
                "--appendfsync", "everysec", "--logfile", os.path.join(self.dir, "log")]
        if subprocess.run([REDIS_CLI, "-p", str(PORT), "PING"], capture_output=True,
                          text=True).stdout.strip() == "PONG":
            raise RuntimeError(f"port {PORT} already answers PING: a server left from an "
                               "earlier run would be measured instead")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited during start-up; see {self.dir}/log")
            out = subprocess.run([REDIS_CLI, "-p", str(PORT), "PING"], capture_output=True,
                                 text=True)
            if out.stdout.strip() == "PONG":
                return time.monotonic() - t0
            time.sleep(0.005)

    def status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(120)
        self.proc = None

    def kill(self):
        """After a failure: no server outlives the run."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def load(server, resp_file):
    with open(resp_file, "rb") as f:
        out = subprocess.run(["taskset", "-c", CLIENT_CPU, REDIS_CLI, "-p", str(PORT), "--pipe"],
                             stdin=f, capture_output=True, text=True, timeout=1200)
    if f"errors: 0, replies: {KEYS}" not in out.stdout + out.stderr:
        raise RuntimeError(f"loading {server.kind}: {out.stdout} {out.stderr}")


def checkpoint_bytes(server):
    if server.kind == "redis":
        return os.path.getsize(os.path.join(server.dir, "dump.rdb"))
    d = os.path.join(server.dir, "appendonlydir")
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)
               if f.startswith("checkpoint-"))


def bgsave_peak(server):
    """Peak Pss of server + child while a BGSAVE runs under a SET load."""
    bench = subprocess.Popen(["taskset", "-c", CLIENT_CPU, REDIS_BENCHMARK, "-p", str(PORT),
                              "-t", "set", "-n", "10000000", "-r", str(KEYS), "-c", "20", "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # the load is running (a warm-up, not a synchronisation)
    base = pss(server.proc.pid)
    cli("BGSAVE")
    peak = base
    while True:
        kids = children(server.proc.pid)
        total = pss(server.proc.pid) + sum(pss(k) for k in kids)
        peak = max(peak, total)
        if not kids and "rdb_bgsave_in_progress:0" in cli("INFO", "persistence"):
            break
        time.sleep(0.01)
    bench.send_signal(signal.SIGINT)
    try:
        bench.wait(30)
    except subprocess.TimeoutExpired:  # seen once: redis-benchmark ignoring SIGINT for 30 s
        bench.kill()
        bench.wait()
    return base, peak


def one_round(server, resp_file):
    r = {}
    server.start("yes")
    load(server, resp_file)
    server.stop()
    r["log_s"] = server.start("yes")
    r["log_rss"] = server.status("VmHWM")
    assert int(cli("DBSIZE")) == KEYS, f"{server.kind} lost keys across a restart"
    r["pss_before"], r["pss_peak"] = bgsave_peak(server)
    cli("SAVE")
    r["ckpt_bytes"] = checkpoint_bytes(server)
    server.stop()
    if server.kind == "redis":
        shutil.rmtree(os.path.join(server.dir, "appendonlydir"))
        r["ckpt_s"] = server.start("no")
    else:
        r["ckpt_s"] = server.start("yes")
    r["ckpt_rss"] = server.status("VmHWM")
    assert int(cli("DBSIZE")) >= KEYS, f"{server.kind} lost keys across a checkpoint restart"
    server.stop()
    shutil.rmtree(server.dir)
    os.makedirs(server.dir)
    return r


def main():
    vireo, out_path = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="vireo-restart.")
    servers = {}
    try:
        resp_file = os.path.join(work, "load.resp")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_load.py"), "string:16",
                        str(KEYS), resp_file], check=True)
        servers = {"redis": Server("redis", REDIS_SERVER, work),
                   "vireo": Server("vireo", vireo, work)}
        results = {"redis": [], "vireo": []}
        for rnd in range(1, ROUNDS + 1):
            for kind in ("redis", "vireo"):
                r = one_round(servers[kind], resp_file)
                results[kind].append(r)
                log(f"round {rnd} {kind}: " + ", ".join(f"{k}={v:.3f}" if isinstance(v, float)
                                                         else f"{k}={v}" for k, v in r.items()))
        med = {k: {f: statistics.median(r[f] for r in rs) for f in rs[0]}
               for k, rs in results.items()}
        rows = [
            ("Restart from the log alone, seconds", "log_s", 3, "≤ 0.50×"),
            ("Restart from the log alone, peak RSS MiB", "log_rss", 1, ""),
            ("Restart from a checkpoint, seconds", "ckpt_s", 3, "≤ 0.50×"),
            ("Restart from a checkpoint, peak RSS MiB", "ckpt_rss", 1, ""),
            ("Checkpoint (Redis: RDB) size, MiB", "ckpt_bytes", 1, ""),
            ("Pss before BGSAVE, MiB", "pss_before", 1, ""),
            ("Peak Pss of server + child during BGSAVE under SET load, MiB", "pss_peak", 1, ""),
        ]
        md = [f"## Restart and checkpoints ({KEYS:,} keys of 16-byte values, median of "
              f"{ROUNDS} rounds, servers alternated)", "",
              "| Measure | Redis | Vireo | Ratio | Target |", "|---|---:|---:|---:|---|"]
        for label, field, digits, target in rows:
            a, b = med["redis"][field], med["vireo"][field]
            scale = 1 if field.endswith("_s") else 1 / (1 << 20)
            ratio = b / a if a else float("nan")
            verdict = ""
            if target:
                goal = float(re.search(r"[\d.]+", target).group())
                verdict = f"{target}: {'met' if ratio <= goal else '**missed**'}"
            md.append(f"| {label} | {a * scale:,.{digits}f} | {b * scale:,.{digits}f} | "
                      f"{ratio:.2f}× | {verdict} |")
        md += ["", "Redis: appendonly yes + appendfsync everysec for the log restart (its "
               "multi-part AOF), SAVE then appendonly no for the checkpoint restart (dump.rdb). "
               "Restart time: from exec until PING answers PONG. Peak RSS: VmHWM then.", ""]
        text = "\n".join(md)
        with open(out_path, "w") as f:
            f.write(text + "\n")
        print(text)
    finally:
        for server in servers.values():
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
