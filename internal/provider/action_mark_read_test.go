package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

// Tests of ezitxt_mark_read: protocol level (no CLI, no TF_ACC) and through a
// Terraform that has actions (TestAcc*, skipped on older CLIs and OpenTofu).

const markReadType = "ezitxt_mark_read"

// unknownMessageID is a well-formed message ID the mock has never seen.
const unknownMessageID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

// replies makes n customer replies on the mock and returns their IDs.
func simulateReplies(t *testing.T, e *acctest.Env, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		m, err := e.Mock.SimulateReply(mockapi.Reply{From: fmt.Sprintf("+642100000%d", i+1), To: acctest.Source, Text: "Thanks!"})
		if err != nil {
			t.Fatalf("simulating a reply: %v", err)
		}
		ids[i] = m.ID
	}
	return ids
}

// wantMockStatus fails t unless each message has status on the mock.
func wantMockStatus(t *testing.T, e *acctest.Env, status string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if m, ok := e.Mock.Message(id); !ok || m.Status != status {
			t.Errorf("message %s: status %q, want %q", id, m.Status, status)
		}
	}
}

func TestMarkReadAction_protocolMarksAll(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ids := simulateReplies(t, e, 3)
	wantMockStatus(t, e, mockapi.StatusReceived, ids...)
	cfg := map[string]any{"message_ids": ids}

	wantNoDiags(t, "ValidateActionConfig", p.ValidateAction(markReadType, cfg))
	wantNoDiags(t, "PlanAction", p.PlanAction(markReadType, cfg))
	if n := e.Requests(); n != 0 {
		t.Fatalf("validate and plan made %d API requests, want none", n)
	}

	inv := p.InvokeAction(markReadType, cfg)
	wantNoDiags(t, "InvokeAction", inv.Diagnostics)
	wantMockStatus(t, e, mockapi.StatusRead, ids...)
	patterns := []*regexp.Regexp{regexp.MustCompile(`^marked 3 messages as read$`)}
	for _, id := range ids {
		patterns = append(patterns, regexp.MustCompile(`^message `+id+`: marked as read$`))
	}
	wantProgress(t, inv.Progress, patterns...)
	if st := e.Mock.Stats(); st.ByEndpoint[mockapi.EndpointMarkRead] != 1 {
		t.Errorf("mock saw %d PATCH /messages requests, want 1", st.ByEndpoint[mockapi.EndpointMarkRead])
	}

	// Marking read again is harmless.
	wantNoDiags(t, "InvokeAction again", p.InvokeAction(markReadType, cfg).Diagnostics)
}

func TestMarkReadAction_protocolUnknownID(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ids := simulateReplies(t, e, 5)

	inv := p.InvokeAction(markReadType, map[string]any{"message_ids": append([]string{unknownMessageID}, ids...)})
	wantDiag(t, inv.Diagnostics, "Message Not Found", `message_ids[0]`,
		"does not know message "+unknownMessageID, "Marked as read: 5 of 6 messages", "Remove it from message_ids", "404")
	// The API refuses the whole request for one unknown ID; the action
	// narrows it down so that every known message is marked.
	wantMockStatus(t, e, mockapi.StatusRead, ids...)
	patterns := []*regexp.Regexp{regexp.MustCompile(`^marked 5 of 6 messages as read$`)}
	for _, id := range ids {
		patterns = append(patterns, regexp.MustCompile(`^message `+id+`: marked as read$`))
	}
	wantProgress(t, inv.Progress, patterns...)
	// Halving finds one unknown ID among n in at most 1 + 2*ceil(log2 n)
	// requests: 6 → 3+3, the unknown one's 3 → 1+2, at worst its 2 → 1+1.
	if n := e.Mock.Stats().ByEndpoint[mockapi.EndpointMarkRead]; n > 7 {
		t.Errorf("mock saw %d PATCH /messages requests; narrowing down one unknown ID among 6 should take at most 7", n)
	}
}

