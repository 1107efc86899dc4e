#!/usr/bin/python3
"""Prints the benchmark table and the goals of issues 2 and 3 from
bench/run.sh's measurements.

    report.py RESULTS_TSV FACTS

RESULTS_TSV: one line per wrk run, tab-separated:
    server op conns requests duration_us rps p50_us p99_us cpu_us errors
FACTS: key=value lines: machine, seconds, threads, startup_ms (space-separated
samples), rss_kb_idle, rss_kb_end, <server>=<state> for a server that was
unavailable or exited, and the bulk load's: bulk_items, bulk_batches,
bulk_acked, bulk_failed (batches), bulk_wall_us, bulk_wrk_us, bulk_cpu_us,
bulk_timeout (s), bulk_verified (bench/bulk.py's verdict), or bulk_state when
it could not run.
"""

import re
import statistics
import sys
import time
from pathlib import Path

from util import goal_writer, machine_line, read_facts, read_rows, verdict

OURS, DYNALITE, NOOP = "ddb-server", "dynalite", "nginx"
MEMORY = "ddb-memory"  # ddb-server --in-memory (issue 15)
BASELINE = "baseline"  # BENCH_BASELINE: another ddb-server binary, side by side
OPS = ["GetItem", "PutItem", "Query", "UpdateItem"]  # the goals of issue 2
# Every run's operation (bench/ddb.lua's names), in table order, with its label.
OP_LABEL = {
    "GetItem": "GetItem",
    "PutItem": "PutItem",
    "PutItemNoIndex": "PutItem, no GSI",
    "Query": "Query",
    "QueryIndex": "Query on GSI",
    "UpdateItem": "UpdateItem",
    "BatchWriteItem": "BatchWriteItem x25",
    "TransactWriteItems": "TransactWrite x4",
}
ITEMS_PER_REQUEST = {"BatchWriteItem": 25, "TransactWriteItems": 4}  # items written
DYNALITE_LACKS = {"TransactWriteItems": "no transactions in dynalite"}
LABEL = {
    OURS: "ddb-server",
    MEMORY: "--in-memory",
    DYNALITE: "dynalite",
    NOOP: "nginx (no-op)",
    BASELINE: "baseline",
}
BULK_GOAL_ITEMS, BULK_GOAL_S = 1_000_000, 60


def main(tsv, facts_path):
    rows = {(server, op, int(conns)): r for (server, op, conns), r in read_rows(tsv)}
    facts = read_facts(facts_path)
    out = []
    p = out.append

    p(f"ddb-server benchmark: {facts.get('seconds', '?')} s per run, wrk {facts.get('threads', '?')}"
      " thread(s); 10,000 items of ~200 B (500 partitions x 20)")
    p("the table has one GSI (hash g, range pk, projection ALL; 20 items per g value), which every"
      " write maintains;")
    p("  'PutItem, no GSI': the same items in a table without an index (ddb-server only)")
    p("ddb-server in its default durable mode (--db-path); dynalite in memory; "
      "nginx answers '{}' to everything")
    p("CPU us/req: the server's own utime+stime over the run / requests completed; items/s:"
      " items written (25 per BatchWriteItem, 4 per TransactWriteItems)")
    machine_line(facts, p)
    for server in (OURS, MEMORY, BASELINE, DYNALITE, NOOP):
        if server in facts:
            p(f"{server}: {facts[server]}")
    p("")
    p(f"{'operation':<18} {'server':<14} {'conns':>5} {'req/s':>9} {'items/s':>9} {'p50 ms':>8}"
      f" {'p99 ms':>8} {'CPU us/req':>11} {'errors':>7}")
    dynalite_ran = any(server == DYNALITE for server, _, _ in rows)
    order = [(op, 16) for op in OP_LABEL] + [("GetItem", 1)]
    for op, conns in order:
        for server in (BASELINE, OURS, MEMORY, DYNALITE, NOOP):
            r = rows.get((server, op, conns))
            if r is None:
                if server == DYNALITE and dynalite_ran and conns == 16 and op in DYNALITE_LACKS \
                        and rows.get((OURS, op, conns)):
                    p(f"{OP_LABEL[op]:<18} {LABEL[server]:<14} {conns:>5} {'n/a':>9} {'n/a':>9}"
                      f"   ({DYNALITE_LACKS[op]})")
                continue
            items = ""
            if op in ITEMS_PER_REQUEST:
                items = f"{r['rps'] * ITEMS_PER_REQUEST[op]:.0f}"
            p(f"{OP_LABEL[op]:<18} {LABEL[server]:<14} {conns:>5} {r['rps']:>9.0f} {items:>9}"
              f" {r['p50_ms']:>8.3f} {r['p99_ms']:>8.3f} {r['cpu_per_req']:>11.1f}"
              f" {r['errors']:>7}")
    p("")
    p("goals (issue 2)")

    line = goal_writer(p)

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

    p("")
    p("goals (issue 3)")
    bulk(facts, line, p)

    with_index, without = row(OURS, "PutItem"), row(OURS, "PutItemNoIndex")
    what = "PutItem CPU/req with one GSI / without"
    if with_index and without:
        ratio = with_index["cpu_per_req"] / without["cpu_per_req"]
        line(what, f"{ratio:.2f}x", "(< 2x)",
             verdict(ratio < 2, with_index["errors"] + without["errors"]))
    else:
        line(what, "n/a", "(< 2x)", "n/a")

    p("")
    p("goals (issue 15: durable writes at a fraction of dynalite's cost)")
    issue15(row, line)

    if any(server == BASELINE for server, _, _ in rows):
        p("")
        p("against the baseline (issue 10: reads leave the event loop only when they need the disk)")
        for op in ("GetItem", "Query", "QueryIndex", "PutItem"):
            ours, base = row(OURS, op), row(BASELINE, op)
            what = f"CPU/req ours / baseline, {OP_LABEL[op]}"
            if ours and base:
                ratio = ours["cpu_per_req"] / base["cpu_per_req"]
                line(what, f"{ratio:.2f}x", "(<= 1.10x)",
                     verdict(ratio <= 1.10, ours["errors"] + base["errors"]))
            else:
                line(what, "n/a", "(<= 1.10x)", "n/a")

    print("\n".join(out))
    return 0


