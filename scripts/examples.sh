#!/usr/bin/env bash
# Check every example under examples/ the way a user would meet it:
# `terraform fmt -check`, then `terraform validate` against the provider built
# from this tree (through dev_overrides, no registry). Action examples need a
# Terraform with actions: the 1.15.0 built by scripts/tools/terraform.sh.
# import.sh files are checked with `bash -n`.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$PWD/.build/examples"
rm -rf "$work"
mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-ezitxt" .
rc="$work/dev.tfrc"
cat >"$rc" <<EOT
provider_installation {
  dev_overrides {
    "registry.terraform.io/ezitxt/ezitxt" = "$work/bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$rc"
tf111="$(command -v terraform)"
tf115="$(scripts/tools/terraform.sh | tail -n1)"

echo "terraform fmt -check examples/"
"$tf111" fmt -check -recursive -diff examples

n=0
fail=0
while IFS= read -r dir; do
	cli="$tf111"
	case "$dir" in examples/actions/*) cli="$tf115" ;; esac
	case "$dir" in */modules/*) continue ;; esac # validated through the root that calls them
	copy="$work/$(echo "$dir" | tr '/' '_')"
	mkdir -p "$copy"
	cp -R "$dir"/. "$copy"/
	if ! grep -qs 'required_providers' "$copy"/*.tf; then
		cat >"$copy/zz_required_providers.tf" <<'EOT'
terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}
EOT
	fi
	if grep -qs '^module ' "$copy"/*.tf; then
		"$cli" -chdir="$copy" init -backend=false -input=false -no-color >/dev/null
	fi
	if out="$("$cli" -chdir="$copy" validate -no-color 2>&1)"; then
		echo "ok   $dir ($("$cli" version | head -n1))"
	else
		echo "FAIL $dir"
		echo "$out" | sed 's/^/     /'
		fail=1
	fi
	n=$((n + 1))
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)

while IFS= read -r script; do
	bash -n "$script" || { echo "FAIL $script"; fail=1; }
	n=$((n + 1))
done < <(find examples -name '*.sh')

echo "$n example files/directories checked"
exit $fail
