package gen

import (
	"math/rand/v2"
	"slices"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// life runs one case through the domain's moves, stopping at the first move that would come after now.
type life struct {
	r      *rand.Rand
	clk    clock.Clock
	c      cases.Case
	events []store.CaseEvent
	t      time.Time // the moment of the last move
	now    time.Time
	org    string // where the moves happen (the handling township)
	done   bool
	// the notices the moves issued, kept as a move through the service keeps them (service.NoticesFor)
	notices []store.GenNotice
	places  *places
	by      string // who made the moves, as a notice names them (经办人)
	byID    string // and their account, as the audit trail names them
	// the moves with the case before and after each, for their audit entries
	moves []store.GenMove
}

// move makes a move at t (if t is not after now), recording its event; a refused move ends the life (it
// would be a bug in the generator, and the case stays as the domain left it).
func (l *life) move(a cases.Action, d cases.Desk, in cases.Input, t time.Time) bool {
	if l.done || t.After(l.now) {
		l.done = true
		return false
	}
	if t.Before(l.t) {
		t = l.t.Add(time.Minute)
	}
	before := l.c // a move changes a copy of the case (cases.Case.Apply): before stays as it was
	ev, err := l.c.Apply(a, d, in, t, l.clk)
	if err != nil {
		l.done = true
		return false
	}
	l.moves = append(l.moves, store.GenMove{Action: "case." + string(a), At: t, Before: before, After: l.c, ActorID: l.byID, ActorName: l.by})
	l.t = t
	l.events = append(l.events, store.CaseEvent{Event: ev, Seq: l.c.Version, OrgID: l.org})
	loc := l.clk.Rules.Location
	due := l.c.DueDay(l.clk, clock.DateOf(t.In(loc)))
	for _, k := range service.NoticesFor(l.c, ev) {
		issuer := l.c.NoticeOrgan(k)
		doc, err := service.NoticePaper(l.c, ev, issuer, due, l.by).Keep(k)
		if err != nil {
			l.done = true
			return false
		}
		l.notices = append(l.notices, store.GenNotice{Kind: k, Prefix: l.places.prefix[issuer], Year: t.In(loc).Year(), Issued: t, Doc: string(doc)})
	}
	return true
}

// later is a moment some working days after the last move, in office hours.
func (l *life) later(days int) time.Time {
	loc := l.clk.Rules.Location
	d := l.clk.Cal.AddWorkingDays(clock.DateOf(l.t.In(loc)), days)
	if days == 0 {
		return l.t.Add(time.Duration(5+l.r.IntN(40)) * time.Minute)
	}
	return at(d, 8*60+30+l.r.IntN(9*60), loc)
}

func live(r *rand.Rand, clk clock.Clock, t *township, all []*township, it item, received time.Time, applicantID string, cfg Config, pl *places) (cases.Case, []store.CaseEvent, []store.GenNotice, []store.GenMove) {
	// the channel: a village station for items a station may take, online, or the window; now and then the
	// window of another township (通办)
	channel, recv, by, recvTownship := cases.AtWindow, t.org.ID, "", t.org.ID
	switch x := r.IntN(100); {
	case x < 30 && it.atVillage && len(t.villages) > 0:
		v := t.villages[r.IntN(len(t.villages))]
		channel, recv, by = cases.ByStation, v.ID, t.agents[v.ID]
	case x < 45:
		channel = cases.Online
	case x < 50 && len(all) > 1:
		o := all[r.IntN(len(all))]
		recv, recvTownship = o.org.ID, o.org.ID
		if len(o.clerks) > 0 {
			by = o.clerks[r.IntN(len(o.clerks))]
		}
	}
	if channel == cases.AtWindow && by == "" && len(t.clerks) > 0 {
		by = t.clerks[r.IntN(len(t.clerks))]
	}
	steps := cases.StepsOf(it.it.Steps)
	c := cases.Case{ID: id(r, received), ItemID: it.it.ID, ItemVersion: it.it.Version, ItemName: it.it.NameZh, ItemNameMn: it.it.NameMn, Channel: channel,
		Receiving: recv, Handling: t.org.ID, ReceivingTownship: recvTownship, ReceivedBy: by, Department: it.dept,
		ApplicantID: applicantID, State: cases.Received, Steps: steps, Received: received,
		LimitUnit: clock.Unit(it.it.PromisedLimit.Unit), LimitDays: it.it.PromisedLimit.Value, Version: 1,
		ExtensionUnit: clock.Unit(it.it.ExtensionIn())}
	if channel == cases.ByStation {
		c.AgentID, c.Authorised = by, "委托书"
	}
	l := &life{r: r, clk: clk, c: c, t: received, now: cfg.To, org: t.org.ID, places: pl, by: pl.name[by], byID: by,
		events: []store.CaseEvent{{Event: cases.Event{Action: "receive", To: cases.Received, At: received, Desk: cases.Front}, Seq: 1, OrgID: recv}}}
	// what the item asks of each material, as the window's check is reconciled with it (cases.Reconcile)
	materials := cases.Asked(it.it)
	for i := range materials {
		materials[i].Check = cases.SeenOriginal
	}
	// 容缺 only of a material the item marks deferrable (FACTS.md §5.4)
	deferrable := slices.IndexFunc(materials, func(m cases.MaterialCheck) bool { return m.Deferrable })
	// 12%: something missing; the applicant comes back some days later (or 1 in 10 never does)
	if r.IntN(100) < 12 {
		lacking := append([]cases.MaterialCheck(nil), materials...)
		lacking[0].Check = cases.Missing
		if !l.move(cases.AskCorrection, cases.Front, cases.Input{Materials: lacking}, l.later(0)) {
			return l.c, l.events, l.notices, l.moves
		}
		if r.IntN(10) == 0 {
			return l.c, l.events, l.notices, l.moves
		}
		if !l.move(cases.Resubmit, cases.Front, cases.Input{}, l.later(1+r.IntN(5))) {
			return l.c, l.events, l.notices, l.moves
		}
	}
	// 3%: not for this office
	if r.IntN(100) < 3 {
		l.move(cases.Refuse, cases.Front, cases.Input{Reason: "不属于本机关职权范围"}, l.later(0))
		return l.c, l.events, l.notices, l.moves
	}
	// (and not after a correction notice: what the first visit saw stays as it was, 行政许可法 第32条)
	if r.IntN(100) < 5 && deferrable >= 0 && !l.c.Corrected {
		owed := append([]cases.MaterialCheck(nil), materials...)
		owed[deferrable].Check = cases.Owed
		by := clock.DateOf(l.t.In(clk.Rules.Location)).AddDays(10)
		if !l.move(cases.AcceptOwed, cases.Front, cases.Input{Materials: owed, OwedBy: by}, l.later(0)) {
			return l.c, l.events, l.notices, l.moves
		}
	} else if !l.move(cases.Accept, cases.Front, cases.Input{Materials: materials}, l.later(0)) {
		return l.c, l.events, l.notices, l.moves
	}
	if cfg.Open {
		return l.c, l.events, l.notices, l.moves
	}
	// the back office: each step takes a share of the limit; one case in twelve runs late
	limit := max(l.c.LimitDays, 1)
	if l.c.LimitUnit == clock.Instant {
		limit = 0
	}
	budget := limit * (20 + r.IntN(70)) / 100
	if r.IntN(12) == 0 {
		budget = limit + 1 + r.IntN(5)
	}
	back := len(steps) - 1 - l.c.Step
	for s := 0; s <= back; s++ {
		days := budget / (back + 1) // the steps share the budget; the last takes what is left
		if s == back {
			days = budget - back*(budget/(back+1))
		}
		t := l.later(days)
		if s == 0 {
			if r.IntN(100) < 6 { // a special procedure: the clock stands while it runs
				kind := cases.SuspendKinds[1+r.IntN(len(cases.SuspendKinds)-1)]
				if !l.move(cases.Suspend, cases.Back, cases.Input{Kind: kind, Reason: kind + "程序"}, l.later(0)) ||
					!l.move(cases.Resume, cases.Back, cases.Input{}, l.later(2+r.IntN(8))) {
					return l.c, l.events, l.notices, l.moves
				}
			}
			if r.IntN(100) < 3 && l.c.LimitUnit == clock.WorkingDays {
				if !l.move(cases.RequestExtension, cases.Back, cases.Input{Days: 5 + r.IntN(6), Reason: "情况复杂，需延长办理期限"}, l.later(0)) ||
					!l.move(cases.ApproveExtension, cases.Head, cases.Input{Reason: "同意延长"}, l.later(r.IntN(2))) {
					return l.c, l.events, l.notices, l.moves
				}
			}
		}
		if s < back {
			if !l.move(cases.Pass, cases.Back, cases.Input{}, t) {
				return l.c, l.events, l.notices, l.moves
			}
			continue
		}
		if !l.move(cases.Decide, cases.Back, cases.Input{Grant: r.IntN(20) != 0, Reason: "经审核，符合条件"}, t) {
			return l.c, l.events, l.notices, l.moves
		}
	}
	method := "window"
	if r.IntN(10) == 0 {
		method = "post"
	}
	if !l.move(cases.Issue, cases.Front, cases.Input{Method: method, Tracking: "EMS1234567890"}, l.later(r.IntN(2))) {
		return l.c, l.events, l.notices, l.moves
	}
	l.move(cases.Deliver, cases.Front, cases.Input{}, l.later(r.IntN(3)))
	return l.c, l.events, l.notices, l.moves
}
