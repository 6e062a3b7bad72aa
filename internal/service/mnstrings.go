package service

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/store"
	"bianmin/internal/translation"
)

// mnState is what the Mongolian workflow keeps in memory: the Mongolian of catalog texts for pages, the
// glossary (attested terms and reviewed strings), and when the strings table was last brought in line with
// its sources.
type mnState struct {
	content  atomic.Pointer[map[string]string]
	glossary atomic.Pointer[translation.Glossary]
	syncMu   sync.Mutex
	synced   time.Time
	gen      int64
}

// mnSyncEvery is how long a sync of the strings table holds: organisations renamed on their own page are
// taken over at the next queue or report after it.
const mnSyncEvery = 30 * time.Second

// MnText is the Mongolian of a catalog text (an item element, a topic), "" when it has none. Pages show the
// Chinese, marked as Chinese, where it returns "".
func (s *Service) MnText(zh string) string {
	m := s.mn.content.Load()
	if m == nil {
		if err := s.loadMnContent(context.Background()); err != nil {
			return ""
		}
		m = s.mn.content.Load()
	}
	return (*m)[strings.TrimSpace(zh)]
}

func (s *Service) loadMnContent(ctx context.Context) error {
	m, err := s.DB.MnContent(ctx)
	if err != nil {
		return err
	}
	s.mn.content.Store(&m)
	return nil
}

// Glossary is the attested terms with the reviewed strings.
func (s *Service) Glossary(ctx context.Context) (*translation.Glossary, error) {
	if g := s.mn.glossary.Load(); g != nil {
		return g, nil
	}
	return s.loadGlossary(ctx)
}

func (s *Service) loadGlossary(ctx context.Context) (*translation.Glossary, error) {
	rev, err := s.DB.MnReviewed(ctx)
	if err != nil {
		return nil, err
	}
	g, err := translation.LoadGlossary(rev)
	if err != nil {
		return nil, err
	}
	s.mn.glossary.Store(g)
	return g, nil
}

// SyncMn lists every string a person reads in the strings table: the interface keys, the texts of published
// items and their topics, and the names of organisations (MnSeeds); then refreshes what pages read.
func (s *Service) SyncMn(ctx context.Context) error {
	s.mn.syncMu.Lock()
	defer s.mn.syncMu.Unlock()
	return s.syncMnLocked(ctx)
}

func (s *Service) syncMnLocked(ctx context.Context) error {
	gen, err := s.DB.CatalogGeneration(ctx)
	if err != nil {
		return err
	}
	seeds, err := s.MnSeeds(ctx)
	if err != nil {
		return err
	}
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { _, _, err := tx.SyncMnStrings(seeds); return err }); err != nil {
		return err
	}
	s.mn.synced, s.mn.gen = time.Now(), gen
	if err := s.loadMnContent(ctx); err != nil {
		return err
	}
	_, err = s.loadGlossary(ctx)
	return err
}

// ensureMn syncs when the catalog moved or the last sync is old.
func (s *Service) ensureMn(ctx context.Context) error {
	s.mn.syncMu.Lock()
	defer s.mn.syncMu.Unlock()
	gen, err := s.DB.CatalogGeneration(ctx)
	if err != nil {
		return err
	}
	if gen == s.mn.gen && time.Since(s.mn.synced) < mnSyncEvery {
		return nil
	}
	return s.syncMnLocked(ctx)
}

// sharedOwner is the owner of strings the whole instance shares: the interface and the catalog.
const sharedOwner = "/"

