#!/usr/bin/env bash
# make examples: every example under examples/ is run the way a user would run it, against
# ezitxt-mock and the provider built from this tree (through dev_overrides, no registry):
#
#   terraform fmt -check, then for each example directory and each CLI of the matrix:
#   apply -> apply -refresh-only (statuses move on) -> plan -detailed-exitcode (must be 0: no
#   changes) -> destroy, each against a fresh mock (-sources 1234567890, clock at 100x so that
#   messages are read within a second).
#
# Examples are used as shipped: their files, assets and schedules unchanged. The only inputs are
# the -var values a user would pass for the example's required variables (below), some of them
# IDs of objects created on the mock first (a message to look up, an upload, a reply).
#
# CLIs (names as in scripts/testacc.sh; add a version in cli_path to extend the matrix):
#   CLIS="terraform-1.11.4 tofu-1.12.6"    every example except actions
#   ACTIONS_CLI="terraform-1.16.4"         action examples (Terraform 1.14+), the newest of the matrix;
#                                          ACTIONS_CLI=none skips them, saying so
# NAME=PATH in either list uses that binary (e.g. ACTIONS_CLI=terraform-1.16.4=/path/to/terraform).
# import.sh files are checked with `bash -n`. import-by-identity.tf files are documentation
# snippets (tfplugindocs shows them on the resource's page) that import objects which exist only
# in the reader's account: they are checked by fmt here, left out of the applied copies, and the
# same import blocks are applied against a mock by the TestAccIdentity_* acceptance tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

clis="${CLIS:-terraform-1.11.4 tofu-1.12.6}"
actions_cli="${ACTIONS_CLI:-terraform-1.16.4}"

# cli_path NAME prints the path of a CLI of the matrix, building it when needed. NAME=PATH uses
# the binary at PATH instead (its version is still checked).
cli_path() {
	local bin want
	case "$1" in
	*=*) bin="${1#*=}" ;;
	terraform-1.11.4) bin="$(command -v terraform)" ;;
	tofu-*) bin="$(scripts/tools/tofu.sh | tail -n1)" ;;
	terraform-*) bin="$(scripts/tools/terraform.sh "${1#terraform-}" | tail -n1)" ;;
	*) echo "examples.sh: unknown CLI $1" >&2; return 1 ;;
	esac
	want="${1%%=*}"
	want="${want#*-}"
	local version
	version="$("$bin" version)"
	version="${version%%$'\n'*}"
	if [ "${version##* v}" != "$want" ]; then
		echo "examples.sh: $bin is $version, not ${1%%=*}" >&2
		return 1
	fi
	echo "$bin"
}

work="$root/.build/examples"
rm -rf "$work"
mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-ezitxt" .
go build -o "$work/bin/ezitxt-mock" ./cmd/ezitxt-mock
cat >"$work/dev.tfrc" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/ezitxt/ezitxt" = "$work/bin"
    "registry.opentofu.org/ezitxt/ezitxt" = "$work/bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/dev.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export EZITXT_USERNAME=demo EZITXT_PASSWORD=demo-password

echo "terraform fmt -check examples/"
"$(command -v terraform)" fmt -check -recursive -diff examples

mock_pid=""
stop_mock() {
	if [ -n "$mock_pid" ]; then
		kill "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
		mock_pid=""
	fi
}
trap stop_mock EXIT

# start_mock starts a fresh mock and sets EZITXT_BASE_URL, admin and api.
start_mock() {
	stop_mock
	rm -f "$work/mock.url"
	"$work/bin/ezitxt-mock" -listen 127.0.0.1:0 -quiet -clock-speed 100 -sources 1234567890 \
		>"$work/mock.url" 2>"$work/mock.log" &
	mock_pid=$!
	for _ in $(seq 100); do [ -s "$work/mock.url" ] && break; sleep 0.1; done
	[ -s "$work/mock.url" ] || { echo "ezitxt-mock did not start:" >&2; cat "$work/mock.log" >&2; exit 1; }
	api="$(head -n1 "$work/mock.url")"
	admin="${api%/rest/wab/v1}/__admin"
	export EZITXT_BASE_URL="$api"
}

