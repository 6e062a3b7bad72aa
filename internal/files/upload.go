package files

import (
	"strconv"
	"strings"
	"time"

	"bianmin/internal/errs"
)

// The resumable upload (电子材料断点续传). A village station's link drops mid-file; the file must then go on
// from where it stopped, not start again, and a chunk sent twice must change nothing. The protocol, over
// the JSON API (internal/web/api_files.go has the routes):
//
//  1. POST /api/v1/cases/{id}/uploads {"material": "居民身份证", "name": "id.jpg", "size": 3145728}
//     with Idempotency-Key: the same key gives back the same upload, so a resent start makes no second one.
//     Answer: {"id": "...", "offset": 0, "size": ..., "chunk": 524288}.
//  2. PATCH /api/v1/uploads/{id} with header Upload-Offset: N and the bytes [N, N+len) as the body
//     (application/offset+octet-stream, at most "chunk" bytes). Answer: {"offset": M} (bytes held now).
//     A chunk at an offset the server already holds (a resend after a lost answer) is taken as far as it is
//     new: nothing is written twice. A chunk past the held offset is refused 409 with the held offset in
//     the error's "offset" field: the client goes on from there.
//  3. HEAD or GET /api/v1/uploads/{id}: {"offset": M, ...}: after a dropped link, ask, then PATCH from M.
//  4. When offset reaches size, the file is checked (Prepare: sniffed, decoded, recompressed) and stored;
//     the answer carries "file": {"id", "sha256", "bytes", "type"}. A refused file ends the upload with the
//     refusal (which names the field and says why); its chunks are removed.
//
// An upload not finished in UploadTTL is removed with its chunks. A delegation's legal document and a help
// request's attachment go the same way, started at POST /api/v1/delegations/{id}/uploads and
// /api/v1/help-requests/{id}/uploads ({"name", "size"}: no material), under the same size limit.

// ChunkBytes is the largest chunk a PATCH carries: small enough to get through a 256 kbit/s link in about
// twenty seconds, so a drop loses little.
const ChunkBytes = 512 << 10

// UploadTTL is how long an unfinished upload waits to be resumed.
const UploadTTL = 7 * 24 * time.Hour

// Owners of an upload besides a case (issue 14): the file ends among that owner's files.
const (
	OwnerCase       = "case"
	OwnerDelegation = "delegation" // a delegation's legal document
	OwnerHelp       = "help"       // a help request's attachment
)

// Upload is a file on its way in.
type Upload struct {
	ID string `json:"id"`
	// Owner is what the file is for (OwnerCase, OwnerDelegation, OwnerHelp) and CaseID that owner's id: a
	// delegation's file goes by the same protocol as a case's, from POST /api/v1/delegations/{id}/uploads.
	Owner    string    `json:"owner"`
	CaseID   string    `json:"case_id"`
	Material string    `json:"material"`
	Name     string    `json:"name"`
	Size     int64     `json:"size"`
	Offset   int64     `json:"offset"`
	By       string    `json:"by"` // staff or resident account id
	Started  time.Time `json:"started"`
	FileID   string    `json:"file_id,omitempty"` // set when the upload ended in a stored file
}

// Done reports an upload that ended in a stored file.
func (u Upload) Done() bool { return u.FileID != "" }

// MaxName is the longest file name kept.
const MaxName = 200

// CheckStart checks the start of an upload: a material named, a name, a size within the cap.
func CheckStart(u Upload, lim Limits) error {
	var l errs.List
	if strings.TrimSpace(u.Material) == "" {
		l.Add(errs.Field("material", "err.required"))
	}
	if strings.TrimSpace(u.Name) == "" {
		l.Add(errs.Field("name", "err.required"))
	} else if len([]rune(u.Name)) > MaxName {
		l.Add(errs.Field("name", "err.too_long").With("max", strconv.Itoa(MaxName)))
	}
	switch {
	case u.Size <= 0:
		l.Add(errs.Field("size", "err.file.empty"))
	case u.Size > lim.MaxUpload:
		l.Add(errs.Field("size", "err.file.too_large").With("mb", mb(lim.MaxUpload)))
	}
	return l.Err()
}

// Take places a chunk sent at offset into the upload: it returns how many of its leading bytes the upload
// already holds (to be skipped) or a refusal. A chunk wholly held already is skipped whole: a resend is
// harmless. A gap (offset past what is held) is a conflict carrying the held offset.
func (u Upload) Take(offset int64, n int) (skip int, err error) {
	switch {
	case u.Done():
		return n, nil
	case n > ChunkBytes:
		return 0, errs.New(errs.TooLarge, "err.upload.chunk").With("kb", strconv.Itoa(ChunkBytes>>10))
	case offset < 0:
		return 0, errs.Field("offset", "err.upload.offset").With("offset", strconv.FormatInt(u.Offset, 10))
	case offset > u.Offset:
		return 0, &errs.Error{Code: errs.Conflict, Field: "offset", Key: "err.upload.offset", Args: map[string]string{"offset": strconv.FormatInt(u.Offset, 10)}}
	case offset+int64(n) > u.Size:
		return 0, errs.Field("offset", "err.upload.past_size").With("size", strconv.FormatInt(u.Size, 10))
	}
	held := u.Offset - offset
	if held >= int64(n) {
		return n, nil
	}
	return int(held), nil
}
