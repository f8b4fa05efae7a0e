#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the bench needs from Debian's packages. Idempotent: only
# missing packages are installed, and the base source is pinned.
. "$(dirname "$0")/lib.sh"

# coccinelle only recommends ocaml-nox, whose ocamlopt the OCaml scripts of
# some semantic patches need: without it, coccicheck fails.
PKGS=(
	build-essential bc bison flex cpio kmod rsync xz-utils
	libelf-dev libssl-dev dwarves python3 perl git ccache
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	sparse coccinelle ocaml-nox busybox-static python3-ply python3-git python3-sphinx
	qemu-system-x86 qemu-system-arm
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

have=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true)
if [ "$have" != "$BASE_VERSION" ] || [ ! -f "$BASE_TARBALL" ]; then
	missing+=("$BASE_PKG=$BASE_VERSION")
fi

if [ ${#missing[@]} = 0 ]; then
	log "deps: everything is installed"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
export DEBIAN_FRONTEND=noninteractive
log "deps: apt-get update"
apt-get update -q >/dev/null
if ! apt-cache madison "$BASE_PKG" | awk '{print $3}' | grep -qxF "$BASE_VERSION"; then
	offered=$(apt-cache madison "$BASE_PKG" | awk '{print $3}' | paste -sd' ')
	die "$BASE_PKG version $BASE_VERSION is wanted, apt offers: ${offered:-none}"
fi
log "deps: installing ${missing[*]}"
apt-get install -y -q --no-install-recommends --allow-downgrades "${missing[@]}" >/dev/null
