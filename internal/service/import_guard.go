package service

import (
	"context"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
)

// CheckCatalogImport is the permission an import of catalog items needs, checked before its file is read:
// reading a spreadsheet costs memory and time, and someone who may not import must not make the server
// spend them. ImportItemsWith checks each item's department again once the file is read.
func (s *Service) CheckCatalogImport(ctx context.Context, actor access.Actor, department string, publish bool) error {
	if actor.System {
		return nil
	}
	if !actor.Role.Has(access.CatalogEdit) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit))
	}
	if publish && !actor.Role.Has(access.CatalogPublish) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogPublish))
	}
	if strings.TrimSpace(department) != "" {
		d, err := s.department(ctx, actor, department)
		if err != nil {
			return err
		}
		if !actor.Can(access.CatalogEdit, d.Path) || (publish && !actor.Can(access.CatalogPublish, d.Path)) {
			return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit))
		}
	}
	return nil
}
