package cases

import "bianmin/internal/errs"

// A bundle's item may wait for the result of another (一件事: the two subsidies of 残疾人服务 need the
// 残疾人证 that the bundle's first item grants). The waiting case is received with the others, but it is not
// accepted until the other is granted: until then the material it needs does not exist, and 受理 means the
// application is complete (行政许可法 第32条). When the other is denied, refused or terminated, the waiting
// case can never be complete: it ends, and the applicant is told why.

// Awaited is where the case waited for stands, for the case that waits.
type Awaited string

const (
	AwaitPending Awaited = "pending" // not decided yet: the waiting case waits
	AwaitGranted Awaited = "granted" // granted (decided, issued or delivered): the waiting case may be accepted
	AwaitFailed  Awaited = "failed"  // denied, refused or terminated: the waiting case ends
)

// AwaitOf says where the case waited for stands.
func AwaitOf(on Case) Awaited {
	switch {
	case on.Decision != nil && on.Decision.Grant:
		return AwaitGranted
	case on.Decision != nil || on.State == Refused || on.State == Terminated:
		return AwaitFailed
	}
	return AwaitPending
}

// MayAccept checks that a case may be accepted as far as the case it waits for goes (on; ignored when the
// case waits for none).
func (c Case) MayAccept(on Case) *errs.Error {
	if c.WaitsFor == "" {
		return nil
	}
	switch AwaitOf(on) {
	case AwaitPending:
		return &errs.Error{Code: errs.Conflict, Field: "waits_for", Key: "err.case.waits_for", Args: map[string]string{"item": on.ItemName}}
	case AwaitFailed:
		return &errs.Error{Code: errs.Conflict, Field: "waits_for", Key: "err.case.awaited_failed", Args: map[string]string{"item": on.ItemName}}
	}
	return nil
}

// EndsWith reports whether a case must end because the case it waits for failed: it waits for on, has not
// been accepted (it cannot have been), and is still open.
func (c Case) EndsWith(on Case) bool {
	return c.WaitsFor != "" && c.WaitsFor == on.ID && (c.State == Received || c.State == Correction) && AwaitOf(on) == AwaitFailed
}
