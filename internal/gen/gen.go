// Package gen makes a realistic dataset of cases for benchmarks and demonstrations (bianmin gen): N cases
// received over a period, spread over the townships, villages, items and channels of the world in the
// database, each one lived through the case domain's own moves (so every document is one the platform could
// have made), with corrections, refusals, 容缺, special procedures, extensions and some late decisions. The
// same seed over the same world gives the same cases.
package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
)

// Config says what to make.
type Config struct {
	N    int
	Seed uint64
	// From and To bound the days of receipt; To is also "now": moves that would come later have not
	// happened yet, which leaves the last weeks' cases open.
	From, To time.Time
	// Open makes every case stop once accepted (a backlog of running cases, for the sweep's benchmark).
	Open     bool
	Batch    int
	Progress func(done, total int)
}

// Stats counts what was made.
type Stats struct {
	Cases, Events, Applicants, Notices int
	States                             map[cases.State]int
}

type township struct {
	org      org.Org
	villages []org.Org
	weight   float64
	clerks   []string // staff ids at the window
	agents   map[string]string
	people   []string // applicant ids living there
	prefix   string
}

type item struct {
	it        catalog.Item
	dept      string
	weight    float64
	atVillage bool
}

// Run makes the dataset, in whole batches: each batch's cases, the applicants made for them, their
// timelines, numbers and audit entries are written in one transaction that also moves the number counters,
// so that a run stopped at any moment (Ctrl-C, kill -9, a crash) leaves whole batches and counters at or
// above every number in use. A stopped run returns what it made and an error wrapping ctx.Err(); the batch
// being written when ctx ends is finished first. Run again, it adds N cases to what is there (a run over a
// database that already holds cases draws other cases from the same seed). The world (organisations, staff,
// published items) must be there: bianmin demo makes one.
func Run(ctx context.Context, svc *service.Service, cfg Config) (Stats, error) {
	st := Stats{States: map[cases.State]int{}}
	if cfg.Batch == 0 {
		cfg.Batch = 2000
	}
	var before, already int // applicants and cases already there: identity numbers go on, and other cases are drawn
	if err := svc.DB.QueryRowRaw(ctx, `SELECT count(*) FROM applicants`).Scan(&before); err != nil {
		return st, err
	}
	if err := svc.DB.QueryRowRaw(ctx, `SELECT count(*) FROM cases`).Scan(&already); err != nil {
		return st, err
	}
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed+uint64(already)*0x9e3779b97f4a7c15))
	clk, err := svc.Clock(ctx)
	if err != nil {
		return st, err
	}
	loc := clk.Rules.Location
	ts, items, pl, err := world(ctx, svc, r)
	if err != nil {
		return st, err
	}
	tw, iw := weights(ts), itemWeights(items)
	span := cfg.To.Sub(cfg.From)
	// Three stages side by side, so that the processors and the database work together: the cases are made
	// here; batches made are prepared (their documents, timelines, notices' papers and the audit entries
	// of their moves: store.PrepareGenBatch) by a preparer per processor; and written in the order they
	// were made by one writer. Only this goroutine draws from r, so the same seed still gives the same
	// cases, and the writer's order keeps numbers rising with time.
	var b store.GenBatch
	batchNo := 0
	type job struct {
		b    store.GenBatch
		done chan error // the preparer's word
	}
	jobs := make(chan *job, 2)  // to the preparers
	order := make(chan *job, 3) // to the writer, in the order made
	written := make(chan error, 1)
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for j := range jobs {
				// one made when the stop came is neither prepared nor written
				if ctx.Err() != nil {
					j.done <- nil
					continue
				}
				j.done <- svc.DB.PrepareGenBatch(context.WithoutCancel(ctx), &j.b)
			}
		}()
	}
	go func() {
		for j := range order {
			err := <-j.done
			// A batch begun is finished even when the run is being stopped: it is one transaction, and
			// stopping between batches leaves nothing half-made to roll back. One prepared but not begun
			// when the stop came is not written.
			if err == nil && ctx.Err() != nil {
				continue
			}
			if err == nil {
				err = svc.DB.WriteGenBatch(context.WithoutCancel(ctx), j.b)
			}
			if err != nil {
				written <- err
				for j := range order {
					<-j.done
				}
				return
			}
			b := j.b
			st.Cases += len(b.Cases)
			st.Applicants += len(b.Applicants)
			for i, c := range b.Cases {
				st.States[c.State]++
				st.Events += len(b.Events[i])
				st.Notices += len(b.Notices[i])
			}
			if cfg.Progress != nil {
				cfg.Progress(st.Cases, cfg.N)
			}
		}
		written <- nil
	}()
	// wait ends the writer and says how it ended; st is the writer's until then.
	waited := false
	wait := func() error {
		if waited {
			return nil
		}
		waited = true
		close(order)
		close(jobs)
		return <-written
	}
	defer wait()
	flush := func() error {
		if len(b.Cases) == 0 {
			return nil
		}
		batchNo++
		b.Summary = map[string]any{"seed": cfg.Seed, "batch": batchNo, "cases": len(b.Cases), "applicants": len(b.Applicants)}
		j := &job{b: b, done: make(chan error, 1)}
		select {
		case order <- j:
			jobs <- j // the preparers take every job until jobs is closed
		case err := <-written:
			waited = true
			close(order)
			close(jobs) // the preparers end, and the writer has
			return err
		}
		b = store.GenBatch{}
		return nil
	}
	// Receipt times in order, so that numbers rise with time as they would.
	times := make([]time.Time, cfg.N)
	for i := range times {
		times[i] = workingMoment(r, clk, cfg.From.Add(time.Duration(r.Int64N(int64(span)))))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	made := 0 // applicants made in this run
	for i := 0; i < cfg.N; i++ {
		if len(b.Cases) == 0 && ctx.Err() != nil {
			if err := wait(); err != nil {
				return st, err
			}
			return st, fmt.Errorf("gen stopped after %d of %d cases (whole batches): %w", st.Cases, cfg.N, ctx.Err())
		}
		t := ts[pick(r, tw)]
		if i < len(ts) {
			t = ts[i] // everyone has someone to apply, and every township some cases
		}
		it := items[pick(r, iw)]
		received := times[i]
		if received.After(cfg.To) {
			received = cfg.To.Add(-time.Minute)
		}
		// one applicant for about every eight cases, made with the case that first needs them, so that a
		// batch holds the applicants its cases were made for
		var who string
		if len(t.people) == 0 || r.IntN(8) == 0 {
			home := t.org
			if len(t.villages) > 0 && r.IntN(10) < 8 {
				home = t.villages[r.IntN(len(t.villages))]
			}
			a := applicant(r, before+made, home, cfg.From)
			made++
			b.Applicants = append(b.Applicants, a)
			t.people = append(t.people, a.ID)
			who = a.ID
		} else {
			who = t.people[r.IntN(len(t.people))]
		}
		c, e, ns, ms := live(r, clk, t, ts, it, received, who, cfg, pl)
		c.Standing = c.StandingOn(clk, cfg.To)
		b.Cases = append(b.Cases, c)
		b.Events = append(b.Events, e)
		b.Notices = append(b.Notices, ns)
		b.Moves = append(b.Moves, ms)
		b.Series = append(b.Series, store.CaseSeries(t.prefix, received.In(loc).Year()))
		if len(b.Cases) == cfg.Batch {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if err := flush(); err != nil {
		return st, err
	}
	if err := wait(); err != nil {
		return st, err
	}
	// every case made, but a stop came before the last batches were begun: those are not written
	if st.Cases < cfg.N && ctx.Err() != nil {
		return st, fmt.Errorf("gen stopped after %d of %d cases (whole batches): %w", st.Cases, cfg.N, ctx.Err())
	}
	err = svc.DB.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		return tx.Audit(access.System, "gen.load", "dataset", fmt.Sprint(cfg.Seed), "", nil,
			map[string]any{"cases": st.Cases, "applicants": st.Applicants, "seed": cfg.Seed, "from": cfg.From, "to": cfg.To})
	})
	return st, err
}

