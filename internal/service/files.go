package service

import (
	"context"
	"slices"
	"strconv"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Electronic materials (电子材料, issue 13): files handed in for the materials of a case, at the window, at a
// village station or online by the resident whose case it is. Whoever may read the case may see its files
// (the back office without the applicant's file names, 受办分离); nobody else, not even by the file's id.

// Hand is who hands a file in or reads one: a member of staff, or a resident (Resident set).
type Hand struct {
	Actor    access.Actor
	Resident *people.ResidentAccount
}

// Staff is a member of staff's hand.
func Staff(a access.Actor) Hand { return Hand{Actor: a} }

// ResidentHand is a resident's hand.
func ResidentHand(r people.ResidentAccount) Hand { return Hand{Actor: r.Actor(), Resident: &r} }

// The states in which files may still be handed in: at the window's check, after a correction notice, and
// while accepted or suspended (what was owed under 容缺, a correction asked by the back office). A resident
// hands in only before acceptance: afterwards the window deals with them.
var attachStates = []cases.State{cases.Received, cases.Correction, cases.Accepted, cases.Suspended}

// caseSight is what the hand may do with a case: read it, see applicants in full (the file names), attach.
type caseSight struct {
	c        cases.Case
	full     bool
	attach   bool
	desk     string // front, station, applicant
	receiver org.Org
}

// sight reads a case and what the hand may do with it; a case the hand may not read is refused, and for a
// resident one that is not theirs is not found, as a case that does not exist.
func (s *Service) sight(ctx context.Context, h Hand, caseID string) (caseSight, error) {
	notFound := errs.New(errs.NotFound, "err.not_found").With("what", "case")
	if h.Resident != nil {
		mine, err := s.DB.ResidentHasCase(ctx, h.Resident.ID, caseID)
		if err != nil {
			return caseSight{}, err
		}
		if !mine {
			return caseSight{}, notFound
		}
		c, err := s.DB.Case(ctx, caseID)
		if err != nil {
			return caseSight{}, notFound
		}
		return caseSight{c: c, full: true, desk: "applicant", attach: c.State == cases.Received || c.State == cases.Correction}, nil
	}
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return caseSight{}, err
	}
	recv, handling, err := s.caseOrgs(ctx, c)
	if err != nil {
		return caseSight{}, err
	}
	a := h.Actor
	if !a.Can(access.CaseFileRead, recv.Path) && !a.Can(access.CaseFileRead, handling.Path) &&
		!((a.Role == access.Department || a.Role == access.Director) && s.ownsCase(ctx, a, c)) && !s.jointReader(ctx, a, c) && !s.handoverReader(ctx, a, c) {
		return caseSight{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CaseFileRead))
	}
	out := caseSight{c: c, receiver: recv, full: a.Can(access.ApplicantReadFull, recv.Path)}
	out.attach = a.Can(access.CaseFileAttach, recv.Path) && frontDesk(a, recv) && slices.Contains(attachStates, c.State)
	out.desk = "front"
	if a.Role == access.Agent {
		out.desk = "station"
	}
	return out, nil
}

func (s *Service) caseOrgs(ctx context.Context, c cases.Case) (org.Org, org.Org, error) {
	recv, err := s.DB.Org(ctx, c.Receiving)
	if err != nil {
		return recv, recv, err
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	return recv, handling, err
}

// mayAttach is sight for handing a file in for a material the case's item version asks for.
func (s *Service) mayAttach(ctx context.Context, h Hand, caseID, material string) (caseSight, error) {
	v, err := s.sight(ctx, h, caseID)
	if err != nil {
		return v, err
	}
	if !v.attach {
		if h.Resident != nil {
			return v, errs.New(errs.Conflict, "err.file.closed")
		}
		return v, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CaseFileAttach))
	}
	it, err := s.DB.ItemVersion(ctx, v.c.ItemID, v.c.ItemVersion)
	if err != nil {
		return v, err
	}
	if !slices.ContainsFunc(it.Materials, func(m catalog.Material) bool { return m.Name == material }) {
		return v, errs.Field("material", "err.case.unknown_material").With("name", material)
	}
	return v, nil
}

// AttachFile checks a file (files.Prepare: sniffed, decoded, brought down to a page's weight) and stores it
// for a material of a case, with its audit entry. field names the form's input, for the refusal.
func (s *Service) AttachFile(ctx context.Context, h Hand, caseID, material, field, name string, body []byte) (files.File, error) {
	if err := textLimits(limit("material", material, 200), limit("name", name, files.MaxName)); err != nil {
		return files.File{}, err
	}
	v, err := s.mayAttach(ctx, h, caseID, material)
	if err != nil {
		return files.File{}, err
	}
	p, err := files.Prepare(field, name, body, s.cfg.Files)
	if err != nil {
		return files.File{}, fileLabel(errs.All(err)[0], material)
	}
	f := fileOf(v, h, material, name, p)
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.AddFile(h.Actor, v.c.Handling, &f, p.Body) })
	return f, err
}

