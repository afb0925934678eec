package provider_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/acctest"
)

// faultInterruptCLI sends SIGINT to the CLI process running in dir (found by
// its working directory) and reports whether it found one.
func faultInterruptCLI(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Logf("no /proc: %v", err)
		return false
	}
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", ent.Name(), "cwd"))
		if err != nil || cwd != dir {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join("/proc", ent.Name(), "comm")) //nolint:gosec // G304: /proc
		name := strings.TrimSpace(string(comm))
		if name != "terraform" && name != "tofu" {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
			t.Logf("kill %d: %v", pid, err)
			return false
		}
		return true
	}
	return false
}

// faultInterruptAt makes the proxy interrupt the CLI running in c.Dir when
// the broadcast request numbered n arrives, wait for the provider to cancel
// that request, and then forward it to the mock if process is set (the
// service processed it anyway). The channel reports whether a CLI process
// was found to interrupt.
func faultInterruptAt(t *testing.T, p *faultProxy, c *acctest.CLI, n int, process bool) <-chan bool {
	t.Helper()
	signalled := make(chan bool, 1)
	p.set(func(got int, _ http.ResponseWriter, r *http.Request) bool {
		if got != n {
			return false
		}
		body := readBody(r)
		signalled <- faultInterruptCLI(t, c.Dir)
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
			t.Errorf("the request was not cancelled within 20s of the interrupt")
		}
		if process {
			p.forward(r, body)
		}
		return true
	})
	return signalled
}

// TestAccBroadcast_interruptDuringSecondBatch: the user presses Ctrl-C while the
// second of three batches of numbers added to a broadcast is on its way,
// and the service processes that batch anyway. The apply stops without
// "inconsistent result", the state records the first batch, the second as
// unknown (it may have been sent) and the third as unsent; the next apply
// sends to the third only, and no number is sent to twice. A second case
// interrupts before the second batch reaches the service and never
// processes it.
//
// Not parallel: it signals the CLI process found by its working directory.
func TestAccBroadcast_interruptDuringSecondBatch(t *testing.T) {
	for _, tc := range []struct {
		name    string
		process bool
		sent    int
	}{
		{"processed anyway", true, 2001},
		{"never processed", false, 1001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := acctest.New(t)
			p := newFaultProxy(t, e)
			c := e.AnyCLI(t, tfversion.Version1_5_0)
			faultWriteMain(t, c, faultBatchConfig(e))
			c.MustRun("apply", "-auto-approve")

			signalled := faultInterruptAt(t, p, c, 3, tc.process)
			out, err := c.Run("apply", "-auto-approve", "-var", "n=2500")
			p.set(nil)
			select {
			case ok := <-signalled:
				if !ok {
					t.Fatal("found no CLI process to interrupt")
				}
			default:
				t.Fatal("the second batch never reached the proxy")
			}
			faultNoInconsistency(t, out)
			if err == nil {
				t.Errorf("the interrupted apply succeeded")
			}
			s := faultState(t, c)
			if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
				t.Errorf("after the interrupt: %v", err)
			}
			t.Logf("after the interrupt: %d results, unknown_count %d, unsent_count %d, %d sends",
				len(faultResults(t, s)), faultCount(t, s, "unknown_count"),
				faultCount(t, s, "unsent_count"), len(e.Mock.Sends()))
			if got := len(e.Mock.Sends()); got != tc.sent {
				t.Errorf("the mock accepted %d sends by the interrupt, want %d", got, tc.sent)
			}

			out = c.MustRun("apply", "-auto-approve", "-var", "n=2500")
			faultNoInconsistency(t, out)
			s = faultState(t, c)
			if got := faultCount(t, s, "unsent_count"); got != 0 {
				t.Errorf("unsent_count %d after the next apply", got)
			}
			if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
				t.Errorf("after the next apply: %v", err)
			}
			faultNoDoubleSends(t, e.Mock)
			faultEmptyPlan(t, c, "the plan after the next apply is not empty", "-var", "n=2500")
		})
	}
}

// TestAccBroadcast_interruptDuringCreate: Ctrl-C while the second of three
// batches of a new broadcast is on its way (the service processes it
// anyway). The create records what was sent (first batch accepted, second
// unknown, third unsent) instead of failing, and the next apply sends to
// the third batch only.
//
// Not parallel: it signals the CLI process found by its working directory.
func TestAccBroadcast_interruptDuringCreate(t *testing.T) {
	e := acctest.New(t)
	p := newFaultProxy(t, e)
	c := e.AnyCLI(t, tfversion.Version1_5_0)
	faultWriteMain(t, c, faultBatchConfig(e))
	signalled := faultInterruptAt(t, p, c, 2, true)
	out, err := c.Run("apply", "-auto-approve", "-var", "n=2400")
	p.set(nil)
	if ok := <-signalled; !ok {
		t.Fatal("found no CLI process to interrupt")
	}
	faultNoInconsistency(t, out)
	t.Logf("interrupted create: err %v", err)
	s := faultState(t, c)
	if _, err := sendsInState(s, e.Mock.Sends()); err != nil {
		t.Errorf("after the interrupt: %v", err)
	}
	if u, n := faultCount(t, s, "unknown_count"), faultCount(t, s, "unsent_count"); u != 1000 || n != 401 {
		t.Errorf("after the interrupt: unknown_count %d, unsent_count %d; want 1000, 401", u, n)
	}
	out = c.MustRun("apply", "-auto-approve", "-var", "n=2400")
	faultNoInconsistency(t, out)
	faultNoDoubleSends(t, e.Mock)
	if got := len(e.Mock.Sends()); got != 2401 {
		t.Errorf("the mock accepted %d sends, want 2401", got)
	}
}
