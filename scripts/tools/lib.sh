# shellcheck shell=bash
# Shared helpers for scripts/tools/*.sh. Source it, do not run it.
#
# Every tool script follows the same shape:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   tool_init NAME VERSION BINARY "$@"      # sets TOOL_DIR, TOOL_BIN, TOOL_LOG, TOOL_WORK
#   tool_verify() { ... "$1" ... }          # succeed iff binary "$1" is the wanted version
#   tool_build()  { ... -o "$1" ... }       # build the binary into path "$1" (stdout/stderr go to the log)
#   tool_main
#
# tool_main prints the binary path as the last line of stdout and exits 0, reusing a cached binary
# that passes tool_verify, or builds it under a per-tool lock. Progress goes to stderr; build output
# goes to $TOOL_LOG; on failure the tail of the log is printed to stderr and the exit status is 1.
#
# Environment:
#   EZITXT_TOOLS_CACHE    cache folder (default: $HOME/.cache/terraform-provider-ezitxt)
#   EZITXT_TOOLS_REBUILD  1 = rebuild even if a working binary is cached (same as --force)
#
# Needs only bash, coreutils, git and go (flock from util-linux when present; mkdir lock otherwise).

set -euo pipefail

TOOLS_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_REPO_ROOT="$(cd "$TOOLS_SCRIPT_DIR/../.." && pwd)"
TOOLS_CACHE="${EZITXT_TOOLS_CACHE:-${HOME:-/tmp}/.cache/terraform-provider-ezitxt}"

tool_log() { printf '[tools] %s\n' "$*" >&2; }

tool_die() {
	tool_log "ERROR: $*"
	exit 1
}

tool_usage() {
	cat >&2 <<EOF
usage: $(basename "$0") ${TOOL_USAGE_ARGS:-}[--force]
Builds $TOOL_NAME $TOOL_VERSION into $TOOLS_CACHE/$TOOL_NAME-$TOOL_VERSION/
(cache folder: \$EZITXT_TOOLS_CACHE, default \$HOME/.cache/terraform-provider-ezitxt)
and prints the binary path as the last line of stdout. --force (or EZITXT_TOOLS_REBUILD=1) rebuilds.
EOF
}

