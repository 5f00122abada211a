#!/usr/bin/env python3
"""Check the layer rules of docs/design.md ("Never") against the includes.

Usage: scripts/check-layers.py [SOURCE_DIR]   (exit 1 and one line per breach)

The rules are data below so that docs/design.md and this check say the same
thing: change both together.
"""
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
lib = os.path.join(top, "lib")

# What each lib/ folder may include besides its own headers, kmv/ (the
# public API), kmvutil/ (the generic helpers) and the top-level lib headers
# (common.h, banned.h).  lib/util is the bottom: see rule 2c.
ALLOWED = {
    "util": set(),
    "core": set(),
    "store": {"core"},
    "import": {"core", "store"},
    "query": {"core", "store", "import"},   # status words, as at import
    "match": {"core", "store"},
    "report": {"core", "store", "match"},   # paid.h: one "is it paid" rule
    "evidence": {"core", "store", "report"},
    "backup": {"core", "store"},
    "followup": {"core", "store"},
    "sync": {"core", "store"},
    "rules": {"core", "store"},
    "plugin": {"core", "store", "import", "report", "evidence"},  # the stubs' signatures
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
breaches = []


def includes(path):
    with open(path, encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


def sources(folder):
    for name in sorted(os.listdir(folder)):
        if name.endswith((".c", ".h")):
            yield os.path.join(folder, name)


PUBLIC = os.path.join(lib, "include", "kmv")
UTIL = os.path.join(lib, "util", "include", "kmvutil")

# 1. The front end uses the public API only.
for path in sources(os.path.join(top, "cmd")):
    for inc in includes(path):
        if "/" in inc and not inc.startswith(("kmv/", "kmvutil/")):
            breaches.append(f"{os.path.relpath(path, top)}: includes {inc}: cmd/ uses lib/include/kmv and kmvutil only")

# 2. Public headers include public headers only.
for path in sources(PUBLIC):
    for inc in includes(path):
        if not inc.startswith(("kmv/", "kmvutil/")):
            breaches.append(f"{os.path.relpath(path, top)}: includes {inc}: a public header includes kmv/ and kmvutil/ only")

# 2b. ... and no library's header: sqlite3.h and sodium.h stay inside lib/.
SYSTEM = re.compile(r'^\s*#\s*include\s+<(sqlite3|sodium)[^>]*>', re.M)
for path in list(sources(PUBLIC)) + list(sources(UTIL)):
    with open(path, encoding="utf-8") as f:
        for m in SYSTEM.finditer(f.read()):
            breaches.append(f"{os.path.relpath(path, top)}: includes <{m.group(1)}.h>: a public header keeps the libraries private")

# 2c. The generic helpers know nothing of the domain: kmvutil/ headers
# include kmvutil/ only, and lib/util's sources add only kmv/error.h (the
# one error model every layer shares).
for path in sources(UTIL):
    for inc in includes(path):
        if not inc.startswith("kmvutil/"):
            breaches.append(f"{os.path.relpath(path, top)}: includes {inc}: a kmvutil/ header includes kmvutil/ only")
for path in sources(os.path.join(lib, "util")):
    for inc in includes(path):
        if inc.startswith("kmv/") and inc != "kmv/error.h":
            breaches.append(f"{os.path.relpath(path, top)}: includes {inc}: lib/util uses no domain header but kmv/error.h")

# 3. lib/ folders depend down, never sideways except the listed edges.
graph = {}
for area in sorted(os.listdir(lib)):
    folder = os.path.join(lib, area)
    if not os.path.isdir(folder) or area == "include":
        continue
    if area not in ALLOWED:
        breaches.append(f"lib/{area}: a folder the layer rules do not know (add it to scripts/check-layers.py and docs/design.md)")
        continue
    for path in sources(folder):
        rel = os.path.relpath(path, lib)
        graph.setdefault(rel, [])
        for inc in includes(path):
            if "/" not in inc:
                continue
            other = inc.split("/", 1)[0]
            if other in ("kmv", "kmvutil", area):
                if other == area:
                    graph[rel].append(inc)
                continue
            if other not in ALLOWED[area]:
                breaches.append(f"lib/{rel}: includes {inc}: lib/{area} may not depend on lib/{other}")

# 4. No circle of includes between the headers of one folder.
def find_cycle():
    state = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node, [])
            if found:
                return found
    return None

cycle = find_cycle()
if cycle:
    breaches.append("circle of includes: " + " -> ".join(cycle))

# 5. lib/ returns errors: it never prints, reads the terminal or exits.
CALL = re.compile(r'\b(printf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|_exit|abort|getchar|getpass)\s*\(')
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')
for root, _, names in os.walk(lib):
    for name in sorted(names):
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as f:
            code = STRING.sub('""', COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), f.read()))
        for n, text in enumerate(code.split("\n"), 1):
            m = CALL.search(text)
            # confine.c's forked child ends itself with _exit (never the
            # caller's process: that one only gets the child's status)
            if m and m.group(1) == "_exit" and path.endswith("lib/import/confine.c"):
                continue
            if m:
                breaches.append(f"{os.path.relpath(path, top)}:{n}: calls {m.group(1)}(): lib/ returns errors, never prints or exits")

# 6. Names say where code lives: a lib/ function that is neither static nor
# in a public header is a cross-file internal, named kmv_<file-noun>__<verb>.
DECLARED = re.compile(r'\b(kmv_\w+)\s*\(')
DEFINED = re.compile(r'^(?!static\b)[a-z_][\w \t\*]*?\b(kmv_\w+)\(([^;{]*?)\)\s*\n\{', re.M)
public = set()
for folder in (PUBLIC, UTIL):
    for path in sources(folder):
        with open(path, encoding="utf-8") as f:
            public.update(DECLARED.findall(f.read()))
for root, _, names in os.walk(lib):
    for name in sorted(names):
        if not name.endswith(".c"):
            continue
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as f:
            code = f.read()
        for m in DEFINED.finditer(code):
            fn = m.group(1)
            if fn not in public and "__" not in fn:
                line = code.count("\n", 0, m.start(1)) + 1
                breaches.append(f"{os.path.relpath(path, top)}:{line}: {fn} is internal (not in a public header): name it kmv_<file-noun>__<verb>")

for line in breaches:
    print(line)
sys.exit(1 if breaches else 0)
