#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the bench's test results: a kunit.py --json result with the raw kernel
log of the same run, a boot log, or the console of the selftests' boot.

summary JSON LOG   print "pass|fail|skip <suite>.<case>" for every case,
                   and "fail log: <line>" for every line of LOG that shows a
                   kernel splat (WARN, BUG, KASAN, lockdep, sleeping in atomic
                   context), which fails the run even when every case passed.
expect FILE LOG    print "pass|fail <what>" for every line of FILE:
                   "+ REGEX<TAB>what" must match a line of LOG,
                   "- REGEX<TAB>what" must match none; and "fail log: <line>"
                   for every splat in LOG, as summary does.
tap LOG BINARY...  print "pass|fail|skip <binary>: <test>" for every kselftest
                   result of each BINARY in LOG, the console of a boot whose
                   /init ran them (lib.sh's make_initramfs marks where each
                   run begins and ends); "fail <binary>: <why>" for a binary
                   that did not run, crashed, was killed, ended without its
                   plan, its totals or every planned result, or passed no
                   test at all (skipped every one); and "fail log: <line>"
                   for every splat, as summary does.
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


# The markers make_initramfs's /init prints around each program's output
RUN_BEGIN = re.compile(r"^bench: run (\S+): begin$")
RUN_END = re.compile(r"^bench: run (\S+): end, exit (\d+)$")
# A TAP line, behind the "# " or four spaces of each level of nesting
TAP_NESTING = re.compile(r"^((?:# |    )*)(.*)$")
TAP_RESULT = re.compile(r"^(not ok|ok) (\d+)\b ?(.*)$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)\b ?(.*)$")


def tap_run(binary, lines, exit_code):
    """Print the results of one run of a kselftest binary."""
    levels = {}
    for line in lines:
        prefix, text = TAP_NESTING.match(line).groups()
        depth = len(re.findall(r"# |    ", prefix))
        levels.setdefault(depth, []).append(text)
    # The innermost level with a plan or a result holds the tests; an outer
    # one would be a runner's, with one result per program.
    depth = max((d for d, texts in levels.items()
                 if any(TAP_RESULT.match(t) or TAP_PLAN.match(t) for t in texts)),
                default=0)
    plan, counts = None, {"pass": 0, "fail": 0, "skip": 0}
    for text in levels.get(depth, []):
        m = TAP_PLAN.match(text)
        if m:
            plan = int(m.group(1))
            if plan == 0:
                # ksft_exit_skip() before any test: all of them skipped
                why = re.sub(r"^#\s*(SKIP\s*)?", "", m.group(2))
                print(f"skip {binary}: every test: {why}")
            continue
        m = TAP_RESULT.match(text)
        if not m:
            continue
        name, _, directive = m.group(3).partition(" # ")
        directive = directive.strip().upper()
        if directive.startswith("SKIP"):
            word = "skip"
        elif m.group(1) == "not ok" or directive.startswith("XPASS"):
            word = "fail"
        else:
            word = "pass"  # with XFAIL too: the failure was expected
        counts[word] += 1
        print(f"{word} {binary}: {name.strip() or 'test ' + m.group(2)}")
    results = sum(counts.values())
    # "# Totals: ..." is a comment at the tests' own level
    totals = any(t.startswith("Totals: ") for t in levels.get(depth + 1, []))
    if exit_code is None:
        print(f"fail {binary}: did not finish (the kernel died, or the boot timed out)")
    elif exit_code == 143:
        print(f"fail {binary}: timed out (/init killed it)")
    elif exit_code > 128:
        print(f"fail {binary}: killed by signal {exit_code - 128}")
    elif exit_code not in (0, 4) and not counts["fail"]:
        print(f"fail {binary}: exit {exit_code} with no failing test")
    if plan is None:
        print(f"fail {binary}: printed no plan (\"1..N\")")
    elif results != plan:
        print(f"fail {binary}: {results} results for {plan} planned tests")
    elif plan and not totals:
        print(f"fail {binary}: ended without its \"# Totals\" line")
    if not counts["pass"]:
        # The device must be there: a binary that only skips tests nothing
        print(f"fail {binary}: no test passed")


def tap(log_path, binaries):
    log = [l.rstrip("\r\n") for l in open(log_path, errors="replace")]
    runs = {}
    current = None
    for line in log:
        m = RUN_BEGIN.match(line)
        if m:
            current = m.group(1)
            runs[current] = ([], None)
            continue
        m = RUN_END.match(line)
        if m and m.group(1) == current:
            runs[current] = (runs[current][0], int(m.group(2)))
            current = None
            continue
        if current is not None:
            runs[current][0].append(line)
    for binary in binaries:
        if binary not in runs:
            print(f"fail {binary}: did not run (the boot or /init failed)")
            continue
        lines, exit_code = runs[binary]
        tap_run(binary, lines, exit_code)
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
    elif sys.argv[1:2] == ["tap"] and len(sys.argv) >= 4:
        tap(sys.argv[2], sys.argv[3:])
    elif sys.argv[1:2] == ["disk"] and len(sys.argv) == 3:
        disk(sys.argv[2])
    else:
        sys.exit(__doc__)