mock_send() { # number: sends a text message through the API and prints its id
	curl -sf -u demo:demo-password -H 'Content-Type: application/json' \
		-d "{\"to\":\"$1\",\"source\":\"1234567890\",\"type\":\"text\",\"text\":{\"body\":\"Release 2.4 is live.\"}}" \
		"$api/messages" | jq -r .message_id
}

# vars_for DIR prints the -var arguments of an example, one per line, creating on the mock what
# they refer to.
vars_for() {
	case "$1" in
	examples/getting-started | examples/resources/ezitxt_source) echo "-var=whatsapp_pin=123456" ;;
	examples/guides/pipeline-notifications) echo "-var=release=v2.4.1" ;;
	examples/actions/ezitxt_send_message) echo "-var=release=v2.4.0" ;;
	examples/data-sources/ezitxt_message)
		# The example's gate passes once the message is read: move the mock clock past that,
		# rather than hope 100x real time got there before the apply.
		local id
		id="$(mock_send +6421000001)"
		curl -sf -X POST -d '{"by":"1h"}' "$admin/clock/advance" >/dev/null
		echo "-var=release_notice_id=$id"
		;;
	examples/data-sources/ezitxt_media)
		local id
		id="$(curl -sf -u demo:demo-password -F "file=@examples/getting-started/logo.png;type=image/png" \
			"$api/media?source=1234567890" | jq -r .id)"
		echo "-var=media_id=$id"
		;;
	examples/actions/ezitxt_mark_read)
		local id
		id="$(curl -sf -d '{"from":"+6421000001","to":"1234567890","text":"Thanks!"}' "$admin/replies" | jq -r .id)"
		echo "-var=handled_reply_ids=[\"$id\"]"
		;;
	esac
}

