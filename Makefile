# terraform-provider-ezitxt. `make help` lists the targets.
#
# The Go tools (golangci-lint, goreleaser, tfplugindocs) are pinned in the tool
# module tools/go.mod and run with `go tool -modfile=tools/go.mod ...` (Go's
# build cache keeps them). The CLIs other than the installed Terraform (OpenTofu,
# a Terraform with actions) are built by scripts/tools/*.sh into a cache folder
# outside the repo ($EZITXT_TOOLS_CACHE, default ~/.cache/terraform-provider-ezitxt).

SHELL       := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
BIN         := $(CURDIR)/bin
GOBIN_DIR   := $(shell go env GOPATH)/bin
PKGS        := ./...
# Terraform and OpenTofu read this CLI config; an empty file keeps them from
# warning about (or, for OpenTofu, breaking on) a missing one.
CLI_CONFIG  := $(CURDIR)/.build/empty.tfrc
export TF_CLI_CONFIG_FILE := $(CLI_CONFIG)

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(CLI_CONFIG):
	@mkdir -p $(dir $@) && : > $@

.PHONY: build
build: ## Build the provider and ezitxt-mock into bin/
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/terraform-provider-ezitxt .
	go build -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN)/ezitxt-mock ./cmd/ezitxt-mock

# Where `make dev-config` writes the CLI configuration; DEV_CONFIG=/some/path.tfrc to choose.
DEV_CONFIG  ?= $(CURDIR)/.build/dev.tfrc

.PHONY: dev-config
dev-config: build ## Build, write a CLI config that makes Terraform and OpenTofu use bin/ (DEV_CONFIG=path), print the export line
	@mkdir -p "$(dir $(DEV_CONFIG))"
	@printf '%s\n' \
	  '# Written by make dev-config: Terraform and OpenTofu use the provider in $(BIN)' \
	  '# instead of a registry. No terraform init is needed for it.' \
	  'provider_installation {' \
	  '  dev_overrides {' \
	  '    "registry.terraform.io/ezitxt/ezitxt" = "$(BIN)"' \
	  '    "registry.opentofu.org/ezitxt/ezitxt" = "$(BIN)"' \
	  '  }' \
	  '  direct {}' \
	  '}' > "$(DEV_CONFIG)"
	@echo "wrote $(DEV_CONFIG); to use this build, run:" >&2
	@echo "export TF_CLI_CONFIG_FILE=\"$(abspath $(DEV_CONFIG))\""

.PHONY: install
install: ## Install the provider into GOPATH/bin (for dev_overrides)
	go install -trimpath -ldflags "$(LDFLAGS)" .

.PHONY: test
test: $(CLI_CONFIG) ## Unit and acceptance tests against the mock, with the installed terraform
	TF_ACC=1 go test -count=1 -race $(PKGS)

.PHONY: testacc
testacc: $(CLI_CONFIG) ## Acceptance tests on the CLI matrix: Terraform 1.11.4, OpenTofu 1.12.6, Terraform 1.16.4
	scripts/testacc.sh

.PHONY: reliability
reliability: $(CLI_CONFIG) ## Reliability suites: bad input, fault soak (CI size), secrets, hostile server, mock under load; prints figures
	scripts/reliability.sh

.PHONY: soak
soak: $(CLI_CONFIG) ## Fault soak at full size: 1,000 sends through the CLI against a mock injecting faults
	EZITXT_SOAK_SENDS=$${EZITXT_SOAK_SENDS:-1000} scripts/reliability.sh soak

.PHONY: bench
bench: ## Benchmark suite at full size through the CLI: prints every figure against its budget, fails on a miss (BENCH_ONLY=overhead,media...)
	go run ./internal/cmd/bench -scale full

.PHONY: bench-ci
bench-ci: ## The benchmark suite with reduced counts (same scenarios and budgets), as CI runs it
	go run ./internal/cmd/bench -scale small

.PHONY: lint
lint: ## go vet, gofmt, go mod tidy -diff (both modules) and golangci-lint
	go vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	@go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	@cd tools && go mod tidy -diff || { echo "tools/go.mod/go.sum are not tidy: run (cd tools && go mod tidy)"; exit 1; }
	go tool -modfile=tools/go.mod golangci-lint run $(PKGS)

.PHONY: docs
docs: ## Regenerate docs/ with tfplugindocs (with a Terraform that knows actions first on PATH)
	scripts/docs.sh generate

.PHONY: docs-check
docs-check: ## Fail when docs/ is stale, and run tfplugindocs validate
	scripts/docs.sh check

.PHONY: examples
examples: $(CLI_CONFIG) ## Apply, plan (no changes) and destroy every example against ezitxt-mock on the CLI matrix (CLIS=..., ACTIONS_CLI=...)
	scripts/examples.sh

.PHONY: demo
demo: $(CLI_CONFIG) ## Build, start the mock, apply a demo configuration, show statuses, clean up
	scripts/demo.sh

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME (default 60s)
	scripts/fuzz.sh $${FUZZTIME:-60s}

.PHONY: release-check
release-check: ## Snapshot release with goreleaser (no signing, no publishing) and check the artefacts
	scripts/release-check.sh

.PHONY: clean
clean: ## Remove build output
	rm -rf $(BIN) dist .build

.PHONY: docs-test
docs-test: $(CLI_CONFIG) ## Run every shell command of README.md, docs/ and the mock's README against a fresh mock and this build (EZITXT_DOCS_ONLY=file)
	EZITXT_DOCS_TEST=1 go test -count=1 -v -timeout 30m -run '^TestDocs$$' ./internal/docstest/