// MnSeeds lists the strings as their sources have them.
func (s *Service) MnSeeds(ctx context.Context) ([]store.MnSeed, error) {
	g, err := translation.LoadGlossary(nil)
	if err != nil {
		return nil, err
	}
	var out []store.MnSeed
	for _, k := range s.Catalog.Keys() {
		m, _ := s.Catalog.Get(k)
		out = append(out, store.MnSeed{String: translation.String{Key: translation.InterfaceKey(k), Kind: translation.KindOfKey(k), Zh: m.Zh, Mn: m.Mn,
			Status: interfaceStatus(g, m, s.Catalog.Base(k)), Where: k}, OwnerPath: sharedOwner, Mirror: true})
	}
	items, err := s.DB.PublishedItems(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, it := range items {
		for _, t := range translation.ItemTexts(it) {
			key := translation.ContentKey(t.Zh)
			if seen[key] {
				continue
			}
			seen[key] = true
			st, where, ctxURL := translation.Missing, t.Field+" · "+it.NameZh, "/portal/guide/"+it.ID
			// A text that says no more than an attested term takes the term's spelling: attested, not composed.
			if term, ok := g.Exact(t.Zh); ok && t.Mn == "" {
				t.Mn = term.Mn
			}
			if t.Mn != "" {
				st = translation.Composed
				if _, ok := g.Attested(t.Zh, t.Mn); ok {
					st = translation.Attested
				} else if !it.MnReview {
					st = translation.Reviewed
				}
			}
			if t.Topic {
				where, ctxURL = "topics", "/portal/topic/"+t.Zh
			}
			out = append(out, store.MnSeed{String: translation.String{Key: key, Kind: translation.Content, Zh: t.Zh, Mn: t.Mn, Status: st, Where: where, Context: ctxURL},
				OwnerPath: sharedOwner})
		}
	}
	roots, err := s.DB.Roots(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range roots {
		all, err := s.DB.Subtree(ctx, r.Path)
		if err != nil {
			return nil, err
		}
		townships := map[string]bool{}
		for _, o := range all {
			if o.Kind == org.Township {
				townships[o.ID] = true
			}
		}
		for _, o := range all {
			st := translation.Missing
			if o.NameMn != "" {
				switch _, ok := g.Attested(o.NameZh, o.NameMn); {
				case ok:
					st = translation.Attested
				case o.MnReview:
					st = translation.Composed
				default:
					st = translation.Reviewed
				}
			}
			town := ""
			for _, id := range strings.Split(strings.Trim(o.Path, "/"), "/") {
				if townships[id] {
					town = id
				}
			}
			ctxURL := "/orgs/" + o.ID
			if town != "" {
				ctxURL = "/portal/township/" + town
			}
			out = append(out, store.MnSeed{String: translation.String{Key: translation.OrgKey(o.ID), Kind: translation.Orgs, Zh: o.NameZh, Mn: o.NameMn, Status: st,
				Where: "kind." + string(o.Kind), Context: ctxURL, Township: town}, OwnerPath: o.Path, Mirror: true})
		}
	}
	return out, nil
}

// interfaceStatus: a shipped text not marked for review was taken from an attested source (the catalog's
// rule since it began); one marked for review is composed; a correction saved without the mark is reviewed.
func interfaceStatus(g *translation.Glossary, m, base i18n.Message) translation.Status {
	switch {
	case strings.TrimSpace(m.Mn) == "":
		return translation.Missing
	case m.Review:
		return translation.Composed
	case m == base:
		return translation.Attested
	}
	if _, ok := g.Attested(m.Zh, m.Mn); ok {
		return translation.Attested
	}
	return translation.Reviewed
}

// mnScope is where the actor works on strings: their subtree, and the shared strings when they work at a
// banner or above.
func (s *Service) mnScope(ctx context.Context, actor access.Actor) (root string, shared bool, err error) {
	if actor.System {
		return "/", true, nil
	}
	if !actor.Role.Has(access.TranslationEdit) {
		return "", false, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.TranslationEdit))
	}
	home, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return "", false, err
	}
	return home.Path, home.Kind == org.Banner || home.Kind == org.City || home.Kind == org.Region, nil
}

// MnWorker reports whether the actor works on Mongolian strings at all (forbidden otherwise).
func (s *Service) MnWorker(ctx context.Context, actor access.Actor) error {
	_, _, err := s.mnScope(ctx, actor)
	return err
}

// mnMay checks an action on a string owned at ownerPath.
func (s *Service) mnMay(ctx context.Context, actor access.Actor, act access.Action, ownerPath string) error {
	if actor.System {
		return nil
	}
	if ownerPath != sharedOwner {
		return actor.Check(act, ownerPath)
	}
	_, shared, err := s.mnScope(ctx, actor)
	if err != nil {
		return err
	}
	if !shared || !actor.Role.Has(act) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
	}
	return nil
}