def issue15(row, line):
    """The engine's goal lines of issue 15 (the API's are in bench/api.py)."""

    def ratio_line(what, num, den, goal, ok, fmt="{:.2f}x"):
        if num and den:
            r = num["cpu_per_req"] / den["cpu_per_req"]
            line(what, fmt.format(r), goal, verdict(ok(r), num["errors"] + den["errors"]))
        else:
            line(what, "n/a", goal, "n/a")

    for op in ("PutItem", "UpdateItem"):
        ratio_line(f"durable {op} CPU/req / dynalite's", row(OURS, op), row(DYNALITE, op),
                   "(<= 0.25x)", lambda r: r <= 0.25)
    for op in ("PutItem", "UpdateItem"):
        ratio_line(f"in-memory {op} CPU/req / its GetItem's", row(MEMORY, op),
                   row(MEMORY, "GetItem"), "(<= 1.5x)", lambda r: r <= 1.5)
    ratio_line("GetItem CPU/req / the no-op's", row(OURS, "GetItem"), row(NOOP, "GetItem"),
               "(<= 1.5x)", lambda r: r <= 1.5)
    ratio_line("Query CPU/req / dynalite's", row(OURS, "Query"), row(DYNALITE, "Query"),
               "(<= 0.10x)", lambda r: r <= 0.10, "{:.3f}x")
    # The start-up at 10 million items needs bench-scale's load (about 15
    # minutes): its last report's line, when there is one, with its date.
    scale = Path(__file__).resolve().parent.parent / "build" / "bench-scale-results.txt"
    found = None
    if scale.is_file():
        for text in scale.read_text(errors="replace").splitlines():
            m = re.match(r"\s*exec to listening, ([\d,]+) items.*?([\d.]+) ms.*?(PASS|MISS)", text)
            if m:
                found = m
    if found:
        when = time.strftime("%Y-%m-%d", time.localtime(scale.stat().st_mtime))
        line(f"exec to listening, {found.group(1)} items", f"{found.group(2)} ms", "(< 100 ms)",
             f"{found.group(3)} (make bench-scale of {when})")
    else:
        line("exec to listening, 10 M items, clean stop", "n/a", "(< 100 ms)",
             "n/a (run make bench-scale: it loads the 10 M items)")


def bulk(facts, line, p):
    """The goal line(s) of the bulk load and how it was measured."""
    goal = f"(< {BULK_GOAL_S} s)"
    what = f"{BULK_GOAL_ITEMS:,} items via BatchWriteItem, 1 client"
    if "bulk_state" in facts:
        line(what, "n/a", goal, f"n/a ({facts['bulk_state']})")
        return
    if "bulk_items" not in facts:
        line(what, "n/a", goal, "n/a (not run: BENCH_LOAD_ITEMS=0)")
        return
    items = int(facts["bulk_items"])
    batches, acked = int(facts["bulk_batches"]), int(facts["bulk_acked"])
    failed = int(facts["bulk_failed"])
    wall_s = int(facts["bulk_wall_us"]) / 1e6
    cpu_s = int(facts["bulk_cpu_us"]) / 1e6
    written = min(acked * 25, items)
    if acked + failed < batches:
        line(what, "unfinished", goal,
             f"MISS ({written:,} of {items:,} items in {facts['bulk_timeout']} s)")
    elif failed:
        line(what, f"{wall_s:.1f} s", goal, f"MISS ({failed} failed BatchWriteItem calls)")
    elif facts.get("bulk_verified", "FAILED") == "FAILED":
        line(what, f"{wall_s:.1f} s", goal, "MISS (the table does not hold the items)")
    elif items == BULK_GOAL_ITEMS:
        line(what, f"{wall_s:.1f} s", goal, verdict(wall_s < BULK_GOAL_S))
    else:
        line(f"{items:,} items via BatchWriteItem, 1 client", f"{wall_s:.1f} s", "", "")
        scaled = wall_s * BULK_GOAL_ITEMS / items
        line(f"  scaled linearly to {BULK_GOAL_ITEMS:,} items", f"{scaled:.1f} s", goal,
             f"{verdict(scaled < BULK_GOAL_S)} (extrapolated: set BENCH_LOAD_ITEMS=1000000)")
    p("    measured: a fresh durable ddb-server alone; wrk -t1 -c1 with bench/bulk.lua (one")
    p("    connection, sequential BatchWriteItem calls of 25 new ~200 B items, each body built")
    p("    as it is sent); wall time from starting wrk to its exit after the last answer")
    if written:
        p(f"    {written / wall_s:.0f} items/s; server CPU {1e6 * cpu_s / written:.1f} us/item"
          f" ({cpu_s:.1f} s)")
    if "bulk_verified" in facts and facts["bulk_verified"] != "FAILED":
        p(f"    then {facts['bulk_verified']}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
