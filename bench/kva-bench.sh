#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A benchmark, not a test: it prints figures and judges none. What vmalloc/
# vfree and ioremap/iounmap cost in the base kernel, and in the patched one
# with no SVA bond and while a process holds one. While a bond exists on an
# IOMMU that walks the CPU page tables (the SVA test device's mock IOMMU is
# one), the patched kernel flushes the IOMMUs and defers the freeing of each
# kernel page-table page; the module, bench/kva-bench/kva_bench.c, says which
# of its cases free such pages.
#
#   kva-bench.sh [SRC]
#
# Two x86_64 kernels with one configuration. The patched one, from SRC, is the
# demo's kernel (kunit.py build with the same fragments) plus
# configs/kva-bench.config, in build/kva-bench-x86_64. The base is built from
# a clone of the base repository, with a copy of the patched kernel's .config
# (options the base lacks drop out), in build/kva-bench-base. The module is
# built against each, from a copy of bench/kva-bench; each kernel boots once
# under QEMU, without its KUnit suites, with an initramfs that runs
# bench/kva-bench/kva-bench-run.c: it loads the module once on the base
# ("base"), and three times on the patched kernel ("nobond", "bond" while it
# is bound to /dev/iommu_sva_test, "nobond2" after the unbind). The table of
# the median ns per operation and its ratios is printed and kept in
# build/kva-bench/results.txt.
#
# ROUNDS (7, at most 31) and ITERS (1000) set the module's timed rounds per
# case and operations per round. QEMU emulates the CPUs (no KVM), with
# -icount: the guest's clock advances by one nanosecond per instruction the
# CPUs execute, not with the host's time, so the figures count instructions,
# the same from one run to the next whatever else the host does. Compare the
# columns, not the figures with those of a real machine.
. "$(dirname "$0")/lib.sh"

src=${1:-$TREE}
[ -e "$src/.git" ] || die "no kernel tree in $src"
need gcc build-essential
need ccache ccache
ROUNDS=${ROUNDS:-7}
ITERS=${ITERS:-1000}
if ! [[ $ROUNDS =~ ^[0-9]+$ && $ITERS =~ ^[0-9]+$ ]] ||
	[ "$ROUNDS" -lt 1 ] || [ "$ROUNDS" -gt 31 ] || [ "$ITERS" -lt 1 ]; then
	die "ROUNDS must be from 1 to 31, ITERS at least 1"
fi
kbuild=$BUILD/kva-bench-x86_64
base_src=$BUILD/kva-bench-base-src
base_build=$BUILD/kva-bench-base
out=$BUILD/kva-bench
# Seconds: up to three loads of the module in one boot, then the boot itself
run_limit=1500
boot_limit=1800
mkdir -p "$kbuild" "$base_build" "$out"

kunit_args x86_64 "$src"
log "kva-bench: building the patched kernel in $kbuild"
if ! (cd "$src" && python3 tools/testing/kunit/kunit.py build "${KUNIT_ARGS[@]}" \
	--kunitconfig="$BENCH_DIR/configs/kva-bench.config" \
	--build_dir="$kbuild") > "$kbuild/kunit.out" 2>&1; then
	tail -40 "$kbuild/kunit.out" >&2
	die "kva-bench: the patched kernel did not build, see $kbuild/kunit.out"
fi

bash "$BENCH_DIR/base.sh"
clone_base "$base_src"
log "kva-bench: building the base kernel in $base_build"
# The patched kernel's configuration: what the base lacks drops out
cp "$kbuild/.config" "$base_build/.config"
bmake() {
	make -C "$base_src" O="$base_build" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" "$@"
}
if ! { bmake olddefconfig && bmake; } > "$base_build/build.log" 2>&1; then
	tail -40 "$base_build/build.log" >&2
	die "kva-bench: the base kernel did not build, see $base_build/build.log"
fi
while read -r opt; do
	case "$opt" in ''|'#'*) continue ;; esac
	grep -qxF "$opt" "$base_build/.config" ||
		die "kva-bench: the base's .config lacks $opt (configs/kva-bench.config)"
done < "$BENCH_DIR/configs/kva-bench.config"

log "kva-bench: building bench/kva-bench/kva-bench-run.c"
# As demo.sh builds its program: the tree's uapi headers, installed with O=
# to keep the tree clean, and its device header; static, as the initramfs has
# no libraries
if ! make -C "$src" -j"$JOBS" ARCH=x86_64 O="$out/hdr" INSTALL_HDR_PATH="$out/usr" \
	headers_install > "$out/build.log" 2>&1 ||
	! gcc -static -O2 -Wall -Wextra -Werror -isystem "$out/usr/include" \
	-I"$src/drivers/iommu" -o "$out/kva-bench-run" \
	"$BENCH_DIR/kva-bench/kva-bench-run.c" >> "$out/build.log" 2>&1; then
	tail -20 "$out/build.log" >&2
	die "kva-bench: the program did not build, see $out/build.log"
fi

# build_module NAME KBUILD: kva_bench.ko for the kernel built in KBUILD, in
# $out/NAME/module, a copy of bench/kva-bench's module (nothing is built in
# bench/). With W=1, and it must build without a warning.
build_module() {
	local dir=$out/$1/module
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$BENCH_DIR/kva-bench/Makefile" "$BENCH_DIR/kva-bench/kva_bench.c" "$dir/"
	log "kva-bench: building the module for the $1 kernel"
	if ! make -C "$2" ARCH=x86_64 CC="ccache gcc" M="$dir" W=1 modules \
		> "$dir/build.log" 2>&1; then
		tail -20 "$dir/build.log" >&2
		die "kva-bench: the module did not build against $2, see $dir/build.log"
	fi
	if grep -i 'warning' "$dir/build.log" >&2; then
		die "kva-bench: the module builds with warnings against $2, see $dir/build.log"
	fi
}
build_module base "$base_build"
build_module patched "$kbuild"