// MnQuery is the queue's filter as a person sets it.
type MnQuery struct {
	Kind     translation.Kind
	Status   translation.Status
	Pending  bool
	Township string
	Q        string
	After    string
}

// MnQueuePage is how many strings the queue shows at once.
const MnQueuePage = 25

// MnQueue lists the strings the actor may work on, by key after q.After.
func (s *Service) MnQueue(ctx context.Context, actor access.Actor, q MnQuery) ([]translation.String, int, error) {
	root, shared, err := s.mnScope(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	if err := s.ensureMn(ctx); err != nil {
		return nil, 0, err
	}
	if len([]rune(q.Q)) > 100 {
		return nil, 0, errs.Field("q", "err.too_long").With("max", "100")
	}
	return s.DB.MnStrings(ctx, store.MnFilter{Kind: q.Kind, Status: q.Status, Pending: q.Pending, Township: q.Township, Q: q.Q,
		Root: root, Shared: shared, After: q.After, Limit: MnQueuePage})
}

// MnDetail is a string with what a reviewer needs beside it.
type MnDetail struct {
	translation.String
	OwnerPath string
	History   []store.MnHistoryEntry
	Warnings  []translation.Warning
	Terms     []translation.Term
	Proposal  *translation.Proposal // for organisation names: the transliteration aid's spelling, shown only
	CanReview bool
}

// MnString reads one string for its page.
func (s *Service) MnString(ctx context.Context, actor access.Actor, key string) (MnDetail, error) {
	str, owner, err := s.DB.MnString(ctx, key)
	if err != nil {
		return MnDetail{}, err
	}
	if err := s.mnMay(ctx, actor, access.TranslationEdit, owner); err != nil {
		return MnDetail{}, err
	}
	d := MnDetail{String: str, OwnerPath: owner, CanReview: s.mnMay(ctx, actor, access.TranslationReview, owner) == nil}
	if d.History, err = s.DB.MnHistory(ctx, key); err != nil {
		return d, err
	}
	g, err := s.Glossary(ctx)
	if err != nil {
		return d, err
	}
	d.Warnings = g.Check(str.Zh, str.Mn)
	d.Terms = g.Relevant(str.Zh)
	if str.Kind == translation.Orgs {
		p := g.Propose(str.Zh)
		d.Proposal = &p
	}
	return d, nil
}

// ChangeMn applies a reviewer's change to a string: checked (the actor's scope, accepting needs the
// review action), validated (translation.Apply), written with its history and audit entry in one transaction,
// then visible on every page at once.
func (s *Service) ChangeMn(ctx context.Context, actor access.Actor, c translation.Change) (translation.String, error) {
	var after translation.String
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		cur, owner, err := tx.MnStringTx(c.Key)
		if err != nil {
			return err
		}
		act := access.TranslationEdit
		if c.Action == translation.Accept || c.Action == translation.Revert {
			act = access.TranslationReview
		}
		if err := s.mnMay(ctx, actor, act, owner); err != nil {
			return err
		}
		if cur.Version != c.Version {
			return errs.New(errs.Conflict, "err.conflict")
		}
		next, err := translation.Apply(cur, c)
		if err != nil {
			return err
		}
		// A correction by someone who may not accept is a composition: it awaits a reviewer.
		if next.Status == translation.Reviewed && c.Action == translation.Correct && s.mnMay(ctx, actor, access.TranslationReview, owner) != nil {
			next.Status = translation.Composed
		}
		if c.Action != translation.Comment {
			next.Version = cur.Version + 1
		}
		after = next
		return tx.ChangeMnString(actor, cur, next, c, mnOrg(cur, actor))
	})
	if err != nil {
		return after, err
	}
	s.afterMnChange(ctx, after)
	return after, nil
}

