package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// What a lifecycle's audit entries and notices keep, as the service writes them (ids and times made up).
var (
	packAccept = `{"accepted":"2026-12-01T10:39:31.771720844Z","materials":[{"name":"最低生活保障申请表","required":true,"check":"original"},{"name":"居民身份证","required":true,"check":"original"},{"name":"居民户口簿","required":true,"check":"copy"},{"name":"家庭收入和财产状况声明","required":true,"check":"pledged","pledgeable":true},{"name":"本人银行卡或一卡通","required":false,"check":"copy","deferrable":true}],"pledge":{"materials":["家庭收入和财产状况声明"],"due":"2026-12-11"},"state":"accepted","step":1,"step_since":"2026-12-01T10:39:31.771720844Z","version":2}`
	packPaper  = `{"by":"综合受理员","case":{"accepted":"2027-03-02T08:01:02.123456789Z","decision":{"grant":true,"reasons":"符合条件","at":"2027-03-09T15:04:05.987654321Z"},"delivery":{"method":"window"},"extension_unit":"working_days","handling":"01a23130-1599-76cc-86ee-77040555ab55","limit_days":25,"limit_unit":"working_days","state":"issued","step":3,"version":6},"due":"2027-04-06","due_provisional":true,"issuer":"01a23130-15ad-728b-865c-3e2e536ec96d"}`
	packPass   = `{"step":2,"step_since":"2026-12-01T10:39:31.774990506Z","suspensions":[{"Kind":"公示","From":"2026-12-01","To":"","reason":"公示","step":"嘎查村公示"}],"version":3}`
)

// The codec at the SQL boundary: packed values and the plain JSON text of rows kept before both read back as
// their text; the empty text stays empty on both engines; what does not unpack is an error naming it.
func TestPackedJSON(t *testing.T) {
	for _, s := range []string{packAccept, packPaper, packPass, `{"n":1}`, `null`, `"a note"`, `[1,2]`, "\n {}",
		`{"NameMn":"ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠬᠠᠮᠤᠭ","x":"\u003c\\"}`, strings.Repeat(`{"k":"v"},`, 5000)} {
		for _, d := range []dialect{sqlite, postgres} {
			b, ok := d.packJSON(s).([]byte)
			if !ok {
				t.Fatalf("%s: %.40q packed as %T", d.name, s, d.packJSON(s))
			}
			if len(b) > len(s) {
				t.Errorf("%.40q: packed to %d bytes, more than its %d", s, len(b), len(s))
			}
			back, err := UnpackJSON(b)
			if err != nil || back != s {
				t.Fatalf("%.40q: back as %.40q, %v", s, back, err)
			}
			var scanned string
			if err := (unpacked{&scanned}).Scan(b); err != nil || scanned != s {
				t.Fatalf("%.40q: scanned %.40q, %v", s, scanned, err)
			}
		}
	}
	if b := sqlite.packJSON("").(string); b != "" {
		t.Errorf("SQLite's empty: %q", b)
	}
	if b := postgres.packJSON("").([]byte); b == nil || len(b) != 0 {
		t.Errorf("PostgreSQL's empty: %#v (nil would be NULL)", b)
	}
	if b := postgres.packJSON(packAccept).([]byte); b[0] != packVersion || len(b) > len(packAccept)/3 {
		t.Errorf("a case's accepted fields packed to %d bytes of %d, version %d", len(b), len(packAccept), b[0])
	}

	// rows kept before packing: their JSON text, read as text (SQLite) or as bytes (PostgreSQL's bytea)
	for _, src := range []any{packPaper, []byte(packPaper)} {
		var s string
		if err := (unpacked{&s}).Scan(src); err != nil || s != packPaper {
			t.Errorf("plain %T: %.40q %v", src, s, err)
		}
	}
	for _, src := range []any{nil, "", []byte{}} {
		s := "x"
		if err := (unpacked{&s}).Scan(src); err != nil || s != "" {
			t.Errorf("empty %#v: %q %v", src, s, err)
		}
	}

	packed := postgres.packJSON(packPaper).([]byte)
	for name, b := range map[string][]byte{
		"corrupt":            {packVersion, 0xff, 0xff, 0xff, 0xff},
		"cut short":          packed[:len(packed)/2],
		"version 0":          append([]byte{0}, packed[1:]...),
		"an unknown version": append([]byte{byte(len(packDicts))}, packed[1:]...),
	} {
		s, err := UnpackJSON(b)
		if !errors.Is(err, errPacked) || s != "" {
			t.Errorf("%s: %q, %v", name, s, err)
		}
		var into string
		if err := (unpacked{&into}).Scan(b); !errors.Is(err, errPacked) {
			t.Errorf("%s scanned: %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	var s string
	if err := (unpacked{&s}).Scan(int64(1)); !errors.Is(err, errPacked) {
		t.Errorf("a number: %v", err)
	}
}

// A dictionary once shipped never changes: rows packed with it would no longer unpack. A new one gets the
// next version byte and a line here; no line here is ever changed.
func TestPackDictsShipped(t *testing.T) {
	shipped := map[int]string{
		1: "ff026406a7acdff140c6ac429cedb48d7ea05e1b8565d9b53844461354de5cea",
	}
	for v, d := range packDicts {
		if v == 0 {
			continue
		}
		sum := sha256.Sum256([]byte(d))
		if got := hex.EncodeToString(sum[:]); got != shipped[v] {
			t.Errorf("dictionary %d is %s, shipped as %s: a shipped dictionary never changes; give a new one the next version", v, got, shipped[v])
		}
	}
	if len(packDicts) > 9 || !isPacked(byte(len(packDicts)-1)) {
		t.Errorf("version bytes run 1 to 8 (9 is JSON's tab)")
	}
}

// The cost of packing and unpacking what a lifecycle keeps: an entry of a step passed (173 bytes), a notice's
// paper (451) and the fields an acceptance changed (605).
var packSamples = []struct {
	name, doc string
}{{"pass", packPass}, {"paper", packPaper}, {"accept", packAccept}}

func BenchmarkPackJSON(b *testing.B) {
	for _, x := range packSamples {
		b.Run(x.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(x.doc)))
			for b.Loop() {
				postgres.packJSON(x.doc)
			}
		})
	}
}

func BenchmarkUnpackJSON(b *testing.B) {
	for _, x := range packSamples {
		b.Run(x.name, func(b *testing.B) {
			packed := postgres.packJSON(x.doc).([]byte)
			b.ReportAllocs()
			b.SetBytes(int64(len(x.doc)))
			for b.Loop() {
				if _, err := UnpackJSON(packed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
