#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Find the warnings a change adds, compared with the base.

extract ROOT [DIR] < LOG
                      print the compiler, sparse, kernel-doc or coccinelle
                      diagnostics of LOG, one a line, as "path: kind: message"
                      with paths made relative to ROOT (a relative path in LOG
                      is taken from DIR, the directory the tool ran in) and
                      line numbers taken off, so that the same diagnostic on
                      a moved line compares equal.
new BASE NOW          print the diagnostics of NOW (an extract) that BASE (an
                      extract) does not have. For a .c file every occurrence
                      counts; a header is reported once per includer, so for
                      a header only the message itself counts.
"""
import collections
import os
import re
import sys

DIAG = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+)(?::[\d-]+)*:\s+"
                  r"(?P<kind>warning|error|WARNING|ERROR|info|INFO|CHECK)"
                  r"(?::|\b)\s*(?P<msg>.*)$")


def extract(root, cwd):
    root = os.path.realpath(root)
    for line in sys.stdin:
        m = DIAG.match(line.rstrip("\n"))
        if not m:
            continue
        path = os.path.realpath(os.path.join(cwd, m.group("path")))
        if path == root or path.startswith(root + "/"):
            path = os.path.relpath(path, root)
        print(f"{path}: {m.group('kind').lower()}: {m.group('msg')}")


def new(base, now):
    def load(p):
        return collections.Counter(open(p).read().splitlines())
    b, n = load(base), load(now)
    for diag, count in sorted(n.items()):
        path = diag.split(":", 1)[0]
        allowed = b[diag] if not path.endswith(".h") else (count if b[diag] else 0)
        for _ in range(count - allowed):
            print(diag)


if __name__ == "__main__":
    if sys.argv[1:2] == ["extract"] and len(sys.argv) in (3, 4):
        extract(sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else sys.argv[2])
    elif sys.argv[1:2] == ["new"] and len(sys.argv) == 4:
        new(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
