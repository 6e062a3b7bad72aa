package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// apiOp is one operation of the JSON API. The table in mountAPI is both the router and the source of the
// OpenAPI document, so that the document cannot drift from the code.
type apiOp struct {
	Method, Path, ID, Summary string
	Auth                      bool
	In, Out                   reflect.Type // nil In: no body
	Header                    []string     // request headers the operation reads
	Raw                       string       // the content type of a body that is a file's bytes (rawOp), not JSON
	handle                    func(w http.ResponseWriter, r *http.Request)
}

type empty struct{}

// maxAPIBody is the largest JSON body the API reads, in bytes.
const maxAPIBody = 1 << 20

// op adapts a typed function to an HTTP handler: decode In, call, encode Out or the error.
func op[In, Out any](s *Server, method, path, id, summary string, auth bool, fn func(r *http.Request, c *reqCtx, in In) (Out, error)) apiOp {
	o := apiOp{Method: method, Path: path, ID: id, Summary: summary, Auth: auth, Out: reflect.TypeFor[Out]()}
	if reflect.TypeFor[In]() != reflect.TypeFor[empty]() {
		o.In = reflect.TypeFor[In]()
	}
	o.handle = func(w http.ResponseWriter, r *http.Request) {
		c := rc(r)
		if auth && c.me == nil {
			s.apiError(w, r, errs.New(errs.Unauthenticated, "err.session"))
			return
		}
		if auth && c.me.MustChangePassword && id != "changePassword" && id != "logout" && id != "me" {
			s.apiError(w, r, errs.New(errs.Forbidden, "err.password.must_change"))
			return
		}
		var in In
		if o.In != nil {
			// Every API body is capped (maxAPIBody; the edge caps it by route first): a longer one is refused
			// whole, saying the limit, before any of it is decoded, and nothing is written (each text inside
			// has its own smaller limit in the service). NUL and invalid UTF-8 are refused by decodeJSON.
			r.Body = http.MaxBytesReader(w, r.Body, maxAPIBody)
			if err := decodeJSON(r, &in); err != nil {
				s.apiError(w, r, err)
				return
			}
		}
		out, err := fn(r, c, in)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		code := http.StatusOK
		if method == http.MethodPost {
			code = http.StatusCreated
		}
		if st, ok := any(out).(interface{ status() int }); ok && st.status() != 0 {
			code = st.status() // an answer that is not what the method usually makes (a registration waiting for its code)
		}
		writeJSON(w, code, out)
	}
	return o
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// APIError is the body of every failed API call; messages are in the caller's language (the bm_lang cookie
// or Accept-Language: mn).
type APIError struct {
	Error struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Fields  []APIFieldError `json:"fields,omitempty"`
	} `json:"error"`
}

