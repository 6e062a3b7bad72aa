package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
	"github.com/xuri/excelize/v2"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
)

// The people of the hall (issue 11): a staff record with its hand-over, the roster of a week, leave,
// attendance, coverage now, recusal declarations, and the public staff page with its seat cards.

// --- the hub

type peopleHub struct {
	Center    org.Org
	HasCenter bool
	Today     clock.Date
	Month     []service.DayMark
	SignedIn  bool
	// the township's back office: split by item domain or 一人通办, for those who may read its staff
	Split        bool
	SplitVersion int
	SplitShown   bool
	// Stations are the township's village stations, rostered as the center is (for those who read rosters)
	Stations []org.Org
}

// peopleHome is the hub: one's own attendance today (sign in, sign out) and links to the rest.
func (s *Server) peopleHome(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me.Actor()
	p := s.page(r, "people.title.hub")
	d := peopleHub{}
	if c, ok, _ := s.actorCenterOf(r, me); ok {
		d.Center, d.HasCenter = c, true
		if split, v, err := s.svc.BackOfficeSplit(r.Context(), me, c.ParentID); err == nil && c.Kind == org.Center {
			d.Split, d.SplitVersion, d.SplitShown = split, v, true
		}
		if t, err := s.svc.DB.Org(r.Context(), c.ParentID); err == nil && c.Kind == org.Center && me.Can(access.RosterEdit, t.Path) {
			d.Stations, _ = s.svc.DB.Subtree(r.Context(), t.Path, org.Station)
		}
	}
	if me.Role.Has(access.AttendanceSign) {
		_, month, err := s.svc.AttendanceMonth(r.Context(), me, me.ID, s.hallToday())
		if err == nil {
			d.Month = month
			for _, m := range month {
				if m.Day == s.hallToday() && m.Attendance != nil && m.Attendance.Out.IsZero() {
					d.SignedIn = true
				}
			}
		}
	}
	d.Today = s.hallToday()
	p.Data = d
	if f := r.URL.Query().Get("done"); f != "" {
		p.Flash = "people.done." + f
	}
	s.render(w, http.StatusOK, "roster_hub", p)
}

func (s *Server) hallToday() clock.Date {
	return clock.DateOf(s.svc.DB.Now().In(clock.DefaultRules().Location))
}

// actorCenterOf is the center of the actor's township, or the station of the actor's village (an agent's
// hall), when there is one.
func (s *Server) actorCenterOf(r *http.Request, me access.Actor) (org.Org, bool, error) {
	o, err := s.svc.DB.Org(r.Context(), me.OrgID)
	if err == nil && o.Kind == org.Village {
		list, err := s.svc.DB.Subtree(r.Context(), o.Path, org.Station)
		return firstOrg(list), len(list) > 0, err
	}
	if err != nil || o.Kind != org.Township {
		return org.Org{}, false, err
	}
	return s.svc.CenterOf(r.Context(), o)
}

func firstOrg(list []org.Org) org.Org {
	if len(list) == 0 {
		return org.Org{}
	}
	return list[0]
}

