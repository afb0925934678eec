package provider

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// The API client logs through client.Logger; the provider writes its entries
// to tflog's subsystem "ezitxt_client" (module "provider.ezitxt_client"),
// whose level follows the provider's (TF_LOG, TF_LOG_PROVIDER) unless
// TF_LOG_PROVIDER_EZITXT_CLIENT sets one.
const (
	clientLogSubsystem = "ezitxt_client"
	clientLogLevelEnv  = "TF_LOG_PROVIDER_EZITXT_CLIENT"
)

// clientLogger returns the logger of the API client: none when the client's
// subsystem is switched off (main.go switches it off when nobody reads the
// provider's logs), so that the client builds no entries, which costs more
// CPU per request than the request itself against a nearby server.
func clientLogger(getenv func(string) string) client.Logger {
	if strings.EqualFold(strings.TrimSpace(getenv(clientLogLevelEnv)), "off") {
		return nil
	}
	return tflogClient{}
}

// tflogClient adapts client.Logger to tflog. The client masks secrets
// before an entry reaches it.
type tflogClient struct{}

var _ client.Logger = tflogClient{}

// subsystem returns ctx with the client's subsystem.
func (tflogClient) subsystem(ctx context.Context) context.Context {
	return tflog.NewSubsystem(ctx, clientLogSubsystem, tflog.WithLevelFromEnv(clientLogLevelEnv),
		tflog.WithAdditionalLocationOffset(2))
}

func (l tflogClient) Enabled(ctx context.Context, level slog.Level) bool {
	return level > client.LevelTrace || tflog.SubsystemIsTrace(l.subsystem(ctx), clientLogSubsystem)
}

func (l tflogClient) Log(ctx context.Context, level slog.Level, msg string, args ...any) {
	fields := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		fields[fmt.Sprint(args[i])] = args[i+1]
	}
	ctx = l.subsystem(ctx)
	switch {
	case level <= client.LevelTrace:
		tflog.SubsystemTrace(ctx, clientLogSubsystem, msg, fields)
	case level < slog.LevelInfo:
		tflog.SubsystemDebug(ctx, clientLogSubsystem, msg, fields)
	case level < slog.LevelWarn:
		tflog.SubsystemInfo(ctx, clientLogSubsystem, msg, fields)
	case level < slog.LevelError:
		tflog.SubsystemWarn(ctx, clientLogSubsystem, msg, fields)
	default:
		tflog.SubsystemError(ctx, clientLogSubsystem, msg, fields)
	}
}
