#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Step 2: scripts/checkpatch.pl --strict on every patch: no error, warning or
# check, except those bench/checkpatch-exceptions lists with their reason.
. "$(dirname "$0")/lib.sh"

[ -d "$CHECK_SRC/.git" ] || die "no $CHECK_SRC: run bench/check-apply.sh first"
exceptions=$BENCH_DIR/checkpatch-exceptions

# maintainerless PATCH: the files PATCH adds, renames or deletes that no
# MAINTAINERS section but THE REST covers (at the tip of the series).
maintainerless() {
	local f sections
	while read -r f; do
		[ -e "$CHECK_SRC/$f" ] || f=$(dirname "$f")
		sections=$(cd "$CHECK_SRC" && perl scripts/get_maintainer.pl --no-git \
			--no-git-fallback --sections -f "$f" 2>/dev/null | grep -E '^[A-Z0-9]' |
			grep -vxF 'THE REST' || true)
		[ -n "$sections" ] || printf '%s ' "$f"
	done < <(awk '/^diff --git / { a = substr($3, 3); b = substr($4, 3) }
		/^new file mode / { print b } /^deleted file mode / { print a }
		/^rename to / { print substr($0, 11) }' "$1")
}
status=0
while read -r p; do
	name=${p##*/}
	ignore=()
	while read -r glob type reason; do
		case "$glob" in ''|'#'*) continue ;; esac
		[ -n "$reason" ] || die "$exceptions: '$glob $type' has no reason"
		# shellcheck disable=SC2053
		[[ $name == $glob ]] && ignore+=("--ignore=$type")
	done < "$exceptions"
	# checkpatch runs scripts/spdxcheck.py with "python3": make that Debian's,
	# which has python3-ply and python3-git, whatever else is on the PATH.
	out=$(cd "$CHECK_SRC" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --show-types \
		--color=never "${ignore[@]}" "$p" 2>&1) || true
	if grep -q '^Traceback' <<<"$out"; then
		printf '%s\n' "$out" >&2
		die "checkpatch's helper scripts failed on $name ('bench/run deps' installs what they need)"
	fi
	if grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$out"; then
		record pass "checkpatch: $name"
	else
		printf '%s\n' "$out" >&2
		record fail "checkpatch: $name"
		status=1
	fi
	unmaintained=$(maintainerless "$p")
	if [ -z "$unmaintained" ]; then
		record pass "maintainers: $name"
	else
		echo "$name: no MAINTAINERS section covers: $unmaintained" >&2
		record fail "maintainers: $name"
		status=1
	fi
done < <(series_patches)
exit $status
