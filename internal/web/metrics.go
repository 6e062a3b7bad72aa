package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"bianmin/internal/ids"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// metrics is the operator's view of a running Bianmin, in its own registry (never the global one: two
// servers in one test process must not share counters). Requests are counted by the route pattern they
// matched ("GET /cases/{id}"), never by path, so that the series stay as few as the routes.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(svc *service.Service) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bianmin_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bianmin_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{svc: svc})
	return m
}

// routeOther labels requests no route matched (404s, and requests the edge refused before routing): their
// paths are anyone's choice and must not become series.
const routeOther = "other"

// reqInfo is what the outermost middleware learns from the inner ones: the route pattern the request matched.
type reqInfo struct{ route string }

type infoKey struct{}

// noteRoute records, for the metrics, the route pattern the request matches (the edge asks the mux for it
// anyway, to cap the body by route; a request it refuses is still counted by its route).
func noteRoute(r *http.Request, pattern string) {
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok && pattern != "" {
		info.route = pattern
	}
}

// observed is the outermost middleware: it gives the request its id (the X-Request-Id a proxy or client sent,
// when it is a plain token, else a new one), answers it in the response header, carries it in the context
// (logs name it; see internal/logs) and counts and times the request by route and status.
func (s *Server) observed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !ids.ValidRequest(id) {
			id = ids.NewRequest()
		}
		w.Header().Set("X-Request-Id", id)
		info := &reqInfo{}
		ctx := context.WithValue(ids.WithRequest(r.Context(), id), infoKey{}, info)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			route := info.route
			if route == "" {
				route = routeOther
			}
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
			s.metrics.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// MetricsHandler serves the metrics in Prometheus' text format. It is not on the site's own listener: the
// operator opens a listener of its own for it (-metrics-addr), reachable from the monitoring network only.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// OperatorHandler is the whole operator's listener: /metrics, /healthz and /readyz.
func (s *Server) OperatorHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.MetricsHandler())
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	return mux
}

// storeCollector reads the store's and the background jobs' figures at each scrape.
type storeCollector struct{ svc *service.Service }

