package audit

// Resume continues a verification after a verified prefix of count entries whose last entry is last, so
// that a trail already checked is not read again: only what was added since is. The caller must first have
// checked last itself (its content still matches its hash, and that hash is the one recorded when the prefix
// was verified); every entry after it must then link to it.
func Resume(last Entry, count int64) Verifier {
	return Verifier{prev: &last, Count: count}
}
