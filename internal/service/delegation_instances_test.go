package service_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// An item's delegations are kept in memory, which every intake asks; a delegation made and then stopped on
// one instance is seen there at once and on another instance within its poll of the caches' versions.
func TestDelegationsAcrossInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w, other, dibao := twoInstances(t, e)
			bothMoved(t, w, other, dibao)
			item := licenceItem(t, w)
			kept := func(x *world) []delegation.Delegation {
				t.Helper()
				var list []delegation.Delegation
				if err := x.db.Write(ctx, func(tx *store.Tx) error {
					var err error
					list, err = tx.DelegationsOfItem(item)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return list
			}
			for _, x := range []*world{w, other} {
				if got := kept(x); len(got) != 0 {
					t.Fatalf("delegations before any: %+v", got)
				}
			}
			clk, err := w.svc.Clock(ctx)
			if err != nil {
				t.Fatal(err)
			}
			d := delegateLicence(t, w, clock.DateOf(time.Now().In(clk.Rules.Location)).AddDays(30), "T1")
			if got := kept(w); len(got) != 1 || got[0].ID != d.ID {
				t.Fatalf("the instance that delegated holds %+v", got)
			}
			untilSeen(t, func() (bool, string, error) {
				got := kept(other)
				return len(got) == 1 && got[0].ID == d.ID, fmt.Sprintf("holds %d delegations", len(got)), nil
			})
			stopped, err := w.svc.StopDelegation(ctx, w.actors["ziran"], d.ID, d.Version, "paused", d.Start().AddDays(7).String(), "人员调整")
			if err != nil {
				t.Fatal(err)
			}
			untilSeen(t, func() (bool, string, error) {
				got := kept(other)
				if len(got) != 1 {
					return false, fmt.Sprintf("holds %d delegations", len(got)), nil
				}
				return got[0].Version == stopped.Version, fmt.Sprintf("holds the delegation at version %d", got[0].Version), nil
			})
		})
	}
}