type APIFieldError struct {
	Field   string `json:"field"`
	Label   string `json:"label"`
	Message string `json:"message"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	var body APIError
	body.Error.Code = string(errs.CodeOf(err))
	for i, fe := range s.fieldErrors(rc(r).lang, err) {
		if i == 0 {
			body.Error.Message = fe.Message
		}
		if fe.Field != "" {
			body.Error.Fields = append(body.Error.Fields, APIFieldError{fe.Field, fe.Label, fe.Message})
		}
	}
	writeJSON(w, status(err), body)
}

// API shapes. Personal numbers come masked unless the caller works at the applicant's front desk.

type OrgJSON struct {
	ID       string   `json:"id"`
	ParentID string   `json:"parent_id,omitempty"`
	Kind     string   `json:"kind"`
	Level    int      `json:"level,omitempty"`
	Code     string   `json:"code,omitempty"`
	Subtype  string   `json:"subtype,omitempty"`
	NameZh   string   `json:"name_zh"`
	NameMn   string   `json:"name_mn,omitempty"`
	MnReview bool     `json:"mn_review"`
	Abbr     string   `json:"abbr,omitempty"`
	Desk     string   `json:"desk,omitempty"`
	General  bool     `json:"general,omitempty"`
	Note     string   `json:"note,omitempty"`
	Aliases  []string `json:"aliases,omitempty"`
	Version  int      `json:"version"`
}

func orgJSON(o org.Org) OrgJSON {
	return OrgJSON{o.ID, o.ParentID, string(o.Kind), o.Kind.Level(), o.Code, o.Subtype, o.NameZh, o.NameMn, o.MnReview, o.Abbr, string(o.Desk), o.General, o.Note, o.Aliases, o.Version}
}

type StaffJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Phone    string `json:"phone,omitempty"`
	Role     string `json:"role"`
	OrgID    string `json:"org_id"`
	Lang     string `json:"lang"`
	Active   bool   `json:"active"`
}

func staffJSON(s people.Staff) StaffJSON {
	return StaffJSON{s.ID, s.Username, s.Name, s.Phone, string(s.Role), s.OrgID, s.Lang, s.Active}
}

type ApplicantJSON struct {
	ID             string    `json:"id"`
	Kind           string    `json:"kind"`
	Name           string    `json:"name"`
	IDNumber       string    `json:"id_number,omitempty"`
	CreditCode     string    `json:"credit_code,omitempty"`
	CreditOverride string    `json:"credit_override,omitempty"`
	Phone          string    `json:"phone,omitempty"`
	Address        string    `json:"address,omitempty"`
	OrgID          string    `json:"org_id"`
	Version        int       `json:"version"`
	Created        time.Time `json:"created"`
}

func applicantJSON(a people.Applicant) ApplicantJSON {
	return ApplicantJSON{a.ID, string(a.Kind), a.Name, a.IDNumber, a.CreditCode, a.CreditOverride, a.Phone, a.Address, a.OrgID, a.Version, a.Created}
}

type LoginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// TOTP is the second factor (TOTP or a recovery code) of an account that has one.
	TOTP string `json:"totp,omitempty"`
}

type SessionJSON struct {
	Token   string    `json:"token"`
	CSRF    string    `json:"csrf"`
	Expires time.Time `json:"expires"`
	Staff   StaffJSON `json:"staff"`
}

type PasswordInput struct {
	Old     string `json:"old_password"`
	New     string `json:"new_password"`
	Confirm string `json:"confirm_password"`
}

type OK struct {
	OK bool `json:"ok"`
}

func mapAll[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

// MoveInput is one move on a case.
type MoveInput struct {
	Version int         `json:"version"`
	Action  string      `json:"action"`
	Input   cases.Input `json:"input"`
}

// CaseWork is a case with its deadline and the moves the caller may make.
type CaseWork struct {
	Case cases.Case `json:"case"`
	Due  string     `json:"due,omitempty"`
	// DueProvisional: the due date was counted over a year whose official holiday schedule is not loaded, on
	// the statutory holidays alone (按法定节假日推算); loading the schedule may move it.
	DueProvisional bool   `json:"due_provisional"`
	Remaining      int    `json:"remaining_working_days"`
	Card           string `json:"card,omitempty"`
	// Phase is the clock due and card are of: intake (行政许可法 第32条), decision, issue (第44条);
	// DeemedAccepted flags a case the window left past its five working days (逾期视为受理).
	Phase          string         `json:"phase,omitempty"`
	DeemedAccepted bool           `json:"deemed_accepted,omitempty"`
	Moves          []cases.Action `json:"moves"`
	// Awaits is the case of the bundle this one waits for (its grant makes this one acceptable), while it
	// cannot yet be accepted.
	Awaits *service.Awaiting `json:"awaits,omitempty"`
}

func caseWork(w service.Work) CaseWork {
	cw := CaseWork{Case: w.Case, DueProvisional: w.DueProvisional, Remaining: w.Remaining, Card: string(w.Card), Moves: w.Mine,
		Phase: string(w.Phase), DeemedAccepted: w.Deemed, Awaits: w.Awaits}
	if !w.Due.IsZero() {
		cw.Due = w.Due.String()
	}
	return cw
}

// NoticeJSON is a notice of a case: its kind, number, and the public address that verifies it.
type NoticeJSON struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind"`
	No     string    `json:"no"`
	Verify string    `json:"verify"` // /verify/{code}, the address in the printed QR code
	Issued time.Time `json:"issued"`
}

func noticeJSON(n store.Notice) NoticeJSON {
	return NoticeJSON{n.ID, n.Kind, n.No, "/verify/" + n.Code, n.Issued}
}

