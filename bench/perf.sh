#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A benchmark, not a test: it prints figures and judges none. What SVA costs
# the kernel in 7.3 (the base) and with the series, on the same mock IOMMUs
# and the same configuration, in two parts:
#
#  - sva-perf (bench/sva-bench/sva-perf.c): with 1, 2 or 8 devices bound to
#    the process on 1 or 2 IOMMU instances, munmap, mprotect and
#    copy-on-write faults, whose CPU TLB flushes reach the IOMMUs through
#    the mmu_notifier, and bind and unbind themselves. The mock IOMMUs are
#    those of bench/sva-bench/sva_bench.c, written against either kernel's
#    SVA API: on 7.3, an SVA domain per (mm, instance) with an mmu_notifier
#    of its own that flushes each device of the domain, as 7.3's drivers do;
#    with the series, the core's ops, invalidate_mm once per instance. A
#    flush is a counted call, the same in both: the figures are what each
#    design costs around it, and how many flushes it asks for.
#  - kva-bench (bench/kva-bench/kva_bench.c): vmalloc/vfree and
#    ioremap/iounmap, some of which free kernel page-table pages, with no
#    SVA bond ("nobond"), while the process is bound to one of sva_bench's
#    devices ("bond"), and after the unbind ("nobond2"). A bond makes 7.3
#    flush each bound mm's notifiers for the kernel range from a work item
#    under the SVA mutex, and the series flush the instances that walk the
#    kernel's page tables (sva_bench's mock says it does) for the ranges
#    freed.
#
#   perf.sh [SRC]
#
# Two x86_64 kernels with one configuration. The patched one, from SRC, is the
# demo's kernel (kunit.py build with the same fragments) plus
# configs/perf.config, in build/perf-x86_64. The base is built from a clone
# of the base repository, with a copy of the patched kernel's .config
# (options the base lacks drop out), in build/perf-base. Both modules are
# built against each kernel, from copies of bench/kva-bench and
# bench/sva-bench; each kernel boots twice under QEMU, without its KUnit
# suites, with an initramfs that runs bench/kva-bench/kva-bench-run.c then
# sva-perf: once with -icount, where the guest's clock advances by one
# nanosecond per instruction the CPUs execute, so the figures count
# instructions and are the same from one run to the next whatever else the
# host does, and once without, for the time the emulated CPUs took ("wall",
# noisy, and not that of a real machine: compare the columns). The tables go
# to build/perf/results.txt.
#
# ROUNDS (7, at most 31) and ITERS (1000) set kva_bench's timed rounds per
# case and operations per round; SVA_ROUNDS (7) and SVA_ITERS (200)
# sva-perf's.
. "$(dirname "$0")/lib.sh"

src=${1:-$TREE}
[ -e "$src/.git" ] || die "no kernel tree in $src"
need gcc build-essential
need ccache ccache
ROUNDS=${ROUNDS:-7}
ITERS=${ITERS:-1000}
SVA_ROUNDS=${SVA_ROUNDS:-7}
SVA_ITERS=${SVA_ITERS:-200}
if ! [[ $ROUNDS =~ ^[0-9]+$ && $ITERS =~ ^[0-9]+$ ]] ||
	[ "$ROUNDS" -lt 1 ] || [ "$ROUNDS" -gt 31 ] || [ "$ITERS" -lt 1 ]; then
	die "ROUNDS must be from 1 to 31, ITERS at least 1"
fi
if ! [[ $SVA_ROUNDS =~ ^[0-9]+$ && $SVA_ITERS =~ ^[0-9]+$ ]] ||
	[ "$SVA_ROUNDS" -lt 1 ] || [ "$SVA_ITERS" -lt 1 ]; then
	die "SVA_ROUNDS and SVA_ITERS must be at least 1"
fi
kbuild=$BUILD/perf-x86_64
base_src=$BUILD/perf-base-src
base_build=$BUILD/perf-base
out=$BUILD/perf
# Seconds: up to three loads of kva_bench and sva-perf in one boot, then the
# boot itself
run_limit=1500
boot_limit=1800
mkdir -p "$kbuild" "$base_build" "$out"
start=$SECONDS

