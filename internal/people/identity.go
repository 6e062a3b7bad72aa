package people

import "strings"

// A resident account's identity (finding 9 of issue 16: an account could give another person's ID number and
// file cases in their name). 网络安全法 第24条 (网络运营者为用户办理网络接入... 应当要求用户提供真实身份信息) and
// 行政许可法 第31条 (申请人应当如实提交有关材料，对其申请材料实质内容的真实性负责) call for knowing who applies. Without a
// real-name service, Bianmin binds an account to what it already knows of the person: the phone on record.
const (
	// IdentityPhone: an SMS code went to the phone already on record for the ID number, and came back.
	IdentityPhone = "phone"
	// IdentityWindow: a window saw the person's identity card and confirmed the account.
	IdentityWindow = "window"
	// IdentityUnverified: nobody has confirmed it yet. Such an account may hand in one online case; the next
	// waits until that case's applicant has been seen at a window.
	IdentityUnverified = "unverified"
)

// MayFileOnline tells whether an account may hand in another online case, given how many it already has.
func MayFileOnline(identity string, filed int) bool {
	return identity == IdentityPhone || identity == IdentityWindow || filed == 0
}

// Messages nobody at a desk asked for: the code of a registration and the receipt of a complaint filed on the
// portal go to a phone that anyone may name in a public form. So that those forms cannot be turned on a
// stranger's phone, a phone is sent at most UnaskedPerHour such messages in an hour and UnaskedPerDay in a
// day, whoever asks and from wherever (a registration's codes are bounded this way too: each new code is a
// new message, so tries at codes stay few). Not a rule of law: 《通信短信息服务管理规定》(工业和信息化部令第31号)
// 第十八条 bars only commercial messages a user has not agreed to or asked for; Bianmin keeps the same courtesy
// for its own.
const (
	UnaskedPerHour = 3
	UnaskedPerDay  = 10
)

// PhoneKey is the form a phone is counted by: its digits alone (full-width ones folded), without a country
// code of 86, so that 139 0000 1111, +86-13900001111 and １３９００００１１１１ are one phone.
func PhoneKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r -= '０' - '0'
		}
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "0086") && len(d) > 13:
		d = d[4:]
	case strings.HasPrefix(d, "86") && len(d) == 13:
		d = d[2:]
	}
	return d
}

// MayText tells whether one more unasked message may go to a phone that had lastHour of them in the past hour
// and lastDay in the past day (lastDay includes lastHour).
func MayText(lastHour, lastDay int) bool {
	return lastHour < UnaskedPerHour && lastDay < UnaskedPerDay
}

// OnlineComplaintsPerHour bounds the complaints filed on the portal from one address in an hour: the form
// needs no account (a complaint may be anonymous), so the address is what is counted.
const OnlineComplaintsPerHour = 5

// MayComplainOnline tells whether one more complaint may be filed on the portal from an address that filed
// lastHour of them in the past hour.
func MayComplainOnline(lastHour int) bool { return lastHour < OnlineComplaintsPerHour }