// HandoffJSON is a transfer list of 通办 originals with its sent and received marks.
type HandoffJSON struct {
	ID             string              `json:"id"`
	No             string              `json:"no"`
	From           string              `json:"from_org"`
	To             string              `json:"to_org"`
	Sent           time.Time           `json:"sent"`
	SentBy         string              `json:"sent_by"`
	SentByName     string              `json:"sent_by_name"`
	Received       *time.Time          `json:"received,omitempty"`
	ReceivedBy     string              `json:"received_by,omitempty"`
	ReceivedByName string              `json:"received_by_name,omitempty"`
	Originals      int                 `json:"originals"`
	Cases          []store.HandoffCase `json:"cases,omitempty"`
}

func handoffJSON(h store.Handoff) HandoffJSON {
	j := HandoffJSON{h.ID, h.No, h.From, h.To, h.Sent, h.SentBy, h.SentByName, nil, h.ReceivedBy, h.ReceivedByName, h.Originals(), h.Cases}
	if !h.Received.IsZero() {
		j.Received = &h.Received
	}
	return j
}

// TransferGroupJSON is what waits to go to one handling township.
type TransferGroupJSON struct {
	To        OrgJSON             `json:"to"`
	Originals int                 `json:"originals"`
	Cases     []store.HandoffCase `json:"cases"`
}

// TransferBoardJSON is a township's transfer page.
type TransferBoardJSON struct {
	Township OrgJSON             `json:"township"`
	Pending  []TransferGroupJSON `json:"pending"`
	Sent     []HandoffJSON       `json:"sent"`
	Incoming []HandoffJSON       `json:"incoming"`
	// the cursors of the next page of each list (?sent=, ?incoming=), none on the last
	SentNext     string `json:"sent_next,omitempty"`
	IncomingNext string `json:"incoming_next,omitempty"`
}

// SendTransferInput names the handling township whose waiting originals go on one list.
type SendTransferInput struct {
	To string `json:"to_org"`
}

