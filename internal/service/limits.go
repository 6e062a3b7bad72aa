package service

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// Every free text that reaches the service is bounded (issue 16, finding 4): the domain packages name the
// limits (cases.MaxReason, people.MaxName, org.MaxName, ...) and check what they validate; what only passes
// through here (the station's authorisation, the values typed on the public pages, sign-in fields) is checked
// here, before anything is read or written.

// limit is one text and its limit.
func limit(field, v string, max int) *errs.Error { return cases.TooLong(field, v, max) }

// textLimits gathers the texts over their limits.
func textLimits(checks ...*errs.Error) error {
	var l errs.List
	for _, e := range checks {
		l.Add(e)
	}
	return l.Err()
}

// fingerprint is what a submission asked, for its idempotency key (store.IdempotentFor): the same key sent
// again with the same content returns the first result; with other content it is refused.
func fingerprint(parts ...any) string {
	b, _ := json.Marshal(parts)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
