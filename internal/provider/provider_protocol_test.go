package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// A provider block that depends on values known only after apply (here the
// password) must not break planning: Terraform that can defer gets a
// deferral, older CLIs get data sources that say what is missing and
// resources that keep their state. No request may reach the API.
func TestProviderConfigUnknownDuringPlan(t *testing.T) {
	t.Parallel()
	const messageID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	for _, deferral := range []bool{true, false} {
		name := map[bool]string{true: "deferral allowed", false: "deferral not allowed"}[deferral]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := acctest.New(t)
			s := e.ProviderServer(t)
			schema, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil || acctest.HasError(schema.Diagnostics) {
				t.Fatalf("GetProviderSchema: %v %s", err, acctest.FormatDiagnostics(schema.Diagnostics))
			}
			dynamic := func(typ tftypes.Type, v map[string]any) *tfprotov6.DynamicValue {
				t.Helper()
				val, err := acctest.Value(typ, v)
				if err != nil {
					t.Fatal(err)
				}
				dv, err := tfprotov6.NewDynamicValue(typ, val)
				if err != nil {
					t.Fatal(err)
				}
				return &dv
			}

			providerType := schema.Provider.Block.ValueType()
			conf, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
				TerraformVersion:   "1.11.4",
				Config:             dynamic(providerType, map[string]any{"base_url": e.URL, "username": e.Username, "password": acctest.Unknown}),
				ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: deferral},
			})
			if err != nil || acctest.HasError(conf.Diagnostics) {
				t.Fatalf("ConfigureProvider: %v %s", err, acctest.FormatDiagnostics(conf.Diagnostics))
			}

			dsType := schema.DataSourceSchemas["ezitxt_message"].Block.ValueType()
			read, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
				TypeName:           "ezitxt_message",
				Config:             dynamic(dsType, map[string]any{"id": messageID}),
				ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: deferral},
			})
			if err != nil {
				t.Fatal(err)
			}
			if deferral {
				if read.Deferred == nil || read.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
					t.Errorf("data source read: deferred = %+v, want reason provider config unknown; diags %s",
						read.Deferred, acctest.FormatDiagnostics(read.Diagnostics))
				}
			} else {
				errs := acctest.Errors(read.Diagnostics)
				if len(errs) != 1 || errs[0].Summary != "Provider Configuration Not Known Yet" || !strings.Contains(errs[0].Detail, "password") {
					t.Errorf("data source read: want one error naming password, got %s", acctest.FormatDiagnostics(read.Diagnostics))
				}

				// A refresh of a message in state keeps it as it is.
				rsType := schema.ResourceSchemas["ezitxt_message"].Block.ValueType()
				state := dynamic(rsType, map[string]any{
					"id": messageID, "source": acctest.Source, "to": "+6421000001",
					"text": map[string]any{"body": "hi"}, "status": "sent", "timestamp": int64(1),
				})
				rr, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "ezitxt_message", CurrentState: state})
				if err != nil || acctest.HasError(rr.Diagnostics) {
					t.Fatalf("ReadResource: %v %s", err, acctest.FormatDiagnostics(rr.Diagnostics))
				}
				got, err := rr.NewState.Unmarshal(rsType)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := state.Unmarshal(rsType)
				if !got.Equal(want) {
					t.Errorf("refresh changed the state:\n got %v\nwant %v", got, want)
				}
			}
			if n := e.Requests(); n != 0 {
				t.Errorf("%d requests reached the API with the provider configuration unknown", n)
			}
		})
	}
}
