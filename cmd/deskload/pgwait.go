package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// The wait-event sampler (-pgwait URL): every 100 ms during the load it reads what each backend of the
// database is doing from pg_stat_activity (the backends of Bianmin's connections that are running a
// statement or sit inside a transaction), and prints the average number of backends per wait event:
// "CPU" for a backend running, Lock/transactionid for one waiting on another's row lock, ClientRead for one
// inside a transaction waiting for Bianmin to send its next statement.

type waitRow struct {
	State, Type, Event string
	Total              float64 // backends in this state and wait, summed over the samples
}

type waitSampler struct {
	db      *sql.DB
	stopc   chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	rows    map[[3]string]float64
	samples int
}

func startWaitSampler(url string, every time.Duration) (*waitSampler, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		return nil, err
	}
	s := &waitSampler{db: db, stopc: make(chan struct{}), rows: map[[3]string]float64{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stopc:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s, nil
}

func (s *waitSampler) sample() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT state, coalesce(wait_event_type, 'CPU'), coalesce(wait_event, 'running'), count(*)
		FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
		  AND state IN ('active', 'idle in transaction')
		GROUP BY 1, 2, 3`)
	if err != nil {
		return
	}
	defer rows.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for rows.Next() {
		var k [3]string
		var n float64
		if rows.Scan(&k[0], &k[1], &k[2], &n) == nil {
			s.rows[k] += n
		}
	}
	s.samples++
}

func (s *waitSampler) stop() ([]waitRow, int) {
	close(s.stopc)
	s.wg.Wait()
	s.db.Close()
	var out []waitRow
	for k, v := range s.rows {
		out = append(out, waitRow{State: k[0], Type: k[1], Event: k[2], Total: v})
	}
	slices.SortFunc(out, func(a, b waitRow) int {
		switch {
		case a.Total > b.Total:
			return -1
		case a.Total < b.Total:
			return 1
		}
		return 0
	})
	return out, s.samples
}

func printWaits(rows []waitRow, samples int) {
	if samples == 0 {
		fmt.Println("pg wait events: no sample taken")
		return
	}
	var total float64
	for _, r := range rows {
		total += r.Total
	}
	fmt.Printf("pg_stat_activity, %d samples every 100 ms: %.1f backends busy on average\n| state | wait_event_type | wait_event | average backends |\n|---|---|---|---|\n", samples, total/float64(samples))
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %.2f |\n", r.State, r.Type, r.Event, r.Total/float64(samples))
	}
}
