package people

// Limits of what a person types about people (issue 16: every text field is bounded). Names of persons
// fit an ID card's name field with room to spare; an organisation's name the business licence's.
const (
	MaxPersonName = 50  // a resident's or a member of staff's name, characters
	MaxOrgName    = 200 // an organisation applicant's registered name
	MaxAddress    = 200 // an applicant's address
	MaxOverride   = 200 // the reason a failing credit code is accepted
	MaxPassword   = 200 // longer adds nothing to the hash and costs its work
	MaxUsername   = 64  // what a sign-in form takes as username or ID number (usernames themselves are 3 to 32)
)
