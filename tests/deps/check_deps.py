#!/usr/bin/python3
"""Dependency hygiene of the source tree and the binaries (part of `make test`).

  tests/deps/check_deps.py [--build DIR ...] [--shrink-allowlist]

Four checks; the exit status is non-zero if any fails.

1. Include cycles between files of src/. The graph's nodes are components: a
   header and its same-named source (x.h + x.cc) are one node, so x.cc -> y.h
   together with y.cc -> x.h is a cycle x <-> y. `#include "..."` lines are
   resolved as the compiler does (the including file's folder, then src/);
   angle-bracket includes are outside the tree. An edge lies on a cycle when
   both its ends are in the same strongly connected component. The known
   cyclic edges are listed in tests/deps/include_cycles.allow; the check
   fails on a cyclic edge missing from that list (a new cycle) and on a listed
   edge that no longer lies on a cycle (so the list only shrinks and stays
   exact: the set of cycles of a graph is the set of cycles of its cyclic
   edges). --shrink-allowlist drops the stale entries from the file; it never
   adds one.

2. Cycles between the CMake libraries: the link graph of CMakeLists.txt
   (cruddur_layer(name dir deps...) and target_link_libraries), and the graph
   of layers implied by the includes (a file of src/<dir> including a header
   of another layer's folder uses that layer). Neither may have a cycle; a
   layer that includes another layer's header without linking it (directly or
   transitively) is reported too.

3. Unused direct shared-library dependencies: `ldd -u -r` on bin/ddb-server
   and bin/cruddur of every --build DIR must print nothing.

4. No error is told apart by its text: in src/, an error's name
   (Error::Name(), for logs and people) is never compared, and an error's
   message is never searched. Layers compare codes (base/error.h).
"""
import argparse
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(REPO, "src")
ALLOWLIST = os.path.join(REPO, "tests", "deps", "include_cycles.allow")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def component(path):
    """src/ddb/engine/stream.cc -> ddb/engine/stream"""
    return os.path.splitext(os.path.relpath(path, SRC))[0]


def include_graph():
    """{component: {component: [(from file, included file)]}} for src/."""
    files = []
    for d, _, names in os.walk(SRC):
        files += [os.path.join(d, n) for n in names if n.endswith((".h", ".cc"))]
    graph = {component(f): {} for f in files}
    for f in sorted(files):
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            for base in (os.path.dirname(f), SRC):
                target = os.path.normpath(os.path.join(base, inc))
                if os.path.isfile(target) and target.startswith(SRC + os.sep):
                    break
            else:
                continue  # outside src/ (generated or a system header in quotes)
            a, b = component(f), component(target)
            if a != b:
                graph[a].setdefault(b, []).append(
                    (os.path.relpath(f, SRC), os.path.relpath(target, SRC)))
    return graph


