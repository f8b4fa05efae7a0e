# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the bench scripts. Source it; do not run it.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PATCHES=$TOP/patches
TREE=$BUILD/linux

# The base: Debian's linux-source-6.12, pinned.
BASE_PKG=linux-source-6.12
BASE_VERSION=6.12.117-1~deb12u1
BASE_TARBALL=/usr/src/linux-source-6.12.tar.xz
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
