#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 5: coccicheck adds no report on the C files the series touches.
#
# scripts/coccicheck's per-file mode (C=1, as 'make C=1
# CHECK=scripts/coccicheck FILE.o' runs it) starts spatch once per semantic
# patch for one file: about 0.5 s each, 35 s a file. Here each semantic patch
# runs once on all the files, in coccicheck's directory mode, which takes
# each file alone as the per-file mode does. The tip is checked first; the
# base only if the tip has a report, to tell a report the series adds from
# one the base already has.
. "$(dirname "$0")/lib.sh"

need spatch coccinelle
[ -d "$CHECK_SRC/.git" ] || die "no $CHECK_SRC: run bench/check-apply.sh first"
src=$CHECK_SRC
base=$(base_commit)
tip=$(git -C "$src" rev-parse HEAD)
git -C "$src" cat-file -e "$base^{commit}" || die "$src does not hold the base: run bench/check-apply.sh"
logs=$CHECK/cocci-logs
rm -rf "$logs"
mkdir -p "$logs"

mapfile -t files < <(git -C "$src" diff --name-only --diff-filter=d "$base" "$tip" -- '*.c')
if [ ${#files[@]} = 0 ]; then
	log "cocci: the series touches no C file"
	exit 0
fi

# cocci TAG FILE...: every semantic patch in report mode on the FILEs of
# $src as it is checked out; the diagnostics on the FILEs go to
# $logs/TAG.warn. The files are copied to a tree of their own, which
# coccicheck's directory mode walks with $JOBS processes; spatch takes each
# file alone there, as in the per-file mode. Beside each file are links to
# the headers of its directory, so that its local #includes resolve as in
# $src; spatch checks those too, and their reports are dropped, as the
# per-file mode never makes them. The semantic patches are $src's.
# --no-scanner: in a git work tree spatch lists a directory's files with git
# grep, which sees nothing in the ignored build/, and would check no file.
cocci() {
	local tag=$1 tree=$logs/$1.tree f h
	shift
	rm -rf "$tree"
	for f in "$@"; do
		mkdir -p "$tree/$(dirname "$f")"
		cp "$src/$f" "$tree/$f"
		for h in "$src/$(dirname "$f")"/*.h; do
			[ -e "$h" ] || continue
			ln -sf "$h" "$tree/$(dirname "$f")/"
		done
	done
	(cd "$src" && MODE=report J="$JOBS" srctree=. srcroot="$tree" SPFLAGS=--no-scanner \
		LINUXINCLUDE="-Iinclude -Iarch/x86/include -Iinclude/uapi -Iarch/x86/include/uapi" \
		scripts/coccicheck) > "$logs/$tag.log" 2>&1 ||
		{ echo "coccicheck failed: $logs/$tag.log" >&2; return 1; }
	python3 "$BENCH_DIR/warnings.py" extract "$tree" "$src" < "$logs/$tag.log" |
		awk -F': ' 'NR == FNR { named[$0] = 1; next } $1 in named' \
			<(printf '%s\n' "$@") - > "$logs/$tag.warn"
}

log "cocci: ${#files[@]} files at the tip"
cocci tip "${files[@]}" || die "coccicheck failed at the tip"

: > "$logs/base.warn"
if [ -s "$logs/tip.warn" ]; then
	mapfile -t old < <(for f in "${files[@]}"; do
		git -C "$src" cat-file -e "$base:$f" 2>/dev/null && echo "$f"; done)
	if [ ${#old[@]} -gt 0 ]; then
		log "cocci: the tip has reports: ${#old[@]} files at the base"
		git -C "$src" checkout -q "$base"
		cocci base "${old[@]}" || { git -C "$src" checkout -q "$tip"; die "coccicheck failed at the base"; }
		git -C "$src" checkout -q "$tip"
	fi
fi

python3 "$BENCH_DIR/warnings.py" new "$logs/base.warn" "$logs/tip.warn" > "$logs/new.warn"
fails=0
for f in "${files[@]}"; do
	added=$(awk -F': ' -v f="$f" '$1 == f' "$logs/new.warn")
	if [ -n "$added" ]; then
		printf '%s\n' "$added" >&2
		record fail "coccicheck: $f"
		fails=$((fails + 1))
	else
		record pass "coccicheck: $f"
	fi
done
[ "$fails" = 0 ] || die "the series adds the coccinelle reports above"
log "cocci: no new report in ${#files[@]} files"
