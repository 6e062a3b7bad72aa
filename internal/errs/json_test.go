package errs

import "testing"

// RepeatedKey finds a name given twice in one object, at any depth, by its path; the same name in two objects
// is no repetition.
func TestRepeatedKey(t *testing.T) {
	for in, want := range map[string]string{
		`{"year":2027,"workdays":["2027-02-20"],"workdays":[]}`:                 "workdays",
		`{"villages":{"天山镇":{"list":[]},"绍根镇":{"list":[]},"天山镇":{"list":[]}}}`:  "villages.天山镇",
		`{"holidays":[{"name":"春节","from":"2027-02-05","from":"2027-02-06"}]}`:  "holidays[0].from",
		`{"a":[[1,2],{"b":1},{"b":2}],"c":{"d":{}},"e":[]}`:                     "",
		`{"holidays":[{"name":"元旦"},{"name":"春节"}],"workdays":[],"notice":"x"}`: "",
		`{"a":{"x":1},"b":{"x":1},"a2":[{"x":[1,{"y":2,"y":3}]}]}`:              "a2[0].x[1].y",
	} {
		got, dup := RepeatedKey([]byte(in))
		if got != want || dup != (want != "") {
			t.Errorf("%s: %q %v, want %q", in, got, dup, want)
		}
	}
}
