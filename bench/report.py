#!/usr/bin/python3
"""Prints the benchmark table and the goals of issue 2 from bench/run.sh's
measurements.

    report.py RESULTS_TSV FACTS

RESULTS_TSV: one line per wrk run, tab-separated:
    server op conns requests duration_us rps p50_us p99_us cpu_us errors
FACTS: key=value lines: machine, seconds, threads, startup_ms (space-separated
samples), rss_kb_idle, rss_kb_end, and <server>=<state> for a server that was
unavailable or exited.
"""

import statistics
import sys

OURS, DYNALITE, NOOP = "ddb-server", "dynalite", "nginx"
OPS = ["GetItem", "PutItem", "Query", "UpdateItem"]
LABEL = {OURS: "ddb-server", DYNALITE: "dynalite", NOOP: "nginx (no-op)"}


def read_rows(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            server, op, conns, *nums = line.split("\t")
            requests, duration_us, rps, p50, p99, cpu_us, errors = map(float, nums)
            rows[(server, op, int(conns))] = {
                "requests": requests,
                "rps": rps,
                "p50_ms": p50 / 1000,
                "p99_ms": p99 / 1000,
                "cpu_per_req": cpu_us / requests if requests else float("nan"),
                "errors": int(errors),
            }
    return rows


def read_facts(path):
    facts = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                facts[k] = v
    return facts


def verdict(ok, errors=0):
    if errors:
        return f"MISS ({errors} failed requests)"
    return "PASS" if ok else "MISS"


def main(tsv, facts_path):
    rows = read_rows(tsv)
    facts = read_facts(facts_path)
    out = []
    p = out.append

    p(f"ddb-server benchmark: {facts.get('seconds', '?')} s per run, wrk {facts.get('threads', '?')}"
      " thread(s); 10,000 items of ~200 B (500 partitions x 20)")
    p("ddb-server in its default durable mode (--db-path); dynalite in memory; "
      "nginx answers '{}' to everything")
    p("CPU us/req: the server's own utime+stime over the run / requests completed")
    if "machine" in facts:
        p(f"machine: {facts['machine']} (other load makes every figure noisy)")
    for server in (OURS, DYNALITE, NOOP):
        if server in facts:
            p(f"{server}: {facts[server]}")
    p("")
    p(f"{'operation':<11} {'server':<14} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
      f" {'CPU us/req':>11} {'errors':>7}")
    order = [(op, 16) for op in OPS] + [("GetItem", 1)]
    for op, conns in order:
        for server in (OURS, DYNALITE, NOOP):
            r = rows.get((server, op, conns))
            if r is None:
                continue
            p(f"{op:<11} {LABEL[server]:<14} {conns:>5} {r['rps']:>9.0f} {r['p50_ms']:>8.3f}"
              f" {r['p99_ms']:>8.3f} {r['cpu_per_req']:>11.1f} {r['errors']:>7}")
    p("")
    p("goals (issue 2)")

    def line(what, value, goal, result):
        p(f"  {what:<44} {value:>10}  {goal:<14} {result}")

    def row(server, op, conns=16):
        return rows.get((server, op, conns))

    for op in OPS:
        ours, theirs = row(OURS, op), row(DYNALITE, op)
        goal = 10 if op == "Query" else 5
        if ours and theirs:
            ratio = theirs["cpu_per_req"] / ours["cpu_per_req"]
            line(f"dynalite CPU/req / ours, {op}", f"{ratio:.1f}x", f"(>= {goal}x)",
                 verdict(ratio >= goal, ours["errors"]))
        else:
            line(f"dynalite CPU/req / ours, {op}", "n/a", f"(>= {goal}x)", "n/a")

    ours, noop = row(OURS, "GetItem"), row(NOOP, "GetItem")
    if ours and noop:
        ratio = ours["cpu_per_req"] / noop["cpu_per_req"]
        line("our CPU/req / no-op's, GetItem", f"{ratio:.2f}x", "(<= 1.5x)",
             verdict(ratio <= 1.5, ours["errors"]))
    else:
        line("our CPU/req / no-op's, GetItem", "n/a", "(<= 1.5x)", "n/a")

    for op in OPS:
        ours, noop = row(OURS, op), row(NOOP, op)
        goal = 80 if op == "GetItem" else 40
        if ours and noop:
            pct = 100 * ours["rps"] / noop["rps"]
            line(f"our req/s / no-op's, {op}", f"{pct:.0f}%", f"(>= {goal}%)",
                 verdict(pct >= goal, ours["errors"]))
        else:
            line(f"our req/s / no-op's, {op}", "n/a", f"(>= {goal}%)", "n/a")

    for op in OPS:
        ours = row(OURS, op)
        if ours:
            line(f"p99 at 16 connections, {op}", f"{ours['p99_ms']:.3f} ms", "(< 2 ms)",
                 verdict(ours["p99_ms"] < 2, ours["errors"]))

    single = row(OURS, "GetItem", 1)
    if single:
        line("p50 with 1 connection, GetItem", f"{single['p50_ms']:.3f} ms", "(< 0.1 ms)",
             verdict(single["p50_ms"] < 0.1, single["errors"]))

    if "rss_kb_idle" in facts:
        mb = int(facts["rss_kb_idle"]) / 1024
        line("idle RSS after load", f"{mb:.1f} MB", "(< 30 MB)", verdict(mb < 30))
    if "rss_kb_end" in facts:
        mb = int(facts["rss_kb_end"]) / 1024
        line("RSS after the whole run (for information)", f"{mb:.1f} MB", "", "")

    samples = [float(x) for x in facts.get("startup_ms", "").split()]
    if samples:
        med = statistics.median(samples)
        line(f"exec to listening (median of {len(samples)})", f"{med:.1f} ms", "(< 100 ms)",
             verdict(med < 100))

    print("\n".join(out))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
