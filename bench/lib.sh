# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the bench scripts. Source it; do not run it.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
# What outlives a clone: results that depend on the base alone
BENCH_CACHE=${BENCH_CACHE:-$HOME/.cache/iommu-sva-bench}

# The base: Linux 7.3 as Debian packages it, Debian 13's package from
# trixie-backports, fetched with a private apt configuration and unpacked,
# never installed: the machine's own packages stay as they are.
# LINUX_7_3_VERSION picks another 7.3.y if the pinned one has left the
# mirror (bench/run deps names those offered). The series on 6.12 that came
# before is in the repository's history (README.md names the commit).
BUILD=${BUILD:-$TOP/build}
PATCHES=$TOP/patches
TREE=$BUILD/linux
BASE_PKG=linux-source-7.3
BASE_VERSION=${LINUX_7_3_VERSION:-7.3.4-1~bpo13+1}
BASE_SUITE=trixie-backports
BASE_TARBALL=$BENCH_CACHE/debs/$BASE_PKG-$BASE_VERSION/usr/src/$BASE_PKG.tar.xz
BASE_COMMIT_FILE=$BENCH_DIR/base-commit
# Debian 12's sparse (0.6.4) is too old for 7.3, whose
# scripts/checker-valid.sh wants __typeof_unqual__: make C=1 would warn
# "sparse is not available or not up to date" and check nothing. Debian 13
# has no newer one; sid's (0.6.5~rc1) passes. It runs from a root of sid's
# packages (bench/deps.sh makes it with mmdebstrap), through its own loader,
# from the wrapper bench/sparse-sid.
SID_ROOT=$BENCH_CACHE/sid-root
SPARSE=$BENCH_DIR/sparse-sid
# 7.3's kunit.py asks QEMU for KVM first, which does not boot 7.3 here (KVM
# is nested): bench/qemu-tcg/ holds QEMU wrappers that keep it on TCG.
PATH=$BENCH_DIR/qemu-tcg:$PATH
BASE_REPO=$BUILD/base.git
BASE_BRANCH=base
SERIES_BRANCH=series

JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
export CCACHE_BASEDIR=$TOP
# ccache must not take the build's own time stamps for a miss.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=bench KBUILD_BUILD_HOST=bench

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# step NAME CMD...: run one step, say how long it took.
step() {
	local name=$1 t0 rc=0
	shift
	t0=$(date +%s)
	log "==> $name"
	"$@" || rc=$?
	log "<== $name: $([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc)") in $(($(date +%s) - t0))s"
	return $rc
}

# need CMD PACKAGE: fail with the Debian package that provides a tool.
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found: install the Debian package '$2' (bench/run deps)"
}

# The base commit id, as recorded by base.sh.
base_commit() {
	git -C "$BASE_REPO" rev-parse --verify -q "refs/heads/$BASE_BRANCH" ||
		die "no base repository in $BASE_REPO: run 'bench/base.sh'"
}

# The patch files of the series, in order, without the cover letter.
series_patches() {
	[ -f "$PATCHES/series" ] || die "$PATCHES/series is missing"
	local p
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -f "$PATCHES/$p" ] || die "patches/series names $p, which does not exist"
		case "$p" in 0000-*) continue ;; esac
		echo "$PATCHES/$p"
	done < "$PATCHES/series"
}

# Result accounting: every check adds to these, check.sh prints the sum.
RESULTS=${RESULTS:-$BUILD/results}
record() { # record pass|fail WHAT
	mkdir -p "$(dirname "$RESULTS")"
	printf '%s %s\n' "$1" "$2" >> "$RESULTS"
	[ "$1" = pass ] || printf 'FAIL: %s\n' "$2" >&2
}

