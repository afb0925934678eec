#!/usr/bin/env bash
# Generate or check docs/ with tfplugindocs.
#
#   scripts/docs.sh generate   regenerate docs/
#   scripts/docs.sh check      fail when docs/ differs from a fresh generation, when a page lacks a
#                              description or an example, or when `tfplugindocs validate` fails
#
# tfplugindocs reads the provider schema through the `terraform` first on PATH. Terraform older
# than 1.14 does not know actions: it would silently drop docs/actions/. So the Terraform with
# actions built by scripts/tools/terraform.sh (the newest Terraform of the CLI matrix) goes first on
# PATH. tfplugindocs itself is pinned in the tool module tools/go.mod and run with `go tool`.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-generate}"
tf="$(scripts/tools/terraform.sh | tail -n1)"
export PATH="$(dirname "$tf"):$PATH"
mkdir -p .build
export TF_CLI_CONFIG_FILE="${TF_CLI_CONFIG_FILE:-$PWD/.build/empty.tfrc}"
[ -f "$TF_CLI_CONFIG_FILE" ] || : >"$TF_CLI_CONFIG_FILE"
echo "tfplugindocs with $(terraform version | sed -n 1p)" >&2

generate() {
	go tool -modfile=tools/go.mod tfplugindocs generate --provider-name ezitxt --rendered-provider-name EZITXT --rendered-website-dir "$1" >&2
}

case "$mode" in
generate)
	generate docs
	;;
check)
	out=.build/docs-check
	rm -rf "$out"
	generate "$out"
	if ! diff -ru docs "$out"; then
		echo "docs/ is stale: run 'make docs' and commit the result" >&2
		exit 1
	fi
	go tool -modfile=tools/go.mod tfplugindocs validate --provider-name ezitxt >&2
	# Every page of a resource, data source or action has a description and an example.
	bad=0
	for page in docs/resources/*.md docs/data-sources/*.md docs/actions/*.md; do
		[ -e "$page" ] || continue
		desc="$(awk '/^description: \|-/{getline; print; exit}' "$page" | tr -d '[:space:]')"
		if [ -z "$desc" ]; then echo "$page: empty description" >&2; bad=1; fi
		if ! grep -q '^## Example Usage' "$page"; then echo "$page: no example" >&2; bad=1; fi
	done
	for kind in resources data-sources actions; do
		[ -d "docs/$kind" ] || { echo "docs/$kind is missing" >&2; bad=1; }
	done
	[ "$bad" = 0 ] || exit 1
	echo "docs/ is up to date: $(find docs -name '*.md' | wc -l) pages" >&2
	;;
*)
	echo "usage: $0 generate|check" >&2
	exit 2
	;;
esac
