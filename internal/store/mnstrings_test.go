package store_test

import (
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/translation"
)

// The strings table on both databases: a sync adds, takes over a changed source where the source owns the
// Mongolian, keeps a person's change where it does not; search matches what a reviewer types (a plain space
// for U+202F, no U+180E); lists page by key; a change with a stale version is refused.
func TestMnStrings(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		seed := func(key, zh, mn string, st translation.Status, mirror bool) store.MnSeed {
			return store.MnSeed{String: translation.String{Key: key, Kind: translation.Content, Zh: zh, Mn: mn, Status: st}, OwnerPath: "/", Mirror: mirror}
		}
		seeds := []store.MnSeed{
			seed("c:a", "居民户口簿", "", translation.Missing, false),
			seed("c:b", "户口", "ᠠᠷᠠᠳ\u202Fᠤᠨ ᠰᠠᠷ\u180Eᠠ", translation.Composed, false),
			seed("o:x", "潘家湾村", "", translation.Missing, true),
		}
		sync := func(s []store.MnSeed) (int, int) {
			var a, c int
			if err := db.Write(ctx, func(tx *store.Tx) (err error) { a, c, err = tx.SyncMnStrings(s); return err }); err != nil {
				t.Fatal(err)
			}
			return a, c
		}
		if a, c := sync(seeds); a != 3 || c != 0 {
			t.Fatalf("first sync: %d added %d changed", a, c)
		}
		if a, c := sync(seeds); a != 0 || c != 0 {
			t.Fatalf("second sync changed something: %d %d", a, c)
		}
		// a person changes c:a; the source still says missing: the person's change stays
		err := db.Write(ctx, func(tx *store.Tx) error {
			cur, _, err := tx.MnStringTx("c:a")
			if err != nil {
				return err
			}
			after := cur
			after.Mn, after.Status = "ᠡᠷᠦᠬᠡ", translation.Reviewed
			return tx.ChangeMnString(access.System, cur, after, translation.Change{Key: "c:a", Action: translation.Correct, Mn: after.Mn, Version: 0}, "")
		})
		if err != nil {
			t.Fatal(err)
		}
		seeds[2].Mn, seeds[2].Status = "ᠫᠠᠨ", translation.Composed // the organisation was renamed on its own page
		sync(seeds)
		a, _, _ := db.MnString(ctx, "c:a")
		o, _, _ := db.MnString(ctx, "o:x")
		if a.Mn != "ᠡᠷᠦᠬᠡ" || a.Status != translation.Reviewed || a.Version != 1 || o.Mn != "ᠫᠠᠨ" {
			t.Fatalf("after sync: %+v %+v", a, o)
		}
		// a stale change is refused
		err = db.Write(ctx, func(tx *store.Tx) error {
			cur, _, _ := tx.MnStringTx("c:a")
			return tx.ChangeMnString(access.System, cur, cur, translation.Change{Key: "c:a", Action: translation.Correct, Version: 0}, "")
		})
		if err == nil {
			t.Fatal("a stale version was written")
		}
		if h, _ := db.MnHistory(ctx, "c:a"); len(h) != 1 {
			t.Fatalf("history: %d", len(h))
		}
		// search as typed: plain spaces, no vowel separator
		list, total, err := db.MnStrings(ctx, store.MnFilter{Q: "ᠠᠷᠠᠳ ᠤᠨ ᠰᠠᠷᠠ"})
		if err != nil || total != 1 || list[0].Key != "c:b" {
			t.Fatalf("search: %v %d %v", list, total, err)
		}
		// keyset: two pages of one and two
		p1, total, _ := db.MnStrings(ctx, store.MnFilter{Limit: 2})
		p2, _, _ := db.MnStrings(ctx, store.MnFilter{Limit: 2, After: p1[1].Key})
		if total != 3 || len(p1) != 2 || len(p2) != 1 || p2[0].Key != "o:x" {
			t.Fatalf("pages: %v %v", p1, p2)
		}
		counts, _ := db.MnCounts(ctx)
		if counts[translation.Content][translation.Reviewed] != 1 || counts[translation.Content][translation.Composed] != 2 {
			t.Fatalf("counts: %v", counts)
		}
	})
}
