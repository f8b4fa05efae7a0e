#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make build/linux: the base plus the series, one commit per patch, on branch
# "series". The cover letter's text becomes the branch description (edit it
# with 'git branch --edit-description'); 'bench/run export' writes it back.
. "$(dirname "$0")/lib.sh"

bash "$BENCH_DIR/base.sh"

if [ -d "$TREE/.git" ] && [ "${FORCE:-0}" != 1 ]; then
	dirty=$(git -C "$TREE" status --porcelain --untracked-files=normal)
	[ -z "$dirty" ] || die "$TREE has uncommitted changes; commit and 'bench/run export' them, or 'FORCE=1 bench/run tree' to drop them"
	if ! bash "$BENCH_DIR/export.sh" --check; then
		die "$TREE holds commits that patches/ does not: 'bench/run export' them, or 'FORCE=1 bench/run tree' to drop them"
	fi
fi

log "tree: cloning the base into $TREE"
clone_base "$TREE"
log "tree: applying $(series_patches | wc -l) patches"
apply_series "$TREE" || die "the series does not apply to the base"

cover=$PATCHES/0000-cover-letter.patch
if [ -f "$cover" ]; then
	desc=$(python3 "$BENCH_DIR/cover.py" read "$cover")
	git -C "$TREE" config "branch.$SERIES_BRANCH.description" "$desc"
fi
log "tree: $TREE is at $(git -C "$TREE" describe --always) on branch $SERIES_BRANCH"
