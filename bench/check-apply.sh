#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 1: the series applies with git am to the pristine base, patch by patch.
# git am takes no fuzz: every hunk's context must match exactly.
. "$(dirname "$0")/lib.sh"

bash "$BENCH_DIR/base.sh"
clone_base "$CHECK_SRC"
n=0
while read -r p; do
	if am_one "$CHECK_SRC" "$p"; then
		record pass "apply: ${p##*/}"
		n=$((n + 1))
	else
		record fail "apply: ${p##*/}"
		exit 1
	fi
done < <(series_patches)
[ "$n" -gt 0 ] || die "the series is empty"
log "apply: $n patches apply to $(base_commit | cut -c1-12)"
