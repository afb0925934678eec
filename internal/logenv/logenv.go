// Package logenv holds the one rule for when Terraform and OpenTofu read a
// provider's logs, shared by the provider's main and the benchmark's
// do-nothing provider so that both are measured on equal terms.
package logenv

import "strings"

// SDKLevels are the environment variables that set the log levels of the
// plugin SDK: its protocol and framework subsystems.
var SDKLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// ProviderLogsRead reports whether Terraform (or OpenTofu) shows provider
// logs: TF_LOG_PROVIDER, or else TF_LOG, names a level other than off.
func ProviderLogsRead(getenv func(string) string) bool {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	return level != "" && !strings.EqualFold(strings.TrimSpace(level), "off")
}

// QuietUnread sets each of levels to off when provider logs are not read.
// The plugin SDK logs every request at TRACE by default, and Terraform
// parses each line a provider writes before dropping it; make bench
// measured that as about a third of the CPU time the provider and Terraform
// spend per resource.
func QuietUnread(getenv func(string) string, setenv func(string, string) error, levels ...string) {
	if ProviderLogsRead(getenv) {
		return
	}
	for _, name := range levels {
		_ = setenv(name, "off")
	}
}