// One known and one unknown ID: the error says which ID was marked and which
// was not, and does not repeat the client's hint for a refused list ("some of
// the message ids are not known ... nothing was changed"), which is false once
// the known ID has been marked on its own.
func TestMarkReadAction_protocolUnknownIDSaysWhatWasMarked(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ids := simulateReplies(t, e, 1)

	inv := p.InvokeAction(markReadType, map[string]any{"message_ids": []string{ids[0], unknownMessageID}})
	d := wantDiag(t, inv.Diagnostics, "Message Not Found", `message_ids[1]`,
		"does not know message "+unknownMessageID+", so it was not marked as read",
		"Marked as read: 1 of 2 messages ("+ids[0]+")",
		"The API's answer to the request that carried this ID alone (that request changed nothing): PATCH /messages: 404")
	if strings.Contains(d.Detail, "Some of the message ids are not known") {
		t.Errorf("the error repeats the hint for a refused list, as if nothing was marked, but %s was marked as read:\n%s", ids[0], d.Detail)
	}
	wantMockStatus(t, e, mockapi.StatusRead, ids[0])
	wantProgress(t, inv.Progress, regexp.MustCompile(`^marked 1 of 2 messages as read$`),
		regexp.MustCompile(`^message `+ids[0]+`: marked as read$`))

	// Only unknown IDs: the error says that nothing was marked.
	inv = p.InvokeAction(markReadType, map[string]any{"message_ids": []string{unknownMessageID}})
	wantDiag(t, inv.Diagnostics, "Message Not Found", `message_ids[0]`, "None of the messages was marked as read.")
}

func TestMarkReadAction_protocolSeveralUnknownIDs(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ids := simulateReplies(t, e, 2)
	other := "8d7f3c1e-2b4a-4c6d-9e8f-0a1b2c3d4e5f"

	inv := p.InvokeAction(markReadType, map[string]any{"message_ids": []string{ids[0], unknownMessageID, ids[1], other}})
	errs := acctest.Errors(inv.Diagnostics)
	if len(errs) != 2 {
		t.Fatalf("want one error per unknown ID, got %s", acctest.FormatDiagnostics(inv.Diagnostics))
	}
	paths := map[string]bool{}
	for _, d := range errs {
		if d.Summary != "Message Not Found" {
			t.Errorf("error summary = %q, want Message Not Found", d.Summary)
		}
		paths[acctest.DiagnosticPath(d)] = true
	}
	// Each error points at the unknown ID's place in the configured list.
	for _, p := range []string{`message_ids[1]`, `message_ids[3]`} {
		if !paths[p] {
			t.Errorf("no error at %s; errors: %s", p, acctest.FormatDiagnostics(errs))
		}
	}
	wantMockStatus(t, e, mockapi.StatusRead, ids...)
}

func TestMarkReadAction_protocolValidateConfig(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	wantDiag(t, p.ValidateAction(markReadType, map[string]any{"message_ids": []string{unknownMessageID, "msg-42"}}),
		"Invalid Attribute Value Match", `message_ids[1]`, "UUID")
	wantDiag(t, p.ValidateAction(markReadType, map[string]any{"message_ids": []string{}}),
		"Invalid Attribute Value", "message_ids", "at least 1")
	wantDiag(t, p.ValidateAction(markReadType, map[string]any{}),
		"Missing Configuration for Required Attribute", "message_ids")
	wantNoDiags(t, "ValidateActionConfig with unknown IDs", p.ValidateAction(markReadType, map[string]any{"message_ids": acctest.Unknown}))
	if n := e.Requests(); n != 0 {
		t.Errorf("validation made %d API requests, want none", n)
	}
}

func TestMarkReadAction_protocolServerError(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.ProtocolWithProvider(t, map[string]any{"max_retries": 0})
	ids := simulateReplies(t, e, 2)
	if err := e.Mock.SetFaults(mockapi.Faults{ServerErrorRate: 1, Endpoints: []mockapi.Endpoint{mockapi.EndpointMarkRead}}); err != nil {
		t.Fatal(err)
	}
	inv := p.InvokeAction(markReadType, map[string]any{"message_ids": ids})
	wantDiag(t, inv.Diagnostics, "Unable to Mark Messages Read", "message_ids",
		"Marking 2 messages as read failed", ids[0], ids[1], "invoke the action again")
	wantMockStatus(t, e, mockapi.StatusReceived, ids...)
}

