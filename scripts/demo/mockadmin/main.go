// Command mockadmin is the small admin-API client scripts/demo.sh uses, so
// that the demo needs nothing but Go and Terraform (no curl, no jq).
//
//	mockadmin advance ADMIN_URL DURATION   move the mock clock on
//	mockadmin stats ADMIN_URL              print a one-line summary of what the mock received
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mockadmin:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: mockadmin advance ADMIN_URL DURATION | mockadmin stats ADMIN_URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	switch args[0] {
	case "advance":
		if len(args) != 3 {
			return fmt.Errorf("usage: mockadmin advance ADMIN_URL DURATION")
		}
		body, _ := json.Marshal(map[string]string{"by": args[2]})
		_, err := call(ctx, http.MethodPost, args[1]+"/clock/advance", body)
		return err
	case "stats":
		out, err := call(ctx, http.MethodGet, args[1]+"/stats", nil)
		if err != nil {
			return err
		}
		var s struct {
			Requests   int64 `json:"requests"`
			Sends      int64 `json:"sends"`
			Duplicates int64 `json:"duplicates"`
			Media      int   `json:"media"`
			Sources    int   `json:"sources"`
		}
		if err := json.Unmarshal(out, &s); err != nil {
			return err
		}
		fmt.Printf("%d API requests, %d sources, %d media, %d messages sent, %d duplicates\n",
			s.Requests, s.Sources, s.Media, s.Sends, s.Duplicates)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func call(ctx context.Context, method, url string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body)) //nolint:gosec // G704: the mock's admin URL, given on the command line by scripts/demo.sh

	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, out)
	}
	return out, nil
}
