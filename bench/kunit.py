#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read a kunit.py --json result and the raw kernel log of the same run.

summary JSON LOG   print "pass|fail|skip <suite>.<case>" for every case,
                   and "fail log: <line>" for every line of LOG that shows a
                   kernel splat (WARN, BUG, KASAN, lockdep, sleeping in atomic
                   context), which fails the run even when every case passed.
"""
import json
import re
import sys

SPLAT = re.compile(r"(WARNING: CPU: \d+ PID: \d+|BUG: |KASAN: |"
                   r"Kernel panic|Oops|possible circular locking|"
                   r"possible recursive locking|inconsistent lock state|"
                   r"suspicious RCU usage|INFO: task .* blocked|"
                   r"sleeping function called from invalid context|"
                   r"WARNING: possible|UBSAN: |kmemleak: \d+ new suspected)")


def cases(node, prefix=""):
    name = node.get("name", "")
    path = f"{prefix}.{name}" if prefix and name else (name or prefix)
    for case in node.get("test_cases", []):
        # A crashed test leaves a result with no name behind it.
        case_name = case["name"] or "(unnamed: crashed before it printed a result)"
        yield f"{path}.{case_name}" if path else case_name, case["status"]
    for sub in node.get("sub_groups", []):
        yield from cases(sub, path if node.get("test_cases") or prefix else "")


def summary(json_path, log_path):
    data = json.load(open(json_path))
    for name, status in cases(data):
        word = {"PASS": "pass", "SKIP": "skip"}.get(status, "fail")
        print(f"{word} {name}")
    for line in open(log_path, errors="replace"):
        if SPLAT.search(line):
            print(f"fail log: {line.strip()}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["summary"] and len(sys.argv) == 4:
        summary(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
