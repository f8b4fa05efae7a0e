#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job's demonstration: build the patched x86_64 kernel, boot it
# under QEMU with an initramfs that runs bench/demo/sva-demo.c, and show what
# the program printed: a device reading and writing a process's memory by
# virtual address through a PASID, with an I/O page fault, the IOTLB, the
# invalidation munmap() sends, and the exit of a process still bound.
#
#   demo.sh [SRC]
#
# The kernel is step 6's x86_64 KUnit kernel (kunit.py build, the same
# fragments, so with the SVA test device) without the sanitizers, in
# build/demo-x86_64. Its KUnit suites are not run: bench/run check runs them.
. "$(dirname "$0")/lib.sh"

src=${1:-$TREE}
[ -e "$src/.git" ] || die "no kernel tree in $src"
need gcc build-essential
kbuild=$BUILD/demo-x86_64
out=$BUILD/demo
mkdir -p "$kbuild" "$out"

kunit_args x86_64 "$src"
log "demo: building the x86_64 kernel in $kbuild"
if ! (cd "$src" && python3 tools/testing/kunit/kunit.py build "${KUNIT_ARGS[@]}" \
	--build_dir="$kbuild") > "$kbuild/kunit.out" 2>&1; then
	tail -40 "$kbuild/kunit.out" >&2
	die "demo: the kernel did not build, see $kbuild/kunit.out"
fi

log "demo: building bench/demo/sva-demo.c"
# Against the tree's uapi headers, installed with O= to keep the tree clean,
# and its device header; static, as the initramfs has no libraries
if ! make -C "$src" -j"$JOBS" ARCH=x86_64 O="$out/hdr" INSTALL_HDR_PATH="$out/usr" \
	headers_install > "$out/build.log" 2>&1 ||
	! gcc -static -O2 -Wall -Wextra -Werror -isystem "$out/usr/include" \
	-I"$src/drivers/iommu" -o "$out/sva-demo" "$BENCH_DIR/demo/sva-demo.c" \
	>> "$out/build.log" 2>&1; then
	tail -20 "$out/build.log" >&2
	die "demo: the program did not build, see $out/build.log"
fi
make_initramfs "$out/initramfs" "$out/sva-demo:60"

log "demo: booting the kernel under QEMU, running sva-demo in it"
rc=0
boot_initramfs "$kbuild/arch/x86/boot/bzImage" "$out/initramfs.cpio" "$out/console.log" 300 || rc=$?
tr -d '\r' < "$out/console.log" > "$out/console.txt"
log "demo: $(grep -m1 -o 'Linux version [^ ]*' "$out/console.txt" || echo 'no kernel log')"
end=$(grep -m1 '^bench: run sva-demo: end, exit ' "$out/console.txt" || true)
if [ -z "$end" ]; then
	tail -40 "$out/console.txt" >&2
	[ $rc != 124 ] || echo "demo: QEMU did not stop within 300s" >&2
	die "demo: sva-demo did not run to its end, see $out/console.txt"
fi
echo
sed -n '/^bench: run sva-demo: begin$/,/^bench: run sva-demo: end, exit /{//!p}' "$out/console.txt"
echo
# A WARN, BUG or lockdep report in the kernel log fails the demo too
splats=$(python3 "$BENCH_DIR/kunit.py" expect /dev/null "$out/console.txt")
if [ -n "$splats" ]; then
	printf '%s\n' "$splats" >&2
	die "demo: the kernel log shows the above, see $out/console.txt"
fi
[ "${end##* }" = 0 ] || die "demo: sva-demo exited with ${end##* }: something was not as expected (kernel log: $out/console.txt)"
log "demo: done, the kernel log is clean; it is in $out/console.txt"
