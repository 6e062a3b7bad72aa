package cases

// Length limits of the free text a move carries: reasons and notes go onto notices and into the audit trail
// for ever, so they are bounded (a reason is a paragraph or two of a notice, a note a line of a table).
const (
	MaxReason = 2000 // characters of a move's reasons
	MaxNote   = 500  // characters of a material's note
)
