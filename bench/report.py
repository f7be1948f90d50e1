#!/usr/bin/python3
"""Turn bench/run.sh's raw TSV files into the Markdown report (stdlib only).

usage: report.py WORKDIR OUT.md
Reads WORKDIR/{meta,tests,tput,rss}.tsv; prints the report to stdout and writes OUT.md.
"""
import csv
import statistics
import sys
from collections import defaultdict


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def ratio(vireo, redis):
    return vireo / redis if redis else None


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.2f}×"


def fmt_num(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def check_targets(spec, ratios):
    """spec like 'rps:1.2,cpu:1.0'; ratios: {'rps': r, 'cpu': r, 'rss': r}."""
    if not spec:
        return ""
    out = []
    for item in spec.split(","):
        metric, _, goal = item.partition(":")
        goal = float(goal)
        r = ratios.get(metric)
        higher_is_better = metric in ("rps", "self")
        label = {"rps": "req/s", "cpu": "CPU/req", "rss": "RSS/key", "p99": "p99 latency",
                 "self": "req/s vs Vireo without it"}.get(metric, metric)
        want = f"{label} {'≥' if higher_is_better else '≤'} {goal:.2f}×"
        if r is None:
            verdict = "n/a"
        elif (r >= goal) if higher_is_better else (r <= goal):
            verdict = "met"
        else:
            verdict = "**missed**"
        out.append(f"{want}: {verdict}")
    return "; ".join(out)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i in (0, len(header) - 1) else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    work, out_path = sys.argv[1], sys.argv[2]
    meta = {}
    with open(f"{work}/meta.tsv") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            meta[k] = v
    tests = read_tsv(f"{work}/tests.tsv")
    tput = read_tsv(f"{work}/tput.tsv")
    rss = read_tsv(f"{work}/rss.tsv")

    md = ["# Vireo vs Redis benchmark", ""]
    for key, label in [("date", "Date"), ("duration", "Duration"), ("machine", "Machine"),
                       ("loadavg", "Load average"), ("redis", "Redis"), ("vireo", "Vireo"),
                       ("bench", "Bench revision"), ("settings", "Settings")]:
        md.append(f"- **{label}:** {meta.get(key, 'n/a')}")
    md.append(f"- **Command:** `{meta.get('invocation', '')}`")
    md.append("")

    tput_tests = [t for t in tests if t["kind"] == "tput"]
    if tput_tests:
        runs = defaultdict(lambda: defaultdict(list))  # test -> server -> [row]
        for r in tput:
            runs[r["test"]][r["server"]].append(r)
        def medians(name, server):
            rs = runs[name][server]
            if not rs:
                return None
            return tuple(statistics.median(float(r[k]) for r in rs)
                         for k in ("rps", "cpu_us_per_req", "p99_ms"))

        rows = []
        for t in tput_tests:
            name = t["test"]
            med = {s: medians(name, s) for s in ("redis", "vireo")}
            rps_r = ratio(med["vireo"][0], med["redis"][0])
            cpu_r = ratio(med["vireo"][1], med["redis"][1])
            p99_r = ratio(med["vireo"][2], med["redis"][2])
            # self: against Vireo's own row named without the last ", ..." part
            # ("SET, 50 clients, appendfsync always" -> "SET, 50 clients").
            base = medians(name.rsplit(", ", 1)[0], "vireo") if ", " in name else None
            self_r = ratio(med["vireo"][0], base[0]) if base else None
            rows.append([name, fmt_num(med["redis"][0]), fmt_num(med["vireo"][0]), fmt_ratio(rps_r),
                         fmt_num(med["redis"][1], 2), fmt_num(med["vireo"][1], 2), fmt_ratio(cpu_r),
                         fmt_num(med["redis"][2], 3), fmt_num(med["vireo"][2], 3),
                         check_targets(t["target"], {"rps": rps_r, "cpu": cpu_r, "p99": p99_r,
                                                     "self": self_r})])
        rounds = max((len(v) for d in runs.values() for v in d.values()), default=0)
        md += [f"## Throughput (median of {rounds} round{'s' if rounds != 1 else ''}, "
               "servers alternated redis, vireo, redis, vireo, ...)", "",
               table(["Test", "Redis req/s", "Vireo req/s", "Ratio", "Redis CPU µs/req",
                      "Vireo CPU µs/req", "CPU ratio", "Redis p99 ms", "Vireo p99 ms", "Target"],
                     rows), "",
               "Ratio = Vireo/Redis req/s (higher is better). CPU µs/req = server utime+stime "
               "during the run ÷ requests (lower is better; resolution 1 clock tick per run). p99 = "
               "redis-benchmark's 99th-percentile latency, median over rounds.", ""]

    rss_tests = [t for t in tests if t["kind"] == "rss"]
    if rss_tests:
        by = {(r["test"], r["server"]): r for r in rss}
        rows = []
        for t in rss_tests:
            name = t["test"]
            cells, per_key = [], {}
            for s in ("redis", "vireo"):
                r = by[(name, s)]
                before, after, keys = int(r["rss_before_kb"]), int(r["rss_after_kb"]), int(r["keys"])
                per_key[s] = (after - before) * 1024 / keys
                cells.append(r["dbsize"])
                cells.append(f"{before / 1024:,.1f} → {after / 1024:,.1f}")
            rss_r = ratio(per_key["vireo"], per_key["redis"])
            rows.append([name, f"{int(by[(name, 'redis')]['keys']):,}", cells[0], cells[2], cells[1], cells[3],
                         fmt_num(per_key["redis"], 1), fmt_num(per_key["vireo"], 1), fmt_ratio(rss_r),
                         check_targets(t["target"], {"rss": rss_r})])
        md += ["## Memory (fresh servers, identical data loaded with `redis-cli --pipe`)", "",
               table(["Test", "Keys", "Redis DBSIZE", "Vireo DBSIZE", "Redis VmRSS MiB before → after",
                      "Vireo VmRSS MiB before → after", "Redis B/key", "Vireo B/key", "Ratio", "Target"],
                     rows), "",
               "B/key = (VmRSS after − VmRSS before) ÷ keys (lower is better).", ""]

    md += ["## Commands", ""]
    for key, cmd in meta.items():
        if key.startswith("server_cmd "):
            md.append(f"- {key[len('server_cmd '):]}: `{cmd.strip()}`")
    for t in tests:
        md.append(f"- {t['test']}: `{t['command'].strip()}`")
    md.append("")

    text = "\n".join(md)
    with open(out_path, "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
