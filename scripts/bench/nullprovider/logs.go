package main

import "os"

// quietLogs turns the plugin SDK's logging off unless Terraform shows
// provider logs, as the ezitxt provider does (see its main.go), so that the
// two are compared on equal terms.
func quietLogs() {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	if level != "" && level != "off" && level != "OFF" {
		return
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_BENCHNULL"} {
		_ = os.Setenv(name, "off")
	}
}
