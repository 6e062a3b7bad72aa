//go:build ignore

// gen_common_passwords writes common_passwords.txt: the passwords guessers try first, made from the patterns
// that lead every published breach list (keyboard walks, digit runs, the most used words and Chinese pinyin
// names and phrases, each with the suffixes people add: years, 123, 520, 1314, !). Written out here rather
// than copied from a third-party list. Run: go run gen_common_passwords.go
package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

func main() {
	set := map[string]bool{}
	add := func(s string) { set[strings.ToLower(s)] = true }
	words := []string{
		"password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "qwerty", "qwertyuiop", "asdfghjkl", "zxcvbnm",
		"qazwsx", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "zaq12wsx", "qweasdzxc", "qweasd", "asdf", "qwer", "abc",
		"abcd", "abcdef", "abcdefg", "iloveyou", "admin", "administrator", "root", "welcome", "letmein", "monkey",
		"dragon", "master", "sunshine", "princess", "football", "baseball", "superman", "batman", "trustno1",
		"shadow", "michael", "jennifer", "hello", "hellokitty", "secret", "login", "test", "guest", "user",
		"changeme", "default", "computer", "internet", "starwars", "whatever", "freedom", "flower", "lovely",
		"woaini", "aini", "woaiwojia", "wangyi", "zhongguo", "china", "beijing", "shanghai", "huawei", "baidu",
		"taobao", "weixin", "wechat", "qq", "zhangwei", "wangwei", "wangfang", "liwei", "lijing", "zhangmin",
		"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu",
		"hu", "guo", "he", "lin", "gao", "luo", "woshishui", "nihao", "xiaoming", "bianmin", "zhengwu",
		"neimenggu", "chifeng", "mengzu", "caoyuan", "tianshan", "government", "gov", "service", "office",
	}
	suffixes := []string{"", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
		"0", "00", "000", "01", "11", "111", "666", "888", "8888", "520", "521", "1314", "5201314", "!", "!!",
		"@123", "#123", "123!", "!@#", "@", "2000", "2008", "2010", "2012", "2015", "2018", "2019", "2020",
		"2021", "2022", "2023", "2024", "2025", "2026", "2027", "@2024", "@2025", "@2026", "_123", ".123", "abc"}
	for _, w := range words {
		for _, s := range suffixes {
			add(w + s)
		}
		add(w + w)
	}
	// digit runs and repeats
	digits := "01234567890123456789"
	for n := 6; n <= 12; n++ {
		for i := 0; i+n <= len(digits); i++ {
			add(digits[i : i+n])
			r := []byte(digits[i : i+n])
			slices.Reverse(r)
			add(string(r))
		}
		for d := '0'; d <= '9'; d++ {
			add(strings.Repeat(string(d), n))
		}
	}
	for _, p := range []string{"12", "123", "1234", "12345", "abc", "qwe", "520", "1314", "aa", "ab", "a1", "qq", "zz"} {
		for k := 2; k <= 5; k++ {
			add(strings.Repeat(p, k))
		}
	}
	for _, p := range []string{"1122334455", "11223344", "112233445566", "1357924680", "13579", "2468013579",
		"147258369", "1472583690", "159357", "1593574862", "7758521", "5201314520", "1314520520", "woaini1314",
		"qwertyuiop123", "1qaz2wsx3edc", "1qaz@wsx", "1qaz!qaz", "q1w2e3r4t5", "a1b2c3d4e5", "a1s2d3f4",
		"zxcvbnm123", "asdfghjkl123", "qwer1234", "asdf1234", "zxcv1234", "abcd1234", "abc12345", "aa123456",
		"a123456789", "a1234567890", "abc123456789", "abcdefghij", "abcdefghijk", "aaaaaaaaaa", "0987654321"} {
		add(p)
	}
	list := make([]string, 0, len(set))
	for k := range set {
		list = append(list, k)
	}
	slices.Sort(list)
	var b strings.Builder
	b.WriteString("# Common passwords, lower case, one a line: made by gen_common_passwords.go from the patterns of published\n")
	b.WriteString("# breach lists (not copied from one). people.CheckPassword refuses any of them, compared in lower case.\n")
	for _, k := range list {
		b.WriteString(k + "\n")
	}
	if err := os.WriteFile("common_passwords.txt", []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
	fmt.Println(len(list), "passwords")
}
