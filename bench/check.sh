#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every test, in order, stopping at the first step that fails. The last line
# is "N passed, N failed", summing every test that ran.
. "$(dirname "$0")/lib.sh"

rm -f "$RESULTS"
export RESULTS
t0=$(date +%s)

summary() {
	local rc=$? p f
	p=$(grep -c '^pass ' "$RESULTS" 2>/dev/null || true)
	f=$(grep -c '^fail ' "$RESULTS" 2>/dev/null || true)
	# A step that stopped before it could name a failing test still failed.
	[ "$rc" = 0 ] || [ "${f:-0}" -gt 0 ] || f=1
	log "check: $((($(date +%s) - t0) / 60))m$((($(date +%s) - t0) % 60))s in all"
	echo "${p:-0} passed, ${f:-0} failed"
	[ "${f:-0}" = 0 ] || exit 1
}
trap summary EXIT
# Killed (CI's time limit, ^C): the check did not pass, whatever ran before
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

step "deps: Debian packages" bash "$BENCH_DIR/deps.sh"
step "base: $BASE_PKG $BASE_VERSION" bash "$BENCH_DIR/base.sh"
step "1/7 apply: git am onto the base" bash "$BENCH_DIR/check-apply.sh"
step "2/7 checkpatch --strict" bash "$BENCH_DIR/check-checkpatch.sh"
step "3/7 build every patch: x86_64, arm64, W=1, sparse, kernel-doc" \
	bash "$BENCH_DIR/check-build.sh"
step "4/7 documentation: htmldocs" bash "$BENCH_DIR/check-docs.sh"
step "5/7 coccicheck" bash "$BENCH_DIR/check-cocci.sh"
step "6/7 KUnit under QEMU with KASAN and lockdep" bash "$BENCH_DIR/check-kunit.sh"
step "7/7 selftests under QEMU: iommu_sva, iommu_sva_fail_nth" \
	bash "$BENCH_DIR/check-selftests.sh"