# record_lines PREFIX: record each "pass|skip|fail WHAT" line of standard
# input (as kunit.py prints them) as "PREFIX: WHAT"; a skip is only logged,
# any other word fails. Sets PASSED to the number of passes and FAILED to
# the WHATs that failed.
record_lines() {
	local prefix=$1 word what
	PASSED=0
	FAILED=()
	while read -r word what; do
		case "$word" in
		pass) record pass "$prefix: $what"; PASSED=$((PASSED + 1)) ;;
		skip) log "$prefix: skipped $what" ;;
		*) record fail "$prefix: $word $what"; FAILED+=("$what") ;;
		esac
	done
}

# git am needs a committer; a fresh machine may have none configured.
if ! git config user.email >/dev/null 2>&1; then
	export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-bench}
	export GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-bench@localhost}
fi

# clone_base DIR: a clean work tree of the base on branch $SERIES_BRANCH.
# An existing clone of the same base is reset rather than cloned again, so
# that files the reset does not change keep their time stamps and the builds
# that use DIR stay incremental.
clone_base() {
	local base
	base=$(base_commit)
	if git -C "$1" cat-file -e "$base^{commit}" 2>/dev/null; then
		git -C "$1" am --abort >/dev/null 2>&1 || true
		git -C "$1" checkout -q -f -B "$SERIES_BRANCH" "$base"
		git -C "$1" clean -q -f -d -x
		return
	fi
	rm -rf "$1"
	git clone -q --no-tags --branch "$BASE_BRANCH" "$BASE_REPO" "$1"
	git -C "$1" checkout -q -b "$SERIES_BRANCH"
	git -C "$1" config core.abbrev 12
}

# am_one DIR PATCH: git am one patch onto DIR's HEAD. On failure, name the
# patch and what did not apply, and leave DIR at the previous patch.
am_one() {
	local out
	out=$(git -C "$1" am --quiet "$2" 2>&1) && return 0
	printf '%s\n' "$out" | grep -E '^(error|Patch failed|fatal)' >&2 || printf '%s\n' "$out" >&2
	git -C "$1" am --abort >/dev/null 2>&1 || true
	echo "patch ${2#"$TOP"/} does not apply to the base plus the patches before it" >&2
	return 1
}

# apply_series DIR: git am every patch of the series onto DIR's HEAD.
apply_series() {
	local p
	while read -r p; do
		am_one "$1" "$p" || return 1
	done < <(series_patches)
}

# The work tree the checks use: the base plus patches/ as they are, apart
# from build/linux so that the developer's tree is never touched.
CHECK=$BUILD/check
CHECK_SRC=$CHECK/src

# drop_subdirs: read sorted directory names (with or without a trailing /),
# print those that have no ancestor in the list: building or checking a
# directory covers its subdirectories.
drop_subdirs() {
	awk '{ d = $0; sub("/$", "", d)
	       for (p in seen) if (index(d "/", p "/") == 1) next
	       seen[d]; print }'
}

# kunit_args ARCH SRC: set KUNIT_ARGS to the kunit.py options that configure
# and build ARCH's kernel from SRC: its QEMU machine (qemu/ARCH.py), the
# compiler, the .kunitconfig of every suite $KUNIT_LIST (bench/kunit.list)
# names for ARCH, and on x86_64 configs/selftests-x86_64.config, which makes
# that kernel boot an initramfs and hold the SVA test device. KUNIT_SUITES
# gets the suites' directories.
KUNIT_LIST=${KUNIT_LIST:-$BENCH_DIR/kunit.list}
kunit_args() {
	local arch=$1 src=$2 a dir
	[ -f "$BENCH_DIR/qemu/$arch.py" ] || die "no QEMU machine for arch $arch in qemu/"
	KUNIT_ARGS=(--qemu_config="$BENCH_DIR/qemu/$arch.py" --jobs="$JOBS")
	case "$arch" in
	x86_64) KUNIT_ARGS+=(--make_options "CC=ccache gcc")
		# Once the series has the SVA test device
		! grep -q '^config IOMMU_SVA_TEST$' "$src/drivers/iommu/Kconfig" ||
			KUNIT_ARGS+=(--kunitconfig="$BENCH_DIR/configs/selftests-x86_64.config") ;;
	arm64) KUNIT_ARGS+=(--cross_compile=aarch64-linux-gnu-
		--make_options "CC=ccache aarch64-linux-gnu-gcc") ;;
	*) die "$KUNIT_LIST: no QEMU setup for arch $arch" ;;
	esac
	KUNIT_SUITES=()
	while read -r a dir; do
		[ "$a" = "$arch" ] || continue
		[ -f "$src/$dir/.kunitconfig" ] || die "$KUNIT_LIST: $dir/.kunitconfig does not exist in $src"
		KUNIT_ARGS+=(--kunitconfig="$dir")
		KUNIT_SUITES+=("$dir")
	done < <(grep -v '^#' "$KUNIT_LIST")
}

