package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/upstream"
)

// The reference receiver runs as a process of its own: the same binary a region runs (`bianmin upstream
// serve`), built once per test run.
var bin struct {
	once sync.Once
	path string
	err  error
}

func bianminBinary(t *testing.T) string {
	t.Helper()
	bin.once.Do(func() {
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		dir, err := os.MkdirTemp("", "bianmin-bin-")
		if err != nil {
			bin.err = err
			return
		}
		bin.path = filepath.Join(dir, "bianmin")
		out, err := exec.Command(goTool, "build", "-o", bin.path, "bianmin/cmd/bianmin").CombinedOutput()
		if err != nil {
			bin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if bin.err != nil {
		t.Fatal(bin.err)
	}
	return bin.path
}

type receiverProc struct {
	t         *testing.T
	addr, dir string
	cmd       *exec.Cmd
}

// startReceiver starts the receiver on addr (a fixed port, so that a restart answers at the same address)
// with its ledger in dir.
func startReceiver(t *testing.T, addr, dir string) *receiverProc {
	p := &receiverProc{t: t, addr: addr, dir: dir}
	p.start()
	t.Cleanup(p.kill)
	return p
}

func (p *receiverProc) start() {
	p.t.Helper()
	p.cmd = exec.Command(bianminBinary(p.t), "upstream", "serve", "-addr", p.addr, "-dir", p.dir)
	p.cmd.Stdout, p.cmd.Stderr = io.Discard, os.Stderr
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	for range 200 {
		if resp, err := http.Get("http://" + p.addr + "/healthz"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	p.t.Fatal("the receiver did not start")
}

// kill ends the process at once (SIGKILL): whatever it was writing is cut where it stood.
func (p *receiverProc) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		p.cmd = nil
	}
}

func (p *receiverProc) get(path string, v any) {
	p.t.Helper()
	resp, err := http.Get("http://" + p.addr + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		p.t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// upstreamMoves is how many case moves the push test makes: BIANMIN_UPSTREAM_MOVES (10,000 for the issue's
// figure), else a few hundred, which walk the same paths in seconds.
func upstreamMoves() int {
	if n, err := strconv.Atoi(os.Getenv("BIANMIN_UPSTREAM_MOVES")); err == nil && n > 0 {
		return n
	}
	return 240
}

// withCodes gives the item its 实施编码 and 基本编码 (as the catalog sync brings them) and publishes it.
func withCodes(t *testing.T, svc *service.Service, db *store.DB, item string) {
	t.Helper()
	it, row, _, err := svc.ItemForEdit(ctx, access.System, item)
	if err != nil {
		t.Fatal(err)
	}
	it.ImplCode, it.BaseCode = "11150421MB1234567X400001234500", "000123456000"
	saved, err := svc.SaveItem(ctx, access.System, it, row.RowVersion)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetItemStatus(ctx, access.System, saved.ID, saved.Version, catalog.Published); err != nil {
		t.Fatal(err)
	}
}

// lifecycle walks a case through every move the upper platform hears of: accept, two steps, decide,
// issue, deliver (6 moves, 8 records).
func lifecycle(w *world, item string) error {
	c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		return err
	}
	for _, m := range []struct {
		who string
		a   cases.Action
		in  cases.Input
	}{
		{"tianshan.clerk", cases.Accept, cases.Input{Materials: mats(false)}},
		{"tianshan.reviewer", cases.Pass, cases.Input{}},
		{"tianshan.reviewer", cases.Pass, cases.Input{}},
		{"minzheng", cases.Decide, cases.Input{Grant: true, Reason: "经审核符合条件"}},
		{"tianshan.clerk", cases.Issue, cases.Input{Method: "window"}},
		{"tianshan.clerk", cases.Deliver, cases.Input{}},
	} {
		if c, err = w.svc.Act(ctx, w.actors[m.who], c.ID, c.Version, m.a, m.in); err != nil {
			return fmt.Errorf("%s: %w", m.a, err)
		}
	}
	return nil
}

// runCases runs n lifecycles from four workers; half is signalled once half of them are done.
func runCases(t *testing.T, w *world, item string, n int, half chan<- struct{}) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	go func() {
		for i := range n {
			next <- i
		}
		close(next)
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				if err := lifecycle(w, item); err != nil {
					t.Error(err)
				}
				mu.Lock()
				done++
				if done == n/2 && half != nil {
					close(half)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// drainWait is how long drained waits before it reports what is stuck.
var drainWait = 60 * time.Second

// drained waits until the receiver has nothing pending (records sent or parked).
func drained(t *testing.T, db *store.DB, receiver string) store.OutboxCounts {
	t.Helper()
	deadline := time.Now().Add(drainWait)
	for {
		c, err := db.CountOutbox(ctx, receiver)
		if err != nil {
			t.Fatal(err)
		}
		if c.Pending == c.Blocked {
			return c
		}
		if time.Now().After(deadline) {
			rows, _ := db.QueryRaw(ctx, `SELECT order_key, seq, attempts, last_error, next_at FROM outbox WHERE receiver_id = ? AND sent_at IS NULL AND parked_at IS NULL ORDER BY order_key, seq LIMIT 5`, receiver)
			for rows.Next() {
				var k, e string
				var seq, a int
				var next time.Time
				rows.Scan(&k, &seq, &a, &e, &next)
				t.Logf("pending: %s %d attempts %d next %v: %s", k, seq, a, next, e)
			}
			rows.Close()
			t.Fatalf("still pending after five minutes: %+v", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exactlyOnce checks the receiver's ledger against the outbox: every record kept once, each key's records
// in their order 1, 2, 3 ...
func exactlyOnce(t *testing.T, db *store.DB, p *receiverProc) []upstream.Kept {
	t.Helper()
	var kept []upstream.Kept
	p.get("/records", &kept)
	rows, err := db.QueryRaw(ctx, `SELECT id FROM outbox WHERE channel = 'upstream'`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		want[id] = true
	}
	rows.Close()
	seen, last := map[string]int{}, map[string]int{}
	for _, k := range kept {
		seen[k.ID]++
		if k.Seq != last[k.Key]+1 {
			t.Errorf("key %s: %d after %d", k.Key, k.Seq, last[k.Key])
		}
		last[k.Key] = k.Seq
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("record %s kept %d times", id, seen[id])
		}
	}
	if len(kept) != len(want) {
		t.Errorf("%d kept for %d records", len(kept), len(want))
	}
	return kept
}

// lag reports the push's throughput and the p99 of move to receipt, from the outbox's own times.
func lag(t *testing.T, db *store.DB, name string) {
	rows, err := db.QueryRaw(ctx, `SELECT created_at, sent_at FROM outbox WHERE channel = 'upstream' AND sent_at IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	var d []time.Duration
	var first, lastAt time.Time
	for rows.Next() {
		var c, s time.Time
		rows.Scan(&c, &s)
		d = append(d, s.Sub(c))
		if first.IsZero() || c.Before(first) {
			first = c
		}
		if s.After(lastAt) {
			lastAt = s
		}
	}
	rows.Close()
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	t.Logf("%s: %d records pushed, %.0f records/s, move to receipt p50 %v p99 %v", name, len(d), float64(len(d))/lastAt.Sub(first).Seconds(),
		d[len(d)/2].Round(time.Millisecond), d[len(d)*99/100].Round(time.Millisecond))
}

// Issue 15, must show: case moves pushed to the reference receiver in a process of its own; the receiver
// killed and restarted mid-stream; a record the receiver refuses (a case accepted before its item had its
// 实施编码) parked with the reason, its case's later records waiting behind it, fixed and resent; afterwards
// every record kept exactly once, in its case's order. A class of personal data switched off (phones) never
// leaves.
func TestUpstreamPush(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		p := startReceiver(t, freeAddr(t), t.TempDir())
		admin := w.actors["admin"]
		banner, _ := db.OrgByCode(ctx, "150421")
		r, _, err := w.svc.CreateReceiver(ctx, admin, service.ReceiverInput{OrgID: banner.ID, Channel: service.ChannelUpstream, Name: "内蒙古政务服务平台",
			URL: "http://" + p.addr + "/records", Withheld: []string{"phone"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		// accepted while the item has no 实施编码: the receiver will refuse its first record
		early, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if early, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], early.ID, early.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		withCodes(t, w.svc, db, item)

		sctx, stop := context.WithCancel(ctx)
		defer stop()
		var senders sync.WaitGroup
		senders.Add(1)
		go func() {
			defer senders.Done()
			w.svc.RunChannel(sctx, service.ChannelUpstream, nil, 20*time.Millisecond, testLog())
		}()
		n := upstreamMoves() / 6
		half := make(chan struct{})
		restarted := make(chan struct{})
		go func() {
			defer close(restarted)
			<-half
			p.kill() // mid-stream: batches in flight are cut
			p.start()
		}()
		if os.Getenv("BIANMIN_TEST_LOG") != "" {
			go func() {
				for sctx.Err() == nil {
					c, _ := db.CountOutbox(ctx, r.ID)
					t.Logf("%s %+v", time.Now().Format("15:04:05"), c)
					time.Sleep(5 * time.Second)
				}
			}()
		}
		runCases(t, w, item, n, half)
		<-restarted
		c := drained(t, db, r.ID)
		// the refused record is parked with its reason; the case's next record waits behind it
		page, err := w.svc.Deliveries(ctx, admin, r.ID, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.Parked != 1 || len(page.Records) != 1 || page.Records[0].CaseID != early.ID || page.Records[0].ParkReason != "task_code: required" {
			t.Fatalf("parked: %+v %+v", c, page.Records)
		}
		refused := page.Records[0].ID
		// the operator fixes what the receiver refused and resends, as often as the case's records need it
		for range 4 {
			page, _ = w.svc.Deliveries(ctx, admin, r.ID, true, "")
			if len(page.Records) == 0 {
				break
			}
			var rec upstream.Record
			json.Unmarshal([]byte(page.Records[0].Body), &rec)
			rec.Data["task_code"] = "11150421MB1234567X400001234500"
			b, _ := json.Marshal(rec)
			if _, err := w.svc.Resend(ctx, admin, page.Records[0].ID, string(b)); err != nil {
				t.Fatal(err)
			}
			drained(t, db, r.ID)
		}
		stop()
		senders.Wait()
		if c, _ := db.CountOutbox(ctx, r.ID); c.Parked != 0 || c.Pending != 0 || c.Sent != 8*n+2 {
			t.Fatalf("after the fixes: %+v, want %d sent", c, 8*n+2)
		}
		kept := exactlyOnce(t, db, p)
		// each push is audited with its receiver: the records it took, the one it refused
		trail, err := db.AuditOf(ctx, "receiver", r.ID, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		pushed, refusedSeen := 0, false
		for _, e := range trail {
			if e.Action == "outbox.push" {
				var got struct{ Received, Refused []string }
				json.Unmarshal([]byte(e.After), &got)
				pushed += len(got.Received)
				refusedSeen = refusedSeen || slices.Contains(got.Refused, refused)
			}
		}
		if pushed < len(kept) || !refusedSeen {
			t.Errorf("audited pushes: %d records for %d kept, the refusal audited: %v", pushed, len(kept), refusedSeen)
		}
		for _, k := range kept {
			if k.Table == upstream.Accept && (k.Data["contact_mobile"] != "" || k.Data["applyer_name"] == "") {
				t.Fatalf("phones are switched off for this receiver, names are not: %v", k.Data)
			}
		}
		var st struct{ Kept, Duplicates int }
		p.get("/stats", &st)
		t.Logf("%s: %d moves, %d records kept, %d resent after a lost receipt", db.Dialect(), 6*n+1, st.Kept, st.Duplicates)
		lag(t, db, db.Dialect())
		// a record not parked cannot be resent; a fix may not change which record it is
		if _, err := w.svc.Resend(ctx, admin, refused, ""); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("resending a record already received: %v", err)
		}
	})
}

// Issue 15, must show: two Bianmin instances on one PostgreSQL send the same outbox, and the receiver gets
// no record twice.
func TestUpstreamTwoInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		if e.Name != "postgres" {
			continue
		}
		db1 := testkit.Open(t, e)
		w := demoWorld(t, db1)
		db2 := testkit.Open(t, e) // the second instance: its own pool, its own service, the same database
		svc2 := testkit.Service(t, db2)
		item := dibaoItem(t, w)
		withCodes(t, w.svc, db1, item)
		p := startReceiver(t, freeAddr(t), t.TempDir())
		banner, _ := db1.OrgByCode(ctx, "150421")
		r, _, err := w.svc.CreateReceiver(ctx, w.actors["admin"], service.ReceiverInput{OrgID: banner.ID, Channel: service.ChannelUpstream, Name: "平台",
			URL: "http://" + p.addr + "/records", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		sctx, stop := context.WithCancel(ctx)
		var senders sync.WaitGroup
		for _, s := range []*service.Service{w.svc, svc2} {
			senders.Add(1)
			go func() {
				defer senders.Done()
				s.RunChannel(sctx, service.ChannelUpstream, nil, 5*time.Millisecond, slog.New(slog.DiscardHandler))
			}()
		}
		runCases(t, w, item, 30, nil)
		drained(t, db1, r.ID)
		stop()
		senders.Wait()
		exactlyOnce(t, db1, p)
		var st struct{ Kept, Duplicates int }
		p.get("/stats", &st)
		if st.Duplicates != 0 || st.Kept != 30*8 {
			t.Fatalf("two instances: %+v", st)
		}
	}
}

// Issue 15, must show: a webhook delivery verified by its signature. A local system subscribes to the cases,
// ratings and supervision records of the banner with names and ID numbers switched off; its first answer
// is an error, and the delivery comes again; the test button sends a test event; everything arrives signed.
func TestWebhooks(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		withCodes(t, w.svc, db, item)
		var mu sync.Mutex
		var secret []byte
		var events []upstream.Event
		bad, calls := 0, 0
		hook := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				http.Error(rw, "busy", http.StatusServiceUnavailable)
				return
			}
			if !upstream.Verify(secret, r.Header.Get(upstream.HeaderTimestamp), r.Header.Get(upstream.HeaderSignature), body, time.Now()) {
				bad++
				http.Error(rw, "bad signature", http.StatusUnauthorized)
				return
			}
			var ev upstream.Event
			json.Unmarshal(body, &ev)
			events = append(events, ev)
		}))
		defer hook.Close()
		banner, _ := db.OrgByCode(ctx, "150421")
		admin := w.actors["admin"]
		in := service.ReceiverInput{OrgID: banner.ID, Channel: service.ChannelWebhook, Name: "民政局业务系统", URL: hook.URL,
			Events: []string{"case", "rating", "supervision"}, Withheld: []string{"name", "id_number"}, Active: true}
		// a director manages no receivers; a webhook needs its events; an address must be http(s)
		if _, _, err := w.svc.CreateReceiver(ctx, w.actors["tianshan.director"], in); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a director: %v", err)
		}
		for _, bad := range []func(i *service.ReceiverInput){
			func(i *service.ReceiverInput) { i.Events = nil },
			func(i *service.ReceiverInput) { i.URL = "ftp://x" },
			func(i *service.ReceiverInput) { i.Withheld = []string{"blood_type"} },
		} {
			x := in
			bad(&x)
			if _, _, err := w.svc.CreateReceiver(ctx, admin, x); errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("%+v: %v", x, err)
			}
		}
		r, hex, err := w.svc.CreateReceiver(ctx, admin, in)
		if err != nil || len(hex) != 64 {
			t.Fatal(err)
		}
		mu.Lock()
		secret = []byte(hex)
		mu.Unlock()
		if err := lifecycle(w, item); err != nil {
			t.Fatal(err)
		}
		cs, _ := db.QueryRaw(ctx, `SELECT id FROM cases ORDER BY received_at DESC LIMIT 1`)
		var caseID string
		for cs.Next() {
			cs.Scan(&caseID)
		}
		cs.Close()
		if _, err := w.svc.EnterPaperRating(ctx, w.actors["tianshan.clerk"], rating.Subject{CaseID: caseID}, service.RateInput{Level: rating.Unsatisfied, Text: "等了很久"}, "k"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.TestDelivery(ctx, admin, r.ID); err != nil {
			t.Fatal(err)
		}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.svc.RunChannel(sctx, service.ChannelWebhook, nil, 10*time.Millisecond, slog.New(slog.DiscardHandler))
		}()
		drained(t, db, r.ID)
		stop()
		<-done
		mu.Lock()
		defer mu.Unlock()
		kinds := map[string]int{}
		for _, ev := range events {
			kinds[ev.Kind]++
			if ev.Record.Table == upstream.Accept && (ev.Record.Data["applyer_name"] != "" || ev.Record.Data["applyer_page_code"] != "" || ev.Record.Data["contact_mobile"] == "") {
				t.Errorf("names and ID numbers are off for this receiver, phones are not: %v", ev.Record.Data)
			}
			if ev.Kind == "rating" && (ev.Record.Data["satisfaction"] != "4" || ev.Record.Data["channel"] == "") {
				t.Errorf("rating in 表9 fields: %v", ev.Record.Data)
			}
		}
		if bad != 0 || kinds["case"] != 8 || kinds["rating"] != 1 || kinds["test"] != 1 || calls != len(events)+1 {
			t.Fatalf("%d bad signatures, %d calls, events %v", bad, calls, kinds)
		}
		log, err := w.svc.Deliveries(ctx, admin, r.ID, false, "")
		if err != nil || log.Counts.Sent != 10 || len(log.Records) != 10 {
			t.Fatalf("log: %+v %v", log.Counts, err)
		}
		retried := 0
		for _, o := range log.Records {
			if o.Attempts == 2 {
				retried++
			}
		}
		if retried != 1 {
			t.Errorf("the delivery the hook refused first was tried twice: %d", retried)
		}
		// another banner's administrator does not see this log; nobody may edit without the version read
		if _, err := w.svc.UpdateReceiver(ctx, admin, r.ID, r.Version+1, in); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a stale version: %v", err)
		}
		if _, err := w.svc.Deliveries(ctx, w.actors["supervisor"], r.ID, false, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a supervisor reads the log: %v", err)
		}
	})
}

// The permission matrix of what leaves Bianmin: only an administrator, within their subtree, sets up
// receivers, reads their logs, resends and tests; every other role is refused each, on both databases.
// E-supervision records go up (GB/T 39046 表11): a case overdue without a move gets its red card from the
// sweep, and the card is pushed once, whatever sweeps and moves follow.
func TestUpstreamScopeAndCards(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		banner, _ := db.OrgByCode(ctx, "150421")
		in := service.ReceiverInput{OrgID: banner.ID, Channel: service.ChannelWebhook, Name: "x", URL: "http://127.0.0.1:9/", Events: []string{"case"}, Active: true}
		r, _, err := w.svc.CreateReceiver(ctx, w.actors["admin"], in)
		if err != nil {
			t.Fatal(err)
		}
		t1 := in
		t1.OrgID = w.targets["T1"].ID
		for _, who := range []string{"supervisor", "minzheng", "tianshan.clerk", "tianshan.reviewer", "tianshan.director", "yangshulin.agent"} {
			a := w.actors[who]
			for name, err := range map[string]error{
				"create":     third(w.svc.CreateReceiver(ctx, a, in)),
				"create-own": third(w.svc.CreateReceiver(ctx, a, t1)),
				"list":       second(w.svc.ReceiversOf(ctx, a)),
				"log":        second(w.svc.Deliveries(ctx, a, r.ID, false, "")),
				"update":     second(w.svc.UpdateReceiver(ctx, a, r.ID, r.Version, in)),
				"test":       second(w.svc.TestDelivery(ctx, a, r.ID)),
			} {
				if errs.CodeOf(err) != errs.Forbidden {
					t.Errorf("%s %s: %v", who, name, err)
				}
			}
		}
		item := dibaoItem(t, w)
		up, _, err := w.svc.CreateReceiver(ctx, w.actors["admin"], service.ReceiverInput{OrgID: banner.ID, Channel: service.ChannelUpstream, Name: "平台",
			URL: "http://127.0.0.1:9/records", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		cards := func() []string {
			rows, err := db.QueryRaw(ctx, `SELECT body FROM outbox WHERE receiver_id = ? AND template = 'up_pro_supervise' ORDER BY created_at, seq`, up.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var b string
				rows.Scan(&b)
				var rec upstream.Record
				json.Unmarshal([]byte(b), &rec)
				if rec.Data["project_no"] != c.No || upstream.Validate(rec) != nil {
					t.Errorf("a card record: %v", rec)
				}
				out = append(out, rec.Data["rule_no"]+"/"+rec.Data["warn_type"])
			}
			return out
		}
		if got := cards(); len(got) != 0 {
			t.Fatalf("a fresh case has no card: %v", got)
		}
		db.Now = func() time.Time { return time.Now().AddDate(0, 3, 0) }
		defer func() { db.Now = time.Now }()
		for range 2 {
			if _, err := w.svc.Sweep(ctx, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.Act(ctx, w.actors["tianshan.reviewer"], c.ID, c.Version, cases.Pass, cases.Input{}); err != nil {
			t.Fatal(err)
		}
		got := cards()
		if !slices.Contains(got, "case.red/2") || len(got) != len(slices.Compact(slices.Sorted(slices.Values(got)))) {
			t.Fatalf("cards pushed: %v", got)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

// testLog shows the senders' warnings when BIANMIN_TEST_LOG is set.
func testLog() *slog.Logger {
	if os.Getenv("BIANMIN_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.DiscardHandler)
}
