#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 5: make coccicheck MODE=report on the directories holding the C files
# the series touches adds no report the base does not have.
. "$(dirname "$0")/lib.sh"

need spatch coccinelle
[ -d "$CHECK_SRC/.git" ] || die "no $CHECK_SRC: run bench/check-apply.sh first"
src=$CHECK_SRC
base=$(base_commit)
tip=$(git -C "$src" rev-parse HEAD)
logs=$CHECK/cocci-logs
rm -rf "$logs"
mkdir -p "$logs"

# M=DIR covers DIR's subdirectories too: drop a directory whose parent is in.
mapfile -t dirs < <(git -C "$src" diff --name-only "$base" "$tip" -- '*.c' |
	xargs -r -n1 dirname | sort -u |
	drop_subdirs)
if [ ${#dirs[@]} = 0 ]; then
	log "cocci: the series touches no C file"
	exit 0
fi

cocci() { # cocci TAG DIR...: report on the directories that exist here
	local tag=$1 d
	shift
	: > "$logs/$tag.log"
	for d in "$@"; do
		[ -d "$src/$d" ] || continue
		make -C "$src" -s coccicheck MODE=report M="$d" J="$JOBS" \
			>> "$logs/$tag.log" 2>&1 || die "coccicheck failed on $d ($tag): $logs/$tag.log"
	done
	python3 "$BENCH_DIR/warnings.py" extract "$src" < "$logs/$tag.log" > "$logs/$tag.warn"
}

# The base never changes: its reports are kept per directory, keyed by the
# base commit and the coccinelle version, and only the tip is checked anew.
# Like ccache's, the cache is the machine's, not the clone's: a fresh clone
# (as CI makes) reuses it.
cache=$BENCH_CACHE/cocci-$(echo "$base $(spatch --version 2>&1 | sed -n 1p)" | sha1sum | cut -c1-12)
mkdir -p "$cache"
todo=()
for d in "${dirs[@]}"; do
	[ -f "$cache/${d//\//_}.warn" ] || todo+=("$d")
done
if [ ${#todo[@]} -gt 0 ]; then
	git -C "$src" checkout -q "$base"
	for d in "${todo[@]}"; do
		cocci "base-${d//\//_}" "$d"
		cp "$logs/base-${d//\//_}.warn" "$cache/${d//\//_}.warn"
	done
	git -C "$src" checkout -q "$tip"
fi
for d in "${dirs[@]}"; do cat "$cache/${d//\//_}.warn"; done > "$logs/base.warn"
cocci tip "${dirs[@]}"
added=$(python3 "$BENCH_DIR/warnings.py" new "$logs/base.warn" "$logs/tip.warn")
for d in "${dirs[@]}"; do
	if grep -q "^$d/" <<<"$added"; then
		grep "^$d/" <<<"$added" >&2
		record fail "coccicheck: $d"
	else
		record pass "coccicheck: $d"
	fi
done
[ -z "$added" ] || { echo "the series adds the coccinelle reports above" >&2; exit 1; }
log "cocci: no new report in ${dirs[*]}"
