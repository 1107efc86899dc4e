#!/usr/bin/python3
"""Small process helpers for bench/run.sh.

    util.py freeport                      a free loopback TCP port
    util.py cpu PID                       CPU time of PID and its descendants,
                                          utime+stime summed, in microseconds
    util.py rss PID                       resident set (VmRSS) of PID in kB
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
