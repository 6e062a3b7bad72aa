package people

import (
	"testing"
	"time"
)

func TestSignInDelay(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0},
		{1, 0},
		{FreeSignInFailures - 1, 0},
		{FreeSignInFailures, 2 * time.Second},
		{FreeSignInFailures + 1, 4 * time.Second},
		{FreeSignInFailures + 2, 8 * time.Second},
		{FreeSignInFailures + 8, 512 * time.Second},
		{FreeSignInFailures + 9, MaxSignInDelay},  // 1024 s is past the cap
		{FreeSignInFailures + 60, MaxSignInDelay}, // no overflow however many
	} {
		if got := SignInDelay(tc.failures); got != tc.want {
			t.Errorf("SignInDelay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}
