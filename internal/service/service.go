// Package service is where a request becomes a change: it checks the actor's permission on the
// organisation concerned, validates input with the domain packages, and calls the store in one transaction.
// The web pages and the JSON API both call it, so that a rule is enforced once for both.
package service

import (
	"context"
	"crypto/rand"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/argon2id"

	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/files"
	"bianmin/internal/i18n"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Config holds the tunables of the use cases.
type Config struct {
	SessionTTL      time.Duration // how long a login lasts
	LoginsPerMinute int           // sign-ins per client address per minute: a ceiling against abuse (people.SignInsPerAddress)
	// CodeKey keys the hash of electronic results' codes (HMAC, then argon2id): kept outside the database,
	// so that a copy of the database alone cannot test codes. app loads it from a file; empty: a key for
	// this process only.
	CodeKey []byte
	Hash    *argon2id.Params
	Clock   clock.Rules // counting from the day after acceptance, the 即办 cut-off, the yellow threshold
	// Require2FA makes administrators, supervisors and directors enrol a second factor (TOTP) before anything
	// else; off, they are warned on every page until they enrol.
	Require2FA bool
	// Idle ends a session not used for this long (0: only SessionTTL ends it).
	Idle time.Duration
	// PasswordHistory is how many of an account's last passwords may not be taken again.
	PasswordHistory int
	// Files are the limits of electronic materials: a page's weight (-page-kb), the largest upload.
	Files files.Limits
	// RectifyDays is the working days a 差评's rectification has (FACTS.md §2.4: no national number; 5 by default).
	RectifyDays int
	// HelpClock is the help requests' response clock (internal/delegation: the seed 四.(一) names the 求助响应
	// mechanism and no times, so they are Bianmin's settings: 2 working hours to the first answer, 2 working
	// days to resolve); GuidanceMonths the guidance period after a hand-over (四.(一) "移交后3个月内": 3).
	HelpClock      delegation.HelpClock
	GuidanceMonths int
	// LateGrace is how long after the rostered opening a sign-in still counts as on time (考勤; the seed
	// names none: Bianmin's choice, 5 minutes by default, roster.Grace).
	LateGrace time.Duration
	// ComplaintDays is the working days a complaint's answer has (GB/T 39046-2020 6.7 承诺时限, no national
	// number: Bianmin's choice, complaint.DefaultDays by default).
	ComplaintDays int
	// OutboxWaits are the waits between attempts of a record that could not be sent (upstream.go).
	OutboxWaits OutboxWaits
	// UpstreamFrom is the division code a batch to the upper platform names as its sender.
	UpstreamFrom string
	// Instance names this instance in job_runs (which instance ran the background jobs); "" counts no runs.
	Instance string
}

// DefaultConfig is what a hall runs with.
func DefaultConfig() Config {
	return Config{
		SessionTTL:      12 * time.Hour,
		Idle:            30 * time.Minute,
		PasswordHistory: people.PasswordHistory,
		Files:           files.DefaultLimits,
		LoginsPerMinute: people.SignInsPerAddress,
		Clock:           clock.DefaultRules(),
		RectifyDays:     5,
		HelpClock:       delegation.DefaultHelpClock,
		GuidanceMonths:  delegation.DefaultGuidanceMonths,
		ComplaintDays:   5,
		// OWASP's argon2id setting (19 MiB, 2 passes): about 30 ms a hash on a 2-core machine.
		Hash: &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32},
	}
}

// Service holds the use cases.
type Service struct {
	DB      *store.DB
	Catalog *i18n.Catalog
	cfg     Config
	limiter *limiter // per address and minute: a ceiling against abuse
	// pairs limits public lookups per (case number, address) and hour
	pairs *limiter
	// index is the search index of the published catalog; indexMu serialises its rebuilds.
	index      atomic.Pointer[searchIndex]
	indexMu    sync.Mutex
	rebuilding atomic.Bool
	// sessions caches resolved staff sessions for a moment (token -> cachedSession); see sessionTTL.
	sessions sync.Map
	// itemDept remembers each item's department (item id -> org id), which never changes.
	itemDept sync.Map
	// itemMn remembers the Mongolian names of item versions ("id/version" -> name), which never change, for
	// cases taken in before cases kept it.
	itemMn sync.Map
	// calendar is the working-day calendar, read again after a minute or a load.
	calendar atomic.Pointer[cachedCalendar]
	// recompute asks the next sweep to compute every open case's standing again (the calendar changed).
	recompute atomic.Bool
	// dummyHash is verified against when a username does not exist, so that a login takes as long for an
	// unknown name as for a wrong password.
	dummyHash string
	// boards keeps each center's display board for a moment (center id -> cachedBoard; hall.go).
	boards sync.Map
	// sweeps times the supervision job, for the operator's metrics (jobstats.go).
	sweeps sweepStats
	// mn is the Mongolian workflow's memory: catalog texts' Mongolian, the glossary (mnstrings.go).
	mn mnState
	// PublicURL is the address people reach Bianmin at, for the links messages carry (rating, 回访); app sets
	// it before serving.
	PublicURL string
}

// New makes a service over an open store.
func New(db *store.DB, cat *i18n.Catalog, cfg Config) (*Service, error) {
	h, err := argon2id.CreateHash("not-a-real-password", cfg.Hash)
	if err != nil {
		return nil, err
	}
	if len(cfg.CodeKey) == 0 {
		cfg.CodeKey = make([]byte, 32)
		if _, err := rand.Read(cfg.CodeKey); err != nil {
			return nil, err
		}
	}
	return &Service{DB: db, Catalog: cat, cfg: cfg, limiter: newLimiter(cfg.LoginsPerMinute, time.Minute),
		pairs: newLimiter(people.TrackPerCasePerHour, time.Hour), dummyHash: h}, nil
}

// LoadTranslations applies the administrators' stored corrections to the catalog.
func (s *Service) LoadTranslations(ctx context.Context) error {
	over, _, err := s.DB.Translations(ctx)
	if err != nil {
		return err
	}
	s.Catalog.SetOverrides(over)
	return nil
}

// limiter counts attempts per key in fixed windows. It forgets keys whose window has passed.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string]*bucket
}

type bucket struct {
	start time.Time
	n     int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, seen: map[string]*bucket{}}
}

// allow counts one attempt and reports whether it is within the limit.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 10000 {
		for k, b := range l.seen {
			if now.Sub(b.start) > l.window {
				delete(l.seen, k)
			}
		}
	}
	b := l.seen[key]
	if b == nil || now.Sub(b.start) > l.window {
		b = &bucket{start: now}
		l.seen[key] = b
	}
	b.n++
	return b.n <= l.max
}

// SessionTTL is how long a login lasts.
func (s *Service) SessionTTL() time.Duration { return s.cfg.SessionTTL }
