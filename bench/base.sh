#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the base repository: Debian's linux-source tarball of the queue as one
# deterministic commit (fixed author, committer and dates), so the same base
# always has the same commit id and the series' base-commit: lines are stable
# (nothing of the machine, such as the cache's path, goes into it).
. "$(dirname "$0")/lib.sh"

need git git
need xz xz-utils
# The commit the pinned version makes; another version (LINUX_7_3_VERSION)
# makes another, which is taken as it comes.
expected=
if grep -qF "Linux $BASE_VERSION " "$BASE_COMMIT_FILE" 2>/dev/null; then
	expected=$(sed -n 's/^\([0-9a-f]\{40\}\).*/\1/p' "$BASE_COMMIT_FILE")
fi

if id=$(git -C "$BASE_REPO" rev-parse --verify -q "refs/heads/$BASE_BRANCH" 2>/dev/null); then
	[ -z "$expected" ] || [ "$id" = "$expected" ] ||
		die "$BASE_REPO holds base $id, ${BASE_COMMIT_FILE##*/} wants $expected: remove $BASE_REPO"
	log "base: $id (cached in $BASE_REPO)"
	exit 0
fi

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL is missing: run 'bench/run deps'"

src=$BUILD/base-src
rm -rf "$src" "$BASE_REPO.tmp"
mkdir -p "$src"
log "base: extracting $BASE_TARBALL"
tar -xJf "$BASE_TARBALL" -C "$src" --strip-components=1

# Debian's tarball ends its top-level .gitignore with a stanza for its own
# packaging repository ("/*" then "!/debian/") that makes git ignore every
# top-level path, new files included. Drop exactly that stanza: what is left
# is upstream's .gitignore, so the series also applies to upstream's release.
python3 - "$src/.gitignore" <<'PY'
import sys
path = sys.argv[1]
stanza = ("#\n# Debian packaging: ignore everything at the top level, since it isn't\n"
          "# included in our repository\n#\n/*\n!/debian/\n")
text = open(path).read()
if not text.endswith(stanza):
    sys.exit("base: Debian's packaging stanza not found at the end of .gitignore")
open(path, "w").write(text[:-len(stanza)].rstrip("\n") + "\n")
PY

export GIT_AUTHOR_NAME="Linux $BASE_VERSION" GIT_AUTHOR_EMAIL="base@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2025-01-01T00:00:00Z" GIT_COMMITTER_DATE="2025-01-01T00:00:00Z"
git init -q --bare "$BASE_REPO.tmp"
g() { git -C "$src" --git-dir="$BASE_REPO.tmp" --work-tree=. "$@"; }
g config core.autocrlf false
log "base: committing the tree"
# The tarball is a clean source tree: every file in it belongs to the base,
# dot-files included (its .gitignore ignores ".*"; upstream tracks them).
g add -A -f .
untracked=$(g ls-files --others --exclude-standard --directory)
[ -z "$untracked" ] || die "base: files left out of the base commit: ${untracked:0:200}"
g commit -q -m "Linux $BASE_VERSION (Debian $BASE_PKG)" \
	-m "Debian's ${BASE_TARBALL#"$BENCH_CACHE/debs/$BASE_PKG-$BASE_VERSION"}, with its top-level .gitignore packaging stanza removed."
g branch -m "$BASE_BRANCH" 2>/dev/null || g symbolic-ref HEAD "refs/heads/$BASE_BRANCH"
id=$(g rev-parse HEAD)
if [ -z "$expected" ]; then
	log "base: $BASE_VERSION is not the version ${BASE_COMMIT_FILE##*/} pins: taking $id as the base"
elif [ "$id" != "$expected" ]; then
	die "base: made $id but ${BASE_COMMIT_FILE##*/} wants $expected (not the pinned source?)"
fi
mv "$BASE_REPO.tmp" "$BASE_REPO"
rm -rf "$src"
log "base: $id"