def sccs(graph):
    """Tarjan's strongly connected components (iterative): {node: scc id}."""
    index, low, on_stack, stack, comp = {}, {}, set(), [], {}
    counter = [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp[w] = node
                    if w == node:
                        break
    return comp


def cyclic_edges(graph):
    comp = sccs(graph)
    return {(a, b) for a in graph for b in graph[a] if comp[a] == comp.get(b)}


def shortest_cycle(graph, edge):
    """A shortest cycle through edge (a, b): a -> b -> ... -> a."""
    a, b = edge
    prev, frontier = {b: None}, [b]
    while frontier and a not in prev:
        nxt = []
        for n in frontier:
            for m in sorted(graph.get(n, ())):
                if m not in prev:
                    prev[m] = n
                    nxt.append(m)
        frontier = nxt
    if a not in prev:
        return [a, b]
    path, n = [], a
    while n is not None:  # a, ..., b
        path.append(n)
        n = prev[n]
    return [a] + path[::-1][:-1]


def read_allowlist():
    edges = set()
    if os.path.exists(ALLOWLIST):
        with open(ALLOWLIST, encoding="utf-8") as fh:
            for line in fh:
                line = line.split("#", 1)[0].strip()
                if line:
                    a, b = (s.strip() for s in line.split("->"))
                    edges.add((a, b))
    return edges


def shrink_allowlist(stale):
    with open(ALLOWLIST, encoding="utf-8") as fh:
        lines = fh.readlines()
    keep = []
    for line in lines:
        body = line.split("#", 1)[0].strip()
        if body and tuple(s.strip() for s in body.split("->")) in stale:
            continue
        keep.append(line)
    with open(ALLOWLIST, "w", encoding="utf-8") as fh:
        fh.writelines(keep)


def report_cycles(title, graph, cyclic, allowed, shrink):
    """Prints the groups of `graph` on cycles and the cyclic edges that are new
    or whose allowlist entries are stale; returns (ok, stale edges)."""
    new, stale = sorted(cyclic - allowed), sorted(allowed - cyclic)
    comp = sccs(graph)
    groups = {}
    for a, b in cyclic:
        groups.setdefault(comp[a], set()).update((a, b))
    print(f"{title}: {len(cyclic)} edges on cycles, in {len(groups)} groups "
          f"({len(allowed & cyclic)} of them allowlisted)")
    for members in sorted(groups.values(), key=lambda m: (-len(m), sorted(m))):
        print(f"  group of {len(members)}: {' '.join(sorted(members))}")
    ok = True
    for e in new:
        ok = False
        cyc = shortest_cycle(graph, e)
        why = ", ".join(f"{x} includes {y}" for x, y in graph[e[0]][e[1]])
        print(f"NEW cycle edge {e[0]} -> {e[1]} ({why}); "
              f"cycle: {' -> '.join(cyc + [cyc[0]])}")
    for e in stale:
        if shrink:
            print(f"removed from the allowlist (no longer on a cycle): {e[0]} -> {e[1]}")
        else:
            ok = False
            print(f"STALE allowlist entry {e[0]} -> {e[1]}: no longer on a cycle; remove it "
                  f"from {os.path.relpath(ALLOWLIST, REPO)} (or run with --shrink-allowlist)")
    return ok, set(stale)


# ---- CMake libraries -----------------------------------------------------------


def cmake_commands(path):
    """(command, [args]) for every command of a CMakeLists file (one level of nested parens)."""
    with open(path, encoding="utf-8") as fh:
        text = re.sub(r"#[^\n]*", "", fh.read())
    for m in re.finditer(r"\b(\w+)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text):
        yield m.group(1), m.group(2).replace('"', " ").split()


def link_graph():
    """{library or executable: {linked target}} and {folder under src: layer}."""
    links, layer_of_dir = {}, {}
    for cmd, args in cmake_commands(os.path.join(REPO, "CMakeLists.txt")):
        if cmd == "cruddur_layer" and len(args) >= 2:
            links.setdefault(args[0], set()).update(args[2:])
            layer_of_dir[os.path.relpath(os.path.join(REPO, args[1]), SRC)] = args[0]
        elif cmd in ("add_executable", "add_library") and args:
            links.setdefault(args[0], set())
        elif cmd == "target_link_libraries" and args:
            deps = [a for a in args[1:] if a not in ("PRIVATE", "PUBLIC", "INTERFACE")]
            links.setdefault(args[0], set()).update(deps)
    # Keep only edges between targets of this file (not ZLIB::ZLIB, ${ROCKSDB_ARCHIVE}, ...).
    return {t: {d for d in ds if d in links} for t, ds in links.items()}, layer_of_dir


def layer_graph(graph, layer_of_dir):
    """The layers as the includes use them: {layer: {layer: [(file, included file)]}}."""
    uses = {layer: {} for layer in layer_of_dir.values()}
    for a, targets in graph.items():
        la = layer_of_dir.get(os.path.dirname(a))
        if la is None:
            continue  # src/main (the executables' own files), header-only folders
        for b, why in targets.items():
            lb = layer_of_dir.get(os.path.dirname(b))
            if lb is not None and lb != la:
                uses[la].setdefault(lb, []).extend(why)
    return uses


def closure(graph, start):
    seen, todo = set(), [start]
    while todo:
        for d in graph.get(todo.pop(), ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def check_cycles(shrink):
    files = include_graph()
    links, layer_of_dir = link_graph()
    layers = layer_graph(files, layer_of_dir)
    allowed = read_allowlist()
    # Components always have a folder (ddb/engine/stream); layers never do (ddb_engine).
    allowed_files = {e for e in allowed if "/" in e[0]}
    ok1, stale1 = report_cycles("include cycles between files (x.h + x.cc = one node)", files,
                                cyclic_edges(files), allowed_files, shrink)
    ok2, stale2 = report_cycles("include cycles between layers (CMake libraries)", layers,
                                cyclic_edges(layers), allowed - allowed_files, shrink)
    if shrink and (stale1 or stale2):
        shrink_allowlist(stale1 | stale2)
    ok = ok1 and ok2
    link_cycles = sorted(cyclic_edges(links))
    for a, b in link_cycles:
        ok = False
        print(f"CYCLE between CMake libraries (target_link_libraries): {a} -> {b}")
    print(f"link graph (CMakeLists.txt): {len(links)} targets, "
          f"{sum(len(v) for v in links.values())} edges, {len(link_cycles)} on cycles")
    # Not a failure: a layer using a header of a layer it does not link (header-only
    # parts link fine; the rest only links because the executable links both).
    for a in sorted(layers):
        linked = closure(links, a)
        for b in sorted(layers[a]):
            if b not in linked:
                x, y = layers[a][b][0]
                print(f"note: layer {a} includes from {b} ({x} includes {y}) "
                      f"without linking it")
    return ok


# ---- binaries ----------------------------------------------------------------


def check_binaries(build_dirs):
    ok = True
    for d in build_dirs:
        for name in ("ddb-server", "cruddur"):
            path = os.path.join(d, "bin", name)
            if not os.path.exists(path):
                ok = False
                print(f"MISSING {path}: build it first")
                continue
            r = subprocess.run(["ldd", "-u", "-r", path], capture_output=True, text=True)
            unused = [l.strip() for l in r.stdout.splitlines()[1:] if l.strip()]
            if unused:
                ok = False
                print(f"UNUSED direct dependencies of {path}: {' '.join(unused)}")
            else:
                print(f"{path}: no unused direct dependencies (ldd -u -r)")
    return ok


# `x.Name() == ...`, `... != y.Name()`, and searches of an error's message.
TEXT_TESTS = [
    re.compile(r"\bName\(\)\s*[!=]="),
    re.compile(r"[!=]=\s*[\w.>()-]*\bName\(\)"),
    re.compile(r"\bmessage\s*\.\s*(find|rfind|starts_with|ends_with|contains|compare)\s*\("),
    re.compile(r"\berror\(\)\s*\.\s*message\s*[!=]="),
]


def check_error_tests():
    found = []
    for d, _, names in os.walk(SRC):
        for n in sorted(names):
            if not n.endswith((".h", ".cc")):
                continue
            path = os.path.join(d, n)
            with open(path, encoding="utf-8") as fh:
                for number, line in enumerate(fh, 1):
                    if line.lstrip().startswith("//"):
                        continue
                    if any(t.search(line) for t in TEXT_TESTS):
                        found.append(f"{os.path.relpath(path, REPO)}:{number}: {line.strip()}")
    for f in found:
        print(f"ERROR TOLD APART BY ITS TEXT {f}")
    if not found:
        print("errors: no error is told apart by its name or message text")
    return not found


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", action="append", default=[],
                   help="build directory whose bin/ddb-server and bin/cruddur ldd -u checks")
    p.add_argument("--shrink-allowlist", action="store_true",
                   help="drop allowlisted include-cycle edges that are no longer on a cycle")
    args = p.parse_args()
    results = [check_cycles(args.shrink_allowlist), check_binaries(args.build),
               check_error_tests()]
    print("deps: ok" if all(results) else "deps: FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
