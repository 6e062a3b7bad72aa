package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/rating"
	"bianmin/internal/store"
	"bianmin/internal/upstream"
)

// Channels of the one outbox (store.Outgoing): SMS to applicants, records to the upper platform, webhook
// deliveries to local systems.
const (
	ChannelSMS      = "sms"
	ChannelUpstream = "upstream"
	ChannelWebhook  = "webhook"
)

// --- writing records, in the transaction of what causes them

// receiversFor lists the active receivers whose organisation's subtree holds orgPath and that take kind.
func receiversFor(tx *store.Tx, orgPath, kind string) ([]store.Receiver, error) {
	all, err := tx.ActiveReceivers()
	if err != nil || len(all) == 0 {
		return nil, err
	}
	var out []store.Receiver
	for _, r := range all {
		if !org.InSubtree(r.OrgPath, orgPath) {
			continue
		}
		if r.Channel == ChannelWebhook && !slices.Contains(r.Events, kind) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// push writes records for each receiver: its classes of personal data withheld, in its key's order; for a
// webhook, inside the event a local system receives.
func (s *Service) push(tx *store.Tx, rs []store.Receiver, kind, orgID, caseID string, recs []upstream.Record) error {
	for _, r := range rs {
		off := make([]upstream.Class, 0, len(r.Withheld))
		for _, w := range r.Withheld {
			off = append(off, upstream.Class(w))
		}
		for _, rec := range recs {
			rec.Data = maps(rec.Data)
			upstream.Withhold(&rec, off)
			o := store.Outgoing{Channel: r.Channel, ReceiverID: r.ID, Key: rec.Key, OrgID: orgID, CaseID: caseID, Kind: string(rec.Table)}
			if r.Channel == ChannelWebhook {
				o.Kind = kind
			}
			_, err := tx.Push(o, func(o store.Outgoing) string {
				rec.ID, rec.Seq = o.ID, o.Seq
				if r.Channel == ChannelWebhook {
					return mustJSON(upstream.Event{ID: o.ID, Kind: kind, At: o.Created.Format(time.RFC3339), Record: rec})
				}
				return mustJSON(rec)
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// pushMove writes, in the move's transaction, the records a case's move sends up (upstream.ForMove) and a
// supervision record for a card the move found turned (once per case, card and receiver).
func (s *Service) pushMove(ctx context.Context, tx *store.Tx, actor access.Actor, c cases.Case, ev cases.Event, handling org.Org, due clock.DueDay) error {
	rs, err := receiversFor(tx, handling.Path, upstream.EventCase)
	if err != nil || len(rs) == 0 {
		return err
	}
	recs := upstream.ForMove(s.moveFacts(ctx, actor, c, ev, handling, due))
	if err := s.push(tx, rs, upstream.EventCase, handling.ID, c.ID, recs); err != nil {
		return err
	}
	return s.pushCards(ctx, tx, c, handling)
}

// moveFacts gathers what the exchange records of a move name: the item's codes, the applicant, the deadline.
func (s *Service) moveFacts(ctx context.Context, actor access.Actor, c cases.Case, ev cases.Event, handling org.Org, due clock.DueDay) upstream.Move {
	m := upstream.Move{Case: c, Event: ev, By: actor.Name, OrgCode: handling.Code, OrgName: handling.NameZh, Loc: s.cfg.Clock.Location}
	if actor.System {
		m.By = "系统"
	}
	if !due.Day.IsZero() {
		m.Due = due.Day.String()
	}
	if it, err := s.DB.ItemVersion(ctx, c.ItemID, c.ItemVersion); err == nil {
		m.Item = upstream.ItemCodes{BaseCode: it.BaseCode, ImplCode: it.ImplCode, HandlingCode: it.HandlingCode, Name: it.NameZh, Version: c.ItemVersion, CaseKind: it.CaseKind}
	} else {
		m.Item.Name = c.ItemName
	}
	if ev.Action == cases.Accept || ev.Action == cases.AcceptOwed {
		if a, err := s.DB.Applicant(ctx, c.ApplicantID); err == nil {
			m.Applicant = personOf(a)
		}
	}
	return m
}

func personOf(a people.Applicant) upstream.Person {
	p := upstream.Person{Kind: "1", Name: a.Name, CardType: "111", CardNo: a.IDNumber, Phone: a.Phone, Address: a.Address}
	if a.CreditCode != "" {
		p.Kind, p.CardType, p.CardNo = "2", "001", a.CreditCode
	}
	return p
}

// pushCards writes the e-supervision record of each card of the case that stands yellow or red and was not
// pushed before to the receiver (GB/T 39046 表11; FACTS.md §3).
func (s *Service) pushCards(ctx context.Context, tx *store.Tx, c cases.Case, handling org.Org) error {
	rs, err := receiversFor(tx, handling.Path, upstream.EventSupervision)
	if err != nil || len(rs) == 0 {
		return err
	}
	st := c.Standing
	for _, card := range []upstream.Card{
		{Red: st.Card == clock.Red, Step: false}, {Red: st.StepCard == clock.Red, Step: true},
	} {
		turned := st.Card
		if card.Step {
			turned = st.StepCard
		}
		if turned != clock.Red && turned != clock.Yellow {
			continue
		}
		card.CaseID, card.CaseNo, card.Area, card.At = c.ID, c.No, handling.Code, tx.Now()
		card.Dept = handling.NameZh
		rec := upstream.ForCard(card, s.cfg.Clock.Location)
		for _, r := range rs {
			seen, err := tx.Pushed(r.ID, rec.Key)
			if err != nil {
				return err
			}
			if !seen {
				if err := s.push(tx, []store.Receiver{r}, upstream.EventSupervision, handling.ID, c.ID, []upstream.Record{rec}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// pushSweptCards writes the supervision records of the cards the sweep turned (a case overdue without a
// move), for each receiver that takes them, a few hundred a sweep.
func (s *Service) pushSweptCards(ctx context.Context) error {
	rs, err := s.DB.Receivers(ctx, "/")
	if err != nil {
		return err
	}
	for _, r := range rs {
		if !r.Active || (r.Channel == ChannelWebhook && !slices.Contains(r.Events, upstream.EventSupervision)) {
			continue
		}
		rows, err := s.DB.CardsToPush(ctx, r.ID, 500)
		if err != nil || len(rows) == 0 {
			return err
		}
		err = s.DB.Write(ctx, func(tx *store.Tx) error {
			for _, row := range rows {
				o, err := s.DB.Org(ctx, row.HandlingOrg)
				if err != nil {
					return err
				}
				c := cases.Case{ID: row.CaseID, No: row.CaseNo, Standing: cases.Standing{Card: clock.Card(row.Card), StepCard: clock.Card(row.StepCard)}}
				if err := s.pushCards(ctx, tx, c, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// pushRating writes a rating's 表9 record for the receivers of its township, in the rating's transaction.
func (s *Service) pushRating(ctx context.Context, tx *store.Tx, r rating.Rating) error {
	o, err := s.DB.Org(ctx, r.Township)
	if err != nil {
		return nil // a rating of no township reaches no receiver
	}
	rs, err := receiversFor(tx, o.Path, upstream.EventRating)
	if err != nil || len(rs) == 0 {
		return err
	}
	return s.push(tx, rs, upstream.EventRating, o.ID, r.CaseID, []upstream.Record{upstream.ForRating(r, s.cfg.Clock.Location)})
}

// --- sending

// OutboxWaits are the waits between attempts: twice as long each time from First, up to Max (Bianmin's
// choice; no national number).
type OutboxWaits struct{ First, Max time.Duration }

func (w OutboxWaits) after(attempts int) time.Duration {
	if w.First <= 0 {
		w.First = time.Second
	}
	if w.Max <= 0 {
		w.Max = 10 * time.Minute
	}
	d := w.First << min(attempts, 20)
	return min(d, w.Max)
}

// WebhookTries is how many failed attempts park a webhook delivery (Bianmin's choice): a local system down
// for days does not fill the log with attempts, and its deliveries wait, visible, for a resend.
const WebhookTries = 12

// claimLease is how long a claimed record is left to its sender before another may take it.
const claimLease = time.Minute

// wakeGather is how long a sender woken by a write waits before it claims, so that the records written by
// the moves of that moment go out in one claim and one settlement (two transactions) rather than two
// transactions each: at a hundred moves a second, most of the outbox's statements. A message is late by
// this much at most; the poll and the lease are unchanged.
const wakeGather = 50 * time.Millisecond

// woken waits for ctx, for interval, or for a write of this instance to ch followed by wakeGather.
func (s *Service) woken(ctx context.Context, ch string, interval time.Duration) {
	t := time.NewTimer(interval)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-s.DB.Woken(ch):
		select {
		case <-ctx.Done():
		case <-time.After(wakeGather):
		}
		// the writes that woke it meanwhile committed before the claim that follows: it takes them
		select {
		case <-s.DB.Woken(ch):
		default:
		}
	}
}

// RunOutboxes runs the senders of every channel until ctx ends: SMS by sender, the upper platform and
// webhooks over client. Each sends what is due, then waits interval, or goes on at once while there is more.
func (s *Service) RunOutboxes(ctx context.Context, sender Sender, client *http.Client, interval time.Duration, log *slog.Logger) {
	done := make(chan struct{}, 2)
	for _, ch := range []string{ChannelUpstream, ChannelWebhook} {
		go func() {
			defer func() { done <- struct{}{} }()
			s.RunChannel(ctx, ch, client, interval, log)
		}()
	}
	s.RunOutbox(ctx, sender, interval, log)
	<-done
	<-done
}

// RunChannel sends the records of one channel (upstream or webhook) until ctx ends: what is due, then again
// at once while there was some, else after interval or as soon as this instance writes one. Several
// instances may run it on one database.
func (s *Service) RunChannel(ctx context.Context, ch string, client *http.Client, interval time.Duration, log *slog.Logger) {
	for {
		n, err := s.SendRecords(ctx, ch, client)
		if err != nil && ctx.Err() == nil {
			log.Warn("outbox", "channel", ch, "err", err)
		}
		if n > 0 && err == nil {
			continue // more may be due
		}
		if s.woken(ctx, ch, interval); ctx.Err() != nil {
			return
		}
	}
}

// SendRecords claims one round of due records of a channel (upstream or webhook) and sends them, and says
// how many it claimed.
func (s *Service) SendRecords(ctx context.Context, channel string, client *http.Client) (int, error) {
	list, err := s.DB.Claim(ctx, channel, 200, claimLease)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	byReceiver := map[string][]store.Outgoing{}
	var order []string
	for _, o := range list {
		if _, ok := byReceiver[o.ReceiverID]; !ok {
			order = append(order, o.ReceiverID)
		}
		byReceiver[o.ReceiverID] = append(byReceiver[o.ReceiverID], o)
	}
	for _, id := range order {
		group := byReceiver[id]
		r, err := s.DB.Receiver(ctx, id)
		var outcomes []store.Outcome
		switch {
		case err != nil:
			outcomes = failAll(group, "receiver: "+err.Error(), s.cfg.OutboxWaits)
		case channel == ChannelUpstream:
			outcomes = s.sendBatch(ctx, client, r, group)
		default:
			outcomes = s.sendHooks(ctx, client, r, group)
		}
		if err := s.DB.Settle(ctx, id, r.OrgID, outcomes); err != nil {
			return len(list), err
		}
	}
	return len(list), nil
}

func failAll(group []store.Outgoing, cause string, w OutboxWaits) []store.Outcome {
	out := make([]store.Outcome, len(group))
	for i, o := range group {
		out[i] = store.Outcome{ID: o.ID, Failed: cause, Wait: w.after(o.Attempts)}
	}
	return out
}

// sendBatch posts a batch to an upper platform and reads its receipts (the protocol of upstream.Batch).
func (s *Service) sendBatch(ctx context.Context, client *http.Client, r store.Receiver, group []store.Outgoing) []store.Outcome {
	b := upstream.Batch{From: s.cfg.UpstreamFrom}
	for _, o := range group {
		var rec upstream.Record
		if err := json.Unmarshal([]byte(o.Body), &rec); err != nil {
			rec = upstream.Record{ID: o.ID, Table: upstream.Table(o.Kind), Key: o.Key, Seq: o.Seq}
		}
		b.Records = append(b.Records, rec)
	}
	body, _ := json.Marshal(b)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(body))
	if err != nil {
		return failAll(group, err.Error(), s.cfg.OutboxWaits)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return failAll(group, err.Error(), s.cfg.OutboxWaits)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	var reply upstream.Reply
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &reply) != nil {
		return failAll(group, "receiver: "+resp.Status, s.cfg.OutboxWaits)
	}
	byID := map[string]upstream.Receipt{}
	for _, rc := range reply.Receipts {
		byID[rc.ID] = rc
	}
	out := make([]store.Outcome, len(group))
	for i, o := range group {
		rc, ok := byID[o.ID]
		switch {
		case ok && (rc.Status == upstream.Accepted || rc.Status == upstream.Duplicate):
			out[i] = store.Outcome{ID: o.ID, Receipt: rc.No}
		case ok && rc.Status == upstream.Refused:
			out[i] = store.Outcome{ID: o.ID, Park: clip(rc.Reason, 500)}
		case ok:
			out[i] = store.Outcome{ID: o.ID, Failed: clip(rc.Status+": "+rc.Reason, 500), Wait: s.cfg.OutboxWaits.after(o.Attempts)}
		default:
			out[i] = store.Outcome{ID: o.ID, Failed: "no receipt", Wait: s.cfg.OutboxWaits.after(o.Attempts)}
		}
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// sendHooks delivers each record to a webhook, signed (upstream.Sign): done on a 2xx answer; parked after
// WebhookTries failures.
func (s *Service) sendHooks(ctx context.Context, client *http.Client, r store.Receiver, group []store.Outgoing) []store.Outcome {
	secret, err := s.openSecret("receiver:"+r.ID, r.Secret)
	if err != nil {
		return failAll(group, "secret: "+err.Error(), s.cfg.OutboxWaits)
	}
	out := make([]store.Outcome, len(group))
	for i, o := range group {
		out[i] = store.Outcome{ID: o.ID}
		err := s.deliverHook(ctx, client, r.URL, secret, o)
		switch {
		case err == nil:
			out[i].Receipt = "2xx"
		case o.Attempts+1 >= WebhookTries:
			out[i].Park = clip(fmt.Sprintf("%d attempts, the last: %v", o.Attempts+1, err), 500)
		default:
			out[i].Failed, out[i].Wait = clip(err.Error(), 500), s.cfg.OutboxWaits.after(o.Attempts)
		}
	}
	return out
}

func (s *Service) deliverHook(ctx context.Context, client *http.Client, to string, secret []byte, o store.Outgoing) error {
	ts := s.DB.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, to, strings.NewReader(o.Body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(upstream.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(upstream.HeaderSignature, upstream.Sign(secret, ts, []byte(o.Body)))
	req.Header.Set(upstream.HeaderID, o.ID)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	return nil
}

// --- receivers, their logs, parked records

// ReceiverInput is what a form or the API sets of a receiver.
type ReceiverInput struct {
	OrgID    string   `json:"org_id"`
	Channel  string   `json:"channel"` // upstream, webhook
	Name     string   `json:"name"`
	URL      string   `json:"url"`
	Events   []string `json:"events"`   // webhook: case, rating, supervision
	Withheld []string `json:"withheld"` // phone, id_number, name, address
	Active   bool     `json:"active"`
}

// labelled gives each field error the label of its field (up.field.<name>) in both languages.
func (s *Service) labelled(err error) error {
	var l errs.List
	for _, e := range errs.All(err) {
		if e.Field != "" && s.Catalog.Has("up.field."+e.Field) {
			e = e.With("label_zh", s.Catalog.T(i18n.Zh, "up.field."+e.Field)).With("label_mn", s.Catalog.T(i18n.Mn, "up.field."+e.Field))
		}
		l.Add(e)
	}
	return l.Err()
}

func (in ReceiverInput) check() error {
	var l errs.List
	l.Add(limit("name", in.Name, 100))
	l.Add(limit("url", in.URL, 500))
	if strings.TrimSpace(in.Name) == "" {
		l.Add(errs.Field("name", "err.required"))
	}
	if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l.Add(errs.Field("url", "up.err.url"))
	}
	if in.Channel != ChannelUpstream && in.Channel != ChannelWebhook {
		l.Add(errs.Field("channel", "err.item.code_set"))
	}
	for _, e := range in.Events {
		if !slices.Contains(upstream.EventKinds, e) {
			l.Add(errs.Field("events", "err.item.code_set"))
			break
		}
	}
	if in.Channel == ChannelWebhook && len(in.Events) == 0 {
		l.Add(errs.Field("events", "err.required"))
	}
	for _, w := range in.Withheld {
		if !upstream.Class(w).Valid() {
			l.Add(errs.Field("withheld", "err.item.code_set"))
			break
		}
	}
	return l.Err()
}

// CreateReceiver sets up a receiver for an organisation's subtree. A webhook gets a signing secret, returned
// this once (its hex) and kept sealed.
func (s *Service) CreateReceiver(ctx context.Context, actor access.Actor, in ReceiverInput) (store.Receiver, string, error) {
	o, err := s.DB.Org(ctx, in.OrgID)
	if err != nil {
		return store.Receiver{}, "", errs.Field("org_id", "err.not_found").With("what", "org")
	}
	if err := actor.Check(access.UpstreamManage, o.Path); err != nil {
		return store.Receiver{}, "", err
	}
	if err := in.check(); err != nil {
		return store.Receiver{}, "", s.labelled(err)
	}
	r := store.Receiver{ID: ids.New(), OrgID: o.ID, OrgPath: o.Path, Channel: in.Channel, Name: strings.TrimSpace(in.Name), URL: in.URL,
		Events: in.Events, Withheld: in.Withheld, Active: in.Active, Version: 1}
	if r.Events == nil {
		r.Events = []string{}
	}
	if r.Withheld == nil {
		r.Withheld = []string{}
	}
	secret := ""
	if in.Channel == ChannelWebhook {
		b := make([]byte, 32)
		rand.Read(b)
		secret = hex.EncodeToString(b)
		if r.Secret, err = s.sealSecret("receiver:"+r.ID, []byte(secret)); err != nil {
			return r, "", err
		}
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreateReceiver(actor, r) })
	return r, secret, err
}

// UpdateReceiver changes a receiver (not its organisation, channel or secret); version must be the one read.
func (s *Service) UpdateReceiver(ctx context.Context, actor access.Actor, id string, version int, in ReceiverInput) (store.Receiver, error) {
	before, err := s.ReceiverFor(ctx, actor, id)
	if err != nil {
		return before, err
	}
	in.Channel = before.Channel
	if err := in.check(); err != nil {
		return before, s.labelled(err)
	}
	r := before
	r.Name, r.URL, r.Events, r.Withheld, r.Active = strings.TrimSpace(in.Name), in.URL, in.Events, in.Withheld, in.Active
	if r.Events == nil {
		r.Events = []string{}
	}
	if r.Withheld == nil {
		r.Withheld = []string{}
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.UpdateReceiver(actor, before, r, version) })
	r.Version = version + 1
	return r, err
}

// ReceiverFor reads a receiver the actor manages.
func (s *Service) ReceiverFor(ctx context.Context, actor access.Actor, id string) (store.Receiver, error) {
	r, err := s.DB.Receiver(ctx, id)
	if err != nil {
		return r, err
	}
	return r, actor.Check(access.UpstreamManage, r.OrgPath)
}

// ReceiversOf lists the receivers of the actor's subtree.
func (s *Service) ReceiversOf(ctx context.Context, actor access.Actor) ([]store.Receiver, error) {
	if err := actor.Check(access.UpstreamManage, actor.OrgPath); err != nil {
		return nil, err
	}
	return s.DB.Receivers(ctx, actor.OrgPath)
}

// DeliveryPage is a page of a receiver's log, newest first, with the cursor of the next.
type DeliveryPage struct {
	Records []store.Outgoing   `json:"records"`
	Counts  store.OutboxCounts `json:"counts"`
	Next    string             `json:"next,omitempty"`
}

// DeliveryPageSize is how many records a page of a delivery log holds.
const DeliveryPageSize = 25

// Deliveries reads a page of a receiver's delivery log (parkedOnly: only what waits for a fix).
func (s *Service) Deliveries(ctx context.Context, actor access.Actor, id string, parkedOnly bool, cursor string) (DeliveryPage, error) {
	var p DeliveryPage
	if _, err := s.ReceiverFor(ctx, actor, id); err != nil {
		return p, err
	}
	list, err := s.DB.Deliveries(ctx, id, parkedOnly, cursor, DeliveryPageSize+1)
	if err != nil {
		return p, err
	}
	if len(list) > DeliveryPageSize {
		list, p.Next = list[:DeliveryPageSize], list[DeliveryPageSize-1].ID
	}
	if p.Counts, err = s.DB.CountOutbox(ctx, id); err != nil {
		return p, err
	}
	p.Records = list
	if p.Records == nil {
		p.Records = []store.Outgoing{}
	}
	return p, nil
}

// MaxRecordBody is the longest corrected record an operator may send (bytes).
const MaxRecordBody = 64 << 10

// Resend puts a parked record back in line, corrected when body is given: the same record (its id, key,
// place and table cannot change, or the receiver could keep it twice), its fields fixed.
func (s *Service) Resend(ctx context.Context, actor access.Actor, id, body string) (store.Outgoing, error) {
	o, err := s.DB.OutgoingByID(ctx, id)
	if err != nil {
		return o, err
	}
	r, err := s.ReceiverFor(ctx, actor, o.ReceiverID)
	if err != nil {
		return o, err
	}
	if body = strings.TrimSpace(body); body != "" {
		if len(body) > MaxRecordBody {
			return o, s.labelled(errs.Field("body", "err.too_long").With("max", strconv.Itoa(MaxRecordBody)))
		}
		if err := sameRecord(o, body); err != nil {
			return o, s.labelled(err)
		}
	}
	var out store.Outgoing
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Resend(actor, id, body, r.OrgID)
		return err
	})
	return out, err
}

// sameRecord checks a corrected body: JSON of the same record.
func sameRecord(o store.Outgoing, body string) error {
	if o.Channel == ChannelWebhook {
		var a, b upstream.Event
		if json.Unmarshal([]byte(o.Body), &a) != nil || json.Unmarshal([]byte(body), &b) != nil {
			return errs.Field("body", "up.err.body")
		}
		if a.ID != b.ID || a.Kind != b.Kind || a.Record.Key != b.Record.Key || a.Record.Seq != b.Record.Seq || a.Record.Table != b.Record.Table {
			return errs.Field("body", "up.err.same_record")
		}
		return nil
	}
	var a, b upstream.Record
	if json.Unmarshal([]byte(o.Body), &a) != nil || json.Unmarshal([]byte(body), &b) != nil {
		return errs.Field("body", "up.err.body")
	}
	if a.ID != b.ID || a.Key != b.Key || a.Seq != b.Seq || a.Table != b.Table {
		return errs.Field("body", "up.err.same_record")
	}
	return nil
}

// TestDelivery sends a webhook a test event (the page's test button), audited; its delivery shows in the log.
func (s *Service) TestDelivery(ctx context.Context, actor access.Actor, id string) (store.Outgoing, error) {
	r, err := s.ReceiverFor(ctx, actor, id)
	if err != nil {
		return store.Outgoing{}, err
	}
	if r.Channel != ChannelWebhook {
		return store.Outgoing{}, errs.New(errs.Conflict, "up.err.not_webhook")
	}
	var out store.Outgoing
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Push(store.Outgoing{Channel: ChannelWebhook, ReceiverID: r.ID, OrgID: r.OrgID, Kind: "test"}, func(o store.Outgoing) string {
			return mustJSON(upstream.Event{ID: o.ID, Kind: "test", At: o.Created.Format(time.RFC3339),
				Record: upstream.Record{ID: o.ID, Table: "test", Key: "test", Seq: 1, Data: map[string]string{"receiver": r.Name}}})
		})
		if err != nil {
			return err
		}
		return tx.Audit(actor, "receiver.test", "receiver", r.ID, r.OrgID, nil, map[string]string{"delivery": out.ID})
	})
	return out, err
}