// fileLabel names a refused file's field by the material it was handed in for, in both languages (a
// material's name is the item's, in Chinese).
func fileLabel(e *errs.Error, material string) *errs.Error {
	return e.With("label_zh", material).With("label_mn", material)
}

func fileOf(v caseSight, h Hand, material, name string, p files.Prepared) files.File {
	return files.File{CaseID: v.c.ID, Material: material, Name: name, Type: p.Type, Size: int64(len(p.Body)), Original: p.Original,
		Pages: p.Pages, Width: p.Width, Height: p.Height, SHA256: p.SHA256, Desk: v.desk, By: h.Actor.ID}
}

// CaseFiles lists a case's files for whoever may read the case; those who may not see the applicant in full
// (the back office) get them without the names they were sent under.
func (s *Service) CaseFiles(ctx context.Context, h Hand, caseID string) ([]files.File, error) {
	v, err := s.sight(ctx, h, caseID)
	if err != nil {
		return nil, err
	}
	list, err := s.DB.CaseFiles(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i] = masked(list[i], v.full)
	}
	return list, nil
}

func masked(f files.File, full bool) files.File {
	if !full {
		f.Name, f.By = "", ""
	}
	return f
}

// CaseFile reads one file of a case, with its bytes, for whoever may read the case. A file of another case
// is not found under this one.
func (s *Service) CaseFile(ctx context.Context, h Hand, caseID, fileID string) (files.File, []byte, error) {
	v, err := s.sight(ctx, h, caseID)
	if err != nil {
		return files.File{}, nil, err
	}
	f, err := s.DB.CaseFile(ctx, fileID)
	if err != nil || f.CaseID != caseID {
		return files.File{}, nil, errs.New(errs.NotFound, "err.not_found").With("what", "file")
	}
	body, err := s.DB.FileBytes(ctx, f)
	return masked(f, v.full), body, err
}

// filesStand checks the files a window's check names: each a file of this case handed in for that material.
func (s *Service) filesStand(ctx context.Context, caseID string, checks []cases.MaterialCheck) error {
	var have []files.File
	var l errs.List
	for i, m := range checks {
		if len(m.Files) == 0 {
			continue
		}
		if have == nil {
			var err error
			if have, err = s.DB.CaseFiles(ctx, caseID); err != nil {
				return err
			}
		}
		for _, id := range m.Files {
			if !slices.ContainsFunc(have, func(f files.File) bool { return f.ID == id && f.Material == m.Name }) {
				l.Add(errs.Field("materials["+strconv.Itoa(i)+"]", "err.case.file_not_of_material").With("name", m.Name))
				break
			}
		}
	}
	return l.Err()
}

// StartUpload begins a resumable upload for a material of a case (files/upload.go has the protocol); key
// makes a resent start return the same upload.
func (s *Service) StartUpload(ctx context.Context, h Hand, caseID string, u files.Upload, key string) (files.Upload, error) {
	u.Owner = files.OwnerCase
	return s.StartOwnedUpload(ctx, h, caseID, u, key)
}

// StartOwnedUpload begins a resumable upload for u.Owner's ownerID: a case's material, a delegation's legal
// document or a help request's attachment (their files ride the village link as a case's do), under the
// same size limit and the owner's own rule of who may attach.
func (s *Service) StartOwnedUpload(ctx context.Context, h Hand, ownerID string, u files.Upload, key string) (files.Upload, error) {
	u.CaseID, u.By = ownerID, h.Actor.ID
	if f, ok := delegFileFields[u.Owner]; ok {
		u.Material = f // a delegation's files name no material: CheckStart's is the owner's file field
	}
	if err := textLimits(limit("material", u.Material, 200)); err != nil {
		return u, err
	}
	if err := files.CheckStart(u, s.cfg.Files); err != nil {
		return u, err
	}
	o, err := s.uploadOwner(ctx, h, u)
	if err != nil {
		return u, err
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "upload", h.Actor.ID, fingerprint(u.Owner, ownerID, u.Material, u.Name, strconv.FormatInt(u.Size, 10)), func() (string, error) {
			err := tx.StartUpload(&u, o.desk)
			return u.ID, err
		})
		return err
	})
	if err != nil {
		return u, err
	}
	return s.DB.Upload(ctx, id)
}

// uploadTo is what an upload's owner decides: whether the hand may attach to it (checked at the start and
// again at every chunk), the desk and the field its refusal names, how the finished file is stored, and how
// it is read back.
type uploadTo struct {
	desk, field string
	refuse      func(*errs.Error) error
	keep        func(tx *store.Tx, name string, p files.Prepared) (files.File, error)
	read        func(ctx context.Context, fileID string) (files.File, error)
}

