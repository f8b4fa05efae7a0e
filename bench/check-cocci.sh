#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 5: coccicheck adds no report on the C files the series touches. Each
# file is checked alone, as 'make C=1 CHECK=scripts/coccicheck FILE.o'
# would, with every semantic patch of the base, at the base and at the tip;
# whole directories would take ten times as long for the same answer.
. "$(dirname "$0")/lib.sh"

need spatch coccinelle
[ -d "$CHECK_SRC/.git" ] || die "no $CHECK_SRC: run bench/check-apply.sh first"
src=$CHECK_SRC
base=$(base_commit)
tip=$(git -C "$src" rev-parse HEAD)
logs=$CHECK/cocci-logs
rm -rf "$logs"
mkdir -p "$logs"

mapfile -t files < <(git -C "$src" diff --name-only --diff-filter=d "$base" "$tip" -- '*.c')
if [ ${#files[@]} = 0 ]; then
	log "cocci: the series touches no C file"
	exit 0
fi

# cocci TAG FILE...: scripts/coccicheck's per-file mode (C=1) on each FILE of
# $src, $JOBS at a time; the diagnostics go to $logs/TAG/FILE.warn.
cocci() {
	local tag=$1
	shift
	printf '%s\0' "$@" | xargs -0 -r -P "$JOBS" -I{} bash -c '
		src=$1 out=$2/${3//\//_}
		(cd "$src" && C=1 MODE=report srctree=. \
			LINUXINCLUDE="-Iinclude -Iarch/x86/include -Iinclude/uapi -Iarch/x86/include/uapi" \
			scripts/coccicheck "$3") > "$out.log" 2>&1 ||
			{ echo "coccicheck failed on $3: $out.log" >&2; exit 255; }
		python3 "$4" extract "$src" < "$out.log" > "$out.warn"' \
		_ "$src" "$logs/$tag" {} "$BENCH_DIR/warnings.py"
}
mkdir -p "$logs/base" "$logs/tip"

# The base never changes: the reports of each of its files are kept, keyed by
# the base commit, the coccinelle version, the path and the file's blob. Like
# ccache's, the cache is the machine's, not the clone's: a fresh clone (as CI
# makes) reuses it.
cache=$BENCH_CACHE/cocci-files-$(echo "$base $(spatch --version 2>&1 | sed -n 1p)" | sha1sum | cut -c1-12)
mkdir -p "$cache"
todo=()
for f in "${files[@]}"; do
	blob=$(git -C "$src" rev-parse -q --verify "$base:$f" 2>/dev/null) || continue
	key=$cache/${f//\//_}-$blob.warn
	[ -f "$key" ] || todo+=("$f")
done
if [ ${#todo[@]} -gt 0 ]; then
	log "cocci: ${#todo[@]} files at the base"
	git -C "$src" checkout -q "$base"
	cocci base "${todo[@]}" || { git -C "$src" checkout -q "$tip"; die "coccicheck failed at the base"; }
	git -C "$src" checkout -q "$tip"
	for f in "${todo[@]}"; do
		blob=$(git -C "$src" rev-parse "$base:$f")
		cp "$logs/base/${f//\//_}.warn" "$cache/${f//\//_}-$blob.warn"
	done
fi
log "cocci: ${#files[@]} files at the tip"
cocci tip "${files[@]}" || die "coccicheck failed at the tip"

fails=0
for f in "${files[@]}"; do
	b=/dev/null
	if blob=$(git -C "$src" rev-parse -q --verify "$base:$f" 2>/dev/null); then
		b=$cache/${f//\//_}-$blob.warn
	fi
	added=$(python3 "$BENCH_DIR/warnings.py" new "$b" "$logs/tip/${f//\//_}.warn")
	if [ -n "$added" ]; then
		echo "$added" >&2
		record fail "coccicheck: $f"
		fails=$((fails + 1))
	else
		record pass "coccicheck: $f"
	fi
done
[ "$fails" = 0 ] || die "the series adds the coccinelle reports above"
log "cocci: no new report in ${#files[@]} files"
