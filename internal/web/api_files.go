package web

import (
	"io"
	"net/http"
	"reflect"
	"strconv"

	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/service"
)

// The API of electronic materials (issue 13). The resumable upload's protocol is written out in
// internal/files/upload.go: start with POST .../uploads (Idempotency-Key), send chunks with PATCH
// /api/v1/uploads/{id} and the header Upload-Offset, ask GET /api/v1/uploads/{id} where to go on after a
// dropped link. A station's offline intake (issue 13, item 4) resends through the same calls.

// UploadJSON is an upload's state; File is set once the last chunk made the file.
type UploadJSON struct {
	ID string `json:"id"`
	// Owner is what the file is for: case (CaseID is the case's), delegation or help (CaseID is the
	// delegation's or the help request's id).
	Owner    string      `json:"owner"`
	CaseID   string      `json:"case_id"`
	Material string      `json:"material"`
	Size     int64       `json:"size"`
	Offset   int64       `json:"offset"`
	Chunk    int         `json:"chunk"` // the largest chunk a PATCH may carry
	File     *files.File `json:"file,omitempty"`
}

// UploadStart is the body of an upload's start.
type UploadStart struct {
	Material string `json:"material"`
	Name     string `json:"name"`
	Size     int64  `json:"size"`
}

func uploadJSON(u files.Upload, f *files.File) UploadJSON {
	return UploadJSON{ID: u.ID, Owner: u.Owner, CaseID: u.CaseID, Material: u.Material, Size: u.Size, Offset: u.Offset, Chunk: files.ChunkBytes, File: f}
}

// handOf is the caller's hand: a member of staff or a resident, whichever token came.
func handOf(c *reqCtx) (service.Hand, error) {
	switch {
	case c.me != nil:
		return service.Staff(c.me.Actor()), nil
	case c.resident != nil:
		return service.ResidentHand(*c.resident), nil
	}
	return service.Hand{}, errs.New(errs.Unauthenticated, "err.session")
}

// eitherOp is an operation open to staff and residents alike (the service decides what each may do).
func eitherOp[In, Out any](s *Server, method, path, id, summary string, fn func(r *http.Request, h service.Hand, in In) (Out, error)) apiOp {
	o := op(s, method, path, id, summary, false, func(r *http.Request, c *reqCtx, in In) (Out, error) {
		h, err := handOf(c)
		if err != nil {
			var zero Out
			return zero, err
		}
		return fn(r, h, in)
	})
	o.Auth = true
	return o
}

func (s *Server) fileOps() []apiOp {
	chunk := apiOp{Method: "PATCH", Path: "/api/v1/uploads/{id}", ID: "putUploadChunk", Auth: true, Header: []string{"Upload-Offset"},
		Summary: "Send the bytes from Upload-Offset on (application/offset+octet-stream, at most `chunk` bytes); a chunk the server holds already is taken once, a gap is refused 409 naming the offset held; the last chunk stores the file (or refuses it, naming why)",
		Out:     reflect.TypeFor[UploadJSON]()}
	chunk.handle = func(w http.ResponseWriter, r *http.Request) {
		h, err := handOf(rc(r))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		offset, perr := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64)
		if perr != nil {
			s.apiError(w, r, errs.Field("offset", "err.upload.offset_header"))
			return
		}
		body, rerr := io.ReadAll(io.LimitReader(r.Body, files.ChunkBytes+1))
		if rerr != nil {
			s.apiError(w, r, errs.New(errs.BadRequest, "err.edge.form"))
			return
		}
		u, f, err := s.svc.PutChunk(r.Context(), h, r.PathValue("id"), offset, body)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		w.Header().Set("Upload-Offset", strconv.FormatInt(u.Offset, 10))
		writeJSON(w, http.StatusOK, uploadJSON(u, f))
	}
	bytesOf := func(path, id string) apiOp {
		o := apiOp{Method: "GET", Path: path, ID: id, Auth: true, Out: reflect.TypeFor[string](),
			Summary: "The bytes of a file of a case (its stored type), for whoever may read the case: staff within their reach, the resident whose case it is"}
		o.handle = func(w http.ResponseWriter, r *http.Request) {
			h, err := handOf(rc(r))
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			f, body, err := s.svc.CaseFile(r.Context(), h, r.PathValue("id"), r.PathValue("fid"))
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			writeFile(w, f, body)
		}
		return o
	}
	list := func(r *http.Request, h service.Hand, _ empty) ([]files.File, error) {
		return s.svc.CaseFiles(r.Context(), h, r.PathValue("id"))
	}
	return []apiOp{
		eitherOp(s, "GET", "/api/v1/cases/{id}/files", "listCaseFiles", "The electronic materials of a case, for whoever may read it (the back office without the names they were sent under)", list),
		bytesOf("/api/v1/cases/{id}/files/{fid}", "getCaseFile"),
		eitherOp(s, "GET", "/api/v1/resident/cases/{id}/files", "myCaseFiles", "The files of one of the resident's own cases", list),
		bytesOf("/api/v1/resident/cases/{id}/files/{fid}", "myCaseFile"),
		withHeader(eitherOp(s, "POST", "/api/v1/cases/{id}/uploads", "startUpload", "Start a resumable upload of a file for a material of the case (files/upload.go has the protocol); send Idempotency-Key",
			func(r *http.Request, h service.Hand, in UploadStart) (UploadJSON, error) {
				u, err := s.svc.StartUpload(r.Context(), h, r.PathValue("id"), files.Upload{Material: in.Material, Name: in.Name, Size: in.Size}, r.Header.Get("Idempotency-Key"))
				return uploadJSON(u, nil), err
			}), "Idempotency-Key"),
		eitherOp(s, "GET", "/api/v1/uploads/{id}", "getUpload", "Where an upload stands: the offset to go on from (HEAD answers the same)",
			func(r *http.Request, h service.Hand, _ empty) (UploadJSON, error) {
				u, err := s.svc.UploadState(r.Context(), h, r.PathValue("id"))
				var f *files.File
				if err == nil {
					f, _ = s.svc.UploadFile(r.Context(), h, u)
				}
				return uploadJSON(u, f), err
			}),
		chunk,
	}
}
