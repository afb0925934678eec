package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/client"
)

// scheduleType is the type of `scheduled`: an RFC 3339 date-time read by
// client.ParseRFC3339. It replaces timetypes.RFC3339, whose own validation
// gave a second diagnostic in Go's words (`parsing time ... as
// "2006-01-02T15:04:05Z07:00"`), refused the lower-case "t" and "z" RFC 3339
// allows and accepted an offset of +24:00, which it does not. The format is
// checked by scheduleFormat, once, with an example.
type scheduleType struct {
	basetypes.StringType
}

var (
	_ basetypes.StringTypable                    = scheduleType{}
	_ basetypes.StringValuableWithSemanticEquals = scheduledDateTime{}
)

func (t scheduleType) String() string { return "scheduleType" }

func (t scheduleType) ValueType(context.Context) attr.Value { return scheduledDateTime{} }

func (t scheduleType) Equal(o attr.Type) bool {
	other, ok := o.(scheduleType)
	return ok && t.StringType.Equal(other.StringType)
}

func (t scheduleType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return scheduledDateTime{StringValue: in}, nil
}

func (t scheduleType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return scheduledDateTime{StringValue: s}, nil
}

// scheduledDateTime is a value of scheduleType.
type scheduledDateTime struct {
	basetypes.StringValue
}

func (v scheduledDateTime) Type(context.Context) attr.Type { return scheduleType{} }

func (v scheduledDateTime) Equal(o attr.Value) bool {
	other, ok := o.(scheduledDateTime)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals reports whether both name the same instant, as
// timetypes.RFC3339 did.
func (v scheduledDateTime) StringSemanticEquals(_ context.Context, o basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := o.(scheduledDateTime)
	if !ok {
		return false, nil
	}
	return sameInstant(v, other), nil
}

// ValueRFC3339Time returns the instant; a value that is not RFC 3339 (which
// scheduleFormat reports at validation) is an error.
func (v scheduledDateTime) ValueRFC3339Time() (time.Time, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v.IsNull() || v.IsUnknown() {
		return time.Time{}, diags
	}
	t, err := client.ParseRFC3339(v.ValueString())
	if err != nil {
		diags.AddError("Invalid Scheduled Time", err.Error())
	}
	return t, diags
}

// scheduleFormat is the one diagnostic for a malformed `scheduled`.
var scheduleFormat = stringRule{
	summary: "Invalid Scheduled Time",
	desc: "must be an RFC 3339 date and time with a time zone offset, such as 2026-12-24T09:00:00+13:00 or " +
		"2026-12-23T20:00:00Z",
	ok: func(s string) bool {
		_, err := client.ParseRFC3339(s)
		return err == nil
	},
}

var _ validator.String = scheduleFormat
