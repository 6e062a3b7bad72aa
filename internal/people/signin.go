package people

import "time"

// Sign-in throttling (等保 2.0 三级, 身份鉴别: "应具有登录失败处理功能，应配置并启用结束会话、限制非法登录次数和当登录
// 连接超时自动退出等相关措施"). Failures count per (account, address) pair, so that a stranger guessing from
// elsewhere never stops the account's owner signing in from the hall, and a hall behind one address is not
// one shared budget. There is no hard lock from wrong passwords alone: each pair waits longer after each
// failure beyond the free ones, and an administrator may clear an account's waits.
const (
	// FreeSignInFailures is how many wrong passwords in a row a pair may make before it must wait.
	FreeSignInFailures = 5
	// FirstSignInDelay is the wait after the first failure beyond the free ones; it doubles with each more.
	FirstSignInDelay = 2 * time.Second
	// MaxSignInDelay caps the wait.
	MaxSignInDelay = 15 * time.Minute
	// SignInForget is how long a pair must stay quiet before its failures are forgotten.
	SignInForget = 24 * time.Hour
	// SignInsPerAddress is the ceiling per address and minute against abuse, for sign-ins and for each kind
	// of public lookup (tracking, result download): generous, so that a township hall behind one address
	// (many windows, many residents) never reaches it in ordinary work.
	SignInsPerAddress = 300
)

// SignInDelay is how long a pair waits after its failures-th failure in a row.
func SignInDelay(failures int) time.Duration {
	if failures < FreeSignInFailures {
		return 0
	}
	d := FirstSignInDelay
	for i := FreeSignInFailures; i < failures && d < MaxSignInDelay; i++ {
		d *= 2
	}
	return min(d, MaxSignInDelay)
}

// TrackPerCasePerHour limits public lookups by a case number and a short secret (the last four digits of
// the phone on the tracking page) per (case number, address) pair and hour: four digits are few. Walking
// through many numbers meets the per-address ceiling, SignInsPerAddress.
const TrackPerCasePerHour = 10