// places gives what a notice prints of an organisation and a person: the number prefix of each organisation
// (by id) and the name of each member of staff (by id).
type places struct {
	prefix, name map[string]string
}

// world reads the townships with their villages, window staff and agents, and the published items.
// Townships get a weight (some are busier), items a weight falling with their rank (a few items make most
// cases, as in every hall).
func world(ctx context.Context, svc *service.Service, r *rand.Rand) ([]*township, []item, *places, error) {
	// Everything is put in an order of names and codes, not of ids, so that the same seed over the same
	// world (loaded again, with other ids) gives the same cases.
	byName := func(a, b org.Org) int { return strings.Compare(a.Code+a.NameZh, b.Code+b.NameZh) }
	orgs, err := svc.DB.Subtree(ctx, "", org.Township)
	if err != nil {
		return nil, nil, nil, err
	}
	slices.SortFunc(orgs, byName)
	staff, err := svc.DB.StaffIn(ctx, "")
	if err != nil {
		return nil, nil, nil, err
	}
	slices.SortFunc(staff, func(a, b people.Staff) int { return strings.Compare(a.Username, b.Username) })
	pl := &places{prefix: map[string]string{}, name: map[string]string{}}
	for _, s := range staff {
		pl.name[s.ID] = s.Name
	}
	every, err := svc.DB.Subtree(ctx, "")
	if err != nil {
		return nil, nil, nil, err
	}
	for _, o := range every {
		pl.prefix[o.ID] = service.NumberPrefix(o)
	}
	var ts []*township
	for _, o := range orgs {
		t := &township{org: o, weight: 0.3 + r.Float64(), agents: map[string]string{}, prefix: service.NumberPrefix(o)}
		if t.villages, err = svc.DB.Subtree(ctx, o.Path, org.Village); err != nil {
			return nil, nil, nil, err
		}
		slices.SortFunc(t.villages, byName)
		for _, s := range staff {
			switch {
			case (s.Role == access.Clerk || s.Role == access.Director) && org.InSubtree(o.Path, s.OrgPath):
				t.clerks = append(t.clerks, s.ID)
			case s.Role == access.Agent && org.InSubtree(o.Path, s.OrgPath):
				for _, v := range t.villages {
					if org.InSubtree(v.Path, s.OrgPath) {
						t.agents[v.ID] = s.ID
					}
				}
			}
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, nil, nil, fmt.Errorf("gen: no townships; load a world first (bianmin demo)")
	}
	published, err := svc.DB.PublishedItems(ctx, store.ItemFilter{})
	if err != nil {
		return nil, nil, nil, err
	}
	slices.SortFunc(published, func(a, b catalog.Item) int { return strings.Compare(a.NameZh, b.NameZh) })
	var items []item
	for _, p := range published {
		if len(p.Materials) == 0 || len(p.Steps) == 0 {
			continue // nothing to check at the window, or no process: not an item a case can follow
		}
		row, err := svc.DB.Item(ctx, p.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		full, err := svc.DB.ItemVersion(ctx, p.ID, row.Published)
		if err != nil {
			return nil, nil, nil, err
		}
		items = append(items, item{it: full, dept: row.DepartmentID, weight: 1 / float64(len(items)+2), atVillage: full.Village != catalog.VillageNone})
	}
	if len(items) == 0 {
		return nil, nil, nil, fmt.Errorf("gen: no published items with materials and steps")
	}
	return ts, items, pl, nil
}

func weights(ts []*township) []float64 {
	w := make([]float64, len(ts))
	for i, t := range ts {
		w[i] = t.weight
	}
	return w
}

func itemWeights(items []item) []float64 {
	w := make([]float64, len(items))
	for i, it := range items {
		w[i] = it.weight
	}
	return w
}

// pick draws an index by weight.
func pick(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// id makes an id of the moment from the rng, so that the same seed gives the same ids.
func id(r *rand.Rand, at time.Time) string {
	return ids.Of(at, r.Uint64())
}

var surnames = []rune("王李张刘陈杨赵黄周吴包白宝乌其那")
var given = []string{"巴特尔", "其其格", "乌云", "苏日娜", "宝音", "建国", "秀英", "海龙", "桂兰", "那仁", "额尔敦", "淑珍", "志强", "萨仁"}

func applicant(r *rand.Rand, i int, home org.Org, at time.Time) people.Applicant {
	// a valid resident identity number: 150421 (阿鲁科尔沁旗), a birth date, a sequence, the check digit; the
	// n-th applicant's date and sequence are n's own, so that no two are the same (for 23 million)
	birth := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000)
	first17 := fmt.Sprintf("150421%s%03d", birth.Format("20060102"), i%1000)
	return people.Applicant{ID: id(r, at), Kind: people.Resident, Name: string(surnames[r.IntN(len(surnames))]) + given[r.IntN(len(given))],
		IDNumber: first17 + string(people.IDCheckChar(first17)), Phone: fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000)),
		OrgID: home.ID, Created: at, Address: home.NameZh}
}

