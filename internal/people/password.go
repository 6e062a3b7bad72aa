package people

import (
	_ "embed"
	"strings"
	"sync"
)

// Password policy beyond length (等保 2.0 三级, GB/T 22239-2019 8.1.4.1 a: "身份标识具有唯一性，身份鉴别信息具有复杂度
// 要求并定期更换"): no password from the common list, and none of the account's last PasswordHistory.

//go:generate go run gen_common_passwords.go
//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
})

// CommonPassword reports whether a password is on the common list, compared in lower case and without
// surrounding spaces (Password1234 is password1234).
func CommonPassword(pw string) bool {
	return commonPasswords()[strings.ToLower(strings.TrimSpace(pw))]
}

// PasswordHistory is how many of an account's last passwords may not be taken again.
const PasswordHistory = 5
