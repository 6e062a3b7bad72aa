package service

import (
	"context"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// SaveTranslation corrects one catalog entry. Both languages are required; the Mongolian text must be in
// Mongolian script. review=false records that a reviewer confirmed the Mongolian.
func (s *Service) SaveTranslation(ctx context.Context, actor access.Actor, key, zh, mn string, review bool, version int) error {
	// The interface is shared by every organisation: a township's translator works on its own names only.
	if _, shared, err := s.mnScope(ctx, actor); err != nil || !shared {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.TranslationEdit))
	}
	if !s.Catalog.Has(key) {
		return errs.Field("key", "err.not_found").With("what", "key")
	}
	m := i18n.Message{Zh: strings.TrimSpace(zh), Mn: strings.TrimSpace(mn), Review: review}
	var l errs.List
	if m.Zh == "" {
		l.Add(errs.Field("zh", "err.required"))
	}
	if m.Mn == "" {
		l.Add(errs.Field("mn", "err.required"))
	} else if !org.IsMongolian(m.Mn) {
		l.Add(errs.Field("mn", "err.name_mn.script"))
	}
	if len(m.Zh) > 2000 || len(m.Mn) > 4000 {
		l.Add(errs.Field("mn", "err.too_long").With("max", "1000"))
	}
	if err := l.Err(); err != nil {
		return err
	}
	before, _ := s.Catalog.Get(key)
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveTranslation(actor, key, m, version, before) }); err != nil {
		return err
	}
	s.Catalog.Override(key, m)
	return nil
}

// TranslationVersions reads the versions of stored corrections, for optimistic locking in the editor.
func (s *Service) TranslationVersions(ctx context.Context) (map[string]int, error) {
	_, v, err := s.DB.Translations(ctx)
	return v, err
}