kunit_args x86_64 "$src"
log "perf: building the patched kernel in $kbuild"
if ! (cd "$src" && python3 tools/testing/kunit/kunit.py build "${KUNIT_ARGS[@]}" \
	--kunitconfig="$BENCH_DIR/configs/perf.config" \
	--build_dir="$kbuild") > "$kbuild/kunit.out" 2>&1; then
	tail -40 "$kbuild/kunit.out" >&2
	die "perf: the patched kernel did not build, see $kbuild/kunit.out"
fi

bash "$BENCH_DIR/base.sh"
clone_base "$base_src"
log "perf: building the base kernel in $base_build"
# The patched kernel's configuration: what the base lacks drops out
cp "$kbuild/.config" "$base_build/.config"
bmake() {
	make -C "$base_src" O="$base_build" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" "$@"
}
if ! { bmake olddefconfig && bmake; } > "$base_build/build.log" 2>&1; then
	tail -40 "$base_build/build.log" >&2
	die "perf: the base kernel did not build, see $base_build/build.log"
fi
while read -r opt; do
	case "$opt" in ''|'#'*) continue ;; esac
	grep -qxF "$opt" "$base_build/.config" ||
		die "perf: the base's .config lacks $opt (configs/perf.config)"
done < "$BENCH_DIR/configs/perf.config"

log "perf: building kva-bench-run and sva-perf"
# As demo.sh builds its program: the tree's uapi headers, installed with O=
# to keep the tree clean; static, as the initramfs has no libraries
if ! make -C "$src" -j"$JOBS" ARCH=x86_64 O="$out/hdr" INSTALL_HDR_PATH="$out/usr" \
	headers_install > "$out/build.log" 2>&1; then
	tail -20 "$out/build.log" >&2
	die "perf: the uapi headers did not install, see $out/build.log"
fi
for prog in kva-bench/kva-bench-run sva-bench/sva-perf; do
	if ! gcc -static -O2 -Wall -Wextra -Werror -isystem "$out/usr/include" \
		-I"$BENCH_DIR/sva-bench" -o "$out/${prog#*/}" "$BENCH_DIR/$prog.c" \
		>> "$out/build.log" 2>&1; then
		tail -20 "$out/build.log" >&2
		die "perf: bench/$prog.c did not build, see $out/build.log"
	fi
done

# build_module NAME KBUILD DIR: DIR's module for the kernel built in KBUILD,
# in $out/NAME/DIR, from a copy of bench/DIR (nothing is built in bench/).
# With W=1, and it must build without a warning.
build_module() {
	local dir=$out/$1/$3
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$BENCH_DIR/$3"/Makefile "$BENCH_DIR/$3"/*.[ch] "$dir/"
	log "perf: building bench/$3's module for the $1 kernel"
	if ! make -C "$2" ARCH=x86_64 CC="ccache gcc" M="$dir" W=1 modules \
		> "$dir/build.log" 2>&1; then
		tail -20 "$dir/build.log" >&2
		die "perf: bench/$3's module did not build against $2, see $dir/build.log"
	fi
	if grep -i 'warning' "$dir/build.log" >&2; then
		die "perf: bench/$3's module builds with warnings against $2, see $dir/build.log"
	fi
}
for name in base patched; do
	kb=$kbuild
	[ $name = patched ] || kb=$base_build
	build_module $name "$kb" kva-bench
	build_module $name "$kb" sva-bench
done