func (s *Server) attendanceSign(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me.Actor()
	var err error
	done := "signed_in"
	if r.PathValue("move") == "out" {
		err, done = s.svc.SignOut(r.Context(), me, s.clientAddr(r)), "signed_out"
	} else {
		err = s.svc.SignIn(r.Context(), me, s.clientAddr(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/people?done="+done, http.StatusSeeOther)
}

// attendancePage is one person's month (one's own, or others' for the director and the supervising office).
func (s *Server) attendancePage(w http.ResponseWriter, r *http.Request) {
	day := s.hallToday()
	if m, err := clock.ParseDate(r.URL.Query().Get("month") + "-01"); err == nil {
		day = m
	}
	rec, month, err := s.svc.AttendanceMonth(r.Context(), rc(r).me.Actor(), r.PathValue("id"), day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.attendance")
	p.TitleText = rec.Name
	p.Data = struct {
		Rec   store.StaffRecord
		Month []service.DayMark
	}{rec, month}
	s.render(w, http.StatusOK, "roster_attendance", p)
}

// --- staff records

type recordData struct {
	Rec      store.StaffRecord
	Org      org.Org
	Seats    []roster.Seat
	Roles    []access.Role
	Work     service.OpenWork
	Manage   bool
	Handover []store.StaffRecord // who the work may go to
	Rotation []roster.Entry
	SeatName map[string]roster.Seat
}

// HasSeat reports whether the record lists the seat among those its person is qualified for.
func (d recordData) HasSeat(id string) bool { return slices.Contains(d.Rec.Seats, id) }

func (s *Server) staffRecord(w http.ResponseWriter, r *http.Request) {
	s.staffRecordPage(w, r, r.PathValue("id"), nil)
}

func (s *Server) staffRecordPage(w http.ResponseWriter, r *http.Request, id string, ferr error) {
	me := rc(r).me.Actor()
	rec, err := s.svc.StaffRecord(r.Context(), me, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := recordData{Rec: rec, Manage: me.Can(access.StaffManage, rec.OrgPath), SeatName: map[string]roster.Seat{}}
	d.Org, _ = s.svc.DB.Org(r.Context(), rec.OrgID)
	if c, ok, _ := s.svc.CenterOf(r.Context(), d.Org); ok {
		kids, _ := s.svc.DB.Children(r.Context(), c.ID)
		for _, k := range kids {
			if k.Kind == org.Window {
				d.Seats = append(d.Seats, roster.SeatOf(k))
				d.SeatName[k.ID] = roster.SeatOf(k)
			}
		}
		if d.Manage {
			others, _ := s.svc.DB.StaffRecordsIn(r.Context(), d.Org.Path)
			for _, o := range others {
				if o.ID != rec.ID && o.Active && (o.Role == access.Reviewer || o.Role == access.Director) {
					d.Handover = append(d.Handover, o)
				}
			}
		}
	}
	for _, role := range access.Roles {
		if me.MayGrant(role) || role == rec.Role {
			d.Roles = append(d.Roles, role)
		}
	}
	if d.Manage {
		if d.Work, err = s.svc.OpenWorkOf(r.Context(), me, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Rotation, _ = s.svc.RotationOf(r.Context(), me, id)
	p := s.page(r, "people.title.record")
	p.TitleText = rec.Name
	p.Data = d
	p.Form = map[string]string{"name": rec.Name, "phone": rec.Phone, "role": string(rec.Role), "title": rec.Title, "staff_no": rec.StaffNo,
		"duties": rec.Duties, "domains": strings.Join(rec.Domains, "，")}
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
		if errs.CodeOf(ferr) == errs.Invalid {
			p.Form = formValues(r, "name", "phone", "role", "title", "staff_no", "duties", "domains", "handover_to")
		}
	}
	if f := r.URL.Query().Get("done"); f != "" {
		p.Flash = "people.done." + f
	}
	s.render(w, status(ferr), "roster_staff", p)
}

// splitDomains reads the domains field: separated by commas (either width) or new lines.
func splitDomains(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' || r == '\r' })
}

func (s *Server) staffRecordSave(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	me := rc(r).me.Actor()
	var err error
	done := "saved"
	switch r.FormValue("do") {
	case "deactivate", "reactivate":
		done = r.FormValue("do") + "d"
		err = s.svc.SetStaffActive(r.Context(), me, id, atoiOr(r.FormValue("version"), 0), r.FormValue("do") == "reactivate")
	case "handover":
		done = "handed_over"
		_, err = s.svc.HandOverWork(r.Context(), me, id, r.FormValue("handover_to"))
	default:
		r.ParseForm()
		_, err = s.svc.EditStaff(r.Context(), me, id, service.StaffEdit{Version: atoiOr(r.FormValue("version"), 0), Name: r.FormValue("name"),
			Phone: r.FormValue("phone"), Role: r.FormValue("role"), Title: r.FormValue("title"), StaffNo: r.FormValue("staff_no"),
			Duties: r.FormValue("duties"), Seats: r.PostForm["seats"], Domains: splitDomains(r.FormValue("domains"))})
	}
	s.afterForm(w, r, err, "/staff/"+id+"?done="+done, func(err error) { s.staffRecordPage(w, r, id, err) })
}

func (s *Server) staffPhotoUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var err error
	if r.MultipartForm == nil || len(r.MultipartForm.File["photo"]) == 0 {
		err = errs.Field("photo", "err.required")
	} else {
		hdr := r.MultipartForm.File["photo"][0]
		body, rerr := readUpload(hdr)
		if err = rerr; err == nil {
			err = s.svc.SetStaffPhoto(r.Context(), rc(r).me.Actor(), id, hdr.Filename, body)
		}
	}
	s.afterForm(w, r, err, "/staff/"+id+"?done=photo", func(err error) { s.staffRecordPage(w, r, id, err) })
}

// staffPhoto is an active person's photo: public, for the staff page and the seat cards (亮身份).
func (s *Server) staffPhoto(w http.ResponseWriter, r *http.Request) {
	b, sha, err := s.svc.StaffPhoto(r.Context(), r.PathValue("id"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("ETag", `"`+sha+`"`)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// --- the roster

type rosterData struct {
	W          service.RosterWeek
	Prev, Next string
	Print      bool
	Halves     []roster.Half
}

func (s *Server) rosterPage(w http.ResponseWriter, r *http.Request) {
	s.rosterRender(w, r, nil)
}

func (s *Server) rosterRender(w http.ResponseWriter, r *http.Request, ferr error) {
	day := s.hallToday().AddDays(7)
	if d, err := clock.ParseDate(r.FormValue("week")); err == nil {
		day = d
	}
	wk, err := s.svc.Roster(r.Context(), rc(r).me.Actor(), r.PathValue("center"), day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.roster")
	p.TitleText = p.Name(wk.Center)
	p.Data = rosterData{W: wk, Prev: wk.Monday.AddDays(-7).String(), Next: wk.Monday.AddDays(7).String(), Print: r.URL.Query().Get("print") == "1", Halves: roster.Halves}
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
	}
	if f := r.URL.Query().Get("done"); f != "" {
		p.Flash = "people.done." + f
	}
	s.render(w, status(ferr), "roster", p)
}

// rosterSave reads the grid: a select per seat, day and half-day named "at.<seat>.<day>.<half>".
func (s *Server) rosterSave(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	center := r.PathValue("center")
	week, err := clock.ParseDate(r.FormValue("week"))
	if err != nil {
		s.fail(w, r, errs.Field("week", "err.find.date"))
		return
	}
	me := rc(r).me.Actor()
	done := "roster_saved"
	if from := r.FormValue("copy_from"); from != "" {
		fd, perr := clock.ParseDate(from)
		if perr != nil {
			err = errs.Field("week", "err.find.date")
		} else {
			_, err = s.svc.CopyRoster(r.Context(), me, center, fd, week)
		}
		done = "roster_copied"
	} else {
		var entries []roster.Entry
		for k, vs := range r.PostForm {
			rest, ok := strings.CutPrefix(k, "at.")
			if !ok || len(vs) == 0 || vs[0] == "" {
				continue
			}
			parts := strings.Split(rest, ".")
			if len(parts) != 3 {
				continue
			}
			d, derr := clock.ParseDate(parts[1])
			if derr != nil {
				continue
			}
			entries = append(entries, roster.Entry{Day: d, Half: roster.Half(parts[2]), Seat: parts[0], Staff: vs[0]})
		}
		err = s.svc.SaveRoster(r.Context(), me, center, week, entries)
	}
	s.afterForm(w, r, err, "/people/roster/"+center+"?week="+week.String()+"&done="+done, func(err error) { s.rosterRender(w, r, err) })
}

// --- leave

type leaveData struct {
	Page              service.LeavePage
	Idem              string
	Today             clock.Date
	NextURL, FirstURL string
}

func (s *Server) leavePage(w http.ResponseWriter, r *http.Request) { s.leaveRender(w, r, nil) }

func (s *Server) leaveRender(w http.ResponseWriter, r *http.Request, ferr error) {
	page, err := s.svc.Leaves(r.Context(), rc(r).me.Actor(), r.URL.Query().Get("cursor"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.leave")
	d := leaveData{Page: page, Idem: ids.Token(16), Today: s.hallToday()}
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	p.Data = d
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
		p.Form = formValues(r, "leave_from", "leave_to", "substitute", "leave_reason", "leave_note")
		d.Idem = r.FormValue("idem")
		p.Data = d
	}
	if f := r.URL.Query().Get("done"); f != "" {
		p.Flash = "people.done." + f
	}
	s.render(w, status(ferr), "roster_leave", p)
}

func (s *Server) leaveRequest(w http.ResponseWriter, r *http.Request) {
	in := roster.LeaveInput{From: r.FormValue("leave_from"), To: r.FormValue("leave_to"), Substitute: r.FormValue("substitute"), Reason: r.FormValue("leave_reason")}
	_, err := s.svc.RequestLeave(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	s.afterForm(w, r, err, "/people/leave?done=leave_requested", func(err error) { s.leaveRender(w, r, err) })
}

func (s *Server) leaveMove(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me.Actor()
	id, v := r.PathValue("id"), atoiOr(r.FormValue("version"), 0)
	var err error
	move := r.PathValue("move")
	switch move {
	case "approve", "reject":
		_, err = s.svc.DecideLeave(r.Context(), me, id, v, move == "approve", r.FormValue("leave_note"))
	case "return":
		_, err = s.svc.ReturnFromLeave(r.Context(), me, id, v)
	default:
		err = errs.New(errs.NotFound, "err.not_found").With("what", "leave")
	}
	s.afterForm(w, r, err, "/people/leave?done=leave_"+move, func(err error) { s.leaveRender(w, r, err) })
}

// --- coverage

func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.HallCoverage(r.Context(), rc(r).me.Actor(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.coverage")
	p.TitleText = p.Name(v.Center)
	p.Refresh = 60
	p.Data = v
	s.render(w, http.StatusOK, "roster_coverage", p)
}

// coverageBanner is the supervising office's view of every center of its subtree.
func (s *Server) coverageBanner(w http.ResponseWriter, r *http.Request) {
	lines, err := s.svc.BannerCoverage(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.coverage_all")
	p.Data = lines
	s.render(w, http.StatusOK, "roster_banner", p)
}

// --- recusal

func (s *Server) recusalPage(w http.ResponseWriter, r *http.Request) { s.recusalRender(w, r, nil) }

func (s *Server) recusalRender(w http.ResponseWriter, r *http.Request, ferr error) {
	list, err := s.svc.Declarations(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.recusal")
	p.Data = struct {
		List      []roster.Declaration
		Relations []roster.Relation
	}{list, roster.Relations}
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
		p.Form = formValues(r, "people_relation", "relation_name", "note")
	}
	if f := r.URL.Query().Get("done"); f != "" {
		p.Flash = "people.done." + f
	}
	s.render(w, status(ferr), "roster_recusal", p)
}

func (s *Server) recusalDeclare(w http.ResponseWriter, r *http.Request) {
	in := roster.DeclarationInput{Relation: r.FormValue("people_relation"), Number: r.FormValue("number"), Name: r.FormValue("relation_name"), Note: r.FormValue("note")}
	_, err := s.svc.Declare(r.Context(), rc(r).me.Actor(), in)
	s.afterForm(w, r, err, "/people/recusal?done=declared", func(err error) { s.recusalRender(w, r, err) })
}

// --- public: staff on duty today (亮身份), seat cards (置座牌)

type dutyData struct {
	Center org.Org
	Day    clock.Date
	People []service.OnDuty
	Cards  bool
	Base   string
}

func (s *Server) staffOnDuty(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.OnDutyToday(r.Context(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.on_duty")
	p.TitleText = p.Name(d.Center)
	p.Data = dutyData{Center: d.Center, Day: d.Day, People: d.People, Base: s.publicBase(r)}
	s.render(w, http.StatusOK, "roster_public", p)
}

// seatCards are the printable seat cards (置座牌) of a center's people, each with a QR code of the public page.
func (s *Server) seatCards(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me.Actor()
	c, err := s.svc.DB.Org(r.Context(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := me.Check(access.RosterEdit, c.Path); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.svc.OnDutyAll(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.cards")
	p.Data = dutyData{Center: d.Center, Day: d.Day, People: d.People, Cards: true, Base: s.publicBase(r)}
	s.render(w, http.StatusOK, "roster_public", p)
}

// staffQR is the QR code of a center's public staff page, where a seat card points.
func (s *Server) staffQR(w http.ResponseWriter, r *http.Request) {
	u := s.publicBase(r) + "/portal/center/" + url.PathEscape(r.PathValue("center")) + "/staff#" + url.PathEscape(r.URL.Query().Get("p"))
	png, err := qrcode.Encode(u, qrcode.Medium, 256)
	if err != nil {
		s.fail(w, r, errs.Wrap(err, "qr"))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

func (s *Server) publicBase(r *http.Request) string {
	if s.svc.PublicURL != "" {
		return strings.TrimSuffix(s.svc.PublicURL, "/")
	}
	return ""
}

// LeaveItem is what the "leaveitem" template needs: the page, the leave, whether the reader decides it.
type LeaveItem struct {
	P      *Page
	L      roster.Leave
	Decide bool
}

// LeaveItem prepares one leave for the "leaveitem" template.
func (p *Page) LeaveItem(l roster.Leave, decide bool) LeaveItem {
	return LeaveItem{P: p, L: l, Decide: decide}
}

// --- the 六有 board and the window signs (public: they hang in the hall and on the portal)

// MnOf and ZhOf are a key's text in each script, whatever the page's language: the board and the signs write
// both (内政办发〔1996〕32号).
func (p *Page) MnOf(key string) string { m, _ := p.cat.Get(key); return m.Mn }
func (p *Page) ZhOf(key string) string { m, _ := p.cat.Get(key); return m.Zh }

// SignPair is a sign's text in both scripts, Mongolian on the left, the same size.
func (p *Page) SignPair(key string) template.HTML {
	m, _ := p.cat.Get(key)
	return template.HTML(`<span class="sign-mn" lang="mn-Mong">` + template.HTMLEscapeString(m.Mn) + `</span><span class="sign-zh" lang="zh-Hans">` +
		template.HTMLEscapeString(m.Zh) + `</span>`)
}

func (s *Server) board6(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.BoardOf(r.Context(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.board.title")
	p.TitleText = p.Name(b.Center)
	if paper := r.URL.Query().Get("paper"); paper == "a1" || paper == "a2" {
		p.Form["paper"] = paper
	}
	p.Data = b
	s.render(w, http.StatusOK, "roster_board6", p)
}

func (s *Server) signs(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.SignsOf(r.Context(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.signs")
	p.TitleText = p.Name(d.Center)
	p.Data = d
	s.render(w, http.StatusOK, "roster_signs", p)
}

type docsData struct {
	Center org.Org
	All    []roster.Doc
	Kinds  []roster.DocKind
}

func (s *Server) boardDocs(w http.ResponseWriter, r *http.Request) { s.boardDocsRender(w, r, nil) }

func (s *Server) boardDocsRender(w http.ResponseWriter, r *http.Request, ferr error) {
	me := rc(r).me.Actor()
	b, err := s.svc.BoardOf(r.Context(), r.PathValue("center"))
	if err == nil {
		err = me.Check(access.BoardEdit, b.Center.Path)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.board_docs")
	p.Data = docsData{Center: b.Center, All: b.All, Kinds: roster.DocKinds}
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
		p.Form = formValues(r, "doc_kind", "doc_title_mn", "doc_title_zh", "doc_body_mn", "doc_body_zh", "effective")
	}
	if f := r.URL.Query().Get("done"); f != "" {
		p.Flash = "people.done." + f
	}
	s.render(w, status(ferr), "roster_docs", p)
}

func (s *Server) boardPublish(w http.ResponseWriter, r *http.Request) {
	in := roster.DocInput{Kind: r.FormValue("doc_kind"), TitleZh: r.FormValue("doc_title_zh"), TitleMn: r.FormValue("doc_title_mn"),
		BodyZh: r.FormValue("doc_body_zh"), BodyMn: r.FormValue("doc_body_mn"), Effective: r.FormValue("effective")}
	center := r.PathValue("center")
	_, err := s.svc.PublishDoc(r.Context(), rc(r).me.Actor(), center, in)
	s.afterForm(w, r, err, "/people/board/"+center+"?done=doc_published", func(err error) { s.boardDocsRender(w, r, err) })
}

// --- per-person figures (绩效考评), monthly, exportable

type figuresData struct {
	Month    string
	Township org.Org
	Lines    []service.PersonFigures
	Towns    []org.Org
}

// figuresQuery reads the month (this month by default) and the township (the director's own by default).
func (s *Server) figuresQuery(r *http.Request) (supervision.Month, org.Org, error) {
	me := rc(r).me.Actor()
	m := supervision.MonthOf(s.hallToday())
	if v := r.URL.Query().Get("month"); v != "" {
		pm, err := supervision.ParseMonth(v)
		if err != nil {
			return m, org.Org{}, errs.Field("month", "err.find.date")
		}
		m = pm
	}
	id := r.URL.Query().Get("township")
	if id == "" {
		id = me.OrgID
	}
	t, err := s.svc.DB.Org(r.Context(), id)
	if err == nil && t.Kind != org.Township && r.URL.Query().Get("township") == "" {
		// a banner's supervisor or administrator: the first township of their subtree, the others to choose
		if towns, terr := s.svc.DB.Subtree(r.Context(), me.OrgPath, org.Township); terr == nil && len(towns) > 0 {
			t = towns[0]
		}
	}
	return m, t, err
}

func (s *Server) figuresPage(w http.ResponseWriter, r *http.Request) {
	m, t, err := s.figuresQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lines, err := s.svc.PeopleFigures(r.Context(), rc(r).me.Actor(), t.ID, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "people.title.figures")
	p.TitleText = p.Name(t)
	d := figuresData{Month: m.String(), Township: t, Lines: lines}
	if me := rc(r).me; me.Actor().OrgPath != t.Path {
		d.Towns, _ = s.svc.DB.Subtree(r.Context(), me.Actor().OrgPath, org.Township)
	}
	p.Data = d
	s.render(w, http.StatusOK, "roster_figures", p)
}

// figureColumns are the export's columns, after the name.
var figureColumns = []string{"people.fig.received", "people.fig.accepted", "people.fig.completed", "people.fig.on_time", "people.fig.good", "people.fig.bad",
	"people.fig.on_duty", "people.fig.late", "people.fig.absent", "people.fig.leave", "people.fig.answered"}

func (s *Server) figuresExport(w http.ResponseWriter, r *http.Request) {
	m, t, err := s.figuresQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lines, err := s.svc.PeopleFigures(r.Context(), rc(r).me.Actor(), t.ID, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	for row, l := range []i18n.Lang{i18n.Mn, i18n.Zh} { // two header rows, Mongolian first
		f.SetCellStr(sheet, cellName(1, row+1), s.cat.T(l, "field.name"))
		f.SetCellStr(sheet, cellName(2, row+1), s.cat.T(l, "field.people_staff_no"))
		for i, k := range figureColumns {
			f.SetCellStr(sheet, cellName(i+3, row+1), s.cat.T(l, k))
		}
	}
	for i, x := range lines {
		row := i + 3
		f.SetCellStr(sheet, cellName(1, row), x.Rec.Name)
		f.SetCellStr(sheet, cellName(2, row), x.Rec.StaffNo)
		for j, v := range []int{x.Received, x.Accepted, x.Completed, x.OnTime, x.Ratings.Good, x.Ratings.Bad, x.OnDuty, x.Late, x.Absent, x.Leave, x.Answered} {
			f.SetCellInt(sheet, cellName(j+3, row), int64(v))
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="people-`+m.String()+`.xlsx"`)
	f.Write(w)
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}
