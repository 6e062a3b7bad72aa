package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// The push under load (-upstream, issue 15): before the lifecycles start, the admin sets up a receiver of
// channel upstream at its own organisation, addressed to a reference receiver (`bianmin upstream serve`, a
// process of its own); after they end, the load waits for the outbox to drain and reads the receiver's
// delivery log through the API, to print how many records went up, how fast, and how long each waited
// from the move that made it to the receiver's receipt.

// pushWatch is a receiver set up for one run.
type pushWatch struct {
	client     *http.Client
	base       string
	token      string
	receiverID string
}

func startPush(c *http.Client, base, password, receiverURL, itemID string) (*pushWatch, error) {
	s, err := signIn(c, base, "admin", password)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	if err := ensureTaskCode(c, base, s.token, itemID); err != nil {
		return nil, err
	}
	b, code, err := get(c, base+"/api/v1/me", s.token)
	if err != nil || code != 200 {
		return nil, fmt.Errorf("me: %d %v", code, err)
	}
	var me struct {
		OrgID string `json:"org_id"`
	}
	if err := json.Unmarshal(b, &me); err != nil {
		return nil, err
	}
	// a receiver of an earlier run at that address is used again: two would double every record
	if b, code, err := get(c, base+"/api/v1/receivers", s.token); err == nil && code == 200 {
		var list []struct {
			ID     string `json:"id"`
			URL    string `json:"url"`
			Active bool   `json:"active"`
		}
		json.Unmarshal(b, &list)
		for _, r := range list {
			if r.URL == receiverURL && r.Active {
				return &pushWatch{client: c, base: base, token: s.token, receiverID: r.ID}, nil
			}
		}
	}
	var r struct {
		ID string `json:"id"`
	}
	code, err = send(c, "POST", base+"/api/v1/receivers", s.token, map[string]any{"org_id": me.OrgID, "channel": "upstream",
		"name": "deskload " + time.Now().Format("15:04:05"), "url": receiverURL, "active": true}, &r)
	if err != nil || code/100 != 2 || r.ID == "" {
		return nil, fmt.Errorf("create receiver: %d %v", code, err)
	}
	return &pushWatch{client: c, base: base, token: s.token, receiverID: r.ID}, nil
}

type deliveryPage struct {
	Records []struct {
		Created time.Time `json:"created"`
		Sent    time.Time `json:"sent"`
		Parked  time.Time `json:"parked"`
	} `json:"records"`
	Counts struct {
		Pending int `json:"pending"`
		Parked  int `json:"parked"`
		Sent    int `json:"sent"`
	} `json:"counts"`
	Next string `json:"next"`
}

func (p *pushWatch) page(cursor string) (deliveryPage, error) {
	var d deliveryPage
	u := p.base + "/api/v1/receivers/" + p.receiverID + "/deliveries"
	if cursor != "" {
		u += "?cursor=" + url.QueryEscape(cursor)
	}
	b, code, err := get(p.client, u, p.token)
	if err != nil || code != 200 {
		return d, fmt.Errorf("deliveries: %d %v %.200s", code, err, b)
	}
	return d, json.Unmarshal(b, &d)
}

// report waits (at most drain) for the records still pending, then reads the whole log and prints the
// push's figures: records received, their rate from the first move to the last receipt, and the wait from
// move to receipt (p50, p99, max).
func (p *pushWatch) report(loadStart, loadEnd time.Time, drain time.Duration) {
	deadline := time.Now().Add(drain)
	var first deliveryPage
	var err error
	for {
		if first, err = p.page(""); err != nil {
			fmt.Println("push:", err)
			return
		}
		if first.Counts.Pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	drained := time.Since(loadEnd)
	var lags []time.Duration
	var from, to time.Time
	parked := 0
	for pg := first; ; {
		older := false
		for _, r := range pg.Records {
			if r.Created.Before(loadStart) {
				older = true // an earlier run's: the log is newest first, so the rest are too
				break
			}
			if !r.Parked.IsZero() {
				parked++
			}
			if r.Sent.IsZero() {
				continue
			}
			lags = append(lags, r.Sent.Sub(r.Created))
			if from.IsZero() || r.Created.Before(from) {
				from = r.Created
			}
			if r.Sent.After(to) {
				to = r.Sent
			}
		}
		if pg.Next == "" || older {
			break
		}
		if pg, err = p.page(pg.Next); err != nil {
			fmt.Println("push:", err)
			return
		}
	}
	if len(lags) == 0 {
		fmt.Println("push: no record received")
		return
	}
	slices.Sort(lags)
	at := func(q float64) time.Duration { return lags[min(len(lags)-1, int(q*float64(len(lags))))] }
	fmt.Printf("push: %d records received (%d pending, %d parked), %.1f records/s from the first move to the last receipt; the outbox drained %.1f s after the load\n",
		len(lags), first.Counts.Pending, parked, float64(len(lags))/to.Sub(from).Seconds(), drained.Seconds())
	fmt.Printf("push: move to receipt p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", ms(at(0.50)), ms(at(0.99)), ms(lags[len(lags)-1]))
}

// ensureTaskCode gives the load's item a 实施编码 when it has none: the national exchange refuses a record
// without one (a real item has it from the upper platform's 实施清单; the demo's have none). The code is the
// load's own, "BENCH" and the item's 基本编码, published as a new version of the item, as an editor would.
func ensureTaskCode(c *http.Client, base, token, itemID string) error {
	b, code, err := get(c, base+"/api/v1/catalog/"+itemID, token)
	if err != nil || code != 200 {
		return fmt.Errorf("catalog item: %d %v", code, err)
	}
	var ed struct {
		Item       map[string]any `json:"item"`
		RowVersion int            `json:"row_version"`
	}
	if err := json.Unmarshal(b, &ed); err != nil {
		return err
	}
	if s, _ := ed.Item["impl_code"].(string); s != "" {
		return nil
	}
	baseCode, _ := ed.Item["base_code"].(string)
	ed.Item["impl_code"] = "BENCH" + baseCode
	var draft struct {
		Version int `json:"version"`
	}
	if code, err := send(c, "PUT", base+"/api/v1/catalog/"+itemID, token, map[string]any{"item": ed.Item, "row_version": ed.RowVersion}, &draft); err != nil || code/100 != 2 {
		return fmt.Errorf("saving the item's 实施编码: %d %v", code, err)
	}
	if code, err := post(c, base+"/api/v1/catalog/"+itemID+"/status", token, map[string]any{"version": draft.Version, "to": "published"}); err != nil || code/100 != 2 {
		return fmt.Errorf("publishing the item with its 实施编码: %d %v", code, err)
	}
	return nil
}
