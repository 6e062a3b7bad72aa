package store

import (
	"time"

	"bianmin/internal/errs"
)

// PublicFormsFiled counts the public forms of a kind filed from an address since an instant (to now),
// forgetting every address's older ones (the table holds the last window, no more). The address is held to
// the end of the transaction first (holdKey), so that forms sent together, to one instance or several, count
// one after the other.
func (tx *Tx) PublicFormsFiled(address, form string, since time.Time) (int, error) {
	if err := tx.holdKey("bianmin.forms", address); err != nil {
		return 0, errs.Wrap(err, "public forms")
	}
	if _, err := tx.exec(`DELETE FROM public_forms WHERE filed_at < ?`, since); err != nil {
		return 0, errs.Wrap(err, "public forms")
	}
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM public_forms WHERE address = ? AND form = ? AND filed_at <= ?`, address, form, tx.now).Scan(&n)
	return n, errs.Wrap(err, "public forms")
}

// CountPublicForm records a public form filed from an address, with the transaction that files it.
func (tx *Tx) CountPublicForm(address, form string) error {
	_, err := tx.exec(`INSERT INTO public_forms (address, form, filed_at) VALUES (?, ?, ?)`, address, form, tx.now)
	return errs.Wrap(err, "public forms")
}

// holdKey makes the transactions that count something of one key (a phone's messages, an address's forms)
// count one after the other: on PostgreSQL a lock on the key held to the end of the transaction; SQLite's one
// writer does so already.
func (tx *Tx) holdKey(namespace, key string) error {
	if tx.d.name != "postgres" {
		return nil
	}
	_, err := tx.exec(`SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))`, namespace, key)
	return err
}