// apiOps is the API's route table.
func (s *Server) apiOps() []apiOp {
	return []apiOp{
		op(s, "POST", "/api/v1/session", "login", "Log in; the token goes in Authorization: Bearer or the bm_session cookie", false,
			func(r *http.Request, c *reqCtx, in LoginInput) (SessionJSON, error) {
				me, sess, err := s.svc.LoginWithCode(r.Context(), in.Username, in.Password, in.TOTP, s.clientAddr(r))
				return SessionJSON{sess.Token, sess.CSRF, sess.Expires, staffJSON(me)}, err
			}),
		op(s, "DELETE", "/api/v1/session", "logout", "Log out", true,
			func(r *http.Request, c *reqCtx, _ empty) (OK, error) {
				return OK{true}, s.svc.Logout(r.Context(), c.token)
			}),
		op(s, "GET", "/api/v1/me", "me", "The signed-in account", true,
			func(r *http.Request, c *reqCtx, _ empty) (StaffJSON, error) { return staffJSON(*c.me), nil }),
		op(s, "POST", "/api/v1/me/password", "changePassword", "Change one's own password", true,
			func(r *http.Request, c *reqCtx, in PasswordInput) (OK, error) {
				return OK{true}, s.svc.ChangePassword(r.Context(), *c.me, c.token, in.Old, in.New, in.Confirm)
			}),
		op(s, "GET", "/api/v1/orgs", "listOrgs", "Organisations in the caller's subtree; ?kind= filters", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]OrgJSON, error) {
				var kinds []org.Kind
				if k := r.URL.Query().Get("kind"); k != "" {
					kinds = append(kinds, org.Kind(k))
				}
				list, err := s.svc.Visible(r.Context(), c.me.Actor(), kinds...)
				return mapAll(list, orgJSON), err
			}),
		op(s, "GET", "/api/v1/orgs/{id}", "getOrg", "One organisation", true,
			func(r *http.Request, c *reqCtx, _ empty) (OrgJSON, error) {
				o, err := s.svc.Org(r.Context(), c.me.Actor(), r.PathValue("id"))
				return orgJSON(o), err
			}),
		op(s, "POST", "/api/v1/orgs", "createOrg", "Add an organisation (window, station, department ...) under a parent", true,
			func(r *http.Request, c *reqCtx, in service.OrgInput) (OrgJSON, error) {
				o, err := s.svc.CreateOrg(r.Context(), c.me.Actor(), in)
				return orgJSON(o), err
			}),
		op(s, "PATCH", "/api/v1/orgs/{id}", "renameOrg", "Correct names; version must be the one read (optimistic locking)", true,
			func(r *http.Request, c *reqCtx, in service.RenameInput) (OrgJSON, error) {
				o, err := s.svc.RenameOrg(r.Context(), c.me.Actor(), r.PathValue("id"), in)
				return orgJSON(o), err
			}),
		op(s, "POST", "/api/v1/divisions", "importDivisions", "Import a division file (all or nothing)", true,
			func(r *http.Request, c *reqCtx, in org.DivisionFile) (service.ImportResult, error) {
				b, _ := json.Marshal(in)
				return s.svc.ImportDivisions(r.Context(), c.me.Actor(), bytesReader(b))
			}),
		op(s, "GET", "/api/v1/orgs/{id}/staff", "listStaff", "Accounts under an organisation", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]StaffJSON, error) {
				list, err := s.svc.ListStaff(r.Context(), c.me.Actor(), r.PathValue("id"))
				return mapAll(list, staffJSON), err
			}),
		op(s, "DELETE", "/api/v1/staff/{id}/signin-waits", "clearSignInWaits", "End the waits an account's failed sign-ins caused, from every address (whoever manages the account)", true,
			func(r *http.Request, c *reqCtx, _ empty) (empty, error) {
				return empty{}, s.svc.ClearSignInWaits(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "DELETE", "/api/v1/staff/{id}/second-factor", "removeSecondFactor", "Remove an account's second factor (a lost phone): its sessions end and it enrols again (whoever manages the account)", true,
			func(r *http.Request, c *reqCtx, _ empty) (empty, error) {
				return empty{}, s.svc.RemoveSecondFactor(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/staff", "createStaff", "Create an account", true,
			func(r *http.Request, c *reqCtx, in service.StaffInput) (StaffJSON, error) {
				st, err := s.svc.CreateStaff(r.Context(), c.me.Actor(), in)
				return staffJSON(st), err
			}),
		op(s, "GET", "/api/v1/orgs/{id}/applicants", "listApplicants", "Applicants under an organisation (masked)", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]ApplicantJSON, error) {
				list, err := s.svc.Applicants(r.Context(), c.me.Actor(), r.PathValue("id"), 500)
				return mapAll(list, applicantJSON), err
			}),
		withHeader(op(s, "POST", "/api/v1/applicants", "createApplicant", "Register an applicant; send Idempotency-Key to make retries safe", true,
			func(r *http.Request, c *reqCtx, in service.ApplicantInput) (ApplicantJSON, error) {
				a, err := s.svc.CreateApplicant(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
				return applicantJSON(a), err
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/items", "searchItems", "Search the published catalog: ?q= Chinese, pinyin (full or initials) or Mongolian; public", false,
			func(r *http.Request, c *reqCtx, _ empty) ([]catalog.Card, error) {
				res, err := s.svc.Search(r.Context(), r.URL.Query().Get("q"), 30)
				out := make([]catalog.Card, len(res))
				for i, x := range res {
					out[i] = x.Card
				}
				return out, err
			}),
		op(s, "GET", "/api/v1/items/{id}", "getItem", "One published item with its whole guide; ?v= reads an earlier published version; public", false,
			func(r *http.Request, c *reqCtx, _ empty) (catalog.Item, error) { return s.guideItem(r) }),
		withHeader(op(s, "POST", "/api/v1/cases", "receiveCase", "Receive an application at the caller's window or station; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.ReceiveInput) (cases.Case, error) {
				return s.svc.Receive(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		withHeader(op(s, "POST", "/api/v1/bundles/{id}/cases", "receiveBundle", "Receive a bundle (一件事): one case per item, issued together; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.ReceiveInput) ([]cases.Case, error) {
				return s.svc.ReceiveBundle(r.Context(), c.me.Actor(), r.PathValue("id"), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/cases", "listCases", findCasesDoc, true,
			func(r *http.Request, c *reqCtx, _ empty) (CasePageJSON, error) { return s.apiFindCases(r, c) }),
		op(s, "GET", "/api/v1/applicants", "findApplicants", findApplicantsDoc, true,
			func(r *http.Request, c *reqCtx, _ empty) (ApplicantPageJSON, error) { return s.apiFindApplicants(r, c) }),
		op(s, "GET", "/api/v1/supervision", "supervisionDashboard", "Supervision figures of the caller's subtree: ?dim= (township, department, window, person, item, channel), ?month=2026-10 or ?from=&until=, ?township=", true,
			func(r *http.Request, c *reqCtx, _ empty) (DashboardJSON, error) {
				q, err := s.dashboardQuery(r)
				if err != nil {
					return DashboardJSON{}, err
				}
				d, err := s.svc.Dashboard(r.Context(), c.me.Actor(), q)
				return dashboardJSON(d), err
			}),
		op(s, "GET", "/api/v1/cases/{id}", "getCase", "One case", true,
			func(r *http.Request, c *reqCtx, _ empty) (CaseWork, error) {
				w, _, err := s.svc.CaseFor(r.Context(), c.me.Actor(), r.PathValue("id"))
				return caseWork(w), err
			}),
		op(s, "POST", "/api/v1/cases/{id}/moves", "moveCase", "Make a move; version must be the one read (optimistic locking). Actions: "+moveNames()+
			" (request_extension: the back office, with days and reason, within 行政许可法 第42条's cap; approve_extension / reject_extension: the head of the deciding organ (行政许可法 第42条); a village agent makes no accept, accept_owed, refuse or decide except on items its station concludes (嘎查村可直接办理); owed_arrived: the window, materials owed → original or copy)", true,
			func(r *http.Request, c *reqCtx, in MoveInput) (cases.Case, error) {
				return s.svc.Act(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, cases.Action(in.Action), in.Input)
			}),
		op(s, "POST", "/api/v1/cases/{id}/result-code", "resendResultCode", "Send the applicant a new code for an issued electronic result not yet downloaded (the window that issued it): the former code and its count of wrong attempts end", true,
			func(r *http.Request, c *reqCtx, _ empty) (cases.Case, error) {
				return s.svc.ResendResultCode(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "GET", "/api/v1/cases/{id}/notices", "listCaseNotices", "A case's notices (文书), each numbered, with the public address its QR code opens", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]NoticeJSON, error) {
				list, err := s.svc.Notices(r.Context(), c.me.Actor(), r.PathValue("id"))
				return mapAll(list, noticeJSON), err
			}),
		op(s, "GET", "/api/v1/transfers", "listTransfers", "The caller's township's 通办 originals: waiting by handling township, lists sent, lists coming in (township front desk), 20 lists of each a page: ?sent= and ?incoming= take the cursors sent_next and incoming_next", true,
			func(r *http.Request, c *reqCtx, _ empty) (TransferBoardJSON, error) {
				b, err := s.svc.Transfers(r.Context(), c.me.Actor(), transferCursors(r))
				out := TransferBoardJSON{Township: orgJSON(b.Township), Sent: mapAll(b.Sent, handoffJSON), Incoming: mapAll(b.Incoming, handoffJSON),
					SentNext: b.SentNext, IncomingNext: b.IncomingNext}
				out.Pending = mapAll(b.Pending, func(g service.TransferGroup) TransferGroupJSON {
					return TransferGroupJSON{orgJSON(g.To), g.Originals(), g.Cases}
				})
				return out, err
			}),
		withHeader(op(s, "POST", "/api/v1/transfers", "sendTransfer", "Put the originals waiting for one handling township on a list (移交清单) and mark it sent; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in SendTransferInput) (HandoffJSON, error) {
				h, err := s.svc.SendTransfer(r.Context(), c.me.Actor(), in.To, r.Header.Get("Idempotency-Key"))
				return handoffJSON(h), err
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/transfers/{id}", "getTransfer", "One transfer list, for the front desk of either township", true,
			func(r *http.Request, c *reqCtx, _ empty) (HandoffJSON, error) {
				h, err := s.svc.Transfer(r.Context(), c.me.Actor(), r.PathValue("id"))
				return handoffJSON(h), err
			}),
		op(s, "POST", "/api/v1/transfers/{id}/received", "receiveTransfer", "Mark a list received at the handling township (once; a second mark returns the first)", true,
			func(r *http.Request, c *reqCtx, _ empty) (HandoffJSON, error) {
				h, err := s.svc.ReceiveTransfer(r.Context(), c.me.Actor(), r.PathValue("id"))
				return handoffJSON(h), err
			}),
		op(s, "GET", "/api/v1/applicants/{id}", "getApplicant", "One applicant; masked unless the caller works at its front desk", true,
			func(r *http.Request, c *reqCtx, _ empty) (ApplicantJSON, error) {
				a, err := s.svc.Applicant(r.Context(), c.me.Actor(), r.PathValue("id"))
				return applicantJSON(a), err
			}),
	}
}

// Residents' API: their own sessions (tokens starting "r_"), refused by every staff operation, and staff
// tokens refused here.

type ResidentJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"` // masked
	Phone    string `json:"phone"`     // masked
	OrgID    string `json:"org_id"`
}

func residentJSON(r people.ResidentAccount) ResidentJSON {
	return ResidentJSON{r.ID, r.Name, people.MaskIDNumber(r.IDNumber), people.MaskPhone(r.Phone), r.OrgID}
}

type ResidentSessionJSON struct {
	Token    string       `json:"token,omitempty"`
	Expires  time.Time    `json:"expires,omitzero"`
	Resident ResidentJSON `json:"resident,omitzero"`
	// A registration of a number on record with a phone waits for the code sent there (202 Accepted, no
	// token): send the code as sms_code with this ticket as registration_ticket, from the same client.
	CodeSentTo         string `json:"code_sent_to,omitempty"`
	RegistrationTicket string `json:"registration_ticket,omitempty"`
	Message            string `json:"message,omitempty"`
}

func (j ResidentSessionJSON) status() int {
	if j.RegistrationTicket != "" {
		return http.StatusAccepted
	}
	return 0
}

type ResidentLoginInput struct {
	IDNumber string `json:"id_number"`
	Password string `json:"password"`
}

type ApplyInput struct {
	ItemID string `json:"item_id"`
}

// MyCaseJSON is one of the resident's applications.
type MyCaseJSON struct {
	ID       string `json:"id"`
	No       string `json:"no"`
	ItemName string `json:"item_name"`
	Channel  string `json:"channel"`
	State    string `json:"state"`
	Received string `json:"received"`
	Due      string `json:"due,omitempty"`
	// DueProvisional: the due date is counted on the statutory holidays (按法定节假日推算)
	DueProvisional bool   `json:"due_provisional"`
	Track          string `json:"track"` // the public tracking page of the case
}

func myCaseJSON(m service.MyCase) MyCaseJSON {
	j := MyCaseJSON{ID: m.Case.ID, No: m.Case.No, ItemName: m.Case.ItemName, Channel: string(m.Case.Channel), State: string(m.Case.State),
		Received: m.Case.Received.Format(time.RFC3339), Track: "/track?no=" + url.QueryEscape(m.Case.No)}
	if m.Phone4 != "" {
		j.Track += "&phone4=" + m.Phone4
	}
	if !m.Due.IsZero() {
		j.Due, j.DueProvisional = m.Due.String(), m.DueProvisional
	}
	return j
}

// TrackingJSON is a case's public timeline.
type TrackingJSON struct {
	No       string `json:"no"`
	ItemName string `json:"item_name"`
	State    string `json:"state"`
	Due      string `json:"due,omitempty"`
	// DueProvisional: the due date is counted on the statutory holidays (按法定节假日推算)
	DueProvisional bool          `json:"due_provisional"`
	Events         []cases.Event `json:"events"`
}

// residentOp is an operation for a signed-in resident: staff tokens and anonymous callers are refused.
func residentOp[In, Out any](s *Server, method, path, id, summary string, fn func(r *http.Request, c *reqCtx, in In) (Out, error)) apiOp {
	o := op(s, method, path, id, summary, false, func(r *http.Request, c *reqCtx, in In) (Out, error) {
		if c.resident == nil {
			var zero Out
			return zero, errs.New(errs.Unauthenticated, "err.session")
		}
		return fn(r, c, in)
	})
	o.Auth = true // the OpenAPI document names the bearer token
	return o
}

func (s *Server) residentOps() []apiOp {
	return []apiOp{
		op(s, "POST", "/api/v1/residents", "registerResident", "A resident registers (name, ID number, mobile, residence, password) and is signed in; the token is a resident token", false,
			func(r *http.Request, c *reqCtx, in service.RegisterInput) (ResidentSessionJSON, error) {
				res, sess, err := s.svc.RegisterResident(r.Context(), in, s.clientAddr(r))
				var pending *service.RegistrationPending
				if errors.As(err, &pending) { // the person is on record with a phone: the code went there
					return ResidentSessionJSON{CodeSentTo: pending.Phone, RegistrationTicket: pending.Ticket,
						Message: s.cat.T(rc(r).lang, "resident.sms_sent", "phone", pending.Phone)}, nil
				}
				return ResidentSessionJSON{Token: sess.Token, Expires: sess.Expires, Resident: residentJSON(res)}, err
			}),
		op(s, "POST", "/api/v1/cases/{id}/verify-identity", "verifyResidentIdentity", "The window saw the identity card of the applicant of a case handed in online: the account that filed it may file further cases online", true,
			func(r *http.Request, c *reqCtx, _ empty) (ResidentJSON, error) {
				res, err := s.svc.VerifyResidentIdentity(r.Context(), c.me.Actor(), r.PathValue("id"))
				return residentJSON(res), err
			}),
		op(s, "POST", "/api/v1/applicants/{id}/reclaim-account", "reclaimIDNumber", "The person, seen at the window, takes their ID number back from a resident account someone else made with it; the phone they bring goes on record and they register again", true,
			func(r *http.Request, c *reqCtx, in service.ReclaimInput) (OK, error) {
				return OK{true}, s.svc.ReclaimIDNumber(r.Context(), c.me.Actor(), r.PathValue("id"), in)
			}),
		op(s, "POST", "/api/v1/resident/session", "residentLogin", "A resident signs in with ID number and password; throttled and locked like staff logins", false,
			func(r *http.Request, c *reqCtx, in ResidentLoginInput) (ResidentSessionJSON, error) {
				res, sess, err := s.svc.ResidentLogin(r.Context(), in.IDNumber, in.Password, s.clientAddr(r))
				return ResidentSessionJSON{Token: sess.Token, Expires: sess.Expires, Resident: residentJSON(res)}, err
			}),
		residentOp(s, "DELETE", "/api/v1/resident/session", "residentLogout", "A resident signs out",
			func(r *http.Request, c *reqCtx, _ empty) (OK, error) {
				return OK{true}, s.svc.ResidentLogout(r.Context(), c.rtoken)
			}),
		residentOp(s, "GET", "/api/v1/resident/cases", "myCases", "The resident's own online applications, newest first, with state, due date and tracking link",
			func(r *http.Request, c *reqCtx, _ empty) ([]MyCaseJSON, error) {
				list, err := s.svc.MyCases(r.Context(), *c.resident)
				return mapAll(list, myCaseJSON), err
			}),
		withHeader(residentOp(s, "POST", "/api/v1/resident/cases", "applyOnline", "Apply online for a published item (channel online, handled by the township of residence); send Idempotency-Key",
			func(r *http.Request, c *reqCtx, in ApplyInput) (MyCaseJSON, error) {
				cs, err := s.svc.ApplyOnline(r.Context(), *c.resident, in.ItemID, r.Header.Get("Idempotency-Key"))
				return MyCaseJSON{ID: cs.ID, No: cs.No, ItemName: cs.ItemName, Channel: string(cs.Channel), State: string(cs.State), Received: cs.Received.Format(time.RFC3339)}, err
			}), "Idempotency-Key"),
		residentOp(s, "GET", "/api/v1/resident/cases/{id}", "myCase", "The public timeline of one of the resident's own applications; anyone else's is not found",
			func(r *http.Request, c *reqCtx, _ empty) (TrackingJSON, error) {
				t, err := s.svc.MyCase(r.Context(), *c.resident, r.PathValue("id"))
				j := TrackingJSON{No: t.No, ItemName: t.ItemName, State: string(t.State)}
				if !t.Due.IsZero() {
					j.Due, j.DueProvisional = t.Due.String(), t.DueProvisional
				}
				for _, e := range t.Events {
					j.Events = append(j.Events, e.Event)
				}
				return j, err
			}),
	}
}

// moveNames lists the actions a move may name, from the transition table.
func moveNames() string {
	names := make([]string, len(cases.Actions))
	for i, a := range cases.Actions {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

func withHeader(o apiOp, h ...string) apiOp {
	o.Header = append(o.Header, h...)
	return o
}

func (s *Server) mountAPI(mux *http.ServeMux) {
	ops := slices.Concat(s.apiOps(), s.residentOps(), s.fileOps(), s.stationOps(), s.hallOps(), s.mnOps(), s.ratingOps(), s.rosterOps(), s.jointOps(), s.delegationOps(), s.upstreamOps(), s.pageOps(), s.actionOps())
	for _, o := range ops {
		h := o.handle
		if replicaOps[o.ID] {
			h = s.fromReplica(h)
		}
		mux.HandleFunc(o.Method+" "+o.Path, h)
	}
	doc := openAPI(ops)
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, doc) })
}