# tool_init NAME VERSION BINARY [script args...]
# shellcheck disable=SC2034 # TOOL_* are used by the scripts that source this file.
tool_init() {
	TOOL_NAME="$1"
	TOOL_VERSION="$2"
	TOOL_BINARY="$3"
	shift 3
	TOOL_FORCE="${EZITXT_TOOLS_REBUILD:-0}"
	local arg
	for arg in "$@"; do
		case "$arg" in
		-f | --force) TOOL_FORCE=1 ;;
		-h | --help)
			tool_usage
			exit 0
			;;
		*)
			tool_usage
			exit 2
			;;
		esac
	done
	command -v go >/dev/null 2>&1 || tool_die "go is not on PATH"
	local repo
	TOOLS_CACHE="$(realpath -m "$TOOLS_CACHE")"
	repo="$(realpath -m "$TOOLS_REPO_ROOT")"
	case "$TOOLS_CACHE/" in
	"$repo"/*) tool_die "EZITXT_TOOLS_CACHE ($TOOLS_CACHE) must be outside the repository ($repo)" ;;
	esac
	mkdir -p "$TOOLS_CACHE/logs" "$TOOLS_CACHE/locks" "$TOOLS_CACHE/work"
	TOOL_DIR="$TOOLS_CACHE/$TOOL_NAME-$TOOL_VERSION"
	TOOL_BIN="$TOOL_DIR/$TOOL_BINARY"
	TOOL_LOG="$TOOLS_CACHE/logs/$TOOL_NAME-$TOOL_VERSION.log"
	TOOL_WORK="$TOOLS_CACHE/work/$TOOL_NAME-$TOOL_VERSION"
	TOOL_LOCK="$TOOLS_CACHE/locks/$TOOL_NAME-$TOOL_VERSION.lock"
}

# The environment for every go command: no workspace, no vendor dir, no cgo (static binaries like the
# upstream releases), never switch toolchains. GOPROXY/GOSUMDB/GOMODCACHE are left to the caller.
tool_go() {
	env GOWORK=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOTOOLCHAIN=local go "$@"
}

# Environment for running a terraform-like CLI quietly and offline.
tool_cli_env() {
	env -u TF_CLI_CONFIG_FILE -u TF_LOG CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 "$@"
}

# tool_download_gomod MODULE@VERSION: downloads the module and prints the path of its go.mod file.
# On failure the `go mod download -json` output (which holds the error) goes to stderr.
tool_download_gomod() {
	local json gomod
	if ! json="$(tool_go mod download -json "$1" 2>&1)"; then
		echo "go mod download $1 failed:" >&2
		echo "$json" >&2
		return 1
	fi
	gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' <<<"$json")"
	if [[ ! -f "$gomod" ]]; then
		echo "could not find the go.mod of $1 in:" >&2
		echo "$json" >&2
		return 1
	fi
	echo "$gomod"
}

tool_is_built() {
	[[ -f "$TOOL_BIN" && -x "$TOOL_BIN" ]] && tool_verify "$TOOL_BIN" >/dev/null 2>&1
}

# Per-tool exclusive lock held until the script exits.
tool_lock() {
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$TOOL_LOCK"
		if ! flock -n 9; then
			tool_log "waiting for another build of $TOOL_NAME $TOOL_VERSION (lock $TOOL_LOCK)"
			flock 9
		fi
		return 0
	fi
	# Fallback: mkdir is atomic. A lock older than 2 hours is considered stale.
	local dir="$TOOL_LOCK.d" waited=0
	until mkdir "$dir" 2>/dev/null; do
		if [[ -n "$(find "$dir" -maxdepth 0 -mmin +120 2>/dev/null)" ]]; then
			rm -rf "$dir"
			continue
		fi
		((waited % 30 == 0)) && tool_log "waiting for another build of $TOOL_NAME $TOOL_VERSION (lock $dir)"
		sleep 2
		waited=$((waited + 2))
	done
	TOOL_LOCK_DIR="$dir"
	trap 'rm -rf "$TOOL_LOCK_DIR"' EXIT
}

tool_fail() {
	tool_log "building $TOOL_NAME $TOOL_VERSION failed: $*"
	tool_log "last lines of $TOOL_LOG:"
	tail -n 40 "$TOOL_LOG" >&2 || true
	exit 1
}

tool_main() {
	if [[ "$TOOL_FORCE" != 1 ]] && tool_is_built; then
		echo "$TOOL_BIN"
		exit 0
	fi
	tool_lock
	# Someone else may have finished the same build while we waited for the lock.
	if [[ "$TOOL_FORCE" != 1 ]] && tool_is_built; then
		echo "$TOOL_BIN"
		exit 0
	fi
	mkdir -p "$TOOL_DIR"
	local tmp="$TOOL_DIR/.$TOOL_BINARY.tmp.$$"
	local start=$SECONDS
	tool_log "building $TOOL_NAME $TOOL_VERSION into $TOOL_BIN (log: $TOOL_LOG)"
	{
		echo "# $TOOL_NAME $TOOL_VERSION build started $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "# $(go version)"
	} >"$TOOL_LOG"
	# Not `if ! (tool_build)`: errexit is ignored inside a condition, even in a subshell.
	local rc
	set +e
	(
		set -e
		tool_build "$tmp"
	) >>"$TOOL_LOG" 2>&1
	rc=$?
	set -e
	if [[ $rc -ne 0 ]]; then
		rm -f "$tmp"
		tool_fail "build step failed (exit $rc)"
	fi
	[[ -x "$tmp" ]] || tool_fail "build produced no binary at $tmp"
	if ! tool_verify "$tmp" >>"$TOOL_LOG" 2>&1; then
		rm -f "$tmp"
		tool_fail "the built binary did not pass its version check"
	fi
	mv -f "$tmp" "$TOOL_BIN"
	echo "# done in $((SECONDS - start))s" >>"$TOOL_LOG"
	tool_log "built $TOOL_NAME $TOOL_VERSION in $((SECONDS - start))s"
	echo "$TOOL_BIN"
}
