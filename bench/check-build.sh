#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 3: every patch builds on its own, for x86_64 and for arm64 (cross),
# with W=1 and sparse adding no warning the base does not have, and
# scripts/kernel-doc -none -Wall adding none on the files each patch touches.
#
# What is built: every directory holding a source file the series touches
# (but for mm/: see build_dirs), plus the SVA providers and users that must
# keep building (ALWAYS_*). The base is built with C=2 (sparse on every file)
# to record its warnings; each patch is then built incrementally with C=1, so
# only what it changed (or what includes what it changed) is compiled and
# checked again.
. "$(dirname "$0")/lib.sh"

ARCHS=(x86_64 arm64)
# The SVA users: idxd, uacce, amdxdna (x86_64 only) and uio_pci_generic_sva
ALWAYS_x86_64=(drivers/iommu/ drivers/dma/idxd/ drivers/misc/uacce/ drivers/accel/amdxdna/
	drivers/uio/)
ALWAYS_arm64=(drivers/iommu/ drivers/misc/uacce/ drivers/uio/)

[ -x "$(command -v "$SPARSE")" ] || die "no $SPARSE: run 'bench/run deps'"
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
need ccache ccache
[ -d "$CHECK_SRC/.git" ] || die "no $CHECK_SRC: run bench/check-apply.sh first"

src=$CHECK_SRC
base=$(base_commit)
tip=$(git -C "$src" rev-parse HEAD)
logs=$CHECK/build-logs
rm -rf "$logs"
mkdir -p "$logs"

kmake() { # kmake ARCH ARGS...
	local arch=$1 cross=
	shift
	[ "$arch" = arm64 ] && cross=aarch64-linux-gnu-
	make -C "$src" O="$BUILD/check-$arch" ARCH="$arch" CROSS_COMPILE="$cross" \
		CC="ccache ${cross}gcc" CHECK="$SPARSE" -j"$JOBS" "$@"
}

# configure ARCH: defconfig plus the arch's fragment. Redone at every patch
# that changes a Kconfig file or a defconfig, so that options a patch
# introduces take the fragment's value; the .config of any other patch is the
# one of the patch before it.
configure() {
	local arch=$1 frag=$BENCH_DIR/configs/build-$1.config out=$BUILD/check-$1
	mkdir -p "$out"
	kmake "$arch" -s defconfig >/dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O . .config "$frag" >/dev/null)
	kmake "$arch" -s olddefconfig >/dev/null
}

# The fragment must still mean something at the tip: every option it sets
# has to be set that way in the final config.
check_fragment() {
	local arch=$1 line
	while read -r line; do
		case "$line" in CONFIG_*) ;; *) continue ;; esac
		grep -qxF "$line" "$BUILD/check-$arch/.config" ||
			die "configs/build-$arch.config: '$line' does not hold at the tip (check its dependencies)"
	done < "$BENCH_DIR/configs/build-$arch.config"
}

