// Command nullprovider is a do-nothing provider for make bench, built on the
// same plugin framework as the ezitxt provider. Its resources make no API
// call and have no logic of their own:
//
//   - benchnull_message and benchnull_broadcast have the schemas of
//     ezitxt_message and ezitxt_broadcast (the same attributes, types and
//     nesting), without validators and plan modifiers other than
//     UseStateForUnknown; create fills in the computed attributes (the
//     broadcast's results with an entry per destination), read returns the
//     state through the same conversions as a read that finds nothing
//     changed;
//   - benchnull_small has a minimal schema (source, to, text.body, and a
//     computed id and status).
//
// Against terraform_data, benchnull_small shows what being a plugin costs at
// all (a process, gRPC, the framework's handling of each call), and
// benchnull_message what the framework costs for ezitxt_message's schema;
// against benchnull_message and benchnull_broadcast, the ezitxt resources show
// what the provider's own code and API calls add.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	quietLogs()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return nullProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/ezitxt/benchnull", ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

type nullProvider struct{}

func (nullProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "benchnull"
}

func (nullProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (nullProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return small{} },
		func() resource.Resource { return &mirror{name: "message", of: "ezitxt_message"} },
		func() resource.Resource { return &broadcastMirror{mirror{name: "broadcast", of: "ezitxt_broadcast"}} },
		func() resource.Resource {
			return &broadcastMirror{mirror{name: "broadcast_map", of: "ezitxt_broadcast", destinations: "map"}}
		},
		func() resource.Resource {
			return &broadcastMirror{mirror{name: "broadcast_set", of: "ezitxt_broadcast", destinations: "set"}}
		},
	}
}

func (nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// small is benchnull_small.
type small struct{}

type smallModel struct {
	ID     types.String `tfsdk:"id"`
	Source types.String `tfsdk:"source"`
	To     types.String `tfsdk:"to"`
	Text   types.Object `tfsdk:"text"`
	Status types.String `tfsdk:"status"`
}

func (small) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_small"
}

func (small) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"source": schema.StringAttribute{Required: true},
		"to":     schema.StringAttribute{Required: true},
		"text": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"body": schema.StringAttribute{Required: true},
		}},
		"status": schema.StringAttribute{Computed: true, PlanModifiers: keep},
	}}
}

func (small) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m smallModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID, m.Status = m.To, types.StringValue("accepted")
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (small) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m smallModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (small) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m smallModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (small) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