// RevertMn puts back what a string had before one of its history entries, as a new change (audited and
// itself revertible).
func (s *Service) RevertMn(ctx context.Context, actor access.Actor, key, seq string, version int) (translation.String, error) {
	var after translation.String
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		cur, owner, err := tx.MnStringTx(key)
		if err != nil {
			return err
		}
		if err := s.mnMay(ctx, actor, access.TranslationReview, owner); err != nil {
			return err
		}
		if cur.Version != version {
			return errs.New(errs.Conflict, "err.conflict")
		}
		h, err := tx.MnHistoryAt(key, seq)
		if err != nil {
			return err
		}
		after = cur
		after.Mn, after.Status, after.Version = h.BeforeMn, h.BeforeStatus, cur.Version+1
		return tx.ChangeMnString(actor, cur, after, translation.Change{Key: key, Action: translation.Revert, Version: version,
			Comment: "#" + seq}, mnOrg(cur, actor))
	})
	if err != nil {
		return after, err
	}
	s.afterMnChange(ctx, after)
	return after, nil
}

// mnOrg is the organisation an audit entry of a change belongs to: the organisation named, or the actor's.
func mnOrg(s translation.String, actor access.Actor) string {
	if p, rest, ok := translation.SplitKey(s.Key); ok && p == "o:" {
		return rest
	}
	return actor.OrgID
}

// afterMnChange makes a change visible at once: the interface catalog's correction, the content pages read,
// the glossary.
func (s *Service) afterMnChange(ctx context.Context, after translation.String) {
	if p, k, ok := translation.SplitKey(after.Key); ok && p == "i:" {
		m, _ := s.Catalog.Get(k)
		m.Mn, m.Review = after.Mn, after.Status == translation.Composed
		s.Catalog.Override(k, m)
	}
	if after.Kind == translation.Content || after.Kind == translation.Orgs {
		_ = s.loadMnContent(ctx)
	}
	if after.Status == translation.Reviewed {
		_, _ = s.loadGlossary(ctx)
	}
}

// mnExportable lists the strings of an export: the pending ones (composed, missing) the actor may work on,
// or all of them.
func (s *Service) mnExportable(ctx context.Context, actor access.Actor, all bool, kind translation.Kind) ([]translation.String, error) {
	root, shared, err := s.mnScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	if err := s.ensureMn(ctx); err != nil {
		return nil, err
	}
	list, _, err := s.DB.MnStrings(ctx, store.MnFilter{Pending: !all, Kind: kind, Root: root, Shared: shared})
	return list, err
}

// ExportMn writes the pending strings (or all) as XLSX or XLIFF 2.0.
func (s *Service) ExportMn(ctx context.Context, actor access.Actor, format string, all bool, kind translation.Kind, w io.Writer) error {
	list, err := s.mnExportable(ctx, actor, all, kind)
	if err != nil {
		return err
	}
	if format == "xliff" {
		return translation.WriteXLIFF(w, list)
	}
	return translation.WriteXLSX(w, list)
}

// PrepareMnImport reads a returned exchange file, compares it with the strings as they stand (all or
// nothing, each fault named by its cell), and keeps the diff for the actor to accept.
func (s *Service) PrepareMnImport(ctx context.Context, actor access.Actor, format string, body []byte) (string, []translation.Diff, error) {
	root, shared, err := s.mnScope(ctx, actor)
	if err != nil {
		return "", nil, err
	}
	if err := s.ensureMn(ctx); err != nil {
		return "", nil, err
	}
	read := translation.ReadXLSX
	if format == "xliff" {
		read = translation.ReadXLIFF
	}
	rows, err := read(body)
	if err != nil {
		return "", nil, err
	}
	list, _, err := s.DB.MnStrings(ctx, store.MnFilter{Root: root, Shared: shared})
	if err != nil {
		return "", nil, err
	}
	cur := make(map[string]translation.String, len(list))
	for _, x := range list {
		cur[x.Key] = x
	}
	diff, err := translation.Compare(rows, cur)
	if err != nil {
		return "", nil, err
	}
	if len(diff) == 0 {
		return "", nil, errs.Field("file", "err.mn.no_change")
	}
	id := ids.New()
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveMnImport(actor, id, format, diff) }); err != nil {
		return "", nil, err
	}
	return id, diff, nil
}

