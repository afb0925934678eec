#!/usr/bin/env bash
# make demo: build the provider and ezitxt-mock, start the mock, apply a demo
# configuration against it, move the mock's clock on and show the statuses
# changing, destroy, stop the mock. Offline; needs Go and Terraform (or
# OpenTofu, when that is what is on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

if [ -t 1 ]; then
	bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	bold() { printf '\n== %s\n' "$*"; }
fi
say() { printf '   %s\n' "$*"; }

cli="$(command -v terraform || command -v tofu || true)"
[ -n "$cli" ] || { echo "make demo needs terraform or tofu on PATH" >&2; exit 1; }
cli_name="$(basename "$cli")"

work="$root/.build/demo"
rm -rf "$work"
mkdir -p "$work/bin" "$work/config"

bold "1/7 Building the provider and ezitxt-mock"
version="0.0.1"
go build -o "$work/bin/ezitxt-mock" ./cmd/ezitxt-mock
go build -o "$work/bin/mockadmin" ./internal/cmd/mockadmin
# A local filesystem mirror lets `init` install the provider offline, for
# Terraform and OpenTofu alike.
osarch="$(go env GOOS)_$(go env GOARCH)"
for host in registry.terraform.io registry.opentofu.org; do
	dir="$work/mirror/$host/ezitxt/ezitxt/$version/$osarch"
	mkdir -p "$dir"
done
go build -ldflags "-X main.version=$version" -o "$work/mirror/registry.terraform.io/ezitxt/ezitxt/$version/$osarch/terraform-provider-ezitxt_v$version" .
cp "$work/mirror/registry.terraform.io/ezitxt/ezitxt/$version/$osarch/terraform-provider-ezitxt_v$version" \
	"$work/mirror/registry.opentofu.org/ezitxt/ezitxt/$version/$osarch/"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/ezitxt/ezitxt", "registry.opentofu.org/ezitxt/ezitxt"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
say "provider $version and ezitxt-mock built; using $("$cli" version | sed -n 1p)"

bold "2/7 Starting ezitxt-mock"
# A frozen mock clock: statuses change only when the demo advances it.
"$work/bin/ezitxt-mock" -listen 127.0.0.1:0 -quiet -clock-speed 0 >"$work/mock.url" 2>"$work/mock.log" &
mock_pid=$!
cleanup() {
	kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$work/mock.url" ] && break; sleep 0.1; done
[ -s "$work/mock.url" ] || { echo "ezitxt-mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
base_url="$(head -n1 "$work/mock.url")"
admin="${base_url%/rest/wab/v1}/__admin"
export EZITXT_BASE_URL="$base_url" EZITXT_USERNAME=demo EZITXT_PASSWORD=demo-password
say "mock API at $base_url (admin API at $admin)"

tf() { "$cli" -chdir="$work/config" "$@"; }
cp scripts/demo/main.tf "$work/config/"
broadcast_at="$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+1H +%Y-%m-%dT%H:%M:%SZ)"
export TF_VAR_broadcast_at="$broadcast_at"
export TF_IN_AUTOMATION=1

bold "3/7 $cli_name init (from the demo's own local mirror, not needed with make dev-config) and apply: a source, a logo, a text message, a broadcast scheduled for $broadcast_at"
tf init -input=false -no-color >"$work/init.log" || { cat "$work/init.log"; exit 1; }
tf apply -auto-approve -input=false -no-color -compact-warnings | grep -E '^(ezitxt_.*complete|Apply complete|- )' | sed 's/^- /warning: /' || true
say "statuses right after apply:"
tf output -raw status_table
echo
say "logo: $(tf output -raw logo)"

bold "4/7 Two minutes later (mock clock): the text message has been delivered and read"
"$work/bin/mockadmin" advance "$admin" 2m
tf apply -refresh-only -auto-approve -input=false -no-color >/dev/null
tf output -raw status_table
echo

bold "5/7 An hour later: the scheduled broadcast went out; the API had refused +15550100009"
"$work/bin/mockadmin" advance "$admin" 1h
tf apply -refresh-only -auto-approve -input=false -no-color >/dev/null
tf output -raw status_table
echo
say "a second plan changes nothing (nothing is ever sent twice):"
tf plan -input=false -no-color -detailed-exitcode >/dev/null && say "  No changes."

bold "6/7 Destroy (forgets the messages: a WhatsApp message cannot be recalled)"
tf destroy -auto-approve -input=false -no-color -compact-warnings | grep -E '^(Destroy complete|- )' | sed 's/^- /warning: /' || true

bold "7/7 Stopping ezitxt-mock"
say "the mock received: $("$work/bin/mockadmin" stats "$admin")"
cleanup
trap - EXIT
say "done"
