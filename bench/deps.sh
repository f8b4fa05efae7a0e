#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the bench needs from Debian's packages. Idempotent: only
# missing packages are installed, and the base source is pinned.
. "$(dirname "$0")/lib.sh"

# coccinelle only recommends ocaml-nox, whose ocamlopt the OCaml scripts of
# some semantic patches need: without it, coccicheck fails. sparse comes from
# sid (make_sid_root), made with mmdebstrap.
PKGS=(
	build-essential bc bison flex cpio kmod rsync xz-utils
	libelf-dev libssl-dev dwarves python3 perl git ccache
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	coccinelle ocaml-nox busybox-static python3-ply python3-git python3-sphinx
	qemu-system-x86 qemu-system-arm mmdebstrap
)

# fetch_base: download the base's source package from $BASE_SUITE, a suite of
# a newer Debian, with an apt configuration of its own (its own sources,
# lists and cache, no dpkg status): nothing is installed and the machine's
# apt sources stay as they are. The package is unpacked with dpkg -x into
# the bench's cache, where BASE_TARBALL points. Debian 12's keyring holds
# the newer release's keys, so the download is verified as usual.
fetch_base() {
	local apt=$BENCH_CACHE/apt-$BASE_SUITE deb dir offered
	local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
		-o Dir::State::Status=/dev/null -o APT::Sandbox::User=root)
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) $BASE_SUITE main" \
		> "$apt/sources.list"
	log "deps: apt-get update ($BASE_SUITE, for $BASE_PKG)"
	apt-get "${opts[@]}" update -q >/dev/null
	if ! apt-cache "${opts[@]}" madison "$BASE_PKG" | awk '{print $3}' | grep -qxF "$BASE_VERSION"; then
		offered=$(apt-cache "${opts[@]}" madison "$BASE_PKG" | awk '{print $3}' | paste -sd' ')
		die "$BASE_PKG version $BASE_VERSION is wanted, $BASE_SUITE offers: ${offered:-none} (set LINUX_7_3_VERSION to one of them)"
	fi
	log "deps: downloading $BASE_PKG $BASE_VERSION"
	(cd "$apt" && apt-get "${opts[@]}" download -q "$BASE_PKG=$BASE_VERSION" >/dev/null)
	deb=$(ls "$apt/${BASE_PKG}_"*.deb)
	dir=${BASE_TARBALL%/usr/src/*}
	rm -rf "$dir.tmp"
	mkdir -p "${dir%/*}"
	dpkg-deb -x "$deb" "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
	rm -f "$deb"
	[ -f "$BASE_TARBALL" ] || die "$deb holds no ${BASE_TARBALL#"$dir"}"
}

# debian_mirror: the Debian mirror the machine's own apt sources name.
debian_mirror() {
	local m
	m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ')
	echo "${m:-http://deb.debian.org/debian}"
}

# make_sid_root: a root of Debian sid's sparse, for a base that Debian 12's
# sparse is too old for (lib.sh). mmdebstrap makes it as a plain directory
# tree; nothing of it is installed on the machine. The mirror's sid Release
# file may be past its Valid-Until date, which apt refuses unless told.
make_sid_root() {
	local root=$SID_ROOT
	log "deps: making a root of Debian sid's sparse in $root (mmdebstrap)"
	rm -rf "$root.tmp"
	mmdebstrap --quiet --variant=apt --aptopt='Acquire::Check-Valid-Until "false"' \
		--include=sparse sid "$root.tmp" "deb $(debian_mirror) sid main" ||
		die "mmdebstrap failed to make $root"
	rm -rf "$root"
	mv "$root.tmp" "$root"
}

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} = 0 ]; then
	log "deps: every package is installed"
else
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
	export DEBIAN_FRONTEND=noninteractive
	log "deps: apt-get update"
	apt-get update -q >/dev/null
	log "deps: installing ${missing[*]}"
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# After the packages: fetch_base needs the keyring, make_sid_root mmdebstrap
[ -f "$BASE_TARBALL" ] || fetch_base
[ -x "$SID_ROOT/usr/bin/sparse" ] || make_sid_root
