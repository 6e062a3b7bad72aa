package web

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"

	qrcode "github.com/skip2/go-qrcode"
)

// 好差评 pages (issue 10, item 6). Staff: the ratings of their subtree, a rating with its rectification and
// appeal, asking the window's tablet for a rating, typing in a paper form, pairing a tablet, the 表9 export.
// The evaluator tablet: /evaluator, which takes a rating only with the tablet's own token and never in a
// browser signed in as staff. Residents: /rate/{link} (tracking page, SMS), /my/rate/{case}, /revisit/{link}.

// deviceCookie holds an evaluator tablet's token.
const deviceCookie = "bm_evaluator"

// ratingInput reads a rating form: the level and the indicators of the channel's set.
func ratingInput(r *http.Request, ch rating.Channel) service.RateInput {
	lv, _ := strconv.Atoi(r.FormValue("level"))
	in := service.RateInput{Level: rating.Level(lv), Text: r.FormValue("text")}
	for _, k := range rating.IndicatorsOf(ch) {
		if v, err := strconv.Atoi(r.FormValue(k)); err == nil && v != 0 {
			if in.Indicators == nil {
				in.Indicators = map[string]rating.Level{}
			}
			in.Indicators[k] = rating.Level(v)
		}
	}
	return in
}

// mobile reports a phone's browser, for the channel 移动服务端 (otherwise PC端).
func mobile(r *http.Request) bool {
	ua := r.UserAgent()
	return strings.Contains(ua, "Mobile") || strings.Contains(ua, "Android") || strings.Contains(ua, "iPhone")
}

// rateForm is what a rating form shows: the levels, the channel's indicators, where it posts.
type rateForm struct {
	Action     string
	Channel    rating.Channel
	Levels     []rating.Level
	Indicators []string
	Hidden     map[string]string
}

func newRateForm(action string, ch rating.Channel, hidden map[string]string) rateForm {
	return rateForm{Action: action, Channel: ch, Levels: rating.Levels, Indicators: rating.IndicatorsOf(ch), Hidden: hidden}
}

// --- staff

type ratingsData struct {
	Page     store.RatingPage
	In       service.RatingFind
	Rects    []service.RatingDetail
	Appeals  []rating.Appeal
	Devices  []store.Device
	Pairing  *service.Pairing
	Channels []rating.Channel
	NextURL  string
	FirstURL string
	Month    string
}

func (s *Server) ratingsPage(w http.ResponseWriter, r *http.Request, pairing *service.Pairing) {
	actor := rc(r).me.Actor()
	q := r.URL.Query()
	in := service.RatingFind{Bad: q.Get("bad") == "1", Channel: q.Get("channel"), Cursor: q.Get("cursor")}
	p := s.page(r, "title.ratings")
	d := ratingsData{In: in, Pairing: pairing, Channels: rating.Channels, Month: supervision.MonthOf(s.svc.Today(r.Context())).String()}
	var err error
	if d.Page, err = s.svc.FindRatings(r.Context(), actor, in); err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			s.fail(w, r, err)
			return
		}
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	if d.Page.Next != "" {
		d.NextURL = pageURL(r, d.Page.Next)
	}
	if in.Cursor != "" {
		d.FirstURL = pageURL(r, "")
	}
	if d.Rects, err = s.svc.OpenRectifications(r.Context(), actor); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Appeals, err = s.svc.PendingAppeals(r.Context(), actor); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Devices, _ = s.svc.MyDevices(r.Context(), actor)
	p.Data = d
	s.render(w, http.StatusOK, "ratings", p)
}

func (s *Server) ratings(w http.ResponseWriter, r *http.Request) { s.ratingsPage(w, r, nil) }

