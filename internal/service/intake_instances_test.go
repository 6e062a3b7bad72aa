package service_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/service"
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

// Which version of an item is published is kept in memory, which every intake asks; an item retired on one
// instance is refused at intake there at once and on another instance within its poll of the caches' versions.
func TestPublishedItemAcrossInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w, other, item := twoInstances(t, e)
			bothMoved(t, w, other, item) // each has received for the item, and keeps its row
			row, err := w.db.Item(ctx, item)
			if err != nil || row.Published == 0 {
				t.Fatalf("the item: %+v %v", row, err)
			}
			if err := w.svc.SetItemStatus(ctx, access.System, item, row.Published, catalog.Retired); err != nil {
				t.Fatal(err)
			}
			receive := func(x *world) error {
				_, err := x.svc.Receive(ctx, x.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: x.seeded["T1"]}, "")
				return err
			}
			if err := receive(w); errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("an intake of the retired item on the instance that retired it: %v", err)
			}
			untilSeen(t, func() (bool, string, error) {
				got, err := other.db.PublishedItem(ctx, item)
				return got.Published == 0, fmt.Sprintf("holds version %d published", got.Published), err
			})
			if err := receive(other); errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("an intake of the retired item on the other instance: %v", err)
			}
		})
	}
}
