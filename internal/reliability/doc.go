// Package reliability holds the provider's reliability and security suites,
// each a test that ends by printing its figures on a line of its own that
// starts with "FIGURES":
//
//   - TestBadInput: one table of invalid configurations across the provider
//     block, every resource, data source and action. Each must fail at
//     validate or plan time with a diagnostic that names the attribute and
//     says how to fix it, without a single request reaching the mock.
//   - TestFaultSoak: many sends (messages, broadcasts and actions) through
//     the CLI against a mock injecting 429s, 5xx, latency and dropped
//     connections; no duplicate, no lost message, and a second apply that
//     converges.
//   - TestSecrets: a full run with TF_LOG=trace through a built provider
//     binary; the password, the PIN and the Authorization header appear in
//     no log, state, plan or output.
//   - TestHostileServer: the provider, configured against servers that
//     misbehave (a 1 GB body, invalid JSON, wrong content types, a slow
//     drip, redirects, odd statuses), gives clear errors with bounded memory.
//
// The suites that drive a CLI run only with TF_ACC=1 and
// EZITXT_RELIABILITY=1 (`make reliability`, `make soak`), so that a plain
// `go test ./...` stays fast. The mock under load is mockapi's
// BenchmarkLoad, which `make reliability` runs under -race.
package reliability