var (
	descQueue = prometheus.NewDesc("bianmin_store_writer_queue_depth",
		"Write transactions waiting for their turn: for SQLite's one writer, or for a write slot on PostgreSQL (-write-slots).", nil, nil)
	descQueueCap = prometheus.NewDesc("bianmin_store_writer_queue_capacity",
		"Capacity of SQLite's writer queue; on PostgreSQL the write slots (0: no bound).", nil, nil)
	descGroup = prometheus.NewDesc("bianmin_store_group_commit_size",
		"Transactions committed together by SQLite's writer in one sync to disk (group commit).", nil, nil)
	descSweep = prometheus.NewDesc("bianmin_supervision_job_duration_seconds",
		"Duration of the supervision background job (card sweep, daily roll-up, monthly reports).", nil, nil)
	descSweepLast = prometheus.NewDesc("bianmin_supervision_job_last_duration_seconds",
		"Duration of the supervision job's latest run.", nil, nil)
	descSweepFailed = prometheus.NewDesc("bianmin_supervision_sweep_failures_total",
		"Runs of the supervision job whose sweep failed.", nil, nil)
	descOutboxAge = prometheus.NewDesc("bianmin_outbox_oldest_unsent_age_seconds",
		"Age of the oldest message to applicants not yet sent (0 when none waits): the outbox's lag.", nil, nil)
	descOutboxUnsent = prometheus.NewDesc("bianmin_outbox_unsent_messages",
		"Messages to applicants not yet sent.", nil, nil)
	descUp = prometheus.NewDesc("bianmin_store_up",
		"1 when the outbox queries of this scrape answered, 0 when the database did not.", nil, nil)
	descLeader = prometheus.NewDesc("bianmin_leader",
		"1 while this instance runs the background jobs (the supervision job, checkpoints, backups) for all instances on its database.", nil, nil)
	descReplicaUsable = prometheus.NewDesc("bianmin_replica_usable",
		"1 while the read replica (-db-read) answers and lags at most -db-read-lag; absent without a replica.", nil, nil)
	descReplicaLag = prometheus.NewDesc("bianmin_replica_lag_seconds",
		"How long ago the primary was where the replica has replayed to, as last measured.", nil, nil)
	descReplicaReads = prometheus.NewDesc("bianmin_replica_reads_total",
		"Requests whose reads were fit for the replica, by where they went: replica, or primary (the replica lagging, down, or behind the reader's own write).", []string{"to"}, nil)
	poolLabels    = []string{"pool"}
	descPoolOpen  = prometheus.NewDesc("bianmin_db_open_connections", "Open connections of the pool.", poolLabels, nil)
	descPoolInUse = prometheus.NewDesc("bianmin_db_in_use_connections", "Connections in use.", poolLabels, nil)
	descPoolIdle  = prometheus.NewDesc("bianmin_db_idle_connections", "Idle connections.", poolLabels, nil)
	descPoolMax   = prometheus.NewDesc("bianmin_db_max_open_connections", "Most connections the pool opens.", poolLabels, nil)
	descPoolWaits = prometheus.NewDesc("bianmin_db_wait_count_total", "Times a caller waited for a connection.", poolLabels, nil)
	descPoolWait  = prometheus.NewDesc("bianmin_db_wait_duration_seconds_total", "Time callers waited for a connection.", poolLabels, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descQueue, descQueueCap, descGroup, descSweep, descSweepLast, descSweepFailed,
		descOutboxAge, descOutboxUnsent, descUp, descLeader, descReplicaUsable, descReplicaLag, descReplicaReads, descPoolOpen, descPoolInUse, descPoolIdle, descPoolMax, descPoolWaits, descPoolWait} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	db := c.svc.DB
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(db.WriterQueue()))
	ch <- prometheus.MustNewConstMetric(descQueueCap, prometheus.GaugeValue, float64(db.WriterQueueCap()))

	count, txs, buckets := db.GroupCommits()
	ch <- prometheus.MustNewConstHistogram(descGroup, count, float64(txs), cumulative(buckets, func(i int) float64 {
		return float64(store.GroupCommitBounds[i])
	}))

	sw := c.svc.SweepStats()
	ch <- prometheus.MustNewConstHistogram(descSweep, sw.Count, sw.Seconds, cumulative(sw.Buckets, func(i int) float64 {
		return service.SweepBounds[i]
	}))
	ch <- prometheus.MustNewConstMetric(descSweepLast, prometheus.GaugeValue, sw.Last)
	ch <- prometheus.MustNewConstMetric(descSweepFailed, prometheus.CounterValue, float64(sw.Failed))

	// A scrape must answer even when the database does not: bianmin_store_up says which.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	up := 1.0
	age, _, err := db.OldestUnsent(ctx)
	if err != nil {
		up = 0
	}
	unsent, err := db.UnsentCount(ctx)
	if err != nil {
		up = 0
	}
	if up == 1 {
		ch <- prometheus.MustNewConstMetric(descOutboxAge, prometheus.GaugeValue, age.Seconds())
		ch <- prometheus.MustNewConstMetric(descOutboxUnsent, prometheus.GaugeValue, float64(unsent))
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)

	ch <- prometheus.MustNewConstMetric(descLeader, prometheus.GaugeValue, bool01(db.Leading()))
	if db.HasReplica() {
		rs := db.ReplicaStats()
		ch <- prometheus.MustNewConstMetric(descReplicaUsable, prometheus.GaugeValue, bool01(rs.Usable))
		ch <- prometheus.MustNewConstMetric(descReplicaLag, prometheus.GaugeValue, rs.Lag.Seconds())
		ch <- prometheus.MustNewConstMetric(descReplicaReads, prometheus.CounterValue, float64(rs.Reads), "replica")
		ch <- prometheus.MustNewConstMetric(descReplicaReads, prometheus.CounterValue, float64(rs.ToPrimary), "primary")
	}

	write, read, separate := db.PoolStats()
	emit := func(pool string, open, inUse, idle, max int, waits int64, wait time.Duration) {
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(open), pool)
		ch <- prometheus.MustNewConstMetric(descPoolInUse, prometheus.GaugeValue, float64(inUse), pool)
		ch <- prometheus.MustNewConstMetric(descPoolIdle, prometheus.GaugeValue, float64(idle), pool)
		ch <- prometheus.MustNewConstMetric(descPoolMax, prometheus.GaugeValue, float64(max), pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaits, prometheus.CounterValue, float64(waits), pool)
		ch <- prometheus.MustNewConstMetric(descPoolWait, prometheus.CounterValue, wait.Seconds(), pool)
	}
	if separate {
		emit("write", write.OpenConnections, write.InUse, write.Idle, write.MaxOpenConnections, write.WaitCount, write.WaitDuration)
		emit("read", read.OpenConnections, read.InUse, read.Idle, read.MaxOpenConnections, read.WaitCount, read.WaitDuration)
	} else {
		emit("shared", write.OpenConnections, write.InUse, write.Idle, write.MaxOpenConnections, write.WaitCount, write.WaitDuration)
	}
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// cumulative turns per-bucket counts into Prometheus' cumulative buckets by upper bound.
func cumulative(counts []uint64, bound func(i int) float64) map[float64]uint64 {
	out := make(map[float64]uint64, len(counts))
	var sum uint64
	for i, n := range counts {
		sum += n
		out[bound(i)] = sum
	}
	return out
}
