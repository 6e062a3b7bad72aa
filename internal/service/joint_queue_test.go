package service_test

import (
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A joint step's bodies and signers find the case in their own queue, on both databases: the countersigner
// who is due (天山镇's director, then 农牧局's head), then both bodies of the parallel step, 自然资源局 too though
// the item is 农牧局's, each until it has answered. Another department, another township's director, the
// township's reviewer and a signer not yet due never see it there.
func TestJointQueue(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c := homesteadCase(t, w)
		users := []string{"tianshan.director", "nongmu.head", "ziran", "nongmu", "minzheng", "shaogen.director", "tianshan.reviewer", "ziran.head"}
		sees := func(when string, want ...string) {
			t.Helper()
			for _, u := range users {
				page, err := w.svc.FindCases(ctx, w.actors[u], service.FindInput{})
				if err != nil {
					t.Fatalf("%s: %v", u, err)
				}
				got := false
				for _, x := range page.Awaited {
					got = got || x.Case.ID == c.ID
				}
				wanted := false
				for _, x := range want {
					wanted = wanted || x == u
				}
				if got != wanted {
					t.Errorf("%s: %s sees it waiting: %v, want %v", when, u, got, wanted)
				}
			}
		}
		act := func(user string, a cases.Action, in cases.Input) {
			t.Helper()
			var err error
			if c, err = w.svc.Act(ctx, w.actors[user], c.ID, c.Version, a, in); err != nil {
				t.Fatalf("%s %s: %v", user, a, err)
			}
		}
		sees("accepted, 初审 not submitted")
		act("tianshan.reviewer", cases.Pass, cases.Input{})
		sees("submitted for signature", "tianshan.director")
		act("tianshan.director", cases.Sign, cases.Input{Agree: true})
		sees("signed by the township", "nongmu.head")
		act("nongmu.head", cases.Sign, cases.Input{Agree: true})
		sees("signed")
		act("tianshan.reviewer", cases.Pass, cases.Input{}) // 公示 over
		sees("at the parallel step", "ziran", "nongmu", "ziran.head", "nongmu.head")
		act("ziran", cases.Opinion, cases.Input{Verdict: "pass"})
		sees("自然资源局 answered", "nongmu", "nongmu.head")
		act("nongmu", cases.Opinion, cases.Input{Verdict: "pass"})
		sees("both answered")
	})
}

// The hand-over lists are searched and keyset-paged, on both databases: by case number, by the applicant's
// name, by state, two to a page; the receiving township reads them as incoming, the sender as outgoing, and
// nobody else reads them (a department reads only its own lists); a bad filter names its field.
func TestFindHandovers(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk, them := w.actors["tianshan.clerk"], w.actors["shaogen.clerk"]
		var nos []string
		var last string
		for range 3 {
			c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
			if err != nil {
				t.Fatal(err)
			}
			h, err := w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, w.targets["T2"].ID, "户籍在绍根镇")
			if err != nil {
				t.Fatal(err)
			}
			nos, last = append(nos, c.No), h.ID
		}
		h, _ := db.Handover(ctx, last)
		if _, err := w.svc.AnswerHandover(ctx, them, h.ID, h.Version, false, "不属本镇"); err != nil {
			t.Fatal(err)
		}
		count := func(who string, f service.HandoverFind) int {
			t.Helper()
			l, err := w.svc.FindHandovers(ctx, w.actors[who], f)
			if err != nil {
				t.Fatalf("%s %+v: %v", who, f, err)
			}
			return len(l.List)
		}
		for _, c := range []struct {
			who  string
			f    service.HandoverFind
			want int
		}{
			{"shaogen.clerk", service.HandoverFind{}, 3},
			{"shaogen.clerk", service.HandoverFind{Q: nos[1]}, 1},
			{"shaogen.clerk", service.HandoverFind{Q: "居民T1"}, 3}, // the applicant's name
			{"shaogen.clerk", service.HandoverFind{Q: "居民T2"}, 0},
			{"shaogen.clerk", service.HandoverFind{State: "pending"}, 2},
			{"shaogen.clerk", service.HandoverFind{State: "refused"}, 1},
			{"shaogen.clerk", service.HandoverFind{Way: "out"}, 0},
			{"tianshan.clerk", service.HandoverFind{}, 0},
			{"tianshan.clerk", service.HandoverFind{Way: "out", Q: "绍根镇"}, 3},
			// a department reads its own lists (转办 to departments), never the townships' hand-overs
			{"minzheng", service.HandoverFind{}, 0},
			{"minzheng", service.HandoverFind{Way: "out"}, 0},
		} {
			if got := count(c.who, c.f); got != c.want {
				t.Errorf("%s %+v: %d, want %d", c.who, c.f, got, c.want)
			}
		}
		first, _ := w.svc.FindHandovers(ctx, them, service.HandoverFind{Limit: 2})
		if len(first.List) != 2 || first.Next == "" || first.List[0].ID != last {
			t.Fatalf("first page: %d next %q", len(first.List), first.Next)
		}
		second, _ := w.svc.FindHandovers(ctx, them, service.HandoverFind{Limit: 2, Cursor: first.Next})
		if len(second.List) != 1 || second.Next != "" || second.List[0].ID == first.List[1].ID {
			t.Fatalf("second page: %+v", second)
		}
		for _, u := range []string{"tianshan.reviewer", "yangshulin.agent", "supervisor"} {
			if _, err := w.svc.FindHandovers(ctx, w.actors[u], service.HandoverFind{}); err == nil {
				t.Errorf("%s reads the hand-overs", u)
			}
		}
		if _, err := w.svc.FindHandovers(ctx, them, service.HandoverFind{State: "lost", Way: "sideways"}); !hasFields(err, "way", "state") {
			t.Errorf("bad filters: %v", err)
		}
	})
}
