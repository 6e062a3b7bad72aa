package main

import (
	"context"
	"fmt"
	"io"

	"bianmin/internal/app"
	"bianmin/internal/audit"
	"bianmin/internal/store"
)

// auditVerify walks every chain (or the one named: an organisation's, all its lanes) and prints one line per
// chain: a chain is named by its organisation's code and name where it has one, and its lane. The first broken chain's break is the error (exit 3).
func auditVerify(ctx context.Context, m *app.Main, out io.Writer, chain string) error {
	if chain != "" && chain != audit.MainChain {
		if o, err := m.DB.OrgByCode(ctx, chain); err == nil {
			chain = o.ID
		}
	}
	checks, err := m.DB.VerifyChains(ctx, chain)
	if err != nil {
		return err
	}
	var n int64
	for _, c := range checks {
		n += c.Count
		label := c.Chain
		if org, lane := audit.SplitLane(c.Chain); org != audit.MainChain {
			if o, err := m.DB.Org(ctx, org); err == nil {
				label = fmt.Sprintf("%s %s %s", o.Code, o.NameZh, c.Chain)
				if lane > 0 {
					label += fmt.Sprintf(" (lane %d)", lane)
				}
			}
		}
		if c.Break != nil {
			fmt.Fprintf(out, "chain %s: BROKEN after %d entries: %v\n", label, c.Count, c.Break)
		} else {
			fmt.Fprintf(out, "chain %s: intact, %d entries\n", label, c.Count)
		}
	}
	if b := store.Broken(checks); b != nil {
		return b
	}
	fmt.Fprintf(out, "audit trail intact: %d entries in %d chains\n", n, len(checks))
	return nil
}
