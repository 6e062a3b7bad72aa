package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"

	"bianmin/internal/catalog"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// The complaint register (issue 19, item 5): the staff's register with its figures, the form a desk records
// a complaint on, one complaint with its extension and answer, the GB/T 39046 6.7 export; the portal's form
// (anyone, anonymous allowed) and the complainant's page that shows the answer and takes its rating.

type complaintsData struct {
	List     service.ComplaintList
	In       service.ComplaintFind
	Figures  complaint.Figures
	Month    string
	NextURL  string
	FirstURL string
}

// complaintForm is what the filing forms offer: subjects, channels, windows, items, townships.
type complaintForm struct {
	Staff     bool // a desk's form (channels, a person); else the portal's
	Abouts    []complaint.About
	Channels  []complaint.Channel
	Windows   []windowChoice
	Items     []catalog.Item
	Townships []org.Org
	// FromRating is the 差评 a desk's complaint is made from (its rater, unseen, is the complainant)
	FromRating string
}

type windowChoice struct{ ID, Label string }

// ComplaintFields hands a complaint form's choices to the "complaint_fields" template with the page.
func (p *Page) ComplaintFields(f complaintForm) struct {
	P *Page
	F complaintForm
} {
	return struct {
		P *Page
		F complaintForm
	}{p, f}
}

func (s *Server) complaintFormData(r *http.Request, staff bool) (complaintForm, error) {
	ctx := r.Context()
	f := complaintForm{Staff: staff, Abouts: complaint.Abouts}
	switch {
	case staff && r.FormValue("rating_id") != "": // a 差评 whose rater complained: its rater is the complainant
		f.Channels, f.FromRating = []complaint.Channel{complaint.Rating}, r.FormValue("rating_id")
	case staff:
		f.Channels = []complaint.Channel{complaint.Window, complaint.Station, complaint.Phone}
	default:
		f.Abouts = []complaint.About{complaint.AboutWindow, complaint.AboutCase, complaint.AboutItem, complaint.AboutService}
	}
	roots, err := s.svc.DB.Roots(ctx)
	if err != nil {
		return f, err
	}
	for _, root := range roots {
		ts, err := s.svc.DB.Subtree(ctx, root.Path, org.Township)
		if err != nil {
			return f, err
		}
		f.Townships = append(f.Townships, ts...)
		ws, err := s.svc.DB.Subtree(ctx, root.Path, org.Window)
		if err != nil {
			return f, err
		}
		names := map[string]string{}
		for _, t := range ts {
			names[t.Path] = t.NameZh
		}
		for _, w := range ws {
			label := w.NameZh
			for path, name := range names {
				if org.InSubtree(path, w.Path) {
					label = name + " · " + w.NameZh
				}
			}
			f.Windows = append(f.Windows, windowChoice{ID: w.ID, Label: label})
		}
	}
	f.Items, err = s.svc.DB.PublishedItems(ctx, store.ItemFilter{})
	return f, err
}

func (s *Server) complaintsData(r *http.Request, in service.ComplaintFind) (complaintsData, error) {
	actor := rc(r).me.Actor()
	d := complaintsData{In: in, Month: r.URL.Query().Get("month")}
	var err error
	if d.List, err = s.svc.FindComplaints(r.Context(), actor, in); err != nil {
		return d, err
	}
	if d.List.Next != "" {
		d.NextURL = pageURL(r, d.List.Next)
	}
	if in.Cursor != "" {
		d.FirstURL = pageURL(r, "")
	}
	from, to, err := s.svc.MonthRange(r.Context(), d.Month)
	if err != nil {
		return d, err
	}
	d.Figures, err = s.svc.ComplaintFigures(r.Context(), actor, from, to)
	return d, err
}

// complaints is the register: figures of the month, a search box, open or overdue ones, a page at a time; and
// the form of a new one at the desk.
func (s *Server) complaints(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := service.ComplaintFind{Q: q.Get("q"), Open: q.Get("open") == "1", Overdue: q.Get("overdue") == "1", Cursor: q.Get("cursor")}
	p := s.page(r, "joint.title.complaints")
	d, err := s.complaintsData(r, in)
	code := http.StatusOK
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			s.fail(w, r, err)
			return
		}
		p.Errors, code = s.fieldErrors(p.Lang, err), http.StatusBadRequest
	}
	p.Data = d
	p.Form = map[string]string{"q": in.Q, "idem": ids.Token(16), "month": d.Month}
	s.render(w, code, "complaints", p)
}

func complaintInput(r *http.Request) service.ComplaintInput {
	return service.ComplaintInput{Channel: complaint.Channel(r.FormValue("channel")), About: complaint.About(r.FormValue("complaint_about")),
		CaseNo: r.FormValue("complaint_case"), StaffID: r.FormValue("complaint_staff"), WindowID: r.FormValue("window"), ItemID: r.FormValue("item"),
		Township: r.FormValue("township"), RatingID: r.FormValue("rating_id"), Body: r.FormValue("complaint"), Name: r.FormValue("name"), Phone: r.FormValue("phone")}
}

var complaintFields = []string{"channel", "complaint_about", "complaint_case", "complaint_staff", "window", "item", "township", "rating_id", "complaint", "name", "phone", "idem"}

// complaintNew is the desk's form of a complaint received at the window or station, or by phone.
func (s *Server) complaintNew(w http.ResponseWriter, r *http.Request) {
	s.complaintNewPage(w, r, http.StatusOK, nil)
}

