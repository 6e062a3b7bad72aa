package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// Sender delivers a message to a phone. The default writes to the log; a deployment points Bianmin at its SMS
// gateway (HTTPSender).
type Sender interface {
	Send(ctx context.Context, phone, body string) error
}

// LogSender writes messages to the log instead of sending them.
type LogSender struct{ Log *slog.Logger }

func (l LogSender) Send(ctx context.Context, phone, body string) error {
	l.Log.Info("message", "to", phone, "body", body)
	return nil
}

// HTTPSender posts {"phone": ..., "body": ...} as JSON to an SMS gateway; any status other than 2xx is a
// failure to retry.
type HTTPSender struct {
	URL    string
	Client *http.Client
}

func (h HTTPSender) Send(ctx context.Context, phone, body string) error {
	b, _ := json.Marshal(map[string]string{"phone": phone, "body": body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	c := h.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("gateway: %s", resp.Status)
	}
	return nil
}

// messageFor says which message and which notice a move brings: templates named msg.<name> in the catalog,
// notices by kind.
func messageFor(c cases.Case, ev cases.Event) (template, notice string) {
	switch ev.Action {
	case cases.Accept:
		return "accepted", "accept"
	case cases.AcceptOwed:
		return "accepted", "accept_owed"
	case cases.AskCorrection:
		return "correction", "correction"
	case cases.Refuse:
		return "refused", "refuse"
	case cases.Decide:
		if c.Decision != nil && c.Decision.Grant {
			return "decided", "grant"
		}
		return "decided", "deny"
	case cases.Terminate:
		return "terminated", ""
	case cases.Revoke:
		return "revoked", cases.NoticeRevoke // a pledge proved false: reasons and remedies
	case cases.ApproveExtension:
		return "extended", "extension" // 第42条: the applicant is told, with the reasons
	case cases.Suspend:
		if len(c.Suspensions) > 0 && c.Suspensions[len(c.Suspensions)-1].Kind == "补正" {
			return "correction", "correction"
		}
		return "suspended", ""
	case cases.Issue: // the 送达回证 goes with the result, by whatever way it goes
		switch {
		case c.Delivery != nil && c.Delivery.Method == "post":
			return "posted", "delivery"
		case c.Delivery != nil && c.Delivery.Method == "electronic":
			return "electronic", "delivery"
		}
		return "ready", "delivery"
	}
	return "", ""
}

// NoticesFor lists the kinds of notice a move issues, in the order they are issued: the move's own, then the
// 告知承诺书 beside an acceptance under a pledge. The dataset generator issues the same.
func NoticesFor(c cases.Case, ev cases.Event) []string {
	_, kind := messageFor(c, ev)
	if kind == "" {
		return nil
	}
	return append([]string{kind}, pledgeNotice(c, ev)...)
}

// NoticePaper is what a move's notices say: what the move made of the case, the move's reason, the deadline,
// the organisation the notice is issued in the name of and who made the move ("" for Bianmin's own moves).
// The dataset generator's notices are made by it too.
func NoticePaper(c cases.Case, ev cases.Event, issuer string, due clock.DueDay, by string) cases.Paper {
	return cases.Paper{Case: c, Reason: ev.Note, Due: due.Day, DueProvisional: due.Provisional, Issuer: issuer, By: by}
}

// issueNotice numbers, in the move's transaction, the notice the move issues, keeping what it says: what
// the move made of the case (cases.Paper.Keep), the move's reason, the deadline and who made the move.
func (s *Service) issueNotice(tx *store.Tx, actor access.Actor, c cases.Case, ev cases.Event, issuer org.Org, due clock.DueDay) error {
	_, kind := messageFor(c, ev)
	if kind == "" {
		return nil
	}
	// numbered and printed in the name of the organ that issues it (cases.NoticeOrgan)
	prefix := numberPrefix(issuer)
	by := actor.Name
	if actor.System {
		by = ""
	}
	p := NoticePaper(c, ev, issuer.ID, due, by)
	// the 告知承诺书 keeps what the 受理通知书 beside it keeps (the checked materials, the pledge): it refers
	// to that notice's paper instead of keeping it again (issue 18), when the two say the same byte for byte
	kinds := NoticesFor(c, ev)
	series := make([]store.Series, len(kinds))
	for i, k := range kinds {
		series[i] = store.NoticeSeries(prefix, k, localYear(tx.Now()))
	}
	if err := tx.TakeAhead(series...); err != nil { // two notices' numbers in one round trip
		return err
	}
	var prev store.Notice
	for _, k := range kinds {
		doc, err := p.Keep(k)
		if err != nil {
			return err
		}
		same := store.Notice{}
		if prev.Doc == string(doc) {
			same = prev
		}
		if prev, err = tx.IssueNotice(c, k, prefix, localYear(tx.Now()), string(doc), same); err != nil {
			return err
		}
	}
	return nil
}

// noticeIssuer is the organisation in whose name the move's notice is issued: the handling township, or the
// deciding organ for the decision, its extension and its service (cases.Case.NoticeOrgan).
func (s *Service) noticeIssuer(ctx context.Context, c cases.Case, ev cases.Event, handling org.Org) (org.Org, error) {
	_, kind := messageFor(c, ev)
	if id := c.NoticeOrgan(kind); kind != "" && id != handling.ID {
		return s.DB.Org(ctx, id)
	}
	return handling, nil
}

// tell queues, in the move's transaction, the message to the applicant: Mongolian first, then Chinese, each
// signed with the handling township's name (【天山镇】, as Chinese SMS are signed) and naming the item in its
// language.
func (s *Service) tell(tx *store.Tx, c cases.Case, ev cases.Event, phone string, from org.Org, extra ...string) error {
	tpl, _ := messageFor(c, ev)
	if tpl == "" || phone == "" {
		return nil
	}
	x := ofCase("msg."+tpl, extra...)
	if c.Delivery != nil {
		x = x.with("tracking", c.Delivery.Tracking)
	}
	return tx.Enqueue(x.signed(from).message(c.ID, phone, bilingual, tpl))
}

// RunOutbox sends due messages every interval until ctx ends; a failed message is tried again later, waiting
// twice as long each time, up to ten minutes.
func (s *Service) RunOutbox(ctx context.Context, sender Sender, interval time.Duration, log *slog.Logger) {
	for {
		if err := s.SendDue(ctx, sender); err != nil && ctx.Err() == nil {
			log.Warn("outbox", "err", err)
		}
		if s.woken(ctx, ChannelSMS, interval); ctx.Err() != nil {
			return
		}
	}
}

// SendDue sends the messages that are due once. They are claimed from the one outbox (store.Claim), so
// that with several instances only the one whose claim lands sends each.
func (s *Service) SendDue(ctx context.Context, sender Sender) error {
	msgs, err := s.DB.Claim(ctx, ChannelSMS, 100, claimLease)
	if err != nil {
		return err
	}
	out := make([]store.Outcome, 0, len(msgs))
	r := s.texts()
	ids := make([]string, 0, len(msgs))
	for _, m := range msgs {
		if m.Args != "" {
			ids = append(ids, m.CaseID)
		}
	}
	r.read(ctx, ids)
	for _, m := range msgs {
		text, err := r.text(ctx, m.Lang, m.CaseID, m.Args, m.Body)
		if err == nil {
			err = sender.Send(ctx, m.Phone, text)
		}
		if errors.As(err, new(unreadable)) { // no retry will read it: an operator must look
			out = append(out, store.Outcome{ID: m.ID, Park: "unreadable: " + err.Error()})
			continue
		}
		if err != nil {
			out = append(out, store.Outcome{ID: m.ID, Failed: err.Error(), Wait: min(time.Duration(1<<min(m.Attempts, 10))*time.Second, 10*time.Minute)})
			continue
		}
		out = append(out, store.Outcome{ID: m.ID, Receipt: sentReceipt(text)})
	}
	if len(out) == 0 {
		return nil
	}
	return s.DB.Settle(ctx, "", "", out)
}

// NoticeCheck is what the public verification page confirms about a notice: that it exists, what it is and
// who issued it when, and nothing about the applicant.
type NoticeCheck struct {
	Notice     store.Notice // without what it says
	ItemName   string
	ItemNameMn string
	Issuer     org.Org
}

// VerifyNotice looks a notice up by the code printed in its QR code.
func (s *Service) VerifyNotice(ctx context.Context, code string) (NoticeCheck, error) {
	n, err := s.DB.NoticeByCode(ctx, code)
	if err != nil {
		return NoticeCheck{}, err
	}
	c, err := s.DB.Case(ctx, n.CaseID)
	if err != nil {
		return NoticeCheck{}, err
	}
	issuer := c.Handling
	var p cases.Paper
	if json.Unmarshal([]byte(n.Doc), &p) == nil && p.Issuer != "" {
		issuer = p.Issuer // the organ it was issued in the name of
	}
	o, err := s.DB.Org(ctx, issuer)
	if err != nil {
		return NoticeCheck{}, err
	}
	n.Doc, n.CaseID = "", "" // the paper names the applicant: the public page never carries it
	c = s.withItemMn(ctx, c)
	return NoticeCheck{Notice: n, ItemName: c.ItemName, ItemNameMn: c.ItemNameMn, Issuer: o}, nil
}
