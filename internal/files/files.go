// Package files holds the rules of electronic materials (电子材料): what a file handed in for a material of a
// case may be (JPEG, PNG or PDF, sniffed from its bytes, never believed from its name), how large, how an
// image is brought down to the configured size of a page, its content address, and the resumable upload
// that carries it over a village station's weak link.
package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"path"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/errs"
)

// The types a material may be handed in as.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	PDF  = "application/pdf"
)

// Limits are the settings of electronic materials.
type Limits struct {
	// PageBytes is what a stored page may weigh: an image is recompressed to it, a PDF may have this much
	// per page. 300 KB a page keeps a photographed ID card legible at the back office and a million cases
	// within one disk (issue 13).
	PageBytes int64
	// MaxUpload is the largest file taken as sent, before recompression: a phone photo is 3-8 MB.
	MaxUpload int64
	// MaxPixels refuses an image whose header claims more pixels than a camera makes before it is decoded
	// (a few bytes of PNG can claim gigapixels).
	MaxPixels int
	// MaxEdge is the longest side a stored image keeps: 2000 px is 200 dpi across an A4 page's 25 cm.
	MaxEdge int
}

// DefaultLimits are the defaults of the settings.
var DefaultLimits = Limits{PageBytes: 300 << 10, MaxUpload: 20 << 20, MaxPixels: 50_000_000, MaxEdge: 2000}

// Sniff names the type of body by its first bytes: the signatures that WHATWG MIME sniffing (and Go's
// http.DetectContentType) matches for JPEG, PNG and PDF; anything else is "" (an executable, a ZIP, text).
func Sniff(body []byte) string {
	switch {
	case bytes.HasPrefix(body, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(body, []byte("\x89PNG\x0D\x0A\x1A\x0A")):
		return PNG
	case bytes.HasPrefix(body, []byte("%PDF-")):
		return PDF
	}
	return ""
}

// Claimed is the type a file's name claims by its extension ("" for none we take).
func Claimed(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".jfif":
		return JPEG
	case ".png":
		return PNG
	case ".pdf":
		return PDF
	}
	return ""
}

// Prepared is a file made ready to store: its bytes (recompressed where it was an image over the size), type,
// pages and content address.
type Prepared struct {
	Body     []byte
	Type     string
	Pages    int
	SHA256   string // hex
	Width    int    // images
	Height   int
	Original int64 // bytes as sent
}

// Prepare checks a file handed in for the field and makes it ready to store. A file that is not what it
// claims (its name says .jpg and its bytes are an executable), an image that does not decode, a PDF
// without its header and trailer, a file over the limits: each is refused naming the field, nothing kept.
// An image larger than a page may weigh is downscaled and recompressed as JPEG (the browser does the same
// before sending, where it runs JavaScript; here it is done for those that do not).
func Prepare(field, name string, body []byte, lim Limits) (Prepared, error) {
	p := Prepared{Original: int64(len(body))}
	if len(body) == 0 {
		return p, errs.Field(field, "err.file.empty")
	}
	if int64(len(body)) > lim.MaxUpload {
		return p, errs.Field(field, "err.file.too_large").With("mb", mb(lim.MaxUpload))
	}
	sniffed, claimed := Sniff(body), Claimed(name)
	switch {
	case sniffed == "":
		return p, errs.Field(field, "err.file.type").With("file", name)
	case claimed != "" && claimed != sniffed:
		// a renamed file: what it says it is differs from what it is
		return p, errs.Field(field, "err.file.not_what_it_claims").With("file", name).With("claimed", strings.TrimPrefix(path.Ext(name), "."))
	}
	p.Type = sniffed
	if sniffed == PDF {
		pages, err := pdfPages(field, name, body)
		if err != nil {
			return p, err
		}
		if int64(len(body)) > lim.PageBytes*int64(pages) {
			return p, errs.Field(field, "err.file.pdf_heavy").With("file", name).With("kb", strconv.FormatInt(lim.PageBytes>>10, 10))
		}
		p.Body, p.Pages = body, pages
		p.SHA256 = Address(body)
		return p, nil
	}
	img, cfg, err := decodeImage(field, name, body, lim)
	if err != nil {
		return p, err
	}
	p.Pages, p.Width, p.Height = 1, cfg.Width, cfg.Height
	if int64(len(body)) <= lim.PageBytes && max(cfg.Width, cfg.Height) <= lim.MaxEdge {
		// already small: kept as sent, so that the hash the browser computed is the stored one
		p.Body = body
		p.SHA256 = Address(body)
		return p, nil
	}
	out, w, h, err := Shrink(img, lim)
	if err != nil {
		return p, errs.Field(field, "err.file.too_detailed").With("file", name).With("kb", strconv.FormatInt(lim.PageBytes>>10, 10))
	}
	p.Body, p.Type, p.Width, p.Height = out, JPEG, w, h
	p.SHA256 = Address(out)
	return p, nil
}

