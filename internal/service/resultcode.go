package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/alexedwards/argon2id"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/store"
)

// The code of an electronic result (行政许可法 第40条, 送达; 电子签名法 for the electronic document) is the
// applicant's only proof of being the applicant at /results. It is six digits: a million values, which an
// unkeyed hash gives away in a second. So:
//   - it is kept apart from the case (store.SetResultCode), never in the case document that case readers,
//     notices and audit entries carry;
//   - its hash is HMAC-SHA256 under a key kept outside the database (Config.CodeKey), then argon2id: a copy
//     of the database alone cannot test a single code, and with the key each test still costs an argon2id;
//   - a case takes cases.ResultCodeAttempts wrong codes, then refuses every code, the right one too, until
//     the window sends a new one (ResendResultCode). The lock and the new code are audited.

// resultCode is the six-digit code with which an applicant downloads an electronic result.
func resultCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// codeMAC ties the code to the case under the server's key.
func (s *Service) codeMAC(caseID, code string) string {
	m := hmac.New(sha256.New, s.cfg.CodeKey)
	m.Write([]byte(caseID + "/" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// hashCode is the stored form of a case's code.
func (s *Service) hashCode(caseID, code string) (string, error) {
	h, err := argon2id.CreateHash(s.codeMAC(caseID, code), s.cfg.Hash)
	return h, errs.Wrap(err, "hash code")
}

// codeMatches checks a code against its stored hash; an empty hash (no code) spends the same work.
func (s *Service) codeMatches(caseID, code, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(s.codeMAC(caseID, code), s.dummyHash)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(s.codeMAC(caseID, code), hash)
	return err == nil && ok
}

// checkResultCode decides a download attempt: nil when the code is right and the case not locked. A wrong
// code counts against the case; the attempt that reaches the limit locks it, audited.
func (s *Service) checkResultCode(ctx context.Context, c cases.Case, code string) error {
	notFound := errs.New(errs.NotFound, "err.case.result_not_found")
	locked := errs.New(errs.Locked, "err.result.locked").With("max", strconv.Itoa(cases.ResultCodeAttempts))
	hash, failures, err := s.DB.ResultCode(ctx, c.ID)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return err
	}
	if failures >= cases.ResultCodeAttempts {
		s.codeMatches(c.ID, code, "") // the same work as a check
		return locked
	}
	if s.codeMatches(c.ID, code, hash) {
		if failures > 0 {
			return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.ResultCodeSucceeded(c.ID) })
		}
		return nil
	}
	if hash == "" {
		return notFound
	}
	var n int
	if err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if n, err = tx.ResultCodeFailed(c.ID); err != nil || n != cases.ResultCodeAttempts {
			return err
		}
		return tx.Audit(access.System, "case.result_code_locked", "case", c.ID, c.Handling, nil,
			map[string]any{"failures": n, "no": c.No})
	}); err != nil {
		return err
	}
	if n >= cases.ResultCodeAttempts {
		return locked
	}
	return notFound
}

// ResendResultCode sends the applicant a new code for an issued electronic result that was not yet
// downloaded, from the front desk that issued it: the former code stops working and the count of wrong
// attempts starts again. The cases of a bundle issued together get one new code, as they got one at issue.
func (s *Service) ResendResultCode(ctx context.Context, actor access.Actor, caseID string) (cases.Case, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return c, err
	}
	desks, err := s.desks(ctx, actor, c)
	if err != nil {
		return c, err
	}
	if !desks[cases.Front] {
		return c, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.resend_code")
	}
	if c.State != cases.Issued || c.Delivery == nil || c.Delivery.Method != "electronic" {
		return c, errs.New(errs.Conflict, "err.result.not_waiting")
	}
	list := []cases.Case{c}
	if c.Bundle != "" {
		sibs, err := s.DB.CasesOfBundle(ctx, c.Bundle)
		if err != nil {
			return c, err
		}
		list = list[:0]
		for _, sib := range sibs {
			if sib.State == cases.Issued && sib.Delivery != nil && sib.Delivery.Method == "electronic" {
				list = append(list, sib)
			}
		}
	}
	code := resultCode()
	hashes := make([]string, len(list))
	for i, sib := range list {
		if hashes[i], err = s.hashCode(sib.ID, code); err != nil {
			return c, err
		}
	}
	phone := ""
	if a, err := s.DB.Applicant(ctx, c.ApplicantID); err == nil {
		phone = a.Phone
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return c, err
	}
	c = s.withItemMn(ctx, c)
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		for i, sib := range list {
			if err := tx.SetResultCode(sib.ID, hashes[i]); err != nil {
				return err
			}
			if err := tx.Audit(actor, "case.result_code_resent", "case", sib.ID, sib.Handling, nil, map[string]any{"no": sib.No}); err != nil {
				return err
			}
		}
		// the same message as at issue, with the new code (one for the bundle)
		return s.tell(tx, c, cases.Event{Action: cases.Issue}, phone, handling, "code", code)
	})
	return c, err
}

// trimCode reads a typed code: spaces around it do not count.
func trimCode(code string) string { return strings.TrimSpace(code) }
