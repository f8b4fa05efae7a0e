#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 6: the KUnit suites of bench/kunit.list under QEMU, one kernel and one
# boot per arch on two CPUs, with KASAN, lockdep and the atomic-sleep checks
# enabled (configs/kunit-sanitizers.config). A failing case, a case that did
# not run, or a splat in the kernel log fails the step.
#
# The KUnit kernel of each arch (built for the machine of qemu/<arch>.py) also
# holds the IOMMU drivers, and is then booted on each machine qemu/<arch>-*.py
# describes, which have a real IOMMU (VT-d, AMD, SMMUv3) with a virtio disk
# behind it: the IOMMU drivers' smoke test. qemu/<machine>.expect says what
# the boot log must show (the driver probes, the disk's partition table is
# read by DMA through the IOMMU) and must not (faults, and any splat).
#
# The x86_64 kernel also boots an initramfs and holds the SVA test device
# (configs/selftests-x86_64.config): step 7 runs the selftests in it.
#
#   check-kunit.sh [SRC]
#
# KUNIT_LIST=FILE runs the suites FILE lists instead of bench/kunit.list.
. "$(dirname "$0")/lib.sh"

src=${1:-$CHECK_SRC}
[ -e "$src/.git" ] || die "no kernel tree in $src"
need qemu-system-x86_64 qemu-system-x86
need qemu-system-aarch64 qemu-system-arm
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu

mapfile -t archs < <(awk '!/^#/ && NF { print $1 }' "$KUNIT_LIST" | sort -u)
[ ${#archs[@]} -gt 0 ] || die "$KUNIT_LIST names no suite"

# The smoke test's disk, read through the IOMMU when virtio-blk probes
disk=$BUILD/smoke-disk.img
python3 "$BENCH_DIR/kunit.py" disk "$disk"

status=0
for arch in "${archs[@]}"; do
	kunit_args "$arch" "$src"
	out=$BUILD/kunit-$arch
	mkdir -p "$out"
	# A build that fails must not leave an earlier run's results to read
	rm -f "$out/results.json" "$out/test.log"
	# Two CPUs, so that concurrent tests race for real
	args=("${KUNIT_ARGS[@]}" --timeout=300
		--kunitconfig="$BENCH_DIR/configs/kunit-sanitizers.config"
		--qemu_args="-smp 2" --build_dir="$out" --json="$out/results.json")
	log "kunit: $arch: ${KUNIT_SUITES[*]}"
	rc=0
	(cd "$src" && python3 tools/testing/kunit/kunit.py run "${args[@]}") > "$out/kunit.out" 2>&1 || rc=$?
	if [ ! -s "$out/results.json" ]; then
		tail -40 "$out/kunit.out" >&2
		record fail "kunit $arch: build or boot"
		echo "kunit: $arch: no result (exit $rc), see $out/kunit.out" >&2
		exit 1
	fi
	record_lines "kunit $arch" < <(python3 "$BENCH_DIR/kunit.py" summary \
		"$out/results.json" "$out/test.log")
	ran=$PASSED
	[ ${#FAILED[@]} = 0 ] || status=1
	if [ $status != 0 ] || [ $rc != 0 ] || [ $ran = 0 ]; then
		# kunit.py's own report shows each failing case with its log.
		sed -n '/Starting KUnit Kernel/,$p' "$out/kunit.out" >&2
		[ $ran != 0 ] || record fail "kunit $arch: no case ran"
		echo "kunit: $arch failed (exit $rc): $out/kunit.out, kernel log $out/test.log" >&2
		exit 1
	fi
	log "kunit: $arch: $ran cases passed, log clean"

	for machine in "$BENCH_DIR"/qemu/"$arch"-*.py; do
		name=$(basename "$machine" .py)
		log "boot: $name"
		# One quick case, so that kunit.py sees a result and shuts down
		(cd "$src" && python3 tools/testing/kunit/kunit.py exec \
			--qemu_config="$machine" --build_dir="$out" --timeout=300 \
			iommu-sva.sva_test_bind_without_iommu \
			--qemu_args="-drive file=$disk,format=raw,if=none,id=vd0,readonly=on
			-device virtio-blk-pci,drive=vd0,addr=10.0,disable-legacy=on,iommu_platform=on") \
			> "$out/$name.out" 2>&1 || true
		cp "$out/test.log" "$out/$name.log"
		record_lines "boot $name" < <(python3 "$BENCH_DIR/kunit.py" expect \
			"${machine%.py}.expect" "$out/$name.log")
		if [ ${#FAILED[@]} = 0 ]; then
			log "boot: $name: as expected, log clean"
		else
			echo "boot: $name failed: kernel log $out/$name.log" >&2
			status=1
		fi
	done
done
exit $status