# bench_kernel NAME KBUILD LABEL...: boot the kernel built in KBUILD with an
# initramfs that runs kva-bench-run and holds NAME's module, which must print
# its figures as each LABEL; they go to $out/NAME/results, one
# "<label> <case> <ns_per_op> <ptfree>" line per case.
bench_kernel() {
	local name=$1 kernel=$2/arch/x86/boot/bzImage dir=$out/$1 rc=0 end label splats
	shift 2
	make_initramfs "$dir/initramfs" "$out/kva-bench-run:$run_limit"
	# The module at /, in a second archive after the first: the kernel
	# unpacks each archive of a concatenated initramfs
	(cd "$dir/module" && echo kva_bench.ko | cpio --quiet -o -H newc -R 0:0) \
		>> "$dir/initramfs.cpio"
	log "kva-bench: booting the $name kernel under QEMU, running kva-bench-run in it"
	boot_initramfs "$kernel" "$dir/initramfs.cpio" "$dir/console.log" $boot_limit \
		"kva_bench.rounds=$ROUNDS kva_bench.iters=$ITERS" || rc=$?
	tr -d '\r' < "$dir/console.log" > "$dir/console.txt"
	end=$(grep -m1 '^bench: run kva-bench-run: end, exit ' "$dir/console.txt" || true)
	if [ -z "$end" ]; then
		tail -40 "$dir/console.txt" >&2
		[ $rc != 124 ] ||
			echo "kva-bench: QEMU did not stop within ${boot_limit}s (a lower ITERS?)" >&2
		die "kva-bench: kva-bench-run did not run to its end, see $dir/console.txt"
	fi
	sed -n '/^bench: run kva-bench-run: begin$/,/^bench: run kva-bench-run: end, exit /{//!p}' \
		"$dir/console.txt"
	# A WARN, BUG or lockdep report spoils the figures
	splats=$(python3 "$BENCH_DIR/kunit.py" expect /dev/null "$dir/console.txt")
	if [ -n "$splats" ]; then
		printf '%s\n' "$splats" >&2
		die "kva-bench: the $name kernel's log shows the above, see $dir/console.txt"
	fi
	[ "${end##* }" = 0 ] || die "kva-bench: kva-bench-run exited with ${end##* }, see $dir/console.txt"
	# The module's result lines, without printk's time stamps if any
	sed -n 's/^.*kva_bench: \([^ ]* [^ ]* [0-9][0-9]* [^ ]*\)$/\1/p' \
		"$dir/console.txt" > "$dir/results"
	for label in "$@"; do
		grep -q "^$label " "$dir/results" ||
			die "kva-bench: the $name kernel printed no figure as '$label', see $dir/console.txt"
	done
}
# Instructions, not the host's time: see above
BOOT_QEMU_ARGS=(-icount shift=0,sleep=off)
bench_kernel base "$base_build" base
bench_kernel patched "$kbuild" nobond bond nobond2

# The table: one row per case, in the module's order; the ratios of the
# medians; then, for the cases that free page-table pages, how many of their
# operations did
awk '
function ratio(a, b) {
	return (a != "" && b != "" && b > 0) ? sprintf("%.2f", a / b) : "-"
}
function val(x) { return x != "" ? x : "-" }
{
	ns[$1, $2] = $3
	pt[$1, $2] = $4
	if (!($2 in seen)) {
		seen[$2]
		order[n++] = $2
	}
}
END {
	fmt = "%-20s %9s %9s %9s %9s %12s %12s %12s\n"
	printf fmt, "ns per operation", "base", "nobond", "bond", "nobond2",
		"nobond/base", "bond/base", "bond/nobond"
	for (i = 0; i < n; i++) {
		c = order[i]
		printf fmt, c, val(ns["base", c]), val(ns["nobond", c]),
			val(ns["bond", c]), val(ns["nobond2", c]),
			ratio(ns["nobond", c], ns["base", c]),
			ratio(ns["bond", c], ns["base", c]),
			ratio(ns["bond", c], ns["nobond", c])
	}
	for (i = 0; i < n; i++) {
		c = order[i]
		if (pt["base", c] == "-" || pt["nobond", c] == "-")
			continue
		if (!header++)
			print "\nOperations whose 2 MiB mapping freed a PTE table:"
		printf "  %-20s base %s, nobond %s, bond %s, nobond2 %s\n", c,
			val(pt["base", c]), val(pt["nobond", c]),
			val(pt["bond", c]), val(pt["nobond2", c])
	}
}' "$out/base/results" "$out/patched/results" > "$out/results.txt"
# What the bond cost the IOMMU: its flushes, one per batch of pages freed
sed -n 's/^kva-bench-run: \(while bound, .*\)$/\n\1/p' "$out/patched/console.txt" \
	>> "$out/results.txt"
echo
echo "Median of $ROUNDS rounds of $ITERS operations per case; an operation is an allocation and"
echo "its free, or two of them in the *-pte-to-pmd cases (bench/kva-bench/kva_bench.c):"
cat "$out/results.txt"
echo
log "kva-bench: done; the table is in $out/results.txt,"
log "kva-bench: the kernel logs in $out/base/console.txt and $out/patched/console.txt"
