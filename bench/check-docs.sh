#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 4: the documentation the series touches builds (make htmldocs on the
# Sphinx directories holding its .rst files) with no warning from a file the
# series touches: its .rst files, and the sources their kernel-doc
# directives pull in. Warnings elsewhere are the base's and are not counted.
. "$(dirname "$0")/lib.sh"

need sphinx-build python3-sphinx
[ -d "$CHECK_SRC/.git" ] || die "no $CHECK_SRC: run bench/check-apply.sh first"
src=$CHECK_SRC
base=$(base_commit)
out=$CHECK/docs
mkdir -p "$out"

mapfile -t touched < <(git -C "$src" diff --name-only "$base" HEAD)
# The nearest directory with an index.rst above each touched .rst file
dirs=()
for f in "${touched[@]}"; do
	case "$f" in Documentation/*.rst) ;; *) continue ;; esac
	d=$(dirname "$f")
	while [ "$d" != Documentation ] && [ ! -f "$src/$d/index.rst" ]; do
		d=$(dirname "$d")
	done
	[ "$d" != Documentation ] || die "$f is not under a Sphinx directory"
	dirs+=("${d#Documentation/}")
done
mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sed '/^$/d' | sort -u)
if [ ${#dirs[@]} = 0 ]; then
	log "docs: the series touches no .rst file"
	exit 0
fi

status=0
for d in "${dirs[@]}"; do
	log "docs: htmldocs SPHINXDIRS=$d"
	log_file=$out/${d//\//_}.log
	# Sphinx re-reads only what changed, and would not repeat the warnings
	# of an earlier run: start from an empty environment.
	rm -rf "$out/${d//\//_}/Documentation/output/.doctrees"
	# scripts/ use Debian's Python, which has the Sphinx package
	if ! PATH=/usr/bin:$PATH make -C "$src" O="$out/${d//\//_}" SPHINXDIRS="$d" \
		htmldocs > "$log_file" 2>&1; then
		tail -20 "$log_file" >&2
		record fail "docs: $d builds"
		status=1
		continue
	fi
	warned=0
	for f in "${touched[@]}"; do
		if grep -E "(^|/)$f:[0-9]*: *(WARNING|ERROR|warning|error)" "$log_file" >&2; then
			warned=1
		fi
	done
	if [ $warned = 0 ]; then
		record pass "docs: $d builds with no warning from the series' files"
	else
		record fail "docs: $d warns about the series' files (above; $log_file)"
		status=1
	fi
done
exit $status