func (s *Service) uploadOwner(ctx context.Context, h Hand, u files.Upload) (uploadTo, error) {
	if u.Owner != files.OwnerCase && h.Resident != nil {
		return uploadTo{}, errs.New(errs.NotFound, "err.not_found").With("what", "upload")
	}
	switch u.Owner {
	case files.OwnerCase:
		v, err := s.mayAttach(ctx, h, u.CaseID, u.Material)
		return uploadTo{desk: v.desk, field: "file",
			refuse: func(e *errs.Error) error { return fileLabel(e, u.Material) },
			keep: func(tx *store.Tx, name string, p files.Prepared) (files.File, error) {
				f := fileOf(v, h, u.Material, name, p)
				return f, tx.AddFile(h.Actor, v.c.Handling, &f, p.Body)
			},
			read: func(ctx context.Context, id string) (files.File, error) { return s.DB.CaseFile(ctx, id) }}, err
	case files.OwnerDelegation, files.OwnerHelp:
		kind, field, orgID, err := s.delegFileOwner(ctx, h.Actor, u.Owner, u.CaseID)
		return uploadTo{desk: orgID, field: field,
			refuse: func(e *errs.Error) error { return e },
			keep: func(tx *store.Tx, name string, p files.Prepared) (files.File, error) {
				f := delegFileOf(name, p)
				return f, tx.AddDelegFile(h.Actor, kind, u.CaseID, orgID, &f, p.Body)
			},
			read: func(ctx context.Context, id string) (files.File, error) {
				return s.DB.DelegFile(ctx, kind, u.CaseID, id)
			}}, err
	}
	return uploadTo{}, errs.Field("owner", "err.not_found").With("what", "upload")
}

// UploadState reads an upload for the hand that started it; anyone else's is not found.
func (s *Service) UploadState(ctx context.Context, h Hand, id string) (files.Upload, error) {
	u, err := s.DB.Upload(ctx, id)
	if err != nil || u.By != h.Actor.ID {
		return files.Upload{}, errs.New(errs.NotFound, "err.not_found").With("what", "upload")
	}
	return u, nil
}

// UploadFile reads the file a finished upload made, for the hand that started it (nil before it is done).
func (s *Service) UploadFile(ctx context.Context, h Hand, u files.Upload) (*files.File, error) {
	if !u.Done() {
		return nil, nil
	}
	o, err := s.uploadOwner(ctx, h, u)
	if err != nil {
		return nil, err
	}
	f, err := o.read(ctx, u.FileID)
	return &f, err
}

// PutChunk takes a chunk of an upload at offset (files.Upload.Take decides what of it is new). The last
// chunk ends the upload: the whole file is checked and stored among its owner's files, or refused and the
// upload removed; the answer then carries the file, or the refusal naming the field.
func (s *Service) PutChunk(ctx context.Context, h Hand, id string, offset int64, chunk []byte) (files.Upload, *files.File, error) {
	u, err := s.UploadState(ctx, h, id)
	if err != nil {
		return u, nil, err
	}
	o, err := s.uploadOwner(ctx, h, u)
	if err != nil {
		return u, nil, err
	}
	var made *files.File
	var refused error
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		made, refused = nil, nil
		cur, _, err := tx.Upload(id)
		if err != nil {
			return err
		}
		skip, err := cur.Take(offset, len(chunk))
		if err != nil {
			return err
		}
		if cur.Done() {
			u = cur
			return nil
		}
		if cur.Offset, err = tx.AppendChunk(cur, chunk[skip:]); err != nil {
			return err
		}
		u = cur
		if cur.Offset < cur.Size {
			return nil
		}
		body, err := tx.UploadBody(id)
		if err != nil {
			return err
		}
		p, err := files.Prepare(o.field, cur.Name, body, s.cfg.Files)
		if err != nil {
			// the refusal ends the upload; it is what the caller is told, and the removal is kept
			refused = o.refuse(errs.All(err)[0])
			return tx.EndUpload(id, "")
		}
		f, err := o.keep(tx, cur.Name, p)
		if err != nil {
			return err
		}
		made, u.FileID = &f, f.ID
		return tx.EndUpload(id, f.ID)
	})
	if err == nil {
		err = refused
	}
	if made == nil && u.Done() && err == nil {
		made, _ = s.UploadFile(ctx, h, u)
	}
	return u, made, err
}

// CasePaper is what a case's page shows of its paper side: the item version's form and materials, the
// form's values, the files; whether the reader sees the applicant in full (else ID numbers and phones in
// the form are masked, and file names withheld) and may hand in files.
type CasePaper struct {
	Case   cases.Case
	Item   catalog.Item
	Files  []files.File
	Full   bool
	Attach bool
}

// CasePaper reads it for whoever may read the case.
func (s *Service) CasePaper(ctx context.Context, h Hand, caseID string) (CasePaper, error) {
	v, err := s.sight(ctx, h, caseID)
	if err != nil {
		return CasePaper{}, err
	}
	it, err := s.DB.ItemVersion(ctx, v.c.ItemID, v.c.ItemVersion)
	if err != nil {
		return CasePaper{}, err
	}
	list, err := s.DB.CaseFiles(ctx, caseID)
	if err != nil {
		return CasePaper{}, err
	}
	for i := range list {
		list[i] = masked(list[i], v.full)
	}
	return CasePaper{Case: v.c, Item: it, Files: list, Full: v.full, Attach: v.attach}, nil
}

// FileLimits are the limits of electronic materials in force (the page's weight for the browser to aim at).
func (s *Service) FileLimits() files.Limits { return s.cfg.Files }
