#!/usr/bin/python3
"""Small process helpers for bench/run.sh and bench/api.sh.

    util.py freeport                      a free loopback TCP port
    util.py cpu PID                       CPU time of PID and its descendants,
                                          utime+stime summed, in microseconds
    util.py rss PID                       resident set (VmRSS) of PID in kB

Imported by the report scripts (bench/report.py, bench/api.py) for what their
reports share: reading the results and facts files, the goal lines.
"""

import os
import socket
import sys

CLK_TCK = os.sysconf("SC_CLK_TCK")


def freeport():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stat_fields(pid):
    """Fields of /proc/PID/stat after the "(comm)" field; [0] is the state."""
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    return data[data.rindex(")") + 2 :].split()


def cpu_us(root):
    """utime+stime (all threads, living and exited) of root and its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(stat_fields(entry)[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            f = stat_fields(pid)
        except OSError:
            continue
        total += int(f[11]) + int(f[12])  # utime, stime (fields 14 and 15)
        todo.extend(children.get(pid, []))
    return total * 1_000_000 // CLK_TCK


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise OSError(f"no VmRSS for {pid}")


def read_rows(path):
    """The runs of a results file (bench/lib.sh result_row), one a line,
    tab-separated: the names of the run (any number), then requests
    duration_us rps p50_us p99_us cpu_us errors. Yields (names, stats)."""
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            names, nums = fields[:-7], fields[-7:]
            requests, duration_us, rps, p50, p99, cpu_us, errors = map(float, nums)
            yield tuple(names), {
                "requests": requests,
                "rps": rps,
                "p50_ms": p50 / 1000,
                "p99_ms": p99 / 1000,
                "cpu_per_req": cpu_us / requests if requests else float("nan"),
                "errors": int(errors),
            }


def read_facts(path):
    """A facts file's key=value lines as a dict."""
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


def goal_writer(p):
    """line(what, value, goal, result): one goal line of a report, to p."""

    def line(what, value, goal, result):
        p(f"  {what:<44} {value:>10}  {goal:<14} {result}")

    return line


def machine_line(facts, p):
    if "machine" in facts:
        p(f"machine: {facts['machine']} (other load makes every figure noisy)")


def main(argv):
    if len(argv) >= 1 and argv[0] == "freeport":
        print(freeport())
        return 0
    if len(argv) == 2 and argv[0] == "cpu":
        print(cpu_us(int(argv[1])))
        return 0
    if len(argv) == 2 and argv[0] == "rss":
        print(rss(int(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
