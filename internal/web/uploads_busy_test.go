package web

import (
	"testing"

	"bianmin/internal/people"
)

// One session has at most uploadsPerSession uploads in flight; one that ends frees its place, and another
// session's count is its own.
func TestUploadsPerSession(t *testing.T) {
	s := &Server{}
	clerk, resident := &reqCtx{token: "staff-token", me: &people.Staff{}}, &reqCtx{rtoken: "resident-token"}
	var done []func()
	for i := range uploadsPerSession {
		d, ok := s.startUpload(resident)
		if !ok {
			t.Fatalf("upload %d refused", i)
		}
		done = append(done, d)
	}
	if _, ok := s.startUpload(resident); ok {
		t.Fatal("one upload too many taken")
	}
	if d, ok := s.startUpload(clerk); !ok {
		t.Fatal("another session's upload refused")
	} else if _, held := s.uploading.Load("staff-token"); !held {
		t.Fatal("a staff upload is not counted by its session")
	} else {
		d()
	}
	done[0]()
	d, ok := s.startUpload(resident)
	if !ok {
		t.Fatal("a place freed was not given again")
	}
	d()
	done[1]()
	if _, left := s.uploading.Load("resident-token"); left {
		t.Error("a session with nothing in flight is still counted")
	}
}
