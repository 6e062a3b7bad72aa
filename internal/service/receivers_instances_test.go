package service_test

import (
	"testing"

	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// Every instance keeps the outbox's active receivers in memory (store.DB.receivers, issue 18): a receiver made
// on one instance is given the records of that instance's next move at once, and those of another instance's
// moves from that instance's next poll of the caches' versions.
func TestReceiversAcrossInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w, other, item := twoInstances(t, e)
			db1 := w.db
			withCodes(t, w.svc, db1, item)
			// both instances move a case with no receiver: each has cached that there is none
			bothMoved(t, w, other, item)

			banner, _ := db1.OrgByCode(ctx, "150421")
			r, _, err := w.svc.CreateReceiver(ctx, w.actors["admin"], service.ReceiverInput{OrgID: banner.ID, Channel: service.ChannelUpstream, Name: "平台",
				URL: "http://127.0.0.1:9/records", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			pending := func() int {
				t.Helper()
				c, err := db1.CountOutbox(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				return c.Pending
			}
			if err := lifecycle(w, item); err != nil {
				t.Fatal(err)
			}
			own := pending()
			if own == 0 {
				t.Fatal("the instance that made the receiver gave its next move's records to none")
			}
			// the other's poll may come in the middle of a lifecycle, which then gives records for its later
			// moves only: the lifecycle after the first that gave any gives them all
			untilSeen(t, func() (bool, string, error) {
				err := lifecycle(other, item)
				return pending() > own, "gives its moves' records to no receiver", err
			})
			was := pending()
			if err := lifecycle(other, item); err != nil {
				t.Fatal(err)
			}
			if n := pending() - was; n != own {
				t.Fatalf("the other instance's lifecycle gave %d records, the first %d", n, own)
			}
		})
	}
}