# make_initramfs DIR PROG[:SECONDS]...: make DIR.cpio, an initramfs (cpio
# newc, staged in DIR) of busybox and the static programs PROG, whose /init
# mounts /proc, /sys, devtmpfs and debugfs, runs each PROG in turn, killed
# after SECONDS (120 by default), and reboots, which ends QEMU. Each run's
# output is kept in a file and printed whole when it ends, between the lines
# "bench: run NAME: begin" and "bench: run NAME: end, exit N", so that kernel
# messages do not cut into it; the last line is "bench: run: all done".
make_initramfs() {
	local dir=$1 prog secs
	shift
	# A static busybox: the initramfs has no libraries
	if [ ! -x /bin/busybox ] || readelf -l /bin/busybox | grep INTERP >/dev/null; then
		die "no static /bin/busybox: install the Debian package 'busybox-static' (bench/run deps)"
	fi
	need cpio cpio
	rm -rf "$dir"
	mkdir -p "$dir"/{bin,dev,etc,proc,sys,tmp}
	cp /bin/busybox "$dir/bin/"
	for prog in "$@"; do
		secs=120
		case "$prog" in *:*) secs=${prog##*:}; prog=${prog%:*} ;; esac
		cp "$prog" "$dir/bin/"
		echo "${prog##*/} $secs" >> "$dir/etc/runs"
	done
	cat > "$dir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
exec </dev/console >/dev/console 2>&1
while read -r name secs; do
	echo "bench: run $name: begin"
	rc=0
	timeout "$secs" "/bin/$name" < /dev/null > "/tmp/$name.out" 2>&1 || rc=$?
	# Nothing of a run outlives it: kselftest tests have process groups
	# of their own, which the time limit does not kill
	kill -KILL -1 2>/dev/null
	cat "/tmp/$name.out"
	[ $rc != 143 ] || echo "bench: run $name: killed after ${secs}s"
	echo "bench: run $name: end, exit $rc"
done < /etc/runs
echo "bench: run: all done"
# QEMU runs with -no-reboot: a reboot ends it, with or without ACPI
reboot -f
INIT
	chmod +x "$dir/init"
	(cd "$dir" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$dir.cpio"
}

# boot_initramfs KERNEL INITRAMFS LOG SECONDS [KERNEL ARG...]: boot an x86_64
# kernel with an initramfs under QEMU, on two CPUs (-smp 2, 2 GiB for KASAN),
# with the serial console in LOG, and stop it after SECONDS (exit 124). The
# kernel's KUnit suites are not run again (kunit.enable=0); a panic ends the
# boot at once. The array BOOT_QEMU_ARGS, if set, adds QEMU options.
boot_initramfs() {
	local kernel=$1 initrd=$2 log=$3 secs=$4 bios=()
	shift 4
	need qemu-system-x86_64 qemu-system-x86
	# kunit.py's x86_64 machine: qboot is faster than SeaBIOS
	[ ! -f /usr/share/qemu/qboot.rom ] || bios=(-bios qboot.rom)
	timeout "$secs" qemu-system-x86_64 -nodefaults -nographic -no-reboot \
		"${bios[@]}" -smp 2 -m 2048 -serial stdio "${BOOT_QEMU_ARGS[@]}" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 kunit.enable=0 rdinit=/init panic=-1 $*" \
		< /dev/null > "$log" 2>&1
}
