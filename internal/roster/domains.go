package roster

import (
	"slices"
	"strings"

	"bianmin/internal/access"
)

// Item domains (issue 11 point 1): a township splits its back office by domain (一人负责一块: each reviewer
// handles the items of the domains named on their record) or keeps 一人通办 (every reviewer handles every
// item). The seed asks for the back office to be staffed so that no seat is empty (三.(一).5: 后台不空位, 后台
// 人员请假须安排补位人员) and leaves the split to the township; Bianmin keeps it a per-township setting, off by
// default (一人通办, as before the setting existed). One rule decides both who may work an item's case and
// who may back up a back-office seat, so that a backup never covers a seat whose cases they could not take.

// A domain names a department (any part of its name: 民政 for 旗民政局) or one of an item's topics (社会救助).
func inDomain(domain, dept string, topics []string) bool {
	return domain != "" && (strings.Contains(dept, domain) || slices.Contains(topics, domain))
}

// Handles reports whether one with these domains handles an item of the department dept with these topics:
// a record that names no domain handles everything (一人通办), else one of its domains must be the item's.
func Handles(domains []string, dept string, topics []string) bool {
	if len(domains) == 0 {
		return true
	}
	for _, d := range domains {
		if inDomain(d, dept, topics) {
			return true
		}
	}
	return false
}

// HandlesAll reports whether one with domains handles everything one with others handles: one who names no
// domain handles everything; one who names some handles only those, so never all of one who names none.
func HandlesAll(domains, others []string) bool {
	if len(domains) == 0 {
		return true
	}
	if len(others) == 0 {
		return false
	}
	for _, d := range others {
		if !slices.Contains(domains, d) {
			return false
		}
	}
	return true
}

// MayWork reports whether p may claim, be given, or make a back-office move on a case of an item of dept
// with topics, in a township that splits its back office (split) or keeps 一人通办: only a reviewer's domains
// restrict (the director answers for the whole back office; department staff work their own department's
// steps, and the window's 即办 step is the window's).
func MayWork(p Person, split bool, dept string, topics []string) bool {
	return !split || p.Role != access.Reviewer || Handles(p.Domains, dept, topics)
}
