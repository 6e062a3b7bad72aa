package web

import (
	"testing"

	"bianmin/internal/people"
)

// One account has at most uploadsPerAccount uploads in flight, however many sessions it has; one that ends
// frees its place, and another account's count is its own.
func TestUploadsPerAccount(t *testing.T) {
	s := &Server{}
	clerk, resident := &reqCtx{token: "staff-token", me: &people.Staff{ID: "s1"}}, &reqCtx{rtoken: "resident-token", resident: &people.ResidentAccount{ID: "r1"}}
	again := &reqCtx{rtoken: "another-session", resident: &people.ResidentAccount{ID: "r1"}} // the same account signed in twice
	var done []func()
	for i := range uploadsPerAccount {
		d, ok := s.startUpload(resident)
		if !ok {
			t.Fatalf("upload %d refused", i)
		}
		done = append(done, d)
	}
	if _, ok := s.startUpload(resident); ok {
		t.Fatal("one upload too many taken")
	}
	if _, ok := s.startUpload(again); ok {
		t.Fatal("the same account's other session took one more")
	}
	if d, ok := s.startUpload(clerk); !ok {
		t.Fatal("another session's upload refused")
	} else if _, held := s.uploading.Load("staff:s1"); !held {
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
	if _, left := s.uploading.Load("resident:r1"); left {
		t.Error("a session with nothing in flight is still counted")
	}
}