func (s *Server) complaintNewPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	if !rc(r).me.Role.Has("complaint.write") {
		s.fail(w, r, errs.New(errs.Forbidden, "err.forbidden").With("action", "complaint.write"))
		return
	}
	f, err := s.complaintFormData(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "joint.complaint.new")
	p.Data = complainData{Form: f}
	p.Form = map[string]string{"idem": ids.Token(16)}
	if formErr != nil {
		p.Errors, p.Form = s.fieldErrors(p.Lang, formErr), formValues(r, complaintFields...)
	}
	s.render(w, code, "complain", p)
}

// complaintCreate records a complaint at the desk; with errors the form comes back with what was typed.
func (s *Server) complaintCreate(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.FileComplaint(r.Context(), rc(r).me.Actor(), complaintInput(r), r.FormValue("idem"))
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.complaintNewPage(w, r, status(err), err)
		return
	}
	http.Redirect(w, r, "/complaints/"+c.ID+"?ok=joint_complaint_filed", http.StatusSeeOther)
}

func (s *Server) complaintShow(w http.ResponseWriter, r *http.Request) {
	s.complaintPage(w, r, http.StatusOK, nil)
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	v, err := s.svc.Complaint(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "joint.title.complaint")
	p.Data = v
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
		p.Form = formValues(r, "answer", "days", "reason")
	}
	s.render(w, code, "complaint", p)
}

// complaintAct extends or answers a complaint (one form each, with the version read).
func (s *Server) complaintAct(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	id := r.PathValue("id")
	v, _ := strconv.Atoi(r.FormValue("version"))
	var err error
	ok := "joint_complaint_answered"
	switch r.FormValue("do") {
	case "extend":
		days, derr := strconv.Atoi(r.FormValue("days"))
		if derr != nil {
			days = 0
		}
		_, err = s.svc.ExtendComplaint(r.Context(), actor, id, v, days, r.FormValue("reason"))
		ok = "joint_complaint_extended"
	case "answer":
		_, err = s.svc.AnswerComplaint(r.Context(), actor, id, v, r.FormValue("answer"))
	default:
		err = errs.Field("do", "err.required")
	}
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.complaintPage(w, r, status(err), err)
		return
	}
	http.Redirect(w, r, "/complaints/"+id+"?ok="+ok, http.StatusSeeOther)
}

// complaintExport writes a month's complaints in the GB/T 39046-2020 6.7 fields, as CSV (Excel reads its
// UTF-8 mark) or JSON.
func (s *Server) complaintExport(w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	if format != "csv" && format != "json" {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "complaint"))
		return
	}
	month := r.URL.Query().Get("month")
	from, to, err := s.svc.MonthRange(r.Context(), month)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.svc.ExportComplaints(r.Context(), rc(r).me.Actor(), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="complaints-`+strconv.Itoa(from)+`.`+format+`"`)
	if format == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if rows == nil {
			rows = []complaint.Row{}
		}
		json.NewEncoder(w).Encode(rows)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"互动类型", "编号", "内容", "提交时间", "渠道", "受理部门", "承诺时限", "延期时限", "回复内容", "回复时间", "超期天数", "满意度", "投诉对象"})
	for _, x := range rows {
		cw.Write([]string{x.Kind, x.ID, x.Content, x.SubmittedAt, x.Channel, x.Dept, strconv.Itoa(x.PromiseDays), strconv.Itoa(x.ExtendDays),
			x.Reply, x.ReplyAt, strconv.Itoa(x.OverdueDays), x.Verdict, x.About})
	}
	cw.Flush()
}

type complainData struct {
	Form complaintForm
	Done *complaint.Complaint
}

// complain is the portal's complaint form: anyone, signed in or not, anonymous or with a phone for the answer.
func (s *Server) complain(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "joint.title.complain")
	f, err := s.complaintFormData(r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := complainData{Form: f}
	code := http.StatusOK
	p.Form = map[string]string{"idem": ids.Token(16)}
	if c := rc(r); r.Method == http.MethodPost && c.resident != nil && r.PostFormValue("csrf") != c.rsess.CSRF {
		s.fail(w, r, errs.New(errs.Forbidden, "err.csrf")) // a signed-in resident's form carries their session's token
		return
	}
	if r.Method == http.MethodPost {
		c, err := s.svc.FileComplaintOnline(r.Context(), rc(r).resident, complaintInput(r), r.FormValue("idem"), s.clientAddr(r))
		if err != nil {
			if !onForm(err) {
				s.fail(w, r, err)
				return
			}
			p.Errors, code, p.Form = s.fieldErrors(p.Lang, err), status(err), formValues(r, complaintFields...)
		} else {
			d.Done = &c
		}
	}
	p.Data = d
	s.render(w, code, "complain", p)
}

type complaintAnswerData struct {
	View     service.ComplaintAnswerView
	Verdicts []complaint.Verdict
	Done     bool
}

// complaintAnswer is the complainant's page from the link sent with the answer: the answer, and its rating.
func (s *Server) complaintAnswer(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "joint.title.complaint_answer")
	token := r.PathValue("token")
	v, err := s.svc.OpenComplaintAnswer(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := complaintAnswerData{View: v, Verdicts: complaint.Verdicts, Done: v.Complaint.State == complaint.Closed}
	code := http.StatusOK
	if r.Method == http.MethodPost {
		if _, err := s.svc.RateComplaintAnswer(r.Context(), token, complaint.Verdict(r.FormValue("complaint_verdict"))); err != nil {
			p.Errors, code = s.fieldErrors(p.Lang, err), status(err)
		} else {
			d.Done = true
		}
	}
	p.Data = d
	s.render(w, code, "complaint_answer", p)
}
