package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/hours"
	"bianmin/internal/ids"
	"bianmin/internal/service"
)

// The hall's pages (issue 10): the kiosk (自助服务终端), a ticket's slip and its phone page, the display board,
// the clerk's hall desk (sign on, call, recall, skip, transfer, pause), appointments online and by phone,
// and a center's opening hours.

// kioskCookie marks a hall terminal: every public page it shows is in kiosk mode (large, touch-sized, back
// to the kiosk's home after a while untouched), so that the kiosk reuses the portal's guides, tracking and
// verification as they are.
const kioskCookie = "bm_kiosk"

// kioskIdle is how long a kiosk page stays without JavaScript before it returns home; with JavaScript the
// page returns after kioskIdle untouched (hall.js).
const kioskIdle = 90

// RateLink is where the kiosk's "rate" button goes: the evaluator of 好差评 (built apart; empty: no button).
var RateLink = ""

type kioskData struct {
	Board      service.Board
	Categories []hall.Category
	Idem       string
	Rate       string
}

func (s *Server) kioskPage(w http.ResponseWriter, r *http.Request, code int, p *Page) {
	b, err := s.svc.Board(r.Context(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Kiosk = b.Center.ID
	p.Large = true
	p.Nav = kioskNav(b.Center.ID)
	p.TitleText = p.Name(b.Center)
	p.Data = kioskData{Board: b, Categories: hall.Categories, Idem: ids.Token(16), Rate: RateLink}
	s.render(w, code, "kiosk", p)
}

// kioskNav is a kiosk's navigation: its home, the guides, tracking; no sign-in.
func kioskNav(center string) []NavItem {
	return []NavItem{{Href: "/kiosk/" + center, Key: "kiosk.home"}, {Href: "/portal", Key: "kiosk.guides"}, {Href: "/track", Key: "kiosk.track"}}
}

func (s *Server) kioskHome(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("center")
	if _, err := s.svc.Board(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, kioskCookie, id, 365*24*3600)
	s.kioskPage(w, r, http.StatusOK, s.page(r, "title.kiosk"))
}

func (s *Server) kioskFailed(w http.ResponseWriter, r *http.Request, err error) {
	p := s.page(r, "title.kiosk")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.kioskPage(w, r, status(err), p)
}

func (s *Server) kioskTicket(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.TakeTicket(r.Context(), nil, r.PathValue("center"), hall.Category(r.FormValue("category")), r.FormValue("idem"))
	if err != nil {
		s.kioskFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/queue/"+t.ID+"/slip", http.StatusSeeOther)
}

func (s *Server) kioskCheckIn(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.CheckIn(r.Context(), nil, r.PathValue("center"), r.FormValue("appointment_code"))
	if err != nil {
		s.kioskFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/queue/"+t.ID+"/slip", http.StatusSeeOther)
}

// kioskVerify opens an issued notice by the verification code typed at the kiosk, to read and print it.
func (s *Server) kioskVerify(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSpace(r.URL.Query().Get("code"))
	if code == "" || len(code) > maxNoticeCode || strings.ContainsAny(code, "/?#%") {
		s.kioskFailed(w, r, errs.Field("notice_code", "err.notice.unknown"))
		return
	}
	http.Redirect(w, r, "/verify/"+url.PathEscape(code), http.StatusSeeOther)
}

// kioskExit ends kiosk mode on this device.
func (s *Server) kioskExit(w http.ResponseWriter, r *http.Request) {
	s.setCookie(w, r, kioskCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// --- a ticket: its slip, its phone page, its QR code

type ticketData struct {
	service.TicketView
	QR string
}

func (s *Server) ticketView(w http.ResponseWriter, r *http.Request) (service.TicketView, bool) {
	w.Header().Set("Cache-Control", "no-store") // a place in the queue changes by the minute
	v, err := s.svc.Ticket(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return v, false
	}
	return v, true
}

// ticketPage is where a phone that read the slip's QR code watches its place; it refreshes itself.
func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.ticketView(w, r)
	if !ok {
		return
	}
	p := s.page(r, "title.ticket")
	p.TitleText = v.Ticket.No
	if v.Ticket.State == hall.Waiting || v.Ticket.State == hall.Called {
		p.Refresh = 15
	}
	p.Data = ticketData{TicketView: v}
	s.render(w, http.StatusOK, "ticket", p)
}

// ticketSlip is the printed slip: 58 mm thermal paper, Mongolian first.
func (s *Server) ticketSlip(w http.ResponseWriter, r *http.Request) {
	v, ok := s.ticketView(w, r)
	if !ok {
		return
	}
	p := s.page(r, "title.ticket")
	p.TitleText = v.Ticket.No
	p.Data = ticketData{TicketView: v, QR: "/queue/" + v.Ticket.ID + "/qr.png"}
	s.render(w, http.StatusOK, "ticket_slip", p)
}

func (s *Server) ticketQR(w http.ResponseWriter, r *http.Request) {
	v, ok := s.ticketView(w, r)
	if !ok {
		return
	}
	png, err := qrcode.Encode(s.absolute("/queue/"+url.PathEscape(v.Ticket.ID)), qrcode.Medium, 256)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// --- the board

// boardRefresh is how often the board reloads itself without JavaScript, in seconds.
const boardRefresh = 5

func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.Board(r.Context(), r.PathValue("center"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.board")
	p.TitleText = p.Name(b.Center)
	p.Refresh = boardRefresh
	p.Data = b
	s.render(w, http.StatusOK, "board", p)
}

// BoardJSON is the board's live data for its script (and the API): numbers and windows, nothing private.
type BoardJSON struct {
	Open    bool           `json:"open"`
	Calling []BoardCall    `json:"calling"`
	Figures []BoardFigures `json:"figures"`
}

type BoardCall struct {
	No       string `json:"no"`
	Window   string `json:"window"`
	WindowMn string `json:"window_mn"`
	At       string `json:"at"`
}

type BoardFigures struct {
	Category   string `json:"category"`
	Waiting    int    `json:"waiting"`
	AvgMinutes int    `json:"avg_wait_minutes"`
}

func (s *Server) boardLive(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.Board(r.Context(), r.PathValue("center"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, boardJSON(b))
}

func boardJSON(b service.Board) BoardJSON {
	out := BoardJSON{Open: b.Open, Calling: []BoardCall{}, Figures: []BoardFigures{}}
	for _, t := range b.Calling {
		w := b.Windows[t.Window]
		out.Calling = append(out.Calling, BoardCall{No: t.No, Window: w.NameZh, WindowMn: w.NameMn, At: t.Called.UTC().Format(time.RFC3339)})
	}
	for _, f := range b.Figures {
		out.Figures = append(out.Figures, BoardFigures{Category: string(f.Category), Waiting: f.Waiting, AvgMinutes: int(f.AvgWait.Round(time.Minute) / time.Minute)})
	}
	return out
}

// --- the clerk's hall desk

type hallData struct {
	service.Desk
	Categories []hall.Category
	Idem       string
	Called     string // the number just called, for the flash line
}

func (s *Server) hallPage(w http.ResponseWriter, r *http.Request, code int, p *Page) {
	d, err := s.svc.HallDesk(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = "title.hall"
	p.Data = hallData{Desk: d, Categories: hall.Categories, Idem: ids.Token(16), Called: r.URL.Query().Get("called")}
	s.render(w, code, "hall", p)
}

func (s *Server) hallDesk(w http.ResponseWriter, r *http.Request) {
	s.hallPage(w, r, http.StatusOK, s.page(r, "title.hall"))
}

// hallDone answers a desk form: back to the desk with a flash, or the desk again with the errors.
func (s *Server) hallDone(w http.ResponseWriter, r *http.Request, err error, ok string) {
	if err != nil {
		p := s.page(r, "title.hall")
		p.Form = formValues(r, "name", "phone", "day", "slot", "appointment_code", "category")
		p.Errors = s.fieldErrors(p.Lang, err)
		s.hallPage(w, r, status(err), p)
		return
	}
	http.Redirect(w, r, "/hall?ok="+ok, http.StatusSeeOther)
}

func categoriesOf(r *http.Request) []hall.Category {
	var out []hall.Category
	for _, c := range r.Form["categories"] {
		out = append(out, hall.Category(c))
	}
	return out
}

func (s *Server) hallSignOn(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	s.hallDone(w, r, s.svc.SignOn(r.Context(), rc(r).me.Actor(), r.FormValue("window"), categoriesOf(r)), "hall_signed_on")
}

func (s *Server) hallSignOff(w http.ResponseWriter, r *http.Request) {
	s.hallDone(w, r, s.svc.SignOff(r.Context(), rc(r).me.Actor()), "hall_signed_off")
}

func (s *Server) hallPause(w http.ResponseWriter, r *http.Request) {
	paused := r.FormValue("paused") == "1"
	s.hallDone(w, r, s.svc.Pause(r.Context(), rc(r).me.Actor(), paused), map[bool]string{true: "hall_paused", false: "hall_resumed"}[paused])
}

func (s *Server) hallCall(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.CallNext(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.hallDone(w, r, err, "")
		return
	}
	http.Redirect(w, r, "/hall?ok=hall_called&called="+url.QueryEscape(t.No), http.StatusSeeOther)
}

func (s *Server) hallMove(w http.ResponseWriter, r *http.Request) {
	m := hall.Move(r.PathValue("move"))
	_, err := s.svc.MoveTicket(r.Context(), rc(r).me.Actor(), r.PathValue("id"), m, r.FormValue("target"), hall.Category(r.FormValue("category")))
	s.hallDone(w, r, err, "hall_"+string(m))
}

func (s *Server) hallIssue(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	d, err := s.svc.HallDesk(r.Context(), actor)
	if err != nil {
		s.hallDone(w, r, err, "")
		return
	}
	t, err := s.svc.TakeTicket(r.Context(), &actor, d.Center.ID, hall.Category(r.FormValue("category")), r.FormValue("idem"))
	if err != nil {
		s.hallDone(w, r, err, "")
		return
	}
	http.Redirect(w, r, "/queue/"+t.ID+"/slip", http.StatusSeeOther)
}

func (s *Server) hallCheckIn(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	d, err := s.svc.HallDesk(r.Context(), actor)
	if err == nil {
		var t hall.Ticket
		if t, err = s.svc.CheckIn(r.Context(), &actor, d.Center.ID, r.FormValue("appointment_code")); err == nil {
			http.Redirect(w, r, "/queue/"+t.ID+"/slip", http.StatusSeeOther)
			return
		}
	}
	s.hallDone(w, r, err, "")
}

func (s *Server) hallBook(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	d, err := s.svc.HallDesk(r.Context(), actor)
	if err == nil {
		_, err = s.svc.Book(r.Context(), nil, &actor, service.BookInput{Center: d.Center.ID, Category: r.FormValue("category"), Day: r.FormValue("day"),
			Slot: r.FormValue("slot"), Name: r.FormValue("name"), Phone: r.FormValue("phone")}, r.FormValue("idem"))
	}
	s.hallDone(w, r, err, "hall_booked")
}

func (s *Server) hallAppointment(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	_, err := s.svc.MoveAppointment(r.Context(), nil, &actor, r.PathValue("id"), r.PathValue("move"))
	s.hallDone(w, r, err, "hall_appointment_"+r.PathValue("move"))
}

// ticketCase opens the intake page for a called ticket: the applicant already found when the ticket came
// from a resident's appointment, and the ticket carried along so that the case is linked to it.
func (s *Server) ticketCase(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	t, err := s.svc.DeskTicket(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{"ticket": {t.ID}}
	if t.ApplicantID != "" {
		if a, err := s.svc.Applicant(r.Context(), actor, t.ApplicantID); err == nil && !strings.Contains(a.IDNumber, "*") {
			q.Set("id_number", a.IDNumber)
		}
	}
	http.Redirect(w, r, "/cases/new?"+q.Encode(), http.StatusSeeOther)
}

// linkTicketCase keeps the case a ticket became (called from the intake once the case is made).
func (s *Server) linkTicketCase(r *http.Request, caseID string) {
	if tid := r.FormValue("ticket"); tid != "" {
		if _, err := s.svc.LinkTicket(r.Context(), rc(r).me.Actor(), tid, caseID, ""); err != nil {
			s.log.WarnContext(r.Context(), "ticket link", "ticket", tid, "err", err)
		}
	}
}

// --- opening hours

type hoursData struct {
	Org        string
	Name       string
	Version    int
	Week       []hoursWeekday
	Exceptions []hours.Exception
	Kinds      []hours.ExceptionKind
	Slot       int
	Capacity   int
}

type hoursWeekday struct {
	N    int
	Text string
}

// weekOrder lists the weekdays Monday first, as a Chinese week is read.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func (s *Server) hoursPage(w http.ResponseWriter, r *http.Request, code int, p *Page, h hours.Hours, version int) {
	o, err := s.svc.DB.Org(r.Context(), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := hoursData{Org: o.ID, Name: p.Name(o), Version: version, Exceptions: h.Exceptions, Kinds: hours.ExceptionKinds, Slot: h.SlotMinutes, Capacity: h.Capacity}
	for _, wd := range weekOrder {
		d.Week = append(d.Week, hoursWeekday{int(wd), hours.SpansText(h.Week[wd])})
	}
	p.Data = d
	s.render(w, code, "hours", p)
}

func (s *Server) hoursForm(w http.ResponseWriter, r *http.Request) {
	if !rc(r).me.Role.Has(access.HoursEdit) {
		s.fail(w, r, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.HoursEdit)))
		return
	}
	h, v, err := s.svc.Hours(r.Context(), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.hoursPage(w, r, http.StatusOK, s.page(r, "title.hours"), h, v)
}

// hoursSave reads the form: a text of spans for each weekday, the exceptions kept (by their row), a new one,
// the slot length and capacity.
func (s *Server) hoursSave(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var l errs.List
	var h hours.Hours
	for _, wd := range weekOrder {
		f := "week_" + itoa(int(wd))
		spans, err := hours.ParseSpans(f, r.FormValue(f))
		if err != nil {
			l.Add(err.(*errs.Error))
		}
		h.Week[wd] = spans
	}
	h.SlotMinutes, h.Capacity = atoiOr(r.FormValue("slot_minutes"), 0), atoiOr(r.FormValue("capacity"), 0)
	old, _, err := s.svc.Hours(r.Context(), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i, e := range old.Exceptions {
		if r.FormValue("drop."+itoa(i)) == "" {
			h.Exceptions = append(h.Exceptions, e)
		}
	}
	if day := strings.TrimSpace(r.FormValue("ex_day")); day != "" {
		e := hours.Exception{Kind: hours.ExceptionKind(r.FormValue("ex_kind")), Note: strings.TrimSpace(r.FormValue("ex_note"))}
		if d, err := clock.ParseDate(day); err != nil {
			l.Add(errs.Field("ex_day", "err.hall.day"))
		} else {
			e.Day = d
		}
		spans, err := hours.ParseSpans("ex_spans", r.FormValue("ex_spans"))
		if err != nil {
			l.Add(err.(*errs.Error))
		}
		e.Spans = spans
		h.Exceptions = append(h.Exceptions, e)
	}
	err = l.Err()
	if err == nil {
		err = s.svc.SaveHours(r.Context(), rc(r).me.Actor(), r.PathValue("org"), h, atoiOr(r.FormValue("version"), -1))
	}
	if err == nil {
		http.Redirect(w, r, "/hall/hours/"+r.PathValue("org")+"?ok=hours_saved", http.StatusSeeOther)
		return
	}
	p := s.page(r, "title.hours")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.hoursPage(w, r, status(err), p, h, atoiOr(r.FormValue("version"), 0))
}

// --- appointments online

type bookData struct {
	Center service.Board
	Days   []service.HoursDay
	Day    string
	Slots  []service.SlotView
	Cats   []hall.Category
	Idem   string
}

func (s *Server) bookPage(w http.ResponseWriter, r *http.Request, code int, p *Page) {
	ctx := r.Context()
	b, err := s.svc.Board(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := bookData{Center: b, Cats: hall.Categories, Idem: ids.Token(16)}
	if d.Days, _, err = s.svc.HoursAhead(ctx, b.Center.ID, hall.BookAhead+1); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Day = r.FormValue("day")
	if d.Day == "" {
		for _, x := range d.Days {
			if len(x.Spans) > 0 {
				d.Day = x.Day.String()
				break
			}
		}
	}
	if day, err := clock.ParseDate(d.Day); err == nil {
		if d.Slots, err = s.svc.DaySlots(ctx, b.Center.ID, day); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.TitleText = p.Name(b.Center)
	p.Form["day"] = d.Day
	p.Data = d
	s.render(w, code, "book", p)
}

func (s *Server) bookForm(w http.ResponseWriter, r *http.Request) {
	s.bookPage(w, r, http.StatusOK, s.page(r, "title.book"))
}

func (s *Server) book(w http.ResponseWriter, r *http.Request) {
	res := rc(r).resident
	_, err := s.svc.Book(r.Context(), res, nil, service.BookInput{Center: r.PathValue("id"), Category: r.FormValue("category"), Day: r.FormValue("day"), Slot: r.FormValue("slot")}, r.FormValue("idem"))
	if err != nil {
		p := s.page(r, "title.book")
		p.Errors = s.fieldErrors(p.Lang, err)
		s.bookPage(w, r, status(err), p)
		return
	}
	http.Redirect(w, r, "/my/appointments?ok=booked", http.StatusSeeOther)
}

func (s *Server) myAppointments(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.MyAppointments(r.Context(), *rc(r).resident)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.my_appointments")
	p.Data = list
	s.render(w, http.StatusOK, "my_appointments", p)
}

func (s *Server) cancelAppointment(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.MoveAppointment(r.Context(), rc(r).resident, nil, r.PathValue("id"), "cancel"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my/appointments?ok=appointment_cancelled", http.StatusSeeOther)
}

// --- template helpers

// CatBi renders a category's names together, Mongolian first.
func (p *Page) CatBi(c hall.Category) any { return p.Bi("hall.cat." + string(c)) }

// Minutes writes a duration in whole minutes.
func Minutes(d time.Duration) int { return int(d.Round(time.Minute) / time.Minute) }

// HM writes a minute of the day as HH:MM.
func (p *Page) HM(m int) string { return hours.Slot{Start: m}.Label() }

// SpansText writes a day's spans.
func (p *Page) SpansText(s []hours.Span) string { return hours.SpansText(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// atoiOr reads a number from a form, or def when it is none.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// Weekday is a day's weekday as a number (Sunday 0), for the names hours.day.N.
func (p *Page) Weekday(d clock.Date) int { return int(d.Weekday()) }
