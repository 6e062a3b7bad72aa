package web

import (
	"net/http"
	"strings"

	"bianmin/internal/errs"
	"bianmin/internal/oversight"
	"bianmin/internal/service"
)

// Orders of supervision (督办, 催办): issued from a case's page, answered from the queue, the case's page or
// the orders page; the orders page lists them all, a page at a time.

// caseOrder issues an order on a case from its page.
func (s *Server) caseOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in := oversight.Input{Kind: r.FormValue("kind"), Content: strings.TrimSpace(r.FormValue("content")), Due: r.FormValue("due")}
	_, err := s.svc.IssueOrder(r.Context(), rc(r).me.Actor(), service.OrderTarget{CaseID: id}, in, r.FormValue("idem"))
	if err == nil {
		http.Redirect(w, r, "/cases/"+id+"?done=order#orders", http.StatusSeeOther)
		return
	}
	s.caseAgain(w, r, id, err, "kind", "content", "due")
}

// orderAnswer answers an order; back to where it was answered from (the case's page, the queue, the list).
func (s *Server) orderAnswer(w http.ResponseWriter, r *http.Request) {
	o, err := s.svc.AnswerOrder(r.Context(), rc(r).me.Actor(), r.PathValue("id"), strings.TrimSpace(r.FormValue("answer")))
	back := r.FormValue("back")
	if back != "/cases" && back != "/orders" {
		back = "/orders"
	}
	if err == nil {
		if o.CaseID != "" && back != "/cases" {
			back = "/cases/" + o.CaseID + "?done=order_answer#orders"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if errs.CodeOf(err) != errs.Invalid || o.CaseID == "" {
		s.fail(w, r, err)
		return
	}
	s.caseAgain(w, r, o.CaseID, err, "answer")
}

// caseAgain shows the case's page again with a form's errors and what was typed.
func (s *Server) caseAgain(w http.ResponseWriter, r *http.Request, id string, err error, fields ...string) {
	v, verr := s.caseView(r, id)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	if errs.CodeOf(err) != errs.Invalid {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.case")
	p.Data = v
	p.Form = formValues(r, fields...)
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "case", p)
}

type ordersData struct {
	Page              service.OrderPage
	Open              bool
	NextURL, FirstURL string
}

// orderList is the orders page: newest first, open ones only when asked.
func (s *Server) orderList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	open := q.Get("open") == "1"
	page, err := s.svc.OrderList(r.Context(), rc(r).me.Actor(), open, q.Get("cursor"), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := ordersData{Page: page, Open: open}
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	p := s.page(r, "title.orders")
	p.Data = d
	s.render(w, http.StatusOK, "orders", p)
}

// OrderItem is what the "orderitem" template needs: the page, the order, and where an answer returns to.
type OrderItem struct {
	P    *Page
	O    service.OrderView
	Back string
}

// OrderItem prepares one order for the "orderitem" template.
func (p *Page) OrderItem(o service.OrderView, back string) OrderItem {
	return OrderItem{P: p, O: o, Back: back}
}

// OrderKinds are the kinds an order form offers.
func (p *Page) OrderKinds() []oversight.Kind { return oversight.Kinds }

func (p *Page) MaxOrderContent() int { return oversight.MaxContent }
func (p *Page) MaxOrderAnswer() int  { return oversight.MaxAnswer }
