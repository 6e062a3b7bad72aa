package store

import (
	"context"
)

// AuditCheck is what an incremental verification of the trail found.
type AuditCheck struct {
	Count  int64 // entries in the intact chains
	From   int64 // entries taken as verified from the newest signed checkpoint (0: every chain was walked)
	Chains []ChainCheck
}

// VerifyAuditSince checks the trail from the newest signed checkpoint on (the audit page, which must stay
// fast at a year of entries): of every chain that moved since, the checkpoint's own entry is checked again,
// then only the entries added since are read, and the head as VerifyAudit does. A trail that verifies and has
// grown gets a new signed checkpoint, so that the next view starts from there. A store without an audit key
// or checkpoint file walks every chain whole; `bianmin audit verify` always does. A broken chain is returned
// as the error (an *audit.Break), and in Chains.
func (db *DB) VerifyAuditSince(ctx context.Context) (AuditCheck, error) {
	var res AuditCheck
	if db.CheckpointFile == "" || len(db.AuditKey) == 0 {
		checks, err := db.VerifyChains(ctx, "")
		return res.add(checks), res.err(checks, err)
	}
	signed, err := db.signedHeads()
	if err != nil {
		return res, err
	}
	checks, _, err := db.verifySince(ctx, signed)
	res = res.add(checks)
	if err := res.err(checks, err); err != nil {
		return res, err
	}
	if res.Count > res.From {
		_, err = db.WriteCheckpoint(ctx)
	}
	return res, err
}

func (res AuditCheck) add(checks []ChainCheck) AuditCheck {
	res.Chains = checks
	for _, c := range checks {
		res.Count += c.Count
		res.From += c.From
	}
	return res
}

func (res AuditCheck) err(checks []ChainCheck, err error) error {
	if err != nil {
		return err
	}
	if b := Broken(checks); b != nil {
		return b
	}
	return nil
}
