#!/usr/bin/env bash
# Builds golangci-lint from the tool module tools/go.mod into the tools cache and prints the binary
# path (last line).
#   lint=$(scripts/tools/golangci-lint.sh | tail -n1)
# The version is pinned in tools/go.mod (tool directive); this script checks that the pin matches.
set -euo pipefail
# shellcheck source=scripts/tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LINT_VERSION=v2.15.0
LINT_MODULE=github.com/golangci/golangci-lint/v2

tool_init golangci-lint "$LINT_VERSION" golangci-lint "$@"

tool_verify() {
	local out
	out="$("$1" version)"
	echo "$out"
	grep -q "has version ${LINT_VERSION#v} " <<<"$out"
}

tool_build() {
	local out="$1" date
	set -x
	tool_check_tools_pin "$LINT_MODULE" "$LINT_VERSION"
	date="$(tool_tools_module_time "$LINT_MODULE")"
	cd "$TOOLS_REPO_ROOT/tools"
	tool_go build -mod=readonly -trimpath \
		-ldflags "-s -w -X main.version=${LINT_VERSION#v} -X main.commit=module-proxy -X main.date=$date" \
		-o "$out" "$LINT_MODULE/cmd/golangci-lint"
}

tool_main