# bench_kernel NAME KBUILD MODE: boot the kernel built in KBUILD with an
# initramfs that runs kva-bench-run and sva-perf and holds NAME's modules,
# with -icount (MODE "icount") or without ("wall"). Their figures go to
# $out/NAME/MODE.kva, one "<label> <case> <ns_per_op> <ptfree>" line per case,
# and $out/NAME/MODE.sva, one "<topology> <case> <ns_per_op> <calls_per_op>
# <flushes_per_op>" line per case.
bench_kernel() {
	local name=$1 kernel=$2/arch/x86/boot/bzImage mode=$3 dir=$out/$1 rc=0
	local log=$out/$1/$3-console end prog splats label
	make_initramfs "$dir/initramfs" "$out/kva-bench-run:$run_limit" \
		"$out/sva-perf:$run_limit"
	# The modules at /, in a second archive after the first: the kernel
	# unpacks each archive of a concatenated initramfs
	rm -rf "$dir/modules"
	mkdir "$dir/modules"
	cp "$dir/kva-bench/kva_bench.ko" "$dir/sva-bench/sva_bench.ko" "$dir/modules/"
	(cd "$dir/modules" && printf '%s\n' kva_bench.ko sva_bench.ko |
		cpio --quiet -o -H newc -R 0:0) >> "$dir/initramfs.cpio"
	log "perf: booting the $name kernel under QEMU ($mode)"
	BOOT_QEMU_ARGS=()
	[ "$mode" != icount ] || BOOT_QEMU_ARGS=(-icount shift=0,sleep=off)
	boot_initramfs "$kernel" "$dir/initramfs.cpio" "$log.log" $boot_limit \
		"kva_bench.rounds=$ROUNDS kva_bench.iters=$ITERS" \
		"sva_perf.rounds=$SVA_ROUNDS sva_perf.iters=$SVA_ITERS" || rc=$?
	tr -d '\r' < "$log.log" > "$log.txt"
	for prog in kva-bench-run sva-perf; do
		end=$(grep -m1 "^bench: run $prog: end, exit " "$log.txt" || true)
		if [ -z "$end" ]; then
			tail -40 "$log.txt" >&2
			[ $rc != 124 ] ||
				echo "perf: QEMU did not stop within ${boot_limit}s (lower ITERS?)" >&2
			die "perf: $prog did not run to its end, see $log.txt"
		fi
		sed -n "/^bench: run $prog: begin\$/,/^bench: run $prog: end, exit /{//!p}" \
			"$log.txt"
		[ "${end##* }" = 0 ] || die "perf: $prog exited with ${end##* }, see $log.txt"
	done
	# A WARN, BUG or lockdep report spoils the figures
	splats=$(python3 "$BENCH_DIR/kunit.py" expect /dev/null "$log.txt")
	if [ -n "$splats" ]; then
		printf '%s\n' "$splats" >&2
		die "perf: the $name kernel's log shows the above, see $log.txt"
	fi
	# kva_bench's result lines, without printk's time stamps if any
	sed -n 's/^.*kva_bench: \([^ ]* [^ ]* [0-9][0-9]* [^ ]*\)$/\1/p' \
		"$log.txt" > "$dir/$mode.kva"
	for label in nobond bond nobond2; do
		grep -q "^$label " "$dir/$mode.kva" ||
			die "perf: the $name kernel printed no figure as '$label', see $log.txt"
	done
	sed -n 's/^sva-perf: \([^ ]* [^ ]* [0-9][0-9]* [0-9.]* [0-9.]*\)$/\1/p' \
		"$log.txt" > "$dir/$mode.sva"
	[ -s "$dir/$mode.sva" ] || die "perf: sva-perf printed no figure, see $log.txt"
}
for mode in icount wall; do
	bench_kernel base "$base_build" $mode
	bench_kernel patched "$kbuild" $mode
done

