package ids

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

type requestKey struct{}

// WithRequest carries the request id (X-Request-Id) in ctx, so that logs and audit entries written while
// serving the request can name it.
func WithRequest(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestKey{}, id)
}

// Request returns the request id carried in ctx, or "".
func Request(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	id, _ := ctx.Value(requestKey{}).(string)
	return id
}

// NewRequest makes a request id: 16 random bytes in hex.
func NewRequest() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ValidRequest reports whether a request id sent by a client (or a proxy in front) may be kept: 1 to 64
// letters, digits, '-', '_', '.' or ':'. Anything else would carry text into the logs that nobody checked.
func ValidRequest(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}
