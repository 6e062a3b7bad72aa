package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

type translationRow struct {
	Key     string
	Msg     i18n.Message
	Base    i18n.Message
	Version int
}

type translationsData struct {
	Rows   []translationRow
	Filter string
	Review bool
	// the page: 50 keys after the key in ?after= (keys in order), of Total that match
	Total, From, To   int
	NextURL, FirstURL string
}

// translationsPage is how many keys the translations page shows at once: the whole catalog was 788 KB of
// HTML.
const translationsPage = 50

func (s *Server) translationsData(r *http.Request) (translationsData, error) {
	d := translationsData{Filter: strings.TrimSpace(r.FormValue("q")), Review: r.FormValue("review") == "1"}
	versions, err := s.svc.TranslationVersions(r.Context())
	if err != nil {
		return d, err
	}
	after := r.FormValue("after")
	keys := s.cat.Keys()
	slices.Sort(keys)
	for _, k := range keys {
		m, _ := s.cat.Get(k)
		if d.Review && !m.Review {
			continue
		}
		if d.Filter != "" && !strings.Contains(k, d.Filter) && !strings.Contains(m.Zh, d.Filter) && !strings.Contains(m.Mn, d.Filter) {
			continue
		}
		d.Total++
		if k <= after {
			d.From = d.Total
			continue
		}
		if len(d.Rows) == translationsPage {
			continue
		}
		d.Rows = append(d.Rows, translationRow{Key: k, Msg: m, Base: s.cat.Base(k), Version: versions[k]})
	}
	d.To = d.From + len(d.Rows)
	d.From++
	if d.To < d.Total {
		q := r.URL.Query()
		q.Set("after", d.Rows[len(d.Rows)-1].Key)
		d.NextURL = "/admin/translations?" + q.Encode()
	}
	if after != "" {
		q := r.URL.Query()
		q.Del("after")
		d.FirstURL = "/admin/translations?" + q.Encode()
	}
	return d, nil
}

func (s *Server) translationList(w http.ResponseWriter, r *http.Request) {
	if !rc(r).me.Role.Has(access.TranslationEdit) {
		s.fail(w, r, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.TranslationEdit)))
		return
	}
	d, err := s.translationsData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.translations")
	p.Data = d
	s.render(w, http.StatusOK, "translations", p)
}

func (s *Server) translationSave(w http.ResponseWriter, r *http.Request) {
	key := r.FormValue("key")
	version, _ := strconv.Atoi(r.FormValue("version"))
	err := s.svc.SaveTranslation(r.Context(), rc(r).me.Actor(), key, r.FormValue("zh"), r.FormValue("mn"), r.FormValue("review") == "1", version)
	if err == nil {
		http.Redirect(w, r, "/admin/translations?ok=saved&q="+key, http.StatusSeeOther)
		return
	}
	d, derr := s.translationsData(r)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	p := s.page(r, "title.translations")
	p.Data = d
	p.Form = formValues(r, "key", "zh", "mn")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "translations", p)
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "import", s.page(r, "title.import"))
}

func (s *Server) importDivisions(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.import")
	f, _, err := r.FormFile("file")
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, errs.Field("file", "err.required"))
		s.render(w, http.StatusUnprocessableEntity, "import", p)
		return
	}
	defer f.Close()
	res, err := s.svc.ImportDivisions(r.Context(), rc(r).me.Actor(), http.MaxBytesReader(w, f, divisionUploadLimit))
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "import", p)
		return
	}
	p.Data = res
	p.Flash = "flash.imported"
	s.render(w, http.StatusOK, "import", p)
}

type auditData struct {
	Count int64
	From  int64 // entries taken as verified at the checkpoint
	Added int64 // entries walked this time
	Full  bool  // walked from the first entry
	Break *audit.Break
}

// auditVerify checks the trail from its last verified checkpoint on (only what was added since: the page
// stays fast at a year of entries); ?full=1 walks it from the first entry, as `bianmin audit verify` does.
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	if !rc(r).me.Role.Has(access.AuditRead) {
		s.fail(w, r, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.AuditRead)))
		return
	}
	d := auditData{Full: r.URL.Query().Get("full") == "1"}
	var err error
	if d.Full {
		d.Count, err = s.svc.DB.VerifyAudit(r.Context())
	} else {
		var res store.AuditCheck
		res, err = s.svc.DB.VerifyAuditSince(r.Context())
		d.Count, d.From, d.Added = res.Count, res.From, res.Count-res.From
	}
	if b, ok := err.(*audit.Break); ok {
		d.Break = b
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.audit")
	p.Data = d
	s.render(w, http.StatusOK, "audit", p)
}

type calendarData struct {
	Years   []service.CalendarYear
	Missing int
}

func (s *Server) calendarData(r *http.Request) (calendarData, error) {
	years, err := s.svc.CalendarYears(r.Context())
	if err != nil {
		return calendarData{}, err
	}
	missing, err := s.svc.MissingNextYear(r.Context(), s.svc.DB.Now())
	return calendarData{Years: years, Missing: missing}, err
}

// calendarPage shows the working-day calendar's years and takes each new year's official schedule.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.calendarData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.calendar")
	p.Data = d
	s.render(w, http.StatusOK, "calendar", p)
}

func (s *Server) calendarLoad(w http.ResponseWriter, r *http.Request) {
	var err error
	f, _, ferr := r.FormFile("file")
	if ferr != nil {
		err = errs.Field("file", "err.required")
	} else {
		defer f.Close()
		_, err = s.svc.LoadCalendarYear(r.Context(), rc(r).me.Actor(), http.MaxBytesReader(w, f, calendarUploadLimit))
	}
	if err == nil {
		http.Redirect(w, r, "/admin/calendar?ok=saved", http.StatusSeeOther)
		return
	}
	d, derr := s.calendarData(r)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	p := s.page(r, "title.calendar")
	p.Data = d
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "calendar", p)
}