// markReadConfig marks ids as read once, when terraform_data.handled is
// created.
func markReadConfig(e *acctest.Env, ids []string) string {
	return e.Config(fmt.Sprintf(`
action "ezitxt_mark_read" "handled" {
  config {
    message_ids = ["%s"]
  }
}

resource "terraform_data" "handled" {
  input = "batch-1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_mark_read.handled]
    }
  }
}
`, strings.Join(ids, `", "`)))
}

// checkMarkedRead checks that every message in ids is read on the mock.
func checkMarkedRead(e *acctest.Env, ids []string) mockCheck {
	return func() error {
		for _, id := range ids {
			if m, ok := e.Mock.Message(id); !ok || m.Status != mockapi.StatusRead {
				return fmt.Errorf("message %s: status %q, want read", id, m.Status)
			}
		}
		return nil
	}
}

func TestAccMarkReadAction_lifecycleTrigger(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	ids := simulateReplies(t, e, 3)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config:            markReadConfig(e, ids),
			ConfigStateChecks: []statecheck.StateCheck{checkMarkedRead(e, ids)},
		}},
	})
}

func TestAccMarkReadAction_unknownID(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	ids := simulateReplies(t, e, 2)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      markReadConfig(e, append([]string{unknownMessageID}, ids...)),
				ExpectError: regexp.MustCompile(`Message Not Found[\s\S]*does not know message\s+` + unknownMessageID),
			},
			{
				// The known messages were marked despite the error.
				PreConfig: func() {
					if err := checkMarkedRead(e, ids)(); err != nil {
						t.Error(err)
					}
				},
				Config:            markReadConfig(e, ids),
				ConfigStateChecks: []statecheck.StateCheck{checkMarkedRead(e, ids)},
			},
		},
	})
}

func TestAccMarkReadAction_invalidID(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionsCLI,
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config:      markReadConfig(e, []string{"msg-42"}),
			ExpectError: regexp.MustCompile(`Attribute message_ids\[0\] must be a message ID in\s+UUID\s+format`),
		}},
	})
	if n := e.Requests(); n != 0 {
		t.Errorf("an invalid ID made %d API requests, want none", n)
	}
}

// TestMarkReadAction_protocolUnknownOutcome: an empty ID (a message whose
// send has an unknown outcome, referenced by its id) is skipped with a
// warning at its index; the other messages are marked, and a list of only
// empty IDs sends no request.
func TestMarkReadAction_protocolUnknownOutcome(t *testing.T) {
	t.Parallel()
	e := acctest.New(t)
	p := e.Protocol(t)
	ids := simulateReplies(t, e, 2)
	cfg := map[string]any{"message_ids": []string{ids[0], "", ids[1]}}
	wantNoDiags(t, "ValidateActionConfig", p.ValidateAction(markReadType, cfg))

	inv := p.InvokeAction(markReadType, cfg)
	if acctest.HasError(inv.Diagnostics) {
		t.Fatalf("InvokeAction: %s", acctest.FormatDiagnostics(inv.Diagnostics))
	}
	if len(inv.Diagnostics) != 1 || inv.Diagnostics[0].Summary != "Message of Unknown Outcome" ||
		acctest.DiagnosticPath(inv.Diagnostics[0]) != "message_ids[1]" {
		t.Errorf("InvokeAction diagnostics: %s; want one warning at message_ids[1]", acctest.FormatDiagnostics(inv.Diagnostics))
	}
	wantMockStatus(t, e, mockapi.StatusRead, ids...)
	wantProgress(t, inv.Progress, regexp.MustCompile(`^marked 2 messages as read$`),
		regexp.MustCompile(`^message `+ids[0]+`: marked as read$`), regexp.MustCompile(`^message `+ids[1]+`: marked as read$`))

	before := e.Requests()
	inv = p.InvokeAction(markReadType, map[string]any{"message_ids": []string{""}})
	if acctest.HasError(inv.Diagnostics) || len(inv.Diagnostics) != 1 {
		t.Errorf("InvokeAction of one empty ID: %s; want one warning", acctest.FormatDiagnostics(inv.Diagnostics))
	}
	if n := e.Requests() - before; n != 0 {
		t.Errorf("an empty ID alone made %d API requests", n)
	}
}
