#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Move the cover letter's text between patches/ and the branch description.

read FILE: print the description (subject, blank line, body) that
           git format-patch --cover-from-description=subject turns back into
           FILE's subject and blurb.
fix FILE DATE: give the generated cover letter a stable Date: header, so that
           exporting an unchanged series changes nothing.
"""
import re
import sys


def read(path):
    lines = open(path).read().split("\n")
    i, subject = 0, None
    while lines[i] != "":                          # mail headers
        m = re.match(r"Subject: (?:\[[^]]*\] )?(.*)", lines[i])
        if m:
            subject = m.group(1)
            while lines[i + 1].startswith(" "):    # folded subject
                i += 1
                subject += lines[i]
        i += 1
    if subject is None:
        sys.exit(f"{path}: no Subject: header")
    body = []
    for line in lines[i + 1:]:
        # format-patch follows the blurb with the shortlog: "Name (N):"
        if re.match(r"^\S.* \(\d+\):$", line) and (not body or body[-1] == ""):
            break
        body.append(line)
    print(subject + "\n\n" + "\n".join(body).strip("\n"))


def fix(path, date):
    text = open(path).read()
    text = re.sub(r"^Date: .*$", "Date: " + date, text, count=1, flags=re.M)
    open(path, "w").write(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["read"] and len(sys.argv) == 3:
        read(sys.argv[2])
    elif sys.argv[1:2] == ["fix"] and len(sys.argv) == 4:
        fix(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
