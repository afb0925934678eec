#!/usr/bin/env bash
# Builds GoReleaser from the tool module tools/go.mod into the tools cache and prints the binary path
# (last line).
#   goreleaser=$(scripts/tools/goreleaser.sh | tail -n1)
# The version is pinned in tools/go.mod (tool directive); this script checks that the pin matches.
# (GoReleaser v2.18+ needs Go 1.27.)
set -euo pipefail
# shellcheck source=scripts/tools/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GORELEASER_VERSION=v2.17.0
GORELEASER_MODULE=github.com/goreleaser/goreleaser/v2

tool_init goreleaser "$GORELEASER_VERSION" goreleaser "$@"

tool_verify() {
	local out
	out="$("$1" --version)"
	echo "$out"
	grep -Eq "^GitVersion:[[:space:]]+${GORELEASER_VERSION#v}\$" <<<"$out"
}

tool_build() {
	local out="$1" date
	set -x
	tool_check_tools_pin "$GORELEASER_MODULE" "$GORELEASER_VERSION"
	date="$(tool_tools_module_time "$GORELEASER_MODULE")"
	cd "$TOOLS_REPO_ROOT/tools"
	tool_go build -mod=readonly -trimpath \
		-ldflags "-s -w -X main.version=${GORELEASER_VERSION#v} -X main.commit=module-proxy -X main.date=$date -X main.builtBy=scripts/tools/goreleaser.sh" \
		-o "$out" "$GORELEASER_MODULE"
}

tool_main
