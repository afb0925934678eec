#!/usr/bin/env bash
# Acceptance tests on the CLI matrix: Terraform 1.11.4 (installed), OpenTofu
# 1.12.6 and Terraform 1.16.4 (built into the tools cache by scripts/tools).
# Another Terraform with actions can be named too: CLIS=terraform-1.15.0 builds
# and runs 1.15.0.
# Each run prints a summary: how many tests passed, failed and were skipped,
# with every skip's reason, so a skipped action test is visible, never silent.
#
#   scripts/testacc.sh [go test -run pattern]      (default: ^TestAcc)
#   CLIS="terraform-1.11.4 tofu-1.12.6" scripts/testacc.sh
set -euo pipefail
cd "$(dirname "$0")/.."

pattern="${1:-^TestAcc}"
clis="${CLIS:-terraform-1.11.4 tofu-1.12.6 terraform-1.16.4}"
mkdir -p .build
export TF_CLI_CONFIG_FILE="${TF_CLI_CONFIG_FILE:-$PWD/.build/empty.tfrc}"
[ -f "$TF_CLI_CONFIG_FILE" ] || : >"$TF_CLI_CONFIG_FILE"

go build -o .build/bin/testsummary ./internal/cmd/testsummary
summary=.build/bin/testsummary

status=0
for cli in $clis; do
	case "$cli" in
	terraform-1.11.4)
		bin="$(command -v terraform)"
		"$bin" version | sed -n 1p | grep 'v1.11.4' >/dev/null || { echo "terraform on PATH is not 1.11.4: $("$bin" version | sed -n 1p)" >&2; exit 1; }
		host=registry.terraform.io ;;
	tofu-1.12.6) bin="$(scripts/tools/tofu.sh | tail -n1)"; host=registry.opentofu.org ;;
	terraform-1.1[4-9].*) bin="$(scripts/tools/terraform.sh "${cli#terraform-}" | tail -n1)"; host=registry.terraform.io ;;
	*) echo "unknown CLI $cli" >&2; exit 2 ;;
	esac
	log=".build/testacc-$cli.log"
	echo "=== acceptance tests on $cli ($bin)"
	# testsummary reads go test's events: it writes the -v text to the log and
	# prints go test's result lines, the counts, every skip's reason and, on
	# failure, the output of the tests that failed.
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin" TF_ACC_PROVIDER_HOST="$host" \
		go test -count=1 -json -timeout 45m -run "$pattern" ./internal/... 2>&1 |
		"$summary" -log "$log" -label "$cli" || status=1
done
exit $status