# Directories (and objects) to build for ARCH at the current commit. mm/ is
# the exception to "every directory": it holds 80 to 90 objects the series
# does not touch, as many as all the other directories together, so only the
# files the series touches directly in mm/ are built (a header of mm/ would
# bring the whole directory back). The KUnit kernels of step 6 build all of
# mm/ at the tip, and its subdirectories, which need options defconfig lacks
# (mm/kasan/: KASAN).
build_dirs() {
	local arch=$1 f karch=$1 dirs=()
	[ "$arch" = x86_64 ] && karch=x86
	local -n always=ALWAYS_$arch
	while read -r f; do
		case "$f" in
		arch/"$karch"/*) ;;
		arch/*|tools/*|Documentation/*|scripts/*|include/*|usr/*) continue ;;
		mm/*/*) continue ;;
		mm/*.c) dirs+=("${f%.c}.o"); continue ;;
		esac
		dirs+=("$(dirname "$f")/")
	done < <(git -C "$src" diff --name-only "$base" "$tip" -- '*.c' '*.h')
	dirs+=("${always[@]}")
	# Keep what exists here, and drop what a directory in the list covers.
	printf '%s\n' "${dirs[@]}" | sort -u | while read -r d; do
		case "$d" in
		*.o) [ -f "$src/${d%.o}.c" ] || continue ;;
		*) [ -f "$src/$d/Makefile" ] || [ -f "$src/$d/Kbuild" ] || continue ;;
		esac
		echo "$d"
	done | drop_subdirs
}

# build ARCH TAG C [PREV]: build the directories, keep the log, extract
# warnings. PREV is the commit built before this one, if any.
build() {
	local arch=$1 tag=$2 c=$3 prev=${4:-} dirs
	mapfile -t dirs < <(build_dirs "$arch")
	if [ -z "$prev" ] || [ -n "$(git -C "$src" diff --name-only "$prev" HEAD -- \
		'*Kconfig*' 'arch/*/configs/*')" ]; then
		configure "$arch"
	fi
	if ! kmake "$arch" W=1 C="$c" "${dirs[@]}" > "$logs/$arch-$tag.log" 2>&1; then
		grep -E 'error|Error' "$logs/$arch-$tag.log" | head -40 >&2
		return 1
	fi
	python3 "$BENCH_DIR/warnings.py" extract "$src" "$BUILD/check-$arch" \
		< "$logs/$arch-$tag.log" > "$logs/$arch-$tag.warn"
}

# kdoc TAG REV FILES...: kernel-doc warnings of the files as they are at
# REV (those that exist there), read from git so that no checkout changes
# the time stamps the incremental build relies on.
kdoc() {
	local tag=$1 rev=$2 f files=() dir=$logs/kdoc-$1
	shift 2
	rm -rf "$dir"
	for f in "$@"; do
		git -C "$src" cat-file -e "$rev:$f" 2>/dev/null || continue
		mkdir -p "$dir/$(dirname "$f")"
		git -C "$src" show "$rev:$f" > "$dir/$f"
		files+=("$f")
	done
	: > "$logs/kdoc-$tag.warn"
	[ ${#files[@]} = 0 ] && return
	(cd "$dir" && perl "$src/scripts/kernel-doc" -none -Wall "${files[@]}" 2>&1) |
		python3 "$BENCH_DIR/warnings.py" extract "$dir" > "$logs/kdoc-$tag.warn"
}

git -C "$src" checkout -q "$base"
for arch in "${ARCHS[@]}"; do
	log "build: base, $arch (W=1 C=2): $(build_dirs "$arch" | paste -sd' ')"
	build "$arch" base 2 || die "the base does not build for $arch: see $logs/$arch-base.log"
done

# no_new_warnings TEST BASE NOW WHAT: record TEST for $patch, failing it if
# the warnings in NOW.warn are not all in BASE.warn.
no_new_warnings() {
	local added
	added=$(python3 "$BENCH_DIR/warnings.py" new "$logs/$2.warn" "$logs/$3.warn")
	if [ -n "$added" ]; then
		printf '%s\n' "$added" >&2
		record fail "$1: $patch"
		echo "patch $patch adds the $4 warnings above" >&2
		exit 1
	fi
	record pass "$1: $patch"
}

mapfile -t patches < <(series_patches)
mapfile -t commits < <(git -C "$src" rev-list --reverse "$base..$tip")
prev=$base
[ ${#commits[@]} = ${#patches[@]} ] ||
	die "$src has ${#commits[@]} commits for ${#patches[@]} patches: run bench/check-apply.sh"
for n in "${!commits[@]}"; do
	commit=${commits[$n]}
	patch=${patches[$n]##*/}
	tag=$((n + 1))
	git -C "$src" checkout -q "$commit"
	name=$(git -C "$src" log -1 --format='%s' "$commit")
	for arch in "${ARCHS[@]}"; do
		if ! build "$arch" "$tag" 1 "$prev"; then
			record fail "build $arch: $patch"
			echo "patch $patch ($name) does not build for $arch: $logs/$arch-$tag.log" >&2
			exit 1
		fi
		no_new_warnings "build $arch" "$arch-base" "$arch-$tag" "$arch (W=1 C=1)"
	done
	mapfile -t files < <(git -C "$src" diff --name-only "$commit^" "$commit" -- '*.c' '*.h')
	kdoc base "$base" "${files[@]}"
	kdoc "$tag" "$commit" "${files[@]}"
	no_new_warnings kernel-doc kdoc-base "kdoc-$tag" kernel-doc
	prev=$commit
done

for arch in "${ARCHS[@]}"; do check_fragment "$arch"; done
git -C "$src" checkout -q "$tip"
