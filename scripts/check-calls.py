#!/usr/bin/env python3
"""No circle of calls between the files of one lib/ folder (docs/design.md).

Usage: scripts/check-calls.py BUILD_DIR   (exit 1 and one line per circle)

check-layers.py reads includes from the sources; calls need the compiled
objects, so this reads BUILD_DIR's lib/ object files with nm: a file that
defines a symbol another file of its folder references is called by it.
References to data (a table of hooks) count like calls: a table the engine
walks and whose entries call back into the engine is a circle too.
"""
import collections
import os
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
objects = {}
for root, _, names in os.walk(build):
    if "/lib/" not in root + "/" or "CMakeFiles" not in root:
        continue
    for name in sorted(names):
        if name.endswith(".c.o"):
            path = os.path.join(root, name)
            rel = path.split("/lib/", 1)[1][: -len(".o")]
            objects.setdefault(rel, path)  # one object per source is enough

defined, used = {}, {}
for rel, path in sorted(objects.items()):
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    defs, refs = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRCV":
            defs.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            refs.add(parts[1])
    defined[rel], used[rel] = defs, refs

# A symbol may be defined twice: lib/plugin's stubs in the binary stand for
# the plugins' real functions.  A call is to the file of the caller's own
# folder that defines it, whatever the stub in between.
owners = collections.defaultdict(set)
for rel, defs in defined.items():
    for sym in defs:
        owners[sym].add(rel)
edges = collections.defaultdict(dict)  # file -> {callee file: symbol}
for rel, refs in used.items():
    folder = rel.split("/")[0]
    for sym in sorted(refs):
        for other in sorted(owners.get(sym, ())):
            if other != rel and other.split("/")[0] == folder:
                edges[rel].setdefault(other, sym)

# Tarjan's strongly connected components: each one of two files or more is
# a circle.
index, low, stack, on_stack, circles = {}, {}, [], set(), []
sys.setrecursionlimit(100000)


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            circles.append(sorted(comp))


for v in sorted(defined):
    if v not in index:
        visit(v)

if not objects:
    print(f"check-calls: no lib/ objects under {build}")
    sys.exit(1)
for comp in circles:
    calls = [f"{a} -> {b} ({edges[a][b]})" for a in comp for b in sorted(edges[a]) if b in comp]
    print("circle of calls: " + ", ".join(calls))
sys.exit(1 if circles else 0)
