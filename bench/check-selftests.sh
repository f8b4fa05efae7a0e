#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 7: the SVA selftests, iommu_sva and iommu_sva_fail_nth of
# tools/testing/selftests/iommu, on the SVA test device. They are built
# static from the check's tree, put in an initramfs whose /init runs each
# with a time limit, and run in the x86_64 kernel of step 6 (KASAN, lockdep,
# kmemleak; configs/selftests-x86_64.config gives it the device and what the
# initramfs needs), booted under QEMU on two CPUs without its KUnit suites.
# A failing test, a binary that crashed, timed out, or passed no test (the
# device must be there: skipping everything is not passing), or a splat in
# the kernel log fails the step; a skipped test is logged.
. "$(dirname "$0")/lib.sh"

src=$CHECK_SRC
[ -d "$src/.git" ] || die "no $src: run bench/check-apply.sh first"
kbuild=$BUILD/kunit-x86_64
kernel=$kbuild/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no $kernel: step 6 (bench/check-kunit.sh) builds it"
while read -r opt; do
	case "$opt" in ''|'#'*) continue ;; esac
	grep -qxF "$opt" "$kbuild/.config" ||
		die "$kbuild/.config lacks $opt (configs/selftests-x86_64.config): run step 6 again"
done < "$BENCH_DIR/configs/selftests-x86_64.config"

out=$BUILD/selftests
# Each with its time limit in seconds: a safety net above the harness's own
# per-test limits (30 s by default; fail_nth's are 120 and 300 s), so that a
# slow test is reported by the harness, and a hung binary still ends the run
tests=(iommu_sva:300 iommu_sva_fail_nth:480)
boot_limit=900
names=("${tests[@]%:*}")
rm -rf "${out:?}/bin"
mkdir -p "$out/bin"

log "selftests: building ${names[*]}"
# The uapi headers the selftests include, installed from the tree: O= keeps
# the tree clean
if ! make -C "$src" -j"$JOBS" ARCH=x86_64 O="$out/hdr" INSTALL_HDR_PATH="$out/usr" \
	headers_install > "$out/build.log" 2>&1 ||
	! make -C "$src/tools/testing/selftests/iommu" OUTPUT="$out/bin" \
	KHDR_INCLUDES="-isystem $out/usr/include" USERLDFLAGS=-static \
	"${names[@]/#/$out/bin/}" >> "$out/build.log" 2>&1; then
	tail -30 "$out/build.log" >&2
	record fail "selftests: build"
	echo "selftests: the build failed, see $out/build.log" >&2
	exit 1
fi

make_initramfs "$out/initramfs" "${tests[@]/#/$out/bin/}"
log "selftests: booting $kernel"
rc=0
# The tests' time limits, plus the boot
boot_initramfs "$kernel" "$out/initramfs.cpio" "$out/console.log" $boot_limit || rc=$?
[ $rc != 124 ] || echo "selftests: QEMU did not stop within ${boot_limit}s" >&2

record_lines selftests < <(python3 "$BENCH_DIR/kunit.py" tap "$out/console.log" "${names[@]}")
if [ ${#FAILED[@]} != 0 ]; then
	# What the failing binaries printed, with their diagnostics
	for name in $(printf '%s\n' "${FAILED[@]%%:*}" | sort -u); do
		[ "$name" != log ] || continue
		tr -d '\r' < "$out/console.log" |
			sed -n "/^bench: run $name: begin\$/,/^bench: run $name: end/p" | tail -100 >&2
	done
	echo "selftests: failed: console (kernel log and the tests' output) in $out/console.log" >&2
	exit 1
fi
log "selftests: $PASSED tests passed, log clean"