// Address is the content address of stored bytes: their SHA-256 in hex. The same file handed in twice is
// stored once, and the audit entry's hash proves which bytes were seen.
func Address(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Shrink downscales an image to MaxEdge and encodes it as JPEG, lowering the quality and then the size
// until it weighs at most PageBytes. It fails only for an image that cannot be made that small legibly
// (below 800 px on its longest side).
func Shrink(img image.Image, lim Limits) ([]byte, int, int, error) {
	b := img.Bounds()
	edge := min(max(b.Dx(), b.Dy()), lim.MaxEdge)
	src := toRGBA(img)
	for edge >= 800 {
		small := downscale(src, edge)
		for _, q := range []int{82, 72, 62} {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: q}); err != nil {
				return nil, 0, 0, err
			}
			if int64(buf.Len()) <= lim.PageBytes {
				sb := small.Bounds()
				return buf.Bytes(), sb.Dx(), sb.Dy(), nil
			}
		}
		edge = edge * 4 / 5
	}
	return nil, 0, 0, errs.New(errs.Invalid, "err.file.too_detailed")
}

// toRGBA converts once, through image/draw's fast paths (JPEG decodes to YCbCr), so that the box filter
// reads plain bytes.
func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

// downscale shrinks src so that its longest side is edge, averaging every source pixel that falls into a
// target pixel (a box filter: for shrinking, as good as a photo of a paper needs, and the standard library's
// own, so golang.org/x/image does not earn its place).
func downscale(src *image.RGBA, edge int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if max(sw, sh) <= edge {
		return src
	}
	var dw, dh int
	if sw >= sh {
		dw, dh = edge, max(1, sh*edge/sw)
	} else {
		dw, dh = max(1, sw*edge/sh), edge
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	sum := make([]uint32, dw*4)
	cnt := make([]uint32, dw)
	for dy := 0; dy < dh; dy++ {
		y0, y1 := dy*sh/dh, max((dy+1)*sh/dh, dy*sh/dh+1)
		clear(sum)
		clear(cnt)
		for y := y0; y < y1; y++ {
			row := src.Pix[y*src.Stride:]
			for x := 0; x < sw; x++ {
				dx := x * dw / sw
				i := x * 4
				sum[dx*4] += uint32(row[i])
				sum[dx*4+1] += uint32(row[i+1])
				sum[dx*4+2] += uint32(row[i+2])
				sum[dx*4+3] += uint32(row[i+3])
				cnt[dx]++
			}
		}
		out := dst.Pix[dy*dst.Stride:]
		for dx := 0; dx < dw; dx++ {
			n := max(cnt[dx], 1)
			out[dx*4] = uint8(sum[dx*4] / n)
			out[dx*4+1] = uint8(sum[dx*4+1] / n)
			out[dx*4+2] = uint8(sum[dx*4+2] / n)
			out[dx*4+3] = uint8(sum[dx*4+3] / n)
		}
	}
	return dst
}

// pdfPages checks a PDF's frame (header, %%EOF near the end) and counts its pages by their page objects; a
// PDF that is not one is malformed. Bianmin never renders a PDF on the server: it is stored and sent back as
// it came, to a browser that displays it.
func pdfPages(field, name string, body []byte) (int, error) {
	tail := body[max(0, len(body)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return 0, errs.Field(field, "err.file.malformed").With("file", name)
	}
	n := bytes.Count(body, []byte("/Type /Page")) + bytes.Count(body, []byte("/Type/Page"))
	n -= bytes.Count(body, []byte("/Type /Pages")) + bytes.Count(body, []byte("/Type/Pages"))
	return max(n, 1), nil
}

func mb(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) }

// image.Decode knows only the formats whose packages are linked in: PNG's is, by this reference.
var _ = png.Decode

// File is a stored file standing for a material of a case.
type File struct {
	ID       string    `json:"id"`
	CaseID   string    `json:"case_id"`
	Material string    `json:"material"` // the material's name, as the item version of the case names it
	Name     string    `json:"name"`     // as sent; personal data, shown to the front desk only
	Type     string    `json:"type"`
	Size     int64     `json:"bytes"`
	Original int64     `json:"original_bytes"` // as sent, before recompression
	Pages    int       `json:"pages"`
	Width    int       `json:"width,omitempty"`
	Height   int       `json:"height,omitempty"`
	SHA256   string    `json:"sha256"`
	Desk     string    `json:"desk"` // front, station or applicant: where it was handed in
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// Image reports whether the file is shown as a picture (a PDF is linked).
func (f File) Image() bool { return f.Type == JPEG || f.Type == PNG }

// decodeImage decodes an image handed in for field, refusing one that is malformed or has more pixels than
// the limit (checked from its header before the whole is decoded).
func decodeImage(field, name string, body []byte, lim Limits) (image.Image, image.Config, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, cfg, errs.Field(field, "err.file.malformed").With("file", name)
	}
	if cfg.Width*cfg.Height > lim.MaxPixels {
		return nil, cfg, errs.Field(field, "err.file.too_many_pixels").With("file", name)
	}
	img, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		return nil, cfg, errs.Field(field, "err.file.malformed").With("file", name)
	}
	return img, cfg, nil
}
