#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 6: the KUnit suites of bench/kunit.list under QEMU, one kernel and one
# boot per arch on two CPUs, with KASAN, lockdep and the atomic-sleep checks
# enabled (configs/kunit-sanitizers.config). A failing case, a case that did
# not run, or a splat in the kernel log fails the step.
#
#   check-kunit.sh [--demo] [SRC]
#
# --demo: the main job's run: no sanitizers, in build/demo-<arch>, and the
# results are shown as kunit.py prints them.
# KUNIT_LIST=FILE runs the suites FILE lists instead of bench/kunit.list.
. "$(dirname "$0")/lib.sh"

demo=0
[ "${1:-}" = --demo ] && { demo=1; shift; }
src=${1:-$CHECK_SRC}
[ -d "$src/.git" ] || die "no kernel tree in $src"
need qemu-system-x86_64 qemu-system-x86
need qemu-system-aarch64 qemu-system-arm
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu

list=${KUNIT_LIST:-$BENCH_DIR/kunit.list}
mapfile -t archs < <(awk '!/^#/ && NF { print $1 }' "$list" | sort -u)
[ ${#archs[@]} -gt 0 ] || die "$list names no suite"

status=0
for arch in "${archs[@]}"; do
	args=(--arch="$arch" --jobs="$JOBS" --timeout=300)
	case "$arch" in
	x86_64) args+=(--make_options "CC=ccache gcc") ;;
	arm64) args+=(--cross_compile=aarch64-linux-gnu-
		--make_options "CC=ccache aarch64-linux-gnu-gcc") ;;
	*) die "$list: no QEMU setup for arch $arch" ;;
	esac
	suites=()
	while read -r a dir; do
		[ "$a" = "$arch" ] || continue
		[ -f "$src/$dir/.kunitconfig" ] || die "$list: $dir/.kunitconfig does not exist in $src"
		args+=(--kunitconfig="$dir")
		suites+=("$dir")
	done < <(grep -v '^#' "$list")
	if [ $demo = 1 ]; then
		out=$BUILD/demo-$arch
	else
		out=$BUILD/kunit-$arch
		# Two CPUs, so that concurrent tests race for real
		args+=(--kunitconfig="$BENCH_DIR/configs/kunit-sanitizers.config"
			--qemu_args="-smp 2")
	fi
	mkdir -p "$out"
	args+=(--build_dir="$out" --json="$out/results.json")
	log "kunit: $arch: ${suites[*]}"
	rc=0
	(cd "$src" && python3 tools/testing/kunit/kunit.py run "${args[@]}") > "$out/kunit.out" 2>&1 || rc=$?
	if [ $demo = 1 ]; then
		sed -n '/Starting KUnit Kernel/,$p' "$out/kunit.out"
		[ $rc = 0 ] || status=1
		continue
	fi
	if [ ! -s "$out/results.json" ]; then
		tail -40 "$out/kunit.out" >&2
		record fail "kunit $arch: build or boot"
		echo "kunit: $arch: no result (exit $rc), see $out/kunit.out" >&2
		exit 1
	fi
	ran=0
	while read -r word name; do
		case "$word" in
		pass) record pass "kunit $arch: $name"; ran=$((ran + 1)) ;;
		skip) log "kunit $arch: skipped $name" ;;
		*) record fail "kunit $arch: $word $name"; status=1 ;;
		esac
	done < <(python3 "$BENCH_DIR/kunit.py" summary "$out/results.json" "$out/test.log")
	if [ $status != 0 ] || [ $rc != 0 ] || [ $ran = 0 ]; then
		# kunit.py's own report shows each failing case with its log.
		sed -n '/Starting KUnit Kernel/,$p' "$out/kunit.out" >&2
		[ $ran != 0 ] || record fail "kunit $arch: no case ran"
		echo "kunit: $arch failed (exit $rc): $out/kunit.out, kernel log $out/test.log" >&2
		exit 1
	fi
	log "kunit: $arch: $ran cases passed, log clean"
done
exit $status
