package web

import (
	"cmp"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/hours"
	"bianmin/internal/rating"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/translation"
)

// The operations of the page actions the API still lacked (issue 15 point 6): a staff photo, the 六有
// board's documents, where an item is implemented, the translation files brought back, the window's sign-on,
// sign-off and pause, the desk's check-in and appointment moves, opening hours, and the tablet's rating
// prompt. Each calls the service function its page calls; its rules (scope, versions, limits) are there.

// rawOp is an operation whose body is a file's bytes, not JSON (a photo, a spreadsheet): the edge caps it by
// route (bodyLimits), and the OpenAPI document names the body's type.
func rawOp[Out any](s *Server, method, path, id, summary, contentType string, fn func(r *http.Request, c *reqCtx, body []byte) (Out, error)) apiOp {
	o := op(s, method, path, id, summary, true, func(r *http.Request, c *reqCtx, _ empty) (Out, error) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var zero Out
			if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
				return zero, tooLarge(tooBig.Limit)
			}
			return zero, errs.New(errs.BadRequest, "err.edge.form")
		}
		return fn(r, c, body)
	})
	o.Raw = contentType
	return o
}

// keysetPage is one page of a list read whole (a township's items, a center's documents: tens, not
// thousands), in the order of key: the rows after the cursor, and the cursor of the next page ("" on the last).
func keysetPage[T any](list []T, key func(T) string, after string, n int) ([]T, string) {
	slices.SortFunc(list, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	i, _ := slices.BinarySearchFunc(list, after, func(x T, k string) int {
		if cmp.Compare(key(x), k) <= 0 {
			return -1
		}
		return 1
	})
	list = list[i:]
	if len(list) <= n {
		return list, ""
	}
	return list[:n], key(list[n-1])
}

// actionPage is the page size of the lists below; ?limit= asks for fewer.
const actionPage = 50

func pageLimit(r *http.Request) int {
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 && n < actionPage {
		return n
	}
	return actionPage
}

// LocalItemJSON is an item as implemented at an organisation: its name and code, and the local details.
type LocalItemJSON struct {
	ItemID         string               `json:"item_id"`
	NameZh         string               `json:"name_zh"`
	NameMn         string               `json:"name_mn,omitempty"`
	ImplCode       string               `json:"impl_code,omitempty"` // 实施编码
	Implementation store.Implementation `json:"implementation"`
}

// LocalItemPageJSON is a page of them: next is the cursor (?after=) of the following page.
type LocalItemPageJSON struct {
	Items []LocalItemJSON `json:"items"`
	Next  string          `json:"next,omitempty"`
}

// LocalDetailsJSON sets an item's local details at an organisation.
type LocalDetailsJSON struct {
	Window         string `json:"window"`
	Place          string `json:"place"`
	Hours          string `json:"hours"`
	ConsultPhone   string `json:"consult_phone"`
	ComplaintPhone string `json:"complaint_phone"`
}

// BoardDocJSON is a version of a 六有 board document.
type BoardDocJSON struct {
	ID          string    `json:"id"`
	Center      string    `json:"center"`
	Kind        string    `json:"kind"`
	Version     int       `json:"version"`
	TitleZh     string    `json:"title_zh"`
	TitleMn     string    `json:"title_mn"`
	BodyZh      string    `json:"body_zh"`
	BodyMn      string    `json:"body_mn"`
	Effective   string    `json:"effective"`
	PublishedBy string    `json:"published_by"`
	Published   time.Time `json:"published"`
}

func boardDocJSON(d roster.Doc) BoardDocJSON {
	return BoardDocJSON{d.ID, d.Center, string(d.Kind), d.Version, d.TitleZh, d.TitleMn, d.BodyZh, d.BodyMn, d.Effective.String(), d.PublishedBy, d.Published}
}

// BoardDocPageJSON is a page of a center's documents, every version, by id.
type BoardDocPageJSON struct {
	Docs []BoardDocJSON `json:"docs"`
	Next string         `json:"next,omitempty"`
}

// MnDiffJSON is one string a returned translation file changes.
type MnDiffJSON struct {
	Key     string `json:"key"`
	Zh      string `json:"zh"`
	Where   string `json:"where"`
	Before  string `json:"before"`
	After   string `json:"after"`
	Version int    `json:"version"`
}

// MnImportJSON is a returned file checked and kept to be applied: its changes, and whether it was applied.
type MnImportJSON struct {
	ID      string       `json:"id"`
	Diff    []MnDiffJSON `json:"diff"`
	Applied bool         `json:"applied"`
}

func mnImportJSON(id string, diff []translation.Diff, applied bool) MnImportJSON {
	out := MnImportJSON{ID: id, Diff: make([]MnDiffJSON, len(diff)), Applied: applied}
	for i, d := range diff {
		out.Diff[i] = MnDiffJSON{d.Key, d.Zh, d.Where, d.Before, d.After, d.Version}
	}
	return out
}

// MnAppliedJSON says how many strings an applied file changed.
type MnAppliedJSON struct {
	Changed int `json:"changed"`
}

// SignOnJSON signs the caller on at a window of their center, for the categories it calls.
type SignOnJSON struct {
	Window     string   `json:"window"`
	Categories []string `json:"categories"`
}

// PauseJSON pauses the caller's window (paused) or resumes it.
type PauseJSON struct {
	Paused bool `json:"paused"`
}

// CheckInJSON checks in an appointment at the desk by its code.
type CheckInJSON struct {
	Code string `json:"appointment_code"`
}

// AppointmentMoveJSON cancels an appointment or marks it missed (no_show).
type AppointmentMoveJSON struct {
	Move string `json:"move"`
}

// HoursJSON is a center's or station's opening hours with the version read (optimistic locking).
type HoursJSON struct {
	Hours   hours.Hours `json:"hours"`
	Version int         `json:"version"`
}

// PromptJSON asks a tablet paired with the caller's window for a rating of what was served.
type PromptJSON struct {
	Device string `json:"device"`
	rating.Subject
}

// PromptedJSON is the prompt waiting on the tablet.
type PromptedJSON struct {
	ID      string    `json:"id"`
	Device  string    `json:"device_id"`
	Expires time.Time `json:"expires"`
}

func (s *Server) actionOps() []apiOp {
	hallDone := func(err error) (OK, error) { return OK{err == nil}, err }
	return []apiOp{
		rawOp(s, "PUT", "/api/v1/staff/{id}/photo", "setStaffPhoto", "A staff member's photo for the seat cards (亮身份): the bytes of a JPEG or PNG as the body (at most 20 MB), checked, shrunk and kept as a JPEG; whoever manages the account", "image/jpeg",
			func(r *http.Request, c *reqCtx, body []byte) (OK, error) {
				err := s.svc.SetStaffPhoto(r.Context(), c.me.Actor(), r.PathValue("id"), cmp.Or(r.URL.Query().Get("name"), "photo"), body)
				return OK{err == nil}, err
			}),
		op(s, "GET", "/api/v1/people/board/{center}/docs", "listBoardDocs", "A center's 六有 board documents, every version, by id (the director of its township): ?after= ?limit=", true,
			func(r *http.Request, c *reqCtx, _ empty) (BoardDocPageJSON, error) {
				b, err := s.svc.BoardOf(r.Context(), r.PathValue("center"))
				if err == nil {
					err = c.me.Actor().Check(access.BoardEdit, b.Center.Path)
				}
				if err != nil {
					return BoardDocPageJSON{Docs: []BoardDocJSON{}}, err
				}
				list, next := keysetPage(b.All, func(d roster.Doc) string { return d.ID }, r.URL.Query().Get("after"), pageLimit(r))
				return BoardDocPageJSON{mapAll(list, boardDocJSON), next}, nil
			}),
		op(s, "POST", "/api/v1/people/board/{center}/docs", "publishBoardDoc", "Publish a new version of a 六有 board document (kind, titles and bodies in both languages, the day it takes effect)", true,
			func(r *http.Request, c *reqCtx, in roster.DocInput) (BoardDocJSON, error) {
				d, err := s.svc.PublishDoc(r.Context(), c.me.Actor(), r.PathValue("center"), in)
				return boardDocJSON(d), err
			}),
		op(s, "GET", "/api/v1/orgs/{id}/items", "listOrgItems", "The published items implemented at an organisation with their local window, place, hours and phones, by item id: ?after= ?limit=", true,
			func(r *http.Request, c *reqCtx, _ empty) (LocalItemPageJSON, error) {
				list, err := s.svc.ImplementationsAt(r.Context(), c.me.Actor(), r.PathValue("id"))
				page, next := keysetPage(list, func(l service.LocalItem) string { return l.Item.ID }, r.URL.Query().Get("after"), pageLimit(r))
				return LocalItemPageJSON{mapAll(page, func(l service.LocalItem) LocalItemJSON {
					return LocalItemJSON{l.Item.ID, l.Item.NameZh, l.Item.NameMn, l.Item.ImplCode, l.Implementation}
				}), next}, err
			}),
		op(s, "PUT", "/api/v1/orgs/{id}/items/{item}", "setOrgItem", "Where an item is implemented at an organisation and its local details (window, place, hours, consultation and complaint phones)", true,
			func(r *http.Request, c *reqCtx, in LocalDetailsJSON) (OK, error) {
				err := s.svc.SetImplementation(r.Context(), c.me.Actor(), store.Implementation{ItemID: r.PathValue("item"), OrgID: r.PathValue("id"),
					Window: in.Window, Place: in.Place, Hours: in.Hours, ConsultPhone: in.ConsultPhone, ComplaintPhone: in.ComplaintPhone})
				return OK{err == nil}, err
			}),
		rawOp(s, "POST", "/api/v1/mn/imports", "importMnFile", "Bring back a translation file (?format=xlsx, the default, or xliff; the file's bytes as the body, at most 8 MB): checked whole, any fault refuses it naming sheet, cell and column; its changes are kept to be applied", "application/octet-stream",
			func(r *http.Request, c *reqCtx, body []byte) (MnImportJSON, error) {
				format := r.URL.Query().Get("format")
				if format != "" && format != "xlsx" && format != "xliff" {
					return MnImportJSON{}, errs.Field("format", "err.import.format")
				}
				id, diff, err := s.svc.PrepareMnImport(r.Context(), c.me.Actor(), cmp.Or(format, "xlsx"), body)
				return mnImportJSON(id, diff, false), err
			}),
		op(s, "GET", "/api/v1/mn/imports/{id}", "getMnImport", "A translation file brought back: its changes and whether they were applied", true,
			func(r *http.Request, c *reqCtx, _ empty) (MnImportJSON, error) {
				diff, applied, err := s.svc.MnImport(r.Context(), c.me.Actor(), r.PathValue("id"))
				return mnImportJSON(r.PathValue("id"), diff, applied), err
			}),
		op(s, "POST", "/api/v1/mn/imports/{id}/apply", "applyMnImport", "Apply a checked translation file's changes, all or nothing (refused when a string changed since)", true,
			func(r *http.Request, c *reqCtx, _ empty) (MnAppliedJSON, error) {
				n, err := s.svc.ApplyMnImport(r.Context(), c.me.Actor(), r.PathValue("id"))
				return MnAppliedJSON{n}, err
			}),
		op(s, "POST", "/api/v1/hall/signon", "hallSignOn", "Sign on at a front-desk window of the caller's center, for the categories it calls", true,
			func(r *http.Request, c *reqCtx, in SignOnJSON) (OK, error) {
				cats := make([]hall.Category, len(in.Categories))
				for i, x := range in.Categories {
					cats[i] = hall.Category(x)
				}
				return hallDone(s.svc.SignOn(r.Context(), c.me.Actor(), in.Window, cats))
			}),
		op(s, "POST", "/api/v1/hall/signoff", "hallSignOff", "Sign off from the caller's window", true,
			func(r *http.Request, c *reqCtx, _ empty) (OK, error) {
				return hallDone(s.svc.SignOff(r.Context(), c.me.Actor()))
			}),
		op(s, "POST", "/api/v1/hall/pause", "hallPause", "Pause the caller's window (no calls to it) or resume it", true,
			func(r *http.Request, c *reqCtx, in PauseJSON) (OK, error) {
				return hallDone(s.svc.Pause(r.Context(), c.me.Actor(), in.Paused))
			}),
		op(s, "POST", "/api/v1/hall/checkin", "hallCheckIn", "Check in an appointment at the desk of the caller's center by its code: its ticket", true,
			func(r *http.Request, c *reqCtx, in CheckInJSON) (TicketJSON, error) {
				actor := c.me.Actor()
				d, err := s.svc.HallDesk(r.Context(), actor)
				if err != nil {
					return TicketJSON{}, err
				}
				t, err := s.svc.CheckIn(r.Context(), &actor, d.Center.ID, in.Code)
				return ticketJSON(t), err
			}),
		op(s, "POST", "/api/v1/hall/appointments/{id}/moves", "hallMoveAppointment", "Cancel an appointment (cancel) or mark it missed (no_show), at the desk of its center", true,
			func(r *http.Request, c *reqCtx, in AppointmentMoveJSON) (AppointmentJSON, error) {
				actor := c.me.Actor()
				a, err := s.svc.MoveAppointment(r.Context(), nil, &actor, r.PathValue("id"), in.Move)
				return appointmentJSON(a), err
			}),
		op(s, "GET", "/api/v1/hall/hours/{org}", "getHours", "A center's or station's opening hours (weekly spans in minutes of the day, exceptions, slot length and capacity) and their version; public", false,
			func(r *http.Request, c *reqCtx, _ empty) (HoursJSON, error) {
				h, v, err := s.svc.Hours(r.Context(), r.PathValue("org"))
				return HoursJSON{h, v}, err
			}),
		op(s, "PUT", "/api/v1/hall/hours/{org}", "setHours", "Set a center's or station's opening hours (its directors and administrators); version must be the one read", true,
			func(r *http.Request, c *reqCtx, in HoursJSON) (HoursJSON, error) {
				err := s.svc.SaveHours(r.Context(), c.me.Actor(), r.PathValue("org"), in.Hours, in.Version)
				if err != nil {
					return HoursJSON{}, err
				}
				h, v, err := s.svc.Hours(r.Context(), r.PathValue("org"))
				return HoursJSON{h, v}, err
			}),
		op(s, "POST", "/api/v1/ratings/prompt", "promptRating", "Ask the tablet paired with the caller's window for a rating of what was served (a case, an enquiry or a ticket): the applicant rates there", true,
			func(r *http.Request, c *reqCtx, in PromptJSON) (PromptedJSON, error) {
				p, err := s.svc.PromptRating(r.Context(), c.me.Actor(), in.Device, in.Subject)
				return PromptedJSON{p.ID, p.DeviceID, p.Expires}, err
			}),
	}
}

// rawBody is the OpenAPI request body of a rawOp.
func rawBody(contentType string) map[string]any {
	return map[string]any{"required": true, "content": map[string]any{contentType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
}
