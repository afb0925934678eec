package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*sourceResource)(nil)
	_ resource.ResourceWithImportState = (*sourceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sourceResource)(nil)
)

// NewSourceResource returns the ezitxt_source resource.
func NewSourceResource() resource.Resource { return &sourceResource{} }

type sourceResource struct {
	data *providerData
}

type sourceModel struct {
	ID           types.String `tfsdk:"id"`
	Source       types.String `tfsdk:"source"`
	WABAID       types.String `tfsdk:"waba_id"`
	PinWO        types.String `tfsdk:"pin_wo"`
	PinWOVersion types.Int64  `tfsdk:"pin_wo_version"`
	Pin          types.String `tfsdk:"pin"`
}

func (r *sourceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source"
}

func (r *sourceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Registers a WhatsApp Business phone number (a *source*) with EZITXT, so that messages and media " +
			"can be sent from it.\n\n" +
			"The API can register a source but cannot read or remove one. Any change therefore registers it again " +
			"(replacement), refresh keeps what is in state, and destroy only removes it from state. Give a two-step " +
			"verification PIN with the write-only `pin_wo` (Terraform 1.11 or later, OpenTofu 1.11 or later): it is sent to the API " +
			"and never stored in state or plans.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<source>/<waba_id>`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The WhatsApp Business phone number ID, digits only, such as `1234567890`.",
				Validators:          []validator.String{sourceValidator},
				PlanModifiers:       replace,
			},
			"waba_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The WhatsApp Business Account ID the number belongs to.",
				Validators:          []validator.String{notEmptyValidator},
				PlanModifiers:       replace,
			},
			"pin_wo": schema.StringAttribute{
				Optional:  true,
				WriteOnly: true,
				Sensitive: true,
				MarkdownDescription: "The number's 6-digit two-step verification PIN, write-only: never stored in state or plans. " +
					"Requires `pin_wo_version`; change that number to register again with a new PIN.",
				Validators: []validator.String{
					pinValidator,
					stringvalidator.AlsoRequires(path.MatchRoot("pin_wo_version")),
					stringvalidator.ConflictsWith(path.MatchRoot("pin")),
				},
			},
			"pin_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number that you change whenever `pin_wo` changes: Terraform cannot see a write-only " +
					"value change, so this tells it to register the source again.",
				Validators:    []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("pin_wo"))},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"pin": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The 6-digit PIN for CLIs without write-only attributes. It is stored in state (marked " +
					"sensitive); prefer `pin_wo`.",
				Validators:    []validator.String{pinValidator},
				PlanModifiers: replace,
			},
		},
	}
}

func (r *sourceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *sourceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state sourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Destroying a Source Does Not Unregister It",
		fmt.Sprintf("The EZITXT API cannot remove a source: %s stays registered and is only removed from Terraform state.",
			state.Source.ValueString()))
}

func (r *sourceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg sourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	// Write-only values are only in the configuration, never in the plan.
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	c := r.data.apiClient(&resp.Diagnostics, "register ezitxt_source")
	if resp.Diagnostics.HasError() {
		return
	}
	pin := cfg.PinWO.ValueString()
	if pin == "" {
		pin = plan.Pin.ValueString()
	}
	err := c.RegisterSource(ctx, client.SourceRegistration{
		Source: plan.Source.ValueString(), WABAID: plan.WABAID.ValueString(), PIN: pin,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Register Source",
			fmt.Sprintf("Registering source %s failed.\n\n%s", plan.Source.ValueString(), err))
		return
	}
	plan.ID = types.StringValue(plan.Source.ValueString() + "/" + plan.WABAID.ValueString())
	plan.PinWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read keeps the state: the API has no way to read a source.
func (r *sourceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called with a change: every attribute replaces. It only
// carries state over.
func (r *sourceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan sourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	plan.PinWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *sourceResource) Delete(_ context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	// Nothing to call: the API cannot unregister a source. The plan warned.
}

func (r *sourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	source, waba, ok := strings.Cut(req.ID, "/")
	if !ok || !client.ValidSource(source) || waba == "" || strings.Contains(waba, "/") {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import an ezitxt_source as <source>/<waba_id>, such as 1234567890/987654321; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("source"), source)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("waba_id"), waba)...)
}
