package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/cases"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// An SMS keeps what it says, not its text (issue 18: the rendered bilingual text was most of an outbox row, and
// a lifecycle sends three): the catalog key and its arguments. What the text names and Bianmin keeps anyway
// is named by reference: the township that signs it by its id, the item and the number by the row's case
// (read once per batch). The sender renders the text when it sends it, and the service when it shows it. The
// catalog's texts change (administrators correct them at run time, releases edit them), a township may be
// renamed and an item's Mongolian name corrected, so a text rendered later is not proof of what went out: the
// sender records in the receipt the SHA-256 (its first 64 bits) and the length in characters of the text it
// handed the gateway (SentText checks a text against it; the length gives the segments billed, 70 characters
// to a single message and 67 to each part of a longer one).

// bilingual is the languages of a message to an applicant: Mongolian first, then Chinese.
const bilingual = "mn+zh"

// said is what an SMS says, kept as JSON in the outbox (store.Message.Args).
type said struct {
	Key string `json:"key"`
	// Sign is the organisation that signs the message (【天山镇】, as Chinese SMS are signed), by id: in each
	// language by its name in that language; none when unsigned.
	Sign string `json:"sign,omitempty"`
	// Case: the first arguments are the item's name in each language (item) and the number (no) of the row's
	// case.
	Case bool `json:"case,omitempty"`
	// Args are {name, value}, or {name, Mongolian value, Chinese value} for a value that differs by language,
	// in the order Catalog.T fills them in.
	Args [][]string `json:"args,omitempty"`
}

// say begins what a message says: its key and the arguments that are the same in every language.
func say(key string, args ...string) said {
	return said{Key: key}.with(args...)
}

// ofCase begins what a message about a case says: the item's name and the case's number, then the arguments.
func ofCase(key string, args ...string) said {
	return said{Key: key, Case: true}.with(args...)
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

// signed has the organisation sign the message.
func (x said) signed(from org.Org) said {
	x.Sign = from.ID
	return x
}

// message is the outbox row that sends it to a phone in lang (bilingual, or one staff member's language).
func (x said) message(caseID, phone, lang, template string) store.Message {
	b, _ := json.Marshal(x) // strings only: cannot fail
	return store.Message{CaseID: caseID, Phone: phone, Lang: lang, Template: template, Args: string(b)}
}

// in renders the message in one language, signed by sign and about c (read when the message says so).
func (x said) in(cat *i18n.Catalog, l i18n.Lang, sign org.Org, c cases.Case) string {
	kv := make([]string, 0, 2*len(x.Args)+4)
	if x.Case {
		kv = append(kv, "item", c.ItemNameIn(string(l)), "no", c.No)
	}
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
	if x.Sign != "" {
		t = "【" + sign.Name(string(l)) + "】" + t
	}
	return t
}

// texts renders messages from the outbox, reading each case they name once.
type texts struct {
	s     *Service
	cases map[string]cases.Case
}

func (s *Service) texts() *texts { return &texts{s: s, cases: map[string]cases.Case{}} }

// read reads at once the cases the messages name that it has not read yet: a sender's round of many
// messages makes one statement for their cases, not one each. A case it cannot read is read again, alone,
// by text (and its error told there).
func (r *texts) read(ctx context.Context, caseIDs []string) {
	var want []string
	for _, id := range caseIDs {
		if _, ok := r.cases[id]; !ok && id != "" && !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	if len(want) < 2 {
		return
	}
	list, err := r.s.DB.CasesByIDs(ctx, want)
	if err != nil {
		return
	}
	for _, c := range list {
		r.cases[c.ID] = r.s.withItemMn(ctx, c)
	}
}

// unreadable is an error no second attempt mends: what the message says cannot be read.
type unreadable struct{ error }

// text is a message's text: rendered from what it says in its languages (Mongolian, " / ", Chinese for an
// applicant), or the text it kept when it was queued before messages kept what they say.
func (r *texts) text(ctx context.Context, lang, caseID, args, body string) (string, error) {
	if args == "" {
		return body, nil
	}
	var x said
	if err := json.Unmarshal([]byte(args), &x); err != nil {
		return "", unreadable{err}
	}
	var sign org.Org
	if x.Sign != "" {
		var err error
		if sign, err = r.s.DB.Org(ctx, x.Sign); err != nil {
			return "", err
		}
	}
	var c cases.Case
	if x.Case {
		if caseID == "" {
			return "", unreadable{errors.New("no case to name")}
		}
		var ok bool
		if c, ok = r.cases[caseID]; !ok {
			var err error
			if c, err = r.s.DB.Case(ctx, caseID); err != nil {
				return "", err
			}
			c = r.s.withItemMn(ctx, c)
			r.cases[caseID] = c
		}
	}
	cat := r.s.Catalog
	if lang == bilingual {
		return x.in(cat, i18n.Mn, sign, c) + " / " + x.in(cat, i18n.Zh, sign, c), nil
	}
	return x.in(cat, i18n.Lang(lang), sign, c), nil
}

// sentReceipt is what the sender records of a text it handed the gateway: its digest (64 bits: it tells a
// text from another, as the outbox itself is no tamper-evident record) and its length in characters.
func sentReceipt(text string) string {
	h := sha256.Sum256([]byte(text))
	return "sent " + hex.EncodeToString(h[:8]) + " " + strconv.Itoa(utf8.RuneCountInString(text))
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
	return s.withText(ctx, list)
}

// AccountMessages lists the messages to a phone that belong to no case (registration codes) with their text.
func (s *Service) AccountMessages(ctx context.Context, phone string) ([]store.Message, error) {
	list, err := s.DB.AccountMessages(ctx, phone)
	if err != nil {
		return nil, err
	}
	return s.withText(ctx, list)
}

// withText renders each message's text; one whose arguments cannot be read shows none (the sender parked it
// with the reason).
func (s *Service) withText(ctx context.Context, list []store.Message) ([]store.Message, error) {
	r := s.texts()
	for i, m := range list {
		t, err := r.text(ctx, m.Lang, m.CaseID, m.Args, m.Body)
		if errors.As(err, new(unreadable)) {
			continue
		}
		if err != nil {
			return nil, err
		}
		list[i].Body = t
	}
	return list, nil
}

// spendUnasked takes one of a phone's unasked messages (people.MayText) for a message about to be queued in tx;
// false when the phone has had its share.
func spendUnasked(tx *store.Tx, phone, template string) (bool, error) {
	key := people.PhoneKey(phone) // one phone however it is typed
	now := tx.Now()
	hour, day, err := tx.UnaskedMessages(key, now.Add(-time.Hour), now.Add(-24*time.Hour))
	if err != nil || !people.MayText(hour, day) {
		return false, err
	}
	return true, tx.CountUnasked(key, template)
}
