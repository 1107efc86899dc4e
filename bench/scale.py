#!/usr/bin/python3
"""Prints the report of bench/scale.sh (`make bench-scale`, issue 15).

    scale.py RESULTS_TSV FACTS

RESULTS_TSV: one line per wrk run (bench/lib.sh result_row), tab-separated:
    items op requests duration_us rps p50_us p99_us cpu_us errors
FACTS: key=value lines: machine, seconds, threads, load_conns, loaded,
load_us, load_cpu_us, settle_s (space-separated), startup_ms (space-separated), rss_kb_idle,
item_count_after_restart.
"""

import statistics
import sys

from util import goal_writer, machine_line, read_facts, read_rows, verdict

LABEL = {
    "GetItem": "GetItem, table bench",
    "Query": "Query, bench (20 items)",
    "GetItemAny": "GetItem, any bulk item",
}
SHORT = {"GetItem": "GetItem", "Query": "Query", "GetItemAny": "GetItem any item"}
FLAT = 1.3  # the largest step within 1.3x of the smallest


def main(tsv, facts_path):
    rows = {}
    for (items, op), r in read_rows(tsv):
        rows[(int(items), op)] = r
    facts = read_facts(facts_path)
    steps = sorted({items for items, _ in rows})
    out = []
    p = out.append
    p(f"ddb-server at scale (issue 15): one durable ddb-server, table 'bulk' grown in steps of"
      f" ~200-byte items; {facts.get('seconds', '?')} s per run, wrk"
      f" {facts.get('threads', '?')} thread(s), 16 connections")
    p("  'bench': bench/load.py's 10,000 items (a GSI), loaded once; 'any bulk item': GetItem"
      " of random keys over the whole of 'bulk'")
    machine_line(facts, p)
    p("")
    p(f"{'items in bulk':>13} {'operation':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
      f" {'CPU us/req':>11} {'errors':>7}")
    for items in steps:
        for op, label in LABEL.items():
            r = rows.get((items, op))
            if r:
                p(f"{items:>13,} {label:<24} {r['rps']:>9.0f} {r['p50_ms']:>8.3f}"
                  f" {r['p99_ms']:>8.3f} {r['cpu_per_req']:>11.1f} {r['errors']:>7}")
    if "load_us" in facts and int(facts["load_us"]) > 0:
        loaded, seconds = int(facts["loaded"]), int(facts["load_us"]) / 1e6
        cpu = int(facts.get("load_cpu_us", 0)) / 1e6
        p("")
        p(f"load: {loaded:,} items by BatchWriteItem of 25, {facts.get('load_conns', '?')}"
          f" connections: {seconds:.1f} s, {loaded / seconds:,.0f} items/s, server CPU"
          f" {1e6 * cpu / loaded:.1f} us/item")
    if facts.get("settle_s"):
        p(f"after each step's load, the reads waited for the server to be quiet (its compactions"
          f" done): {', '.join(facts['settle_s'].split())} s")
    p("")
    p(f"goals (issue 15, from {steps[0]:,} to {steps[-1]:,} items)" if steps else "goals")
    line = goal_writer(p)
    for op, label in LABEL.items():
        small, large = rows.get((steps[0], op)) if steps else None, \
            rows.get((steps[-1], op)) if steps else None
        for key, what in (("cpu_per_req", "CPU/req"), ("p50_ms", "p50")):
            name = f"{SHORT[op]} {what}: last / first step"
            if small and large and len(steps) > 1 and small[key] > 0:
                ratio = large[key] / small[key]
                line(name, f"{ratio:.2f}x", f"(<= {FLAT}x)",
                     verdict(ratio <= FLAT, small["errors"] + large["errors"]))
            else:
                line(name, "n/a", f"(<= {FLAT}x)", "n/a")
    samples = [float(x) for x in facts.get("startup_ms", "").split()]
    loaded = int(facts.get("loaded", 0))
    if samples:
        med = statistics.median(samples)
        line(f"exec to listening, {loaded:,} items (median of {len(samples)})", f"{med:.1f} ms",
             "(< 100 ms)", verdict(med < 100))
    if "rss_kb_idle" in facts:
        mb = int(facts["rss_kb_idle"]) / 1024
        line("idle RSS after the restart", f"{mb:.1f} MB", "(< 30 MB)", verdict(mb < 30))
    count = facts.get("item_count_after_restart", "?")
    line("ItemCount of bulk after the restarts", count, f"({loaded:,})",
         verdict(count.isdigit() and int(count) == loaded))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
