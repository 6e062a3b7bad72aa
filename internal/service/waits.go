package service

import (
	"context"

	"bianmin/internal/cases"
)

// Awaiting is the case a bundle's case waits for (cases.Case.WaitsFor), as the waiting case's page, the queue
// and the API show it: its number, item, state, and where that leaves the waiting case (cases.AwaitOf).
type Awaiting struct {
	ID         string        `json:"id"`
	No         string        `json:"no"`
	ItemName   string        `json:"item_name"`
	ItemNameMn string        `json:"item_name_mn,omitempty"`
	State      cases.State   `json:"state"`
	Await      cases.Awaited `json:"await"`
}

// ItemNameIn is the awaited item's name in a language.
func (a Awaiting) ItemNameIn(lang string) string {
	if lang == "mn" && a.ItemNameMn != "" {
		return a.ItemNameMn
	}
	return a.ItemName
}

// awaiting reads the case c waits for while c cannot yet be accepted (received or sent back for correction):
// nil when it waits for none, or no longer (accepted, or ended).
func (s *Service) awaiting(ctx context.Context, c cases.Case) *Awaiting {
	if c.WaitsFor == "" || (c.State != cases.Received && c.State != cases.Correction) {
		return nil
	}
	on, err := s.DB.Case(ctx, c.WaitsFor)
	if err != nil {
		return nil
	}
	on = s.withItemMn(ctx, on)
	return &Awaiting{ID: on.ID, No: on.No, ItemName: on.ItemName, ItemNameMn: on.ItemNameMn, State: on.State, Await: cases.AwaitOf(on)}
}
