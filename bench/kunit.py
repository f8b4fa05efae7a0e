#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read a kunit.py --json result and the raw kernel log of the same run.

summary JSON LOG   print "pass|fail|skip <suite>.<case>" for every case,
                   and "fail log: <line>" for every line of LOG that shows a
                   kernel splat (WARN, BUG, KASAN, lockdep, sleeping in atomic
                   context), which fails the run even when every case passed.
expect FILE LOG    print "pass|fail <what>" for every line of FILE:
                   "+ REGEX<TAB>what" must match a line of LOG,
                   "- REGEX<TAB>what" must match none; and "fail log: <line>"
                   for every splat in LOG, as summary does.
disk PATH          write the boot smoke's disk: 4 MiB with an MBR holding three
                   partitions, which the kernel reads when the disk probes.
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


def expect(expect_path, log_path):
    log = open(log_path, errors="replace").read().splitlines()
    for line in open(expect_path):
        if not line.strip() or line.startswith("#"):
            continue
        sign, rest = line.rstrip("\n").split(" ", 1)
        regex, what = rest.split("\t", 1)
        found = [l for l in log if re.search(regex, l)]
        if sign == "+":
            print(f"{'pass' if found else 'fail'} {what}")
        else:
            print(f"{'fail' if found else 'pass'} {what}")
            for l in found[:5]:
                print(f"fail log: {l.strip()}")
    for line in log:
        if SPLAT.search(line):
            print(f"fail log: {line.strip()}")


def disk(path):
    size = 4 << 20
    mbr = bytearray(512)
    # Three Linux partitions of 1 MiB each, from sector 2048
    for i in range(3):
        entry = 446 + 16 * i
        mbr[entry + 4] = 0x83
        mbr[entry + 8:entry + 12] = (2048 * (i + 1)).to_bytes(4, "little")
        mbr[entry + 12:entry + 16] = (2048).to_bytes(4, "little")
    mbr[510:512] = b"\x55\xaa"
    with open(path, "wb") as f:
        f.write(mbr)
        f.truncate(size)


if __name__ == "__main__":
    if sys.argv[1:2] == ["summary"] and len(sys.argv) == 4:
        summary(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["expect"] and len(sys.argv) == 4:
        expect(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["disk"] and len(sys.argv) == 3:
        disk(sys.argv[2])
    else:
        sys.exit(__doc__)
