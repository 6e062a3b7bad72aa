package files

import (
	"bytes"
	"image/jpeg"
	"strconv"

	"bianmin/internal/errs"
)

// Portrait checks an image handed in for field (a staff member's photo: JPEG or PNG, within the upload and
// pixel limits, what it claims to be) and brings it down to edge pixels on its longest side with the same
// box filter as a material's page, as JPEG, hashed for its content address. A PDF is refused.
func Portrait(field, name string, body []byte, lim Limits, edge int) (Prepared, error) {
	p := Prepared{Original: int64(len(body))}
	if len(body) == 0 {
		return p, errs.Field(field, "err.file.empty")
	}
	if int64(len(body)) > lim.MaxUpload {
		return p, errs.Field(field, "err.file.too_large").With("mb", mb(lim.MaxUpload))
	}
	sniffed, claimed := Sniff(body), Claimed(name)
	switch {
	case sniffed != JPEG && sniffed != PNG:
		return p, errs.Field(field, "err.file.type").With("file", name)
	case claimed != "" && claimed != sniffed:
		return p, errs.Field(field, "err.file.not_what_it_claims").With("file", name).With("claimed", claimed)
	}
	img, _, err := decodeImage(field, name, body, lim)
	if err != nil {
		return p, err
	}
	small := downscale(toRGBA(img), edge)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: 85}); err != nil {
		return p, errs.Field(field, "err.file.malformed").With("file", name)
	}
	b := small.Bounds()
	p.Body, p.Type, p.Pages, p.Width, p.Height, p.SHA256 = buf.Bytes(), JPEG, 1, b.Dx(), b.Dy(), Address(buf.Bytes())
	if int64(len(p.Body)) > lim.PageBytes {
		return p, errs.Field(field, "err.file.too_detailed").With("file", name).With("kb", strconv.FormatInt(lim.PageBytes>>10, 10))
	}
	return p, nil
}
