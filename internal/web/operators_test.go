package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/app"
	"bianmin/internal/demo"
	"bianmin/internal/logs"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// lockedBuffer is a log sink the server writes to from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range bytes.Split(l.b.Bytes(), []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(line, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// startOperated runs Bianmin with the demo world, JSON logs into a buffer and an operator's listener.
func startOperated(t *testing.T, e testkit.Engine) (site, operator string, m *app.Main, logbuf *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logbuf = &lockedBuffer{}
	log, err := logs.New(logbuf, "json", slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	m, err = app.Open(ctx, app.Config{Addr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", DataDir: t.TempDir(), DB: e.URL,
		Service: testkit.FastConfig(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, m.Service); err != nil {
		t.Fatal(err)
	}
	addr, err := m.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		m.Close()
	})
	return "http://" + addr, "http://" + m.OperatorAddr(), m, logbuf
}

func fetch(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ { // the listeners serve once Run has started
		if resp, err = http.Get(url); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// The operator's view: /metrics scraped after some requests has the series by route and status, the
// writer's, the supervision job's, the outbox's and the pools'; /healthz and /readyz answer; the site itself
// does not serve /metrics; a request's id is answered, logged, and links the audit entry it wrote.
func TestOperatorsView(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			site, op, m, logbuf := startOperated(t, e)

			for _, u := range []string{site + "/healthz", site + "/readyz", op + "/healthz", op + "/readyz"} {
				if code, body, _ := fetch(t, u); code != http.StatusOK || body == "" {
					t.Errorf("%s: %d %q", u, code, body)
				}
			}
			if code, _, _ := fetch(t, site+"/metrics"); code != http.StatusNotFound {
				t.Errorf("the site's own listener serves /metrics: %d", code)
			}

			// some requests: pages, a 404, an API sign-in and an audited write with the caller's request id
			fetch(t, site+"/portal")
			fetch(t, site+"/portal")
			fetch(t, site+"/no/such/page")
			_, sess, _ := apiCall(t, site, "POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
			token := sess["token"].(string)
			home := sess["staff"].(map[string]any)["org_id"].(string)
			code, a, _ := apiCall(t, site, "POST", "/api/v1/applicants", token, map[string]string{"kind": "resident", "name": "其木格",
				"id_number": "11010519491231002X", "phone": "13712345678", "org_id": home}, "Idempotency-Key", "ops-1", "X-Request-Id", "ops-test-42")
			if code != http.StatusCreated {
				t.Fatalf("create applicant: %d %v", code, a)
			}
			// a request id that is not a plain token is replaced, never logged
			req, _ := http.NewRequest("GET", site+"/portal", nil)
			req.Header.Set("X-Request-Id", "bad id\" with quotes")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.ReadAll(resp.Body) // to its end: the request is counted before the last chunk is sent
			resp.Body.Close()
			if got := resp.Header.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
				t.Errorf("a bad request id is replaced by a new one: %q", got)
			}

			code, metrics, hdr := fetch(t, op+"/metrics")
			if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
				t.Fatalf("/metrics: %d %s", code, hdr.Get("Content-Type"))
			}
			for _, want := range []string{
				`bianmin_http_requests_total{code="200",route="GET /portal"} 3`,
				`bianmin_http_requests_total{code="404",route="other"} 2`, // /no/such/page and the site's /metrics
				`bianmin_http_requests_total{code="201",route="POST /api/v1/applicants"} 1`,
				`bianmin_http_request_duration_seconds_bucket{route="GET /portal",le="+Inf"} 3`,
				`bianmin_http_request_duration_seconds_count{route="POST /api/v1/session"} 1`,
				"bianmin_store_writer_queue_depth 0",
				"bianmin_store_group_commit_size_bucket{le=\"64\"}",
				"bianmin_supervision_job_duration_seconds_count",
				"bianmin_outbox_oldest_unsent_age_seconds",
				"bianmin_outbox_unsent_messages",
				"bianmin_store_up 1",
				"bianmin_db_open_connections{pool=",
				"bianmin_db_wait_count_total{pool=",
				"go_goroutines",
			} {
				if !strings.Contains(metrics, want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
			if slots := fmt.Sprintf("bianmin_store_writer_queue_capacity %d\n", store.DefaultWriteSlots()); m.DB.Dialect() == "postgres" && !strings.Contains(metrics, slots) {
				t.Errorf("/metrics lacks %q: the write slots", slots)
			}
			if m.DB.Dialect() == "sqlite" {
				// the demo's load and the requests went through the writer: its group commits are counted
				if strings.Contains(metrics, "bianmin_store_group_commit_size_count 0\n") {
					t.Error("no group commit counted on SQLite")
				}
			}

			// the log: the request line and the audit link carry the caller's request id
			trail, err := m.DB.AuditOf(t.Context(), "applicant", a["id"].(string), 1)
			if err != nil || len(trail) != 1 {
				t.Fatalf("audit of the applicant: %v %v", trail, err)
			}
			var sawHTTP, sawAudit bool
			for _, l := range logbuf.lines() {
				if l["request_id"] != "ops-test-42" {
					continue
				}
				switch l["msg"] {
				case "http":
					sawHTTP = l["path"] == "/api/v1/applicants"
				case "audit":
					sawAudit = l["chain"] == trail[0].Chain && fmt.Sprint(l["seq"]) == fmt.Sprint(trail[0].Seq) && trail[0].Chain != "" && l["action"] == "applicant.create"
				}
			}
			if !sawHTTP || !sawAudit {
				t.Errorf("log lines with the request id: http %v, audit %v", sawHTTP, sawAudit)
			}

			// a database behind the binary's migrations: alive, not ready
			if err := m.DB.ExecRaw(t.Context(), `DELETE FROM schema_migrations WHERE version = '001_foundation.sql'`); err != nil {
				t.Fatal(err)
			}
			if code, body, _ := fetch(t, site+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "001_foundation.sql") {
				t.Errorf("/readyz with a migration pending: %d %q", code, body)
			}
			if code, _, _ := fetch(t, op+"/healthz"); code != http.StatusOK {
				t.Errorf("/healthz with a migration pending: %d", code)
			}
		})
	}
}