// MnImport reads a prepared import's diff.
func (s *Service) MnImport(ctx context.Context, actor access.Actor, id string) ([]translation.Diff, bool, error) {
	if _, _, err := s.mnScope(ctx, actor); err != nil {
		return nil, false, err
	}
	return s.DB.MnImport(ctx, actor, id)
}

// ApplyMnImport applies an accepted diff in one transaction: every string still at the version the file was
// compared with, each change checked, written with its history and audit entry; one refusal refuses all.
// Imported Mongolian is composed: it awaits a reviewer in the queue.
func (s *Service) ApplyMnImport(ctx context.Context, actor access.Actor, id string) (int, error) {
	var changed []translation.String
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		changed = changed[:0]
		diff, err := tx.TakeMnImport(actor, id)
		if err != nil {
			return err
		}
		var l errs.List
		for _, d := range diff {
			cur, owner, err := tx.MnStringTx(d.Key)
			if err != nil {
				return err
			}
			if err := s.mnMay(ctx, actor, access.TranslationEdit, owner); err != nil {
				return err
			}
			if cur.Version != d.Version {
				l.Add(errs.Field(d.Key, "err.mn.stale").With("version", strconv.Itoa(cur.Version)))
				continue
			}
			c := translation.Change{Key: d.Key, Mn: d.After, Action: translation.Import, Version: d.Version, Comment: "import " + id}
			next, err := translation.Apply(cur, c)
			if err != nil {
				return err
			}
			if next.Status == translation.Reviewed {
				next.Status = translation.Composed
			}
			if err := tx.ChangeMnString(actor, cur, next, c, mnOrg(cur, actor)); err != nil {
				return err
			}
			changed = append(changed, next)
		}
		return l.Err()
	})
	if err != nil {
		return 0, err
	}
	for _, a := range changed {
		s.afterMnChange(ctx, a)
	}
	return len(changed), nil
}

// MnCoverage is the coverage report: by kind, and the organisation names by township.
type MnCoverage struct {
	ByKind     map[translation.Kind]translation.Tally
	Total      translation.Tally
	Townships  []TownshipCoverage
	Generation int64
}

// TownshipCoverage is one township's organisation names (itself, its villages, center, stations, windows).
type TownshipCoverage struct {
	Org   org.Org
	Tally translation.Tally
}

// Coverage reports how much is in Mongolian, for administrators and translators at a banner or above.
func (s *Service) Coverage(ctx context.Context, actor access.Actor) (MnCoverage, error) {
	root, shared, err := s.mnScope(ctx, actor)
	if err != nil {
		return MnCoverage{}, err
	}
	if !shared {
		return MnCoverage{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.TranslationEdit))
	}
	if err := s.ensureMn(ctx); err != nil {
		return MnCoverage{}, err
	}
	list, _, err := s.DB.MnStrings(ctx, store.MnFilter{Root: root, Shared: true})
	if err != nil {
		return MnCoverage{}, err
	}
	cov := MnCoverage{ByKind: translation.ByKind(list)}
	for _, t := range cov.ByKind {
		cov.Total = cov.Total.Plus(t)
	}
	by := map[string]*translation.Tally{}
	for _, x := range list {
		if x.Township == "" {
			continue
		}
		if by[x.Township] == nil {
			by[x.Township] = &translation.Tally{}
		}
		by[x.Township].Add(x.Status)
	}
	towns, err := s.DB.Subtree(ctx, root, org.Township)
	if err != nil {
		return cov, err
	}
	for _, t := range towns {
		if tl := by[t.ID]; tl != nil {
			cov.Townships = append(cov.Townships, TownshipCoverage{Org: t, Tally: *tl})
		}
	}
	slices.SortFunc(cov.Townships, func(a, b TownshipCoverage) int { return strings.Compare(a.Org.Code, b.Org.Code) })
	return cov, nil
}

// ProposeMn is the transliteration aid for any Chinese name: shown, never saved.
func (s *Service) ProposeMn(ctx context.Context, actor access.Actor, zh string) (translation.Proposal, error) {
	if _, _, err := s.mnScope(ctx, actor); err != nil {
		return translation.Proposal{}, err
	}
	g, err := s.Glossary(ctx)
	if err != nil {
		return translation.Proposal{}, err
	}
	return g.Propose(zh), nil
}