# The tables: one row per case, in the programs' order, with the ratios of
# the medians, patched/base
awk '
function ratio(a, b) {
	return (a != "" && b != "" && b > 0) ? sprintf("%.2f", a / b) : "-"
}
function val(x) { return x != "" ? x : "-" }
FNR == 1 {
	split(FILENAME, p, "/")
	k = p[length(p) - 1]
	m = p[length(p)]
	sub(/\..*/, "", m)
}
FILENAME ~ /\.sva$/ {
	c = $1 " " $2
	ns[k, m, c] = $3
	if (m == "icount") {
		calls[k, c] = $4
		fl[k, c] = $5
	}
	if (!(c in sseen)) {
		sseen[c]
		sorder[ns_++] = c
	}
	next
}
{
	c = $2
	kns[k, m, $1, c] = $3
	if (m == "icount")
		kpt[k, $1, c] = $4
	if (!(c in kseen)) {
		kseen[c]
		korder[nk++] = c
	}
}
END {
	print "SVA: median per operation; instructions (-icount) and wall ns (TCG);"
	print "invalidation calls and flushes per operation, base / patched"
	fmt = "%-11s %-20s %8s %8s %5s %8s %8s %5s %11s %11s\n"
	printf fmt, "topology", "case", "ins base", "patched", "ratio",
		"ns base", "patched", "ratio", "calls", "flushes"
	for (i = 0; i < ns_; i++) {
		c = sorder[i]
		split(c, t, " ")
		printf fmt, t[1], t[2],
			val(ns["base", "icount", c]), val(ns["patched", "icount", c]),
			ratio(ns["patched", "icount", c], ns["base", "icount", c]),
			val(ns["base", "wall", c]), val(ns["patched", "wall", c]),
			ratio(ns["patched", "wall", c], ns["base", "wall", c]),
			val(calls["base", c]) "/" val(calls["patched", c]),
			val(fl["base", c]) "/" val(fl["patched", c])
	}
	print "\nKernel page-table frees: median instructions (-icount) per operation;"
	print "the last column is the patched/base ratio of wall ns (TCG) with a bond"
	fmt = "%-20s %8s %8s %8s %8s %8s %8s %9s %8s\n"
	printf fmt, "case", "base", "patched", "ratio", "base", "patched",
		"ratio", "patched", "ratio"
	printf fmt, "", "nobond", "nobond", "", "bond", "bond", "", "nobond2",
		"bond ns"
	for (i = 0; i < nk; i++) {
		c = korder[i]
		printf fmt, c,
			val(kns["base", "icount", "nobond", c]),
			val(kns["patched", "icount", "nobond", c]),
			ratio(kns["patched", "icount", "nobond", c],
			      kns["base", "icount", "nobond", c]),
			val(kns["base", "icount", "bond", c]),
			val(kns["patched", "icount", "bond", c]),
			ratio(kns["patched", "icount", "bond", c],
			      kns["base", "icount", "bond", c]),
			val(kns["patched", "icount", "nobond2", c]),
			ratio(kns["patched", "wall", "bond", c],
			      kns["base", "wall", "bond", c])
	}
	for (i = 0; i < nk; i++) {
		c = korder[i]
		if (kpt["base", "nobond", c] == "-" || kpt["patched", "nobond", c] == "-")
			continue
		if (!header++)
			print "\nOperations whose 2 MiB mapping freed a PTE table (-icount boot):"
		printf "  %-20s base: nobond %s, bond %s; patched: nobond %s, bond %s\n",
			c, val(kpt["base", "nobond", c]), val(kpt["base", "bond", c]),
			val(kpt["patched", "nobond", c]), val(kpt["patched", "bond", c])
	}
}' "$out"/base/icount.sva "$out"/patched/icount.sva "$out"/base/wall.sva \
	"$out"/patched/wall.sva "$out"/base/icount.kva "$out"/patched/icount.kva \
	"$out"/base/wall.kva "$out"/patched/wall.kva > "$out/results.txt"
# What a bond cost the IOMMUs in kernel page-table flushes
for name in base patched; do
	sed -n "s/^kva-bench-run: \(while bound, .*\)\$/$name: \1/p" \
		"$out/$name/icount-console.txt"
done >> "$out/results.txt"
echo
echo "sva-perf: median of $SVA_ROUNDS rounds of $SVA_ITERS operations per case"
echo "(bench/sva-bench/sva-perf.c); kva_bench: of $ROUNDS rounds of $ITERS, an"
echo "operation being an allocation and its free, or two of them in the"
echo "*-pte-to-pmd cases (bench/kva-bench/kva_bench.c):"
echo
cat "$out/results.txt"
echo
log "perf: done in $((SECONDS - start)) s; the tables are in $out/results.txt,"
log "perf: the kernel logs in $out/{base,patched}/{icount,wall}-console.txt"