// ratingPair starts pairing a tablet: the code shows once on this page, to be typed on the tablet.
func (s *Server) ratingPair(w http.ResponseWriter, r *http.Request) {
	pr, err := s.svc.StartPairing(r.Context(), rc(r).me.Actor(), r.FormValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ratingsPage(w, r, &pr)
}

func subjectOf(r *http.Request) rating.Subject {
	return rating.Subject{CaseID: r.FormValue("case_id"), EnquiryID: r.FormValue("enquiry_id"), TicketID: r.FormValue("ticket_id")}
}

type ratingNewData struct {
	Subject rating.Subject
	Devices []store.Device
	Paper   rateForm // the form staff type in: a 书面评价表, or (Channel phone) a rating given on a call
	// the same page for the other channel staff type in
	PaperURL, PhoneURL string
}

// ratingNew offers, for what was just served, to ask the window's tablet for a rating, or to type in the
// paper form the applicant filled in.
func (s *Server) ratingNew(w http.ResponseWriter, r *http.Request) {
	s.ratingNewPage(w, r, http.StatusOK, nil)
}

func (s *Server) ratingNewPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	subj := subjectOf(r)
	p := s.page(r, "title.rating_new")
	devs, _ := s.svc.MyDevices(r.Context(), rc(r).me.Actor())
	ch := rating.Paper
	if r.FormValue("channel") == string(rating.Phone) {
		ch = rating.Phone
	}
	hidden := map[string]string{"case_id": subj.CaseID, "enquiry_id": subj.EnquiryID, "ticket_id": subj.TicketID, "idem": ids.Token(16), "channel": string(ch)}
	q := url.Values{"case_id": {subj.CaseID}, "enquiry_id": {subj.EnquiryID}, "ticket_id": {subj.TicketID}}
	paperURL := "/ratings/new?" + q.Encode()
	q.Set("channel", string(rating.Phone))
	p.Data = ratingNewData{Subject: subj, Devices: devs, Paper: newRateForm("/ratings/paper", ch, hidden), PaperURL: paperURL, PhoneURL: "/ratings/new?" + q.Encode()}
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
	}
	s.render(w, code, "rating_new", p)
}

