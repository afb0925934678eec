// Command mockadmin is the small admin-API client scripts/demo.sh uses, so
// that the demo needs nothing but Go and Terraform (no curl, no jq). It is
// a thin command over mockapi.AdminClient.
//
//	mockadmin advance ADMIN_URL DURATION   move the mock clock on
//	mockadmin stats ADMIN_URL              print a one-line summary of what the mock received
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/mockapi"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mockadmin:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return errors.New("usage: mockadmin advance ADMIN_URL DURATION | mockadmin stats ADMIN_URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin := mockapi.NewAdminClient(args[1])
	switch args[0] {
	case "advance":
		if len(args) != 3 {
			return errors.New("usage: mockadmin advance ADMIN_URL DURATION")
		}
		d, err := time.ParseDuration(args[2])
		if err != nil {
			return fmt.Errorf("DURATION: %w", err)
		}
		_, err = admin.AdvanceClock(ctx, d)
		return err
	case "stats":
		s, err := admin.Stats(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("%d API requests, %d sources, %d media, %d messages sent, %d duplicates\n",
			s.Requests, s.Sources, s.Media, s.Sends, s.Duplicates)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}
