package files

import (
	"image"
	"image/color"
	"testing"
)

// phonePaper is a phone's photo of a paper: 3264×2448 (8 Mpx), light page, dark lines of text, sensor noise.
func phonePaper() image.Image {
	const w, h = 3264, 2448
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(200 + (x*y)%37 - (x+y)%23)
			if (x/40+y/60)%7 == 0 {
				v = uint8(40 + (x*7+y*3)%50)
			}
			img.Set(x, y, color.RGBA{v, v - uint8(x%9), v - uint8(y%11), 255})
		}
	}
	return img
}

// The server's path for a browser without JavaScript: a 3 MB phone photo checked, decoded, downscaled and
// recompressed to a page's weight. A figure (go test -bench Prepare ./internal/files/), not a rule.
func BenchmarkPrepare(b *testing.B) {
	body := encJPEG(b, phonePaper(), 90)
	var stored int
	for b.Loop() {
		p, err := Prepare("f", "phone.jpg", body, DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		stored = len(p.Body)
	}
	b.ReportMetric(float64(len(body)), "sent-bytes")
	b.ReportMetric(float64(stored), "stored-bytes")
}
