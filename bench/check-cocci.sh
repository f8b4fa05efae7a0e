#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 4: make coccicheck MODE=report on the directories holding the C files
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

mapfile -t dirs < <(git -C "$src" diff --name-only "$base" "$tip" -- '*.c' |
	xargs -r -n1 dirname | sort -u)
if [ ${#dirs[@]} = 0 ]; then
	log "cocci: the series touches no C file"
	exit 0
fi

cocci() { # cocci TAG: report on every directory that exists at this commit
	local tag=$1 d
	: > "$logs/$tag.log"
	for d in "${dirs[@]}"; do
		[ -d "$src/$d" ] || continue
		make -C "$src" -s coccicheck MODE=report M="$d" J="$JOBS" \
			>> "$logs/$tag.log" 2>&1 || die "coccicheck failed on $d ($tag): $logs/$tag.log"
	done
	python3 "$BENCH_DIR/warnings.py" extract "$src" < "$logs/$tag.log" > "$logs/$tag.warn"
}

git -C "$src" checkout -q "$base"
cocci base
git -C "$src" checkout -q "$tip"
cocci tip
added=$(python3 "$BENCH_DIR/warnings.py" new "$logs/base.warn" "$logs/tip.warn")
for d in "${dirs[@]}"; do
	if grep -q "^$d/[^/]*: " <<<"$added"; then
		grep "^$d/[^/]*: " <<<"$added" >&2
		record fail "coccicheck: $d"
	else
		record pass "coccicheck: $d"
	fi
done
[ -z "$added" ] || { echo "the series adds the coccinelle reports above" >&2; exit 1; }
log "cocci: no new report in ${dirs[*]}"