// ratingPrompt puts what was served on the clerk's tablet; the applicant rates there.
func (s *Server) ratingPrompt(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.PromptRating(r.Context(), rc(r).me.Actor(), r.FormValue("device"), subjectOf(r)); err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			s.ratingNewPage(w, r, status(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	back := "/ratings?ok=prompted"
	if id := r.FormValue("case_id"); id != "" {
		back = "/cases/" + id + "?ok=prompted"
	} else if id := r.FormValue("enquiry_id"); id != "" {
		back = "/enquiries/" + id + "?ok=prompted"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// ratingPaper types in a 书面评价表, marked with who typed it.
func (s *Server) ratingPaper(w http.ResponseWriter, r *http.Request) {
	ch := rating.Channel(cmp.Or(r.FormValue("channel"), string(rating.Paper)))
	rt, err := s.svc.EnterStaffRating(r.Context(), rc(r).me.Actor(), ch, subjectOf(r), ratingInput(r, ch), r.FormValue("idem"))
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid || errs.CodeOf(err) == errs.Conflict {
			s.ratingNewPage(w, r, status(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ratings/"+rt.ID+"?ok=created", http.StatusSeeOther)
}

type ratingData struct {
	service.RatingDetail
	Moves     []rating.Move
	MayDecide bool
	Rectify   bool
	Verdicts  []rating.Verdict
}

func (s *Server) ratingShow(w http.ResponseWriter, r *http.Request) {
	s.ratingPage(w, r, http.StatusOK, nil)
}

func (s *Server) ratingPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	me := rc(r).me
	d, err := s.svc.Rating(r.Context(), me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.rating")
	data := ratingData{RatingDetail: d, Verdicts: rating.Verdicts, Rectify: me.Role.Has("rating.rectify"),
		MayDecide: d.Appeal != nil && d.Appeal.Decision == rating.Pending && me.Role.Has("rating.decide") && d.Appeal.FiledBy != me.ID}
	if d.Rectification != nil {
		for _, m := range rating.StaffMoves {
			if _, err := d.Rectification.Apply(m, rating.Input{Note: "-"}, s.svc.DB.Now(), "", "", s.svc.Today(r.Context())); err == nil && (m != rating.NoReach || !d.Rating.Named) {
				data.Moves = append(data.Moves, m)
			}
		}
	}
	p.Data = data
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
		p.Form = formValues(r, "note", "reason", "decision_reason")
	}
	s.render(w, code, "rating", p)
}

// ratingAct makes a rectification step, files an appeal or decides one.
func (s *Server) ratingAct(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	id := r.PathValue("id")
	var err error
	ok := "saved"
	switch r.FormValue("do") {
	case "rectify":
		v, _ := strconv.Atoi(r.FormValue("version"))
		_, err = s.svc.Rectify(r.Context(), actor, r.FormValue("rectification"), v, rating.Move(r.FormValue("move")),
			rating.Input{Note: r.FormValue("note")}, r.FormValue("contact") == "1")
	case "appeal":
		_, err = s.svc.FileAppeal(r.Context(), actor, id, r.FormValue("reason"))
		ok = "appealed"
	case "decide":
		_, err = s.svc.DecideAppeal(r.Context(), actor, r.FormValue("appeal"), rating.Decision(r.FormValue("decision")), r.FormValue("decision_reason"))
		ok = "decided"
	default:
		err = errs.Field("do", "err.required")
	}
	if err != nil {
		if c := errs.CodeOf(err); c == errs.Invalid || c == errs.Conflict {
			s.ratingPage(w, r, status(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ratings/"+id+"?ok="+ok, http.StatusSeeOther)
}

// ratingExport writes the ratings of a month (or from/until) in GB/T 39046 表9 fields, CSV or JSON.
func (s *Server) ratingExport(w http.ResponseWriter, r *http.Request) {
	q, err := s.dashboardQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := r.PathValue("format")
	if format != "csv" && format != "json" {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "rating"))
		return
	}
	name := "ratings-" + q.Period.From.String() + "-" + q.Period.To.String() + "." + format
	actor := rc(r).me.Actor()
	if err := actor.Check("rating.read", actor.OrgPath); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Write([]byte("\xef\xbb\xbf")) // Excel reads UTF-8 by its mark
		cw := csv.NewWriter(w)
		cw.Write(service.Table9Header)
		err = s.svc.ExportRatings(r.Context(), actor, q.Period, func(rows []service.Table9Row) error {
			for _, row := range rows {
				cw.Write(row.Cells())
			}
			cw.Flush()
			return cw.Error()
		})
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte("["))
		first := true
		err = s.svc.ExportRatings(r.Context(), actor, q.Period, func(rows []service.Table9Row) error {
			for _, row := range rows {
				if !first {
					w.Write([]byte(","))
				}
				first = false
				b, _ := json.Marshal(row)
				w.Write(b)
			}
			return nil
		})
		w.Write([]byte("]"))
	}
	if err != nil {
		s.log.Error("rating export", "err", err)
	}
}

// --- the evaluator tablet

type evaluatorData struct {
	Paired bool
	Device store.Device
	Prompt *store.Prompt
	Form   rateForm
	Thanks bool
}

// evaluator is the tablet's one page: the pairing form until paired; then the idle screen, refreshing itself
// every few seconds, until the clerk asks for a rating; then what was served and the five levels. A browser
// signed in as staff is refused: the clerk cannot rate for the applicant from their own session.
func (s *Server) evaluator(w http.ResponseWriter, r *http.Request) {
	s.evaluatorPage(w, r, http.StatusOK, nil, false)
}

func (s *Server) evaluatorPage(w http.ResponseWriter, r *http.Request, code int, formErr error, thanks bool) {
	p := s.page(r, "title.evaluator")
	if rc(r).me != nil {
		p.Errors = s.fieldErrors(p.Lang, errs.New(errs.Forbidden, "err.rating.staff_session"))
		s.render(w, http.StatusForbidden, "evaluator", p)
		return
	}
	var d evaluatorData
	if ck, err := r.Cookie(deviceCookie); err == nil {
		dev, prompt, err := s.svc.WaitingPrompt(r.Context(), ck.Value)
		if err == nil {
			d = evaluatorData{Paired: true, Device: dev, Prompt: prompt, Thanks: thanks}
			if prompt != nil {
				d.Form = newRateForm("/evaluator/rate", rating.Pad, map[string]string{"prompt": prompt.ID})
			}
		}
	}
	p.Data = d
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
	}
	s.render(w, code, "evaluator", p)
}

// evaluatorPair completes the pairing typed on the tablet.
func (s *Server) evaluatorPair(w http.ResponseWriter, r *http.Request) {
	if rc(r).me != nil {
		s.evaluatorPage(w, r, http.StatusForbidden, nil, false)
		return
	}
	token, _, err := s.svc.CompletePairing(r.Context(), r.FormValue("code"), s.clientAddr(r))
	if err != nil {
		s.evaluatorPage(w, r, status(err), err, false)
		return
	}
	s.setCookie(w, r, deviceCookie, token, 10*365*24*3600)
	http.Redirect(w, r, "/evaluator", http.StatusSeeOther)
}

// evaluatorRate takes the applicant's rating on the tablet: only with the tablet's token, never in a staff
// session (refused whole, even with a token beside it).
func (s *Server) evaluatorRate(w http.ResponseWriter, r *http.Request) {
	if rc(r).me != nil {
		s.evaluatorPage(w, r, http.StatusForbidden, nil, false)
		return
	}
	ck, err := r.Cookie(deviceCookie)
	if err != nil {
		s.fail(w, r, errs.New(errs.Forbidden, "err.rating.device"))
		return
	}
	if _, err := s.svc.RateOnDevice(r.Context(), ck.Value, r.FormValue("prompt"), ratingInput(r, rating.Pad)); err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.evaluatorPage(w, r, status(err), err, false)
		return
	}
	s.evaluatorPage(w, r, http.StatusOK, nil, true)
}

// --- online: the signed link, the resident's account, the 回访

type rateData struct {
	View service.RateView
	Form rateForm
	Done bool
}

func (s *Server) rateLink(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.rate")
	v, ch, err := s.svc.OpenRateLink(r.Context(), r.PathValue("token"), mobile(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := rateData{View: v, Form: newRateForm(r.URL.Path, ch, nil)}
	code := http.StatusOK
	if r.Method == http.MethodPost {
		if _, err := s.svc.RateByLink(r.Context(), r.PathValue("token"), mobile(r), ratingInput(r, ch)); err != nil {
			p.Errors, code = s.fieldErrors(p.Lang, err), status(err)
		} else {
			d.Done = true
		}
	}
	p.Data = d
	s.render(w, code, "rate", p)
}

func (s *Server) myRate(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.rate")
	acct := *rc(r).resident
	v, err := s.svc.ResidentRateView(r.Context(), acct, r.PathValue("id"), mobile(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch := rating.PC
	if mobile(r) {
		ch = rating.Mobile
	}
	d := rateData{View: v, Form: newRateForm(r.URL.Path, ch, map[string]string{"csrf": p.RCSRF})}
	code := http.StatusOK
	if r.Method == http.MethodPost {
		if _, err := s.svc.RateAsResident(r.Context(), acct, v.CaseID, mobile(r), ratingInput(r, ch)); err != nil {
			p.Errors, code = s.fieldErrors(p.Lang, err), status(err)
		} else {
			d.Done = true
		}
	}
	p.Data = d
	s.render(w, code, "rate", p)
}

type revisitData struct {
	View     service.RevisitView
	Verdicts []rating.Verdict
	Done     bool
}

func (s *Server) revisit(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.revisit")
	token := r.PathValue("token")
	v, err := s.svc.OpenRevisit(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := revisitData{View: v, Verdicts: rating.Verdicts, Done: v.Rectification.Step == rating.Closed}
	code := http.StatusOK
	if r.Method == http.MethodPost {
		if _, err := s.svc.Revisit(r.Context(), token, rating.Verdict(r.FormValue("verdict")), r.FormValue("note")); err != nil {
			p.Errors, code = s.fieldErrors(p.Lang, err), status(err)
		} else {
			d.Done = true
		}
	}
	p.Data = d
	s.render(w, code, "revisit", p)
}

// rateable reports whether a case in a state can be rated online (the account page's link).
func rateable(st cases.State) bool { return service.Rateable(cases.Case{State: st}) }

// RateForm hands a rating form to the "rateform" template with the page.
func (p *Page) RateForm(f rateForm) struct {
	P *Page
	F rateForm
} {
	return struct {
		P *Page
		F rateForm
	}{p, f}
}

// Rate formats a figure's rate as the dashboard does (a tenth of a percent).
func (p *Page) Rate(v float64) string { return Figure(v, true) }

// ratingColumns are the 好差评 figures the dashboard, its export and the monthly report show beside the case
// figures (replacing the column that read 待接入).
var ratingColumns = []struct {
	Key  string
	Rate bool
	Get  func(f rating.Figures) float64
}{
	{"sv.rating_total", false, func(f rating.Figures) float64 { return float64(f.Total) }},
	{"sv.good_rate", true, rating.Figures.GoodRate},
	{"sv.bad", false, func(f rating.Figures) float64 { return float64(f.Bad) }},
	{"sv.rectify_rate", true, rating.Figures.RectifyRate},
	{"sv.revisit_rate", true, rating.Figures.RevisitRate},
	{"sv.rectify_overdue", false, func(f rating.Figures) float64 { return float64(f.Overdue) }},
}

// RatingColumns are the 好差评 columns' keys.
func (p *Page) RatingColumns() []string {
	out := make([]string, len(ratingColumns))
	for i, c := range ratingColumns {
		out[i] = c.Key
	}
	return out
}

// RatingFigures renders a line's 好差评 figures as the page shows them.
func (p *Page) RatingFigures(f rating.Figures) []string {
	out := make([]string, len(ratingColumns))
	for i, c := range ratingColumns {
		out[i] = Figure(c.Get(f), c.Rate)
	}
	return out
}

// RatingOf is the figures of a value of a board.
func (p *Page) RatingOf(b service.RatingBoard, value string) rating.Figures { return b.ByValue[value] }

// RatingChannels are the channels of 表9 in order, for the table by channel.
func (p *Page) RatingChannels() []rating.Channel { return rating.Channels }

// ChannelFigures is the figures of one channel of a board.
func (p *Page) ChannelFigures(b service.RatingBoard, c rating.Channel) rating.Figures {
	return b.ByChannel[c]
}

// ratesOnPaper are the notices that end a case, which carry a QR code to rate it (二维码, 一事一评).
var ratesOnPaper = []string{"grant", "deny", "refuse", "delivery"}

// rateQR is the QR code, printed on a notice that ends a case, that opens the case's rating on the phone that
// scans it (channel 二维码). A notice of another kind, or a case not yet to be rated, has none.
func (s *Server) rateQR(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	none := errs.New(errs.NotFound, "err.notice.unknown")
	if len(code) > maxNoticeCode {
		s.fail(w, r, none)
		return
	}
	n, err := s.svc.DB.NoticeByCode(r.Context(), code)
	if err != nil || !slices.Contains(ratesOnPaper, n.Kind) {
		s.fail(w, r, none)
		return
	}
	c, err := s.svc.DB.Case(r.Context(), n.CaseID)
	token := s.svc.RateQR(c)
	if err != nil || token == "" {
		s.fail(w, r, none)
		return
	}
	png, err := qrcode.Encode(s.absolute("/rate/"+token), qrcode.Medium, 256)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}
