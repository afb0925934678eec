package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*sourceResource)(nil)
	_ resource.ResourceWithImportState = (*sourceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sourceResource)(nil)
	_ resource.ResourceWithIdentity    = (*sourceResource)(nil)
)

// sourceIdentityNames are the attributes of ezitxt_source's identity, in
// the order of its import ID <source>/<waba_id>.
var sourceIdentityNames = []string{"source", "waba_id"}

// privateImported is the private state key that marks a source written by
// terraform import: the API cannot return its PIN, so a PIN configured
// afterwards is adopted in place rather than registering again.
const privateImported = "imported"

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
			"(replacement), refresh keeps what is in state, and destroy only removes it from state (the plan says so " +
			"in a warning). Give a two-step verification PIN with the write-only `pin_wo` and `pin_wo_version` " +
			"(Terraform 1.11 or later, OpenTofu 1.11 or later): it is sent to the API and never stored in state or plans.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<source>/<waba_id>`, the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The WhatsApp Business phone number ID, digits only and not starting with 0, such as `1234567890`. Changing it registers the new number (replacement).",
				Validators:          []validator.String{sourceValidator},
				PlanModifiers:       replace,
			},
			"waba_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The WhatsApp Business Account ID the number belongs to. Changing it registers the number again (replacement).",
				Validators:          []validator.String{notEmptyValidator},
				PlanModifiers:       replace,
			},
			"pin_wo": schema.StringAttribute{
				Optional:  true,
				WriteOnly: true,
				Sensitive: true,
				MarkdownDescription: "The number's 6-digit two-step verification PIN, write-only: sent when the source is " +
					"registered and never stored in state or plans. Requires `pin_wo_version`; conflicts with `pin`. " +
					"Terraform cannot see a write-only value change: change `pin_wo_version` to register again with a new PIN.",
				Validators: []validator.String{
					pinValidator,
					stringvalidator.AlsoRequires(path.MatchRoot("pin_wo_version")),
					stringvalidator.ConflictsWith(path.MatchRoot("pin")),
				},
			},
			"pin_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number, required with `pin_wo`: change it whenever `pin_wo` changes, which registers " +
					"the source again with the new PIN (replacement). After `terraform import` a version (and PIN) " +
					"set for the first time is recorded without registering again.",
				Validators:    []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("pin_wo"))},
				PlanModifiers: []planmodifier.Int64{registrationInput},
			},
			"pin": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The 6-digit PIN, for CLIs without write-only attributes (before Terraform 1.11). It is " +
					"stored in state, marked sensitive: prefer `pin_wo`. Conflicts with `pin_wo`. Changing it registers " +
					"the source again (replacement), except when it is set for the first time after `terraform import`.",
				Validators:    []validator.String{pinValidator},
				PlanModifiers: []planmodifier.String{registrationInput},
			},
		},
	}
}

func (r *sourceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(
		identityAttr{"source", "The phone number ID of the WhatsApp Business number."},
		identityAttr{"waba_id", "The WhatsApp Business Account ID the number belongs to."},
	)
}

func (r *sourceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan warns that destroy only forgets, and that a PIN adopted after
// import is not sent.
func (r *sourceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return // create
	}
	var state sourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Destroying a Source Does Not Unregister It",
			fmt.Sprintf("The EZITXT API cannot remove a source: ezitxt_source %s stays registered with EZITXT and is only "+
				"removed from Terraform state. Messages can still be sent from it.", state.ID.ValueString()))
		return
	}
	var plan sourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || len(resp.RequiresReplace) > 0 || !importedSource(ctx, req.Private) {
		return
	}
	if (state.PinWOVersion.IsNull() && !plan.PinWOVersion.IsNull()) || (state.Pin.IsNull() && !plan.Pin.IsNull()) {
		resp.Diagnostics.AddWarning("Imported Source: PIN Recorded Without Registering Again",
			fmt.Sprintf("ezitxt_source %s was imported, and the API cannot say which PIN it has. The configured PIN is "+
				"recorded in state without being sent. To register the source again with it, change pin_wo_version, "+
				"or run terraform apply -replace=<this resource's address>.", state.ID.ValueString()))
	}
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
	source, waba := plan.Source.ValueString(), plan.WABAID.ValueString()
	err := c.RegisterSource(ctx, client.SourceRegistration{Source: source, WABAID: waba, PIN: pin})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Register Source",
			fmt.Sprintf("Registering source %s in WhatsApp Business Account %s failed.\n\n%s\n\n"+
				"Check that source is the phone number ID of a number in that account and, if the number has two-step "+
				"verification, that the PIN is its PIN; then apply again (registering again is harmless).", source, waba, err))
		return
	}
	plan.ID = types.StringValue(source + "/" + waba)
	plan.PinWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, sourceIdentityNames, source, waba)...)
}

// Read keeps the state: the API has no way to read a source.
func (r *sourceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, sourceIdentityNames, state.Source.ValueString(), state.WABAID.ValueString())...)
}

// Update only records a PIN adopted after import (see registrationInput):
// every other change replaces. It never calls the API.
func (r *sourceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan sourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	plan.PinWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, sourceIdentityNames, plan.Source.ValueString(), plan.WABAID.ValueString())...)
	// From now on the state holds what the configuration says: changes replace.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
}

// Delete calls nothing: the API cannot unregister a source. The plan warned.
func (r *sourceResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *sourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	source, waba, ok := sourceImport(ctx, req, resp, "ezitxt_source", "waba_id", sourceIdentityNames, [2]string{"1234567890", "987654321"})
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), source+"/"+waba)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("source"), source)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("waba_id"), waba)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, sourceIdentityNames, source, waba)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte("true"))...)
}

// registrationInput is the plan modifier of the PIN attributes: a change
// registers the source again (replacement), except that a value set for the
// first time after terraform import is adopted in place. The API cannot
// return the PIN, so an imported source has none in state; registering
// again just to record it would be a surprising replacement. Update never
// calls the API.
var registrationInput = &replaceInput{
	description: "Changing this value registers the source again (replacement), unless it is set for the first time after terraform import.",
	adopt: func(ctx context.Context, _ tfsdk.State, private privateGetter, stateV attr.Value) bool {
		return stateV.IsNull() && importedSource(ctx, private)
	},
}

// importedSource reports whether the prior state was written by terraform
// import and has not been through an apply since.
func importedSource(ctx context.Context, private privateGetter) bool {
	v, diags := private.GetKey(ctx, privateImported)
	return !diags.HasError() && len(v) > 0
}
