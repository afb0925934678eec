package main

import (
	"os"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/logenv"
)

// quietLogs turns the plugin SDK's logging off unless Terraform shows
// provider logs, by the rule the ezitxt provider's main.go applies, so that
// the two are compared on equal terms.
func quietLogs() {
	logenv.QuietUnread(os.Getenv, os.Setenv, append([]string{"TF_LOG_PROVIDER_BENCHNULL"}, logenv.SDKLevels...)...)
}
