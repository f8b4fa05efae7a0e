#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write build/linux's series (base..HEAD) back into patches/: numbered
# git format-patch files, cover letter first, and the quilt-style series file.
# The output is deterministic: no commit ids that change on rebase
# (--zero-commit), fixed-length abbreviations, the cover letter dated like the
# newest patch, no git version signature. An unchanged series exports to
# byte-identical files.
#
# --check: only tell whether the tree holds a change that patches/ lacks.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no tree in $TREE: run 'bench/run tree'"
base=$(base_commit)
git -C "$TREE" merge-base --is-ancestor "$base" HEAD ||
	die "$TREE's HEAD is not based on the base commit $base"

patch_ids() { git patch-id --stable | cut -d' ' -f1 | sort -u; }

if [ "${1:-}" = --check ]; then
	tree_ids=$(git -C "$TREE" log --format=%H "$base..HEAD" |
		while read -r c; do git -C "$TREE" show "$c" | patch_ids; done | sort -u)
	queue_ids=$(for p in "$PATCHES"/*.patch; do [ -f "$p" ] && patch_ids < "$p"; done | sort -u)
	only_tree=$(comm -23 <(echo "$tree_ids") <(echo "$queue_ids"))
	[ -z "$only_tree" ]
	exit
fi

[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted changes: commit them (or --fixup and autosquash) first"
n=$(git -C "$TREE" rev-list --count "$base..HEAD")
[ "$n" -gt 0 ] || die "$TREE has no commit on top of the base"

out=$BUILD/export.tmp
rm -rf "$out"
desc=$(git -C "$TREE" config "branch.$(git -C "$TREE" symbolic-ref --short HEAD).description" || true)
[ -n "$desc" ] || log "export: warning: no branch description, the cover letter is a template"
git -C "$TREE" -c core.abbrev=12 -c diff.noprefix=false -c format.signOff=false \
	format-patch -q --zero-commit --no-signature --cover-letter \
	--cover-from-description=subject --base="$base" \
	-o "$out" "$base..HEAD"
python3 "$BENCH_DIR/cover.py" fix "$out/0000-cover-letter.patch" \
	"$(git -C "$TREE" log -1 --format=%aD HEAD)"

rm -f "$PATCHES"/*.patch
mkdir -p "$PATCHES"
mv "$out"/*.patch "$PATCHES"/
(cd "$PATCHES" && ls -1 -- *.patch) > "$PATCHES/series"
rmdir "$out"
log "export: $n patches and a cover letter in ${PATCHES#"$TOP"/}/"
git -C "$TOP" status --short -- "$PATCHES" || true
