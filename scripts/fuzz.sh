#!/usr/bin/env bash
# Run every Go fuzz target of the module for a while each (default 60s):
#   scripts/fuzz.sh 5m
# Their seed corpora (testdata/fuzz) already run in every `go test`; this
# explores beyond them. A crash leaves its input in the package's
# testdata/fuzz/<Target>/ folder: commit it, so it runs in `go test` from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-60s}"

status=0
while IFS=' ' read -r file target; do
	pkg="./$(dirname "$file")"
	echo "=== $target ($pkg) for $fuzztime"
	if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
		status=1
	fi
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed "s|^func |${f#./} |"
done | sort)
exit $status
