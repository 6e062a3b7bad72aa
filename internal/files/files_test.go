package files

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"testing"

	"bianmin/internal/errs"
)

// photo makes a w×h picture with detail (a gradient and a fine pattern), so that JPEG cannot squeeze it small
// at high quality, as a phone's photo of a paper.
func photo(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8((x*7 + y*13 + (x*y)%97) & 0xFF)
			img.Set(x, y, color.RGBA{v, uint8(x), uint8(y), 255})
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const minimalPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// The sniffer names what Go's http.DetectContentType (WHATWG sniffing) names, for the types taken and for
// an executable.
func TestSniffAgreesWithDetectContentType(t *testing.T) {
	var pngb bytes.Buffer
	png.Encode(&pngb, photo(4, 4))
	for _, body := range [][]byte{encJPEG(t, photo(8, 8), 80), pngb.Bytes(), []byte(minimalPDF), []byte("MZ\x90\x00\x03\x00\x00\x00PE\x00\x00"), []byte("PK\x03\x04zip")} {
		want := http.DetectContentType(body)
		got := Sniff(body)
		if (got == "" && (want == JPEG || want == PNG || want == PDF)) || (got != "" && got != want) {
			t.Errorf("Sniff %q = %q, DetectContentType %q", body[:4], got, want)
		}
	}
}

// pngClaiming is a PNG whose header claims w×h pixels, with no image data: a decompression bomb's first bytes.
func pngClaiming(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	binary.BigEndian.PutUint32(make([]byte, 4), 13)
	l := make([]byte, 4)
	binary.BigEndian.PutUint32(l, 13)
	b.Write(l)
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	c := make([]byte, 4)
	binary.BigEndian.PutUint32(c, crc32.ChecksumIEEE(chunk))
	b.Write(c)
	return b.Bytes()
}

// A file that is not what it claims is refused naming the field, and so are a malformed image, a PDF cut
// short, an empty file, one over the cap and an image claiming more pixels than any camera makes.
func TestPrepareRefuses(t *testing.T) {
	good := encJPEG(t, photo(64, 48), 85)
	lim := DefaultLimits
	lim.MaxUpload = 1 << 20
	for _, c := range []struct {
		name, file string
		body       []byte
		key        string
	}{
		{"renamed executable", "身份证.jpg", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), "err.file.type"},
		{"a PNG named .jpg", "photo.jpg", pngClaiming(10, 10), "err.file.not_what_it_claims"},
		{"a JPEG named .pdf", "scan.pdf", good, "err.file.not_what_it_claims"},
		{"malformed image", "photo.jpg", good[:len(good)/3], "err.file.malformed"},
		{"PDF cut short", "scan.pdf", []byte(minimalPDF[:60]), "err.file.malformed"},
		{"empty", "a.jpg", nil, "err.file.empty"},
		{"oversized", "big.jpg", append([]byte("\xFF\xD8\xFF"), make([]byte, 1<<20)...), "err.file.too_large"},
		{"pixel bomb", "bomb.png", pngClaiming(100000, 100000), "err.file.too_many_pixels"},
	} {
		_, err := Prepare("materials[1]", c.file, c.body, lim)
		e := errs.All(err)
		if len(e) != 1 || e[0].Key != c.key || e[0].Field != "materials[1]" {
			t.Errorf("%s: %v, want %s on materials[1]", c.name, err, c.key)
		}
	}
}

// A large photo is downscaled to MaxEdge and recompressed to the page's weight; a small one is kept byte for
// byte, so that its address is the one the sender computed; a PDF is kept as sent and its pages counted.
func TestPrepareShrinksAndAddresses(t *testing.T) {
	lim := DefaultLimits
	big := encJPEG(t, photo(3000, 2250), 95)
	if int64(len(big)) <= lim.PageBytes {
		t.Fatalf("the test photo is only %d bytes", len(big))
	}
	p, err := Prepare("f", "phone.jpg", big, lim)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(p.Body)) > lim.PageBytes || p.Type != JPEG || max(p.Width, p.Height) > lim.MaxEdge || max(p.Width, p.Height) < 800 || p.Width*3 != p.Height*4 {
		t.Fatalf("shrunk to %d bytes %s %d×%d", len(p.Body), p.Type, p.Width, p.Height)
	}
	if p.SHA256 != Address(p.Body) || len(p.SHA256) != 64 || p.Original != int64(len(big)) {
		t.Fatalf("address %s", p.SHA256)
	}
	if _, err := jpeg.Decode(bytes.NewReader(p.Body)); err != nil {
		t.Fatalf("the stored image does not decode: %v", err)
	}
	small := encJPEG(t, photo(200, 150), 80)
	q, err := Prepare("f", "small.JPG", small, lim)
	if err != nil || !bytes.Equal(q.Body, small) || q.SHA256 != Address(small) {
		t.Fatalf("a small image was changed: %v", err)
	}
	pdf, err := Prepare("f", "scan.pdf", []byte(minimalPDF), lim)
	if err != nil || pdf.Pages != 1 || pdf.Type != PDF {
		t.Fatalf("pdf: %+v %v", pdf, err)
	}
	heavy := lim
	heavy.PageBytes = 100
	if _, err := Prepare("f", "scan.pdf", []byte(minimalPDF), heavy); errs.All(err)[0].Key != "err.file.pdf_heavy" {
		t.Fatalf("a PDF over its pages' weight: %v", err)
	}
}

// Take: a resend is skipped (whole or in part), a gap is a conflict carrying the held offset, a chunk past
// the declared size or over the chunk cap is refused, a finished upload takes anything as already held.
func TestUploadTake(t *testing.T) {
	u := Upload{Size: 1000, Offset: 400}
	for _, c := range []struct {
		name   string
		offset int64
		n      int
		skip   int
		code   errs.Code
	}{
		{"next chunk", 400, 100, 0, ""},
		{"resend of a held chunk", 300, 100, 100, ""},
		{"resend overlapping the end", 350, 100, 50, ""},
		{"gap", 500, 100, 0, errs.Conflict},
		{"past the size", 400, 601, 0, errs.Invalid},
		{"negative", -1, 10, 0, errs.Invalid},
		{"over the chunk cap", 400, ChunkBytes + 1, 0, errs.TooLarge},
	} {
		skip, err := u.Take(c.offset, c.n)
		if errs.CodeOf(err) != c.code && !(c.code == "" && err == nil) || (err == nil && skip != c.skip) {
			t.Errorf("%s: skip %d err %v", c.name, skip, err)
		}
		if c.code == errs.Conflict {
			if e := errs.All(err)[0]; e.Args["offset"] != "400" {
				t.Errorf("the gap's answer names offset %q", e.Args["offset"])
			}
		}
	}
	done := Upload{Size: 10, Offset: 10, FileID: "f"}
	if skip, err := done.Take(0, 10); err != nil || skip != 10 {
		t.Errorf("a finished upload: %d %v", skip, err)
	}
	if err := CheckStart(Upload{Material: "身份证", Name: "a.jpg", Size: 21 << 20}, DefaultLimits); errs.All(err)[0].Field != "size" {
		t.Errorf("an oversized start: %v", err)
	}
}
