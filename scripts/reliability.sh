#!/usr/bin/env bash
# Reliability and security suites, each ending with a line of figures:
#   - internal/reliability: bad input, fault soak, secrets, hostile server
#     (with -race: the provider runs in the test process);
#   - the mock under load: mockapi's BenchmarkLoad (50 clients, 20,000
#     requests), once under -race and once without for its latencies;
#   - the fuzz corpora of the client's and the mock's parsers.
# The suites that need actions run on the newest Terraform of the CLI matrix
# (1.16.4, scripts/tools/terraform.sh); the
# bad-input and secrets suites also run on the installed Terraform 1.11.4.
# Verbose logs go to .build/reliability-*.log; the figures are printed last.
#
#   scripts/reliability.sh          all of it (soak at EZITXT_SOAK_SENDS, default 300)
#   scripts/reliability.sh soak     only the fault soak (make soak: 1,000 sends)
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-all}"
mkdir -p .build
export TF_CLI_CONFIG_FILE="${TF_CLI_CONFIG_FILE:-$PWD/.build/empty.tfrc}"
[ -f "$TF_CLI_CONFIG_FILE" ] || : >"$TF_CLI_CONFIG_FILE"
export TF_ACC=1 EZITXT_RELIABILITY=1
export EZITXT_SOAK_SENDS="${EZITXT_SOAK_SENDS:-300}"

# The CLI with actions; without it the action parts skip and say so.
tfact=""
if tfact="$(scripts/tools/terraform.sh | tail -n1)" && [ -x "$tfact" ]; then :; else
	echo "The Terraform of scripts/tools/terraform.sh is not available: the action parts are skipped (see the figures)" >&2
	tfact="$(command -v terraform)"
fi
tf111="$(command -v terraform)"
tfname="$("$tfact" version | sed -n 1p)"

figures=".build/reliability-figures.txt"
: >"$figures"
status=0

go build -o .build/bin/testsummary ./internal/cmd/testsummary

# run NAME LOG [-fuzz] COMMAND...: runs a go test -json command; testsummary
# writes its -v text to LOG, appends its FIGURES lines (with -fuzz, one
# counting the fuzz inputs too) and prints go test's result lines, ok or
# FAILED and, on failure, why.
run() {
	local name="$1" log=".build/reliability-$2.log" flags=()
	shift 2
	if [ "$1" = -fuzz ]; then
		flags+=(-fuzz)
		shift
	fi
	echo "=== $name"
	"$@" 2>&1 | .build/bin/testsummary -log "$log" -figures "$figures" "${flags[@]}" || status=1
}

suites='^(TestBadInput|TestFaultSoak|TestSecrets|TestHostileServer|TestSoakAccounting)$'
if [ "$what" = soak ]; then
	run "fault soak, $EZITXT_SOAK_SENDS sends ($tfname)" soak \
		env TF_ACC_TERRAFORM_PATH="$tfact" go test -count=1 -json -timeout 60m -run '^TestFaultSoak$' ./internal/reliability/
else
	run "reliability suites on $tfname, -race (soak: $EZITXT_SOAK_SENDS sends)" suites-actions \
		env TF_ACC_TERRAFORM_PATH="$tfact" go test -race -count=1 -json -parallel 8 -timeout 60m -run "$suites" ./internal/reliability/
	if [ "$tf111" != "$tfact" ]; then
		run "bad input and secrets on $("$tf111" version | sed -n 1p), -race" suites-1.11 \
			env TF_ACC_TERRAFORM_PATH="$tf111" go test -race -count=1 -json -parallel 8 -timeout 30m -run '^(TestBadInput|TestSecrets)$' ./internal/reliability/
	fi

	# The mock under load: BenchmarkLoad fails on any answer but 200/202, so
	# a 5xx that was not injected (none is) fails it; -race finds races.
	for mode in race plain; do
		flag=""
		[ "$mode" = race ] && flag="-race"
		run "mock under load (BenchmarkLoad, $mode)" "load-$mode" \
			go test $flag -count=1 -json -run '^$' -bench '^BenchmarkLoad$' -benchtime=1x ./internal/mockapi/
		awk -v mode="$mode" '/^BenchmarkLoad.*p50-ms/ {
			for (i = 1; i <= NF; i++) { if ($i == "p50-ms") p50 = $(i-1); if ($i == "p99-ms") p99 = $(i-1); if ($i == "requests") n = $(i-1) }
			printf "FIGURES mock-load (%s): 50 concurrent clients, %d requests, p50 %s ms, p99 %s ms; unexpected 5xx 0 (the benchmark fails on any status but 200/202)%s\n",
				mode, n, p50, p99, (mode == "race" ? "; data races 0" : "") }' ".build/reliability-load-$mode.log" >>"$figures"
	done

	# The fuzz corpora run in every go test; count them here.
	run "fuzz corpora (client parsers, mock handler)" fuzz -fuzz \
		go test -count=1 -json -run '^Fuzz' ./internal/client/ ./internal/mockapi/
fi

echo
echo "##### figures"
cat "$figures"
exit $status
