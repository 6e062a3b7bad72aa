// Package apiload drives Bianmin's JSON API as the staff of a township would, for the load tool
// (cmd/deskload -mode lifecycle) and the benchmarks and measurements in tests: one script of a case's life,
// so that a figure from a separate process and one from a test measure the same thing.
package apiload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Moves names a lifecycle's calls in order: receive, accept, two review passes, decide, issue.
var Moves = []string{"receive", "accept", "pass 1", "pass 2", "decide", "issue"}

// Lifecycle runs whole cases of one item for one applicant through the API: the clerk receives, accepts and
// issues, the reviewer passes twice, the department decides. Safe for concurrent use once set up.
type Lifecycle struct {
	URL                   string
	Client                *http.Client
	Clerk, Reviewer, Dept string // bearer tokens
	Item, Applicant       string
	// Took is told each successful call's latency by its name in Moves (nil: not kept); Failed each call that
	// did not answer 201 (status 0 with err when it did not answer at all).
	Took   func(move string, d time.Duration)
	Failed func(move string, status int, body []byte, err error)
}

// Idempotency keys: this process's start and a count across every Lifecycle of it, so that no key of an
// earlier run, nor of another Lifecycle on the same database, answers for a new case.
var (
	runID = time.Now().UnixNano()
	seq   atomic.Int64
)

// Token signs a user in and returns the session's bearer token.
func Token(c *http.Client, url, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := c.Post(url+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		return "", fmt.Errorf("sign-in of %s: %d %v", user, resp.StatusCode, err)
	}
	return s.Token, nil
}

// Run makes one case and moves it to issued; it returns the case's id, or "" after a failed call (told to
// Failed).
func (l *Lifecycle) Run() string {
	key := fmt.Sprintf("load-%d-%d", runID, seq.Add(1))
	raw := l.call(Moves[0], l.Clerk, "/api/v1/cases", map[string]string{"item_id": l.Item, "applicant_id": l.Applicant}, "Idempotency-Key", key)
	var c struct{ ID string }
	if raw == nil {
		return ""
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.ID == "" {
		if err == nil {
			err = errors.New("no case id in the answer")
		}
		l.fail(Moves[0], http.StatusCreated, raw, err)
		return ""
	}
	id := c.ID
	steps := []struct {
		tok, action string
		input       map[string]any
	}{
		{l.Clerk, "accept", map[string]any{"materials": []map[string]any{{"name": "最低生活保障申请表", "check": "original"}, {"name": "居民身份证", "check": "original"}, {"name": "居民户口簿", "check": "copy"}, {"name": "家庭收入和财产状况声明", "check": "pledged"},
			{"name": "本人银行卡或一卡通", "check": "copy"}, {"name": "授权委托书及代办人身份证", "check": "na"}}, "check_by": time.Now().AddDate(0, 0, 10).Format("2006-01-02")}},
		{l.Reviewer, "pass", nil},
		{l.Reviewer, "pass", nil},
		{l.Dept, "decide", map[string]any{"grant": true, "reason": "符合条件"}},
		{l.Clerk, "issue", map[string]any{"method": "window"}},
	}
	for i, s := range steps {
		if l.call(Moves[i+1], s.tok, "/api/v1/cases/"+id+"/moves", map[string]any{"version": i + 1, "action": s.action, "input": s.input}) == nil {
			return ""
		}
	}
	return id
}

// call posts in and returns the answer's body when it is 201 (nil otherwise). Only the receipt's id is read
// of the answers: the load's process shares the machine with the server, and decoding every case it answers
// would take processor time from it.
func (l *Lifecycle) call(move, tok, path string, in any, hdr ...string) []byte {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", l.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	t0 := time.Now()
	resp, err := l.Client.Do(req)
	d := time.Since(t0)
	if err != nil {
		l.fail(move, 0, nil, err)
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		l.fail(move, resp.StatusCode, raw, nil)
		return nil
	}
	if l.Took != nil {
		l.Took(move, d)
	}
	return raw
}

func (l *Lifecycle) fail(move string, status int, body []byte, err error) {
	if l.Failed != nil {
		l.Failed(move, status, body, err)
	}
}
