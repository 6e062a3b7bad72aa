package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// An SMS keeps what it says, not its text (issue 18: the rendered bilingual text was most of an outbox row, and
// a lifecycle sends three): the catalog key and its arguments, with the names of the township that signs it and
// of the item frozen as they were at the move, so that the text depends on nothing but the catalog. The sender
// renders it when it sends it, and the service when it shows it. The catalog's texts change (administrators
// correct them at run time, releases edit them), so a text rendered later is not proof of what went out: the
// sender records in the receipt the SHA-256 (its first 128 bits) and the length in characters of the text it
// handed the gateway (SentText checks a text against it; the length gives the segments billed, 70 characters
// to a single message and 67 to each part of a longer one).

// bilingual is the languages of a message to an applicant: Mongolian first, then Chinese.
const bilingual = "mn+zh"

// said is what an SMS says: the catalog key, who signs it, and the arguments in the order Catalog.T fills
// them in. It is kept as JSON in the outbox (store.Message.Args).
type said struct {
	Key string `json:"key"`
	// Sign is the name of the organisation that signs the message (【天山镇】, as Chinese SMS are signed) in
	// Mongolian and in Chinese; none when unsigned.
	Sign []string `json:"sign,omitempty"`
	// Args are {name, value}, or {name, Mongolian value, Chinese value} for a value that differs by language
	// (the item's name).
	Args [][]string `json:"args,omitempty"`
}

// say begins what a message says: its key and the arguments that are the same in every language.
func say(key string, args ...string) said {
	return said{Key: key}.with(args...)
}

// with adds arguments that are the same in every language (name, value pairs).
func (x said) with(args ...string) said {
	for i := 0; i+1 < len(args); i += 2 {
		x.Args = append(x.Args, []string{args[i], args[i+1]})
	}
	return x
}

// by adds an argument whose value differs by language; kept once when it does not.
func (x said) by(name, mn, zh string) said {
	if mn == zh {
		return x.with(name, mn)
	}
	x.Args = append(x.Args, []string{name, mn, zh})
	return x
}

// signed has the organisation sign the message, in each language by its name in that language.
func (x said) signed(from org.Org) said {
	x.Sign = []string{from.Name("mn"), from.NameZh}
	return x
}

// message is the outbox row that sends it to a phone in lang (bilingual, or one staff member's language).
func (x said) message(caseID, phone, lang, template string) store.Message {
	b, _ := json.Marshal(x) // strings only: cannot fail
	return store.Message{CaseID: caseID, Phone: phone, Lang: lang, Template: template, Args: string(b)}
}

// in renders the message in one language.
func (x said) in(cat *i18n.Catalog, l i18n.Lang) string {
	kv := make([]string, 0, 2*len(x.Args))
	for _, a := range x.Args {
		switch {
		case len(a) == 3 && l == i18n.Mn:
			kv = append(kv, a[0], a[1])
		case len(a) == 3:
			kv = append(kv, a[0], a[2])
		case len(a) == 2:
			kv = append(kv, a[0], a[1])
		}
	}
	t := cat.T(l, x.Key, kv...)
	if len(x.Sign) == 2 {
		name := x.Sign[1]
		if l == i18n.Mn {
			name = x.Sign[0]
		}
		t = "【" + name + "】" + t
	}
	return t
}

// smsText is the text of a message from the outbox: rendered from what it says in its languages (Mongolian,
// " / ", Chinese for an applicant), or the text it kept when it was queued before messages kept what they say.
func (s *Service) smsText(lang, args, body string) (string, error) {
	if args == "" {
		return body, nil
	}
	var x said
	if err := json.Unmarshal([]byte(args), &x); err != nil {
		return "", err
	}
	if lang == bilingual {
		return x.in(s.Catalog, i18n.Mn) + " / " + x.in(s.Catalog, i18n.Zh), nil
	}
	return x.in(s.Catalog, i18n.Lang(lang)), nil
}

// sentReceipt is what the sender records of a text it handed the gateway: its digest and its length.
func sentReceipt(text string) string {
	h := sha256.Sum256([]byte(text))
	return "sent " + hex.EncodeToString(h[:16]) + " " + strconv.Itoa(utf8.RuneCountInString(text))
}

// SentText reports whether text is what went out for a message the sender sent (its receipt's digest);
// false for one not sent yet, or sent before receipts kept the digest.
func SentText(m store.Message, text string) bool {
	return m.Receipt == sentReceipt(text)
}

// Messages lists a case's messages with their text, for tests and whoever shows them.
func (s *Service) Messages(ctx context.Context, caseID string) ([]store.Message, error) {
	list, err := s.DB.Messages(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return s.withText(list)
}

// AccountMessages lists the messages to a phone that belong to no case (registration codes) with their text.
func (s *Service) AccountMessages(ctx context.Context, phone string) ([]store.Message, error) {
	list, err := s.DB.AccountMessages(ctx, phone)
	if err != nil {
		return nil, err
	}
	return s.withText(list)
}

func (s *Service) withText(list []store.Message) ([]store.Message, error) {
	for i, m := range list {
		t, err := s.smsText(m.Lang, m.Args, m.Body)
		if err != nil {
			return nil, err
		}
		list[i].Body = t
	}
	return list, nil
}