// workingMoment moves a moment into office hours on a working day (most of the time).
func workingMoment(r *rand.Rand, clk clock.Clock, t time.Time) time.Time {
	loc := clk.Rules.Location
	d := clock.DateOf(t.In(loc))
	if !clk.Cal.IsWorkingDay(d) && r.IntN(20) != 0 {
		d = clk.Cal.NextWorkingDay(d)
	}
	return at(d, 8*60+30+r.IntN(9*60), loc)
}

func at(d clock.Date, minute int, loc *time.Location) time.Time {
	return time.Date(d.Y, d.M, d.D, minute/60, minute%60, 0, 0, loc)
}

// Finish rolls up every day and makes the monthly reports of every month that ended within the period.
func Finish(ctx context.Context, svc *service.Service, from, to time.Time, progress func(done, total int)) error {
	if _, err := svc.Sweep(ctx, false); err != nil {
		return err
	}
	if err := svc.RollupAll(ctx, progress); err != nil {
		return err
	}
	loc := clock.DefaultRules().Location
	last := supervision.MonthOf(clock.DateOf(to.In(loc))).Prev()
	for m := supervision.MonthOf(clock.DateOf(from.In(loc))); !after(m, last); m = next(m) {
		if err := svc.RemakeReports(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func after(a, b supervision.Month) bool { return a.Y > b.Y || (a.Y == b.Y && a.M > b.M) }

func next(m supervision.Month) supervision.Month {
	if m.M == time.December {
		return supervision.Month{Y: m.Y + 1, M: time.January}
	}
	return supervision.Month{Y: m.Y, M: m.M + 1}
}