fail=0
declare -A applied planned destroyed
run_example() { # cli-name cli-path dir
	local name="$1" cli="$2" dir="$3" copy out rc vars=()
	copy="$work/$name/$(echo "${dir#examples/}" | tr '/' '_')"
	mkdir -p "$copy"
	cp -R "$dir"/. "$copy"/
	rm -f "$copy"/import-by-*.tf
	start_mock
	mapfile -t vars < <(vars_for "$dir")
	tf() { "$cli" -chdir="$copy" "$@" -input=false -no-color; }
	step() { # label args...
		local label="$1"
		shift
		if ! out="$(tf "$@" 2>&1)"; then
			echo "FAIL $dir on $name: $label"
			echo "$out" | sed 's/^/     /'
			fail=1
			return 1
		fi
	}
	if grep -qs '^module ' "$copy"/*.tf; then
		step "get" get || return 0
	fi
	step "apply" apply -auto-approve "${vars[@]}" || return 0
	# Terraform 1.16 warns when a triggered action refers to the resource that triggers it; the
	# examples avoid that (pipeline-notifications-with-actions guide).
	if grep -q 'Reference to triggering resource' <<<"$out"; then
		echo "FAIL $dir on $name: apply warned about a reference to the triggering resource"
		echo "$out" | grep -A4 'Reference to triggering resource' | sed 's/^/     /'
		fail=1
		return 0
	fi
	applied[$name]=$((${applied[$name]:-0} + 1))
	if [ "$dir" = examples/actions/ezitxt_send_message ]; then
		step "apply -invoke deploy_started" apply -auto-approve -invoke=action.ezitxt_send_message.deploy_started "${vars[@]}" || return 0
		step "apply -invoke maintenance_notice" apply -auto-approve -invoke=action.ezitxt_send_message.maintenance_notice "${vars[@]}" || return 0
	fi
	sleep 1 # 100 s of mock time: every message that is not scheduled has reached its last status
	step "apply -refresh-only" apply -refresh-only -auto-approve "${vars[@]}" || return 0
	rc=0
	out="$(tf plan -detailed-exitcode "${vars[@]}" 2>&1)" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "FAIL $dir on $name: the plan after apply is not empty (exit $rc)"
		echo "$out" | sed 's/^/     /'
		fail=1
		return 0
	fi
	planned[$name]=$((${planned[$name]:-0} + 1))
	step "destroy" destroy -auto-approve "${vars[@]}" || return 0
	destroyed[$name]=$((${destroyed[$name]:-0} + 1))
	# Nothing was sent twice through apply, refresh, plan and destroy.
	local sends duplicates
	sends="$(curl -sf "$admin/sends" | jq .count)"
	duplicates="$(curl -sf "$admin/duplicates" | jq .count)"
	if [ "$duplicates" != 0 ]; then
		echo "FAIL $dir on $name: $duplicates of $sends sends were duplicates"
		curl -sf "$admin/duplicates" | sed 's/^/     /'
		fail=1
		return 0
	fi
	echo "ok   $dir on $name: applied, planned with no changes, destroyed; $sends sends, no duplicate"
}

# The delivery gate of the ezitxt_message data source example stops a pipeline: its plan fails
# while the message is not read (here a number that never reads it).
gate_check() { # cli-name cli-path
	local name="$1" cli="$2" dir=examples/data-sources/ezitxt_message copy out
	copy="$work/$name/gate"
	mkdir -p "$copy"
	cp -R "$dir"/. "$copy"/
	start_mock
	if out="$("$cli" -chdir="$copy" plan -input=false -no-color -var="release_notice_id=$(mock_send +15550100005)" 2>&1)"; then
		echo "FAIL $dir on $name: the plan passed the delivery gate for a message that was never read"
		fail=1
	elif ! grep -q 'precondition failed' <<<"$out" || ! grep -q 'not read' <<<"$out"; then
		echo "FAIL $dir on $name: the plan failed, but not on the delivery gate:"
		echo "$out" | sed 's/^/     /'
		fail=1
	else
		echo "ok   $dir on $name: the plan fails while the message is unread (precondition)"
	fi
}

# The actions guide (templates/guides/pipeline-notifications-with-actions.md.tmpl) presents the
# files of examples/actions as one configuration: they must validate together.
actions_guide_check() { # cli-name cli-path
	local name="$1" cli="$2" copy="$work/$1/actions-guide" out
	mkdir -p "$copy"
	cp examples/actions/ezitxt_send_message/*.tf "$copy"/
	cp examples/actions/ezitxt_mark_read/action.tf "$copy"/mark_read.tf
	if out="$("$cli" -chdir="$copy" validate -no-color 2>&1)"; then
		echo "ok   actions guide on $name: its files validate as one configuration"
	else
		echo "FAIL actions guide on $name: its files do not validate as one configuration"
		echo "$out" | sed 's/^/     /'
		fail=1
	fi
}

mapfile -t dirs < <(find examples -name '*.tf' -not -path '*/modules/*' -exec dirname {} \; | sort -u)
for entry in $clis; do
	name="${entry%%=*}"
	cli="$(cli_path "$entry")"
	echo "== $name ($cli)"
	for dir in "${dirs[@]}"; do
		case "$dir" in examples/actions/*) continue ;; esac
		run_example "$name" "$cli" "$dir"
	done
	gate_check "$name" "$cli"
done

if [ "$actions_cli" = none ]; then
	echo "== action examples skipped (ACTIONS_CLI=none)"
else
	cli="$(cli_path "$actions_cli")"
	echo "== ${actions_cli%%=*} ($cli): action examples"
	for dir in "${dirs[@]}"; do
		case "$dir" in examples/actions/*) run_example "${actions_cli%%=*}" "$cli" "$dir" ;; esac
	done
	actions_guide_check "${actions_cli%%=*}" "$cli"
fi
stop_mock

n=0
while IFS= read -r script; do
	bash -n "$script" || { echo "FAIL $script"; fail=1; }
	n=$((n + 1))
done < <(find examples -name '*.sh')

echo
for entry in $clis $([ "$actions_cli" = none ] || echo "$actions_cli"); do
	name="${entry%%=*}"
	printf '%-18s applied %d, planned with no changes %d, destroyed %d\n' "$name" \
		"${applied[$name]:-0}" "${planned[$name]:-0}" "${destroyed[$name]:-0}"
done
echo "$n import scripts checked with bash -n"
exit $fail
