package service

import (
	"context"
	"log/slog"
	"time"

	"bianmin/internal/store"
)

// WatchCaches keeps this instance's caches in step with the other instances on the same database (issue 18):
// every interval it reads the caches' versions, and drops (or rebuilds) a cache whose version another
// instance moved. A change shows on every instance within one interval of its commit; the search index
// within one interval and a rebuild.
func (s *Service) WatchCaches(ctx context.Context, every time.Duration, log *slog.Logger) {
	s.DB.WatchCaches(ctx, every, func(cache string) {
		s.DB.ForgetKept(cache) // the store's kept values (receivers, declarations, splits)
		switch cache {
		case store.CacheOrgs:
			s.DB.ForgetOrgs()
		case store.CacheSessions:
			s.sessions.Clear()
		case store.CacheCalendar:
			s.calendar.Store(nil)
			// due days may have moved: the leader's next sweep computes every open case again, whichever
			// instance loaded the calendar
			s.recompute.Store(true)
		case store.CacheTranslations:
			if err := s.LoadTranslations(ctx); err != nil && ctx.Err() == nil {
				log.Warn("translations changed by another instance, not read again", "err", err)
			}
		case store.CacheMn:
			// a reviewer's change on another instance: the content pages read and the glossary
			if err := s.loadMnContent(ctx); err != nil && ctx.Err() == nil {
				log.Warn("Mongolian strings changed by another instance, not read again", "err", err)
			}
			if _, err := s.loadGlossary(ctx); err != nil && ctx.Err() == nil {
				log.Warn("glossary changed by another instance, not read again", "err", err)
			}
		case store.CacheCatalog:
			// built now rather than at the next search, so that the first search after a publish finds it
			s.catalogChanged()
			if _, err := s.searchIndex(ctx); err != nil && ctx.Err() == nil {
				log.Warn("catalog changed by another instance, search index not rebuilt", "err", err)
			}
		}
	})
}

// jobRan counts a run of a background job by this instance (store.JobRan), when the instance has a name.
func (s *Service) jobRan(ctx context.Context, job string, log quietOnStop) {
	if s.cfg.Instance == "" || ctx.Err() != nil {
		return
	}
	if err := s.DB.JobRan(ctx, job, s.cfg.Instance); err != nil {
		log.Error("job runs", "job", job, "err", err)
	}
}
