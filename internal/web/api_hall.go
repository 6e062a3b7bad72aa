package web

import (
	"net/http"

	"bianmin/internal/hall"
	"bianmin/internal/service"
)

// The hall's API rows (issue 10): the board for screens and phones, and the window's calls for a desk
// client or a hardware caller (叫号器).

// TicketJSON is a ticket as the API shows it: no name, no ID number.
type TicketJSON struct {
	ID        string `json:"id"`
	No        string `json:"no"`
	Category  string `json:"category"`
	State     string `json:"state"`
	Source    string `json:"source"`
	Window    string `json:"window,omitempty"`
	Calls     int    `json:"calls"`
	WaitSec   int    `json:"wait_seconds"`
	CaseID    string `json:"case_id,omitempty"`
	EnquiryID string `json:"enquiry_id,omitempty"`
	Version   int    `json:"version"`
}

func ticketJSON(t hall.Ticket) TicketJSON {
	return TicketJSON{ID: t.ID, No: t.No, Category: string(t.Category), State: string(t.State), Source: string(t.Source), Window: t.WindowName,
		Calls: t.Calls, WaitSec: int(t.Wait().Seconds()), CaseID: t.CaseID, EnquiryID: t.EnquiryID, Version: t.Version}
}

// TicketIn asks for a desk ticket of a category.
type TicketIn struct {
	Category string `json:"category"`
}

// MoveIn is a window's move on a ticket: recall, skip, finish or transfer (to a window or a category).
type MoveIn struct {
	Move     string `json:"move"`
	Target   string `json:"target,omitempty"`
	Category string `json:"category,omitempty"`
}

// LinkIn keeps what came of a visit.
type LinkIn struct {
	CaseID    string `json:"case_id,omitempty"`
	EnquiryID string `json:"enquiry_id,omitempty"`
}

func (s *Server) hallOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/hall/boards/{center}", "hallBoard", "A center's display board: the numbers being called and where, waiting counts and average waits by category (public)", false,
			func(r *http.Request, c *reqCtx, _ empty) (BoardJSON, error) {
				b, err := s.svc.Board(r.Context(), r.PathValue("center"))
				return boardJSON(b), err
			}),
		op(s, "POST", "/api/v1/hall/centers/{center}/tickets", "hallIssueTicket", "The reception desk issues a ticket of a category (Idempotency-Key); refused while the center is closed", true,
			func(r *http.Request, c *reqCtx, in TicketIn) (TicketJSON, error) {
				actor := c.me.Actor()
				t, err := s.svc.TakeTicket(r.Context(), &actor, r.PathValue("center"), hall.Category(in.Category), r.Header.Get("Idempotency-Key"))
				return ticketJSON(t), err
			}),
		op(s, "POST", "/api/v1/hall/call", "hallCallNext", "Call the next ticket to the caller's window (the one being served is finished)", true,
			func(r *http.Request, c *reqCtx, _ empty) (TicketJSON, error) {
				t, err := s.svc.CallNext(r.Context(), c.me.Actor())
				return ticketJSON(t), err
			}),
		op(s, "POST", "/api/v1/hall/tickets/{id}/moves", "hallMoveTicket", "Recall, skip (过号), finish or transfer a ticket the caller's window called", true,
			func(r *http.Request, c *reqCtx, in MoveIn) (TicketJSON, error) {
				t, err := s.svc.MoveTicket(r.Context(), c.me.Actor(), r.PathValue("id"), hall.Move(in.Move), in.Target, hall.Category(in.Category))
				return ticketJSON(t), err
			}),
		op(s, "POST", "/api/v1/hall/tickets/{id}/link", "hallLinkTicket", "Keep the case or the enquiry a ticket became", true,
			func(r *http.Request, c *reqCtx, in LinkIn) (TicketJSON, error) {
				t, err := s.svc.LinkTicket(r.Context(), c.me.Actor(), r.PathValue("id"), in.CaseID, in.EnquiryID)
				return ticketJSON(t), err
			}),
		op(s, "POST", "/api/v1/hall/appointments", "hallBookByPhone", "The desk books a slot for a caller (name and phone)", true,
			func(r *http.Request, c *reqCtx, in service.BookInput) (AppointmentJSON, error) {
				actor := c.me.Actor()
				a, err := s.svc.Book(r.Context(), nil, &actor, in, r.Header.Get("Idempotency-Key"))
				return appointmentJSON(a), err
			}),
	}
}

// AppointmentJSON is a booking as the API shows it.
type AppointmentJSON struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Day      string `json:"day"`
	Slot     string `json:"slot"`
	Code     string `json:"code"`
	State    string `json:"state"`
	Channel  string `json:"channel"`
}

func appointmentJSON(a hall.Appointment) AppointmentJSON {
	return AppointmentJSON{ID: a.ID, Category: string(a.Category), Day: a.Day, Slot: a.Slot, Code: a.Code, State: string(a.State), Channel: string(a.Channel)}
}
