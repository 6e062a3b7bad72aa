package store

import "context"

// SetQueueArmsMax lets a test send every queue through the banner-wide walk (0) or back.
func SetQueueArmsMax(n int) (restore func()) {
	was := queueArmsMax
	queueArmsMax = n
	return func() { queueArmsMax = was }
}

// SetWideName lets a test treat every name as common (0) or back.
func SetWideName(n int) (restore func()) {
	was := wideName
	wideName = n
	return func() { wideName = was }
}

// MigrateBefore applies the migrations named before stop: a test writes what an older Bianmin wrote, then
// migrates the rest.
func (db *DB) MigrateBefore(ctx context.Context, stop string) ([]string, error) {
	return db.migrate(ctx, stop)
}
