package web

import (
	"io/fs"
	"net/http"
	"strings"
)

// Handler returns the whole site. Every route is in this table.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")

	// public
	mux.HandleFunc("GET /healthz", s.healthz) // live: the process answers (health.go)
	mux.HandleFunc("GET /readyz", s.readyz)   // ready: the database answers, migrations applied
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(static)))
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /lang/{lang}", s.switchLang)  // this device only
	mux.HandleFunc("POST /lang/{lang}", s.switchLang) // the header's switch: the device, and the account's own language
	mux.HandleFunc("GET /view/{mode}", s.switchView)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /login/code", s.loginCode) // the second factor's code after the password (pages_factors.go)
	mux.HandleFunc("POST /logout", s.needLogin(s.logout))

	// public portal: the catalog and its guides (pages_portal.go). fromReplica: reads may go to the read
	// replica (-db-read; replica.go), as on the reports and the supervision dashboard below
	mux.HandleFunc("GET /portal", s.fromReplica(s.portal))
	mux.HandleFunc("GET /portal/search", s.fromReplica(s.portalSearch))
	mux.HandleFunc("GET /portal/township/{id}", s.fromReplica(s.portalTownship))
	mux.HandleFunc("GET /portal/topic/{topic}", s.fromReplica(s.portalTopic))
	mux.HandleFunc("GET /portal/department/{id}", s.fromReplica(s.portalDepartment))
	mux.HandleFunc("GET /portal/guide/{id}", s.fromReplica(s.guide))
	mux.HandleFunc("GET /portal/guide/{id}/qr.png", s.guideQR)
	mux.HandleFunc("GET /portal/guide/{id}/history", s.fromReplica(s.guideHistory))
	mux.HandleFunc("GET /portal/bundle/{id}", s.fromReplica(s.bundle))
	mux.HandleFunc("GET /track", s.track)
	mux.HandleFunc("GET /results", s.results)
	mux.HandleFunc("POST /results", s.results)
	mux.HandleFunc("GET /verify/{code}", s.verifyNotice)
	mux.HandleFunc("GET /verify/{code}/qr.png", s.verifyQR)
	mux.HandleFunc("GET /verify/{code}/rate.png", s.rateQR) // on a notice that ends a case: rate it by phone (二维码)
	mux.HandleFunc("GET /reports", s.fromReplica(s.reportsPage))
	mux.HandleFunc("GET /reports/{period}/{org}", s.fromReplica(s.reportPage))

	// the hall (pages_hall.go): the kiosk, a ticket's slip and phone page, the display board, booking
	mux.HandleFunc("GET /kiosk/{center}", s.kioskHome) // opening it makes this device a kiosk of the center
	mux.HandleFunc("POST /kiosk/{center}/ticket", s.kioskTicket)
	mux.HandleFunc("POST /kiosk/{center}/checkin", s.kioskCheckIn)
	mux.HandleFunc("GET /kiosk/{center}/verify", s.kioskVerify)
	mux.HandleFunc("GET /kiosk-exit", s.kioskExit)
	mux.HandleFunc("GET /queue/{id}", s.ticketPage)
	mux.HandleFunc("GET /queue/{id}/slip", s.ticketSlip)
	mux.HandleFunc("GET /queue/{id}/qr.png", s.ticketQR)
	mux.HandleFunc("GET /board/{center}", s.board)
	mux.HandleFunc("GET /board/{center}/live", s.boardLive)
	mux.HandleFunc("GET /portal/center/{id}/book", s.bookForm)
	mux.HandleFunc("POST /portal/center/{id}/book", s.needResident(s.book))
	mux.HandleFunc("GET /my/appointments", s.needResident(s.myAppointments))
	mux.HandleFunc("POST /my/appointments/{id}/cancel", s.needResident(s.cancelAppointment))
	// 好差评 (pages_rating.go): the window's evaluator tablet (its own token, never a staff session), rating
	// online by a signed link (tracking page, SMS at delivery), the rater's 回访 of a rectification
	mux.HandleFunc("GET /evaluator", s.evaluator)
	mux.HandleFunc("POST /evaluator/pair", s.evaluatorPair)
	mux.HandleFunc("POST /evaluator/rate", s.evaluatorRate)
	mux.HandleFunc("GET /rate/{token}", s.rateLink)
	mux.HandleFunc("POST /rate/{token}", s.rateLink)
	mux.HandleFunc("GET /complain", s.complain) // a complaint online, signed in or anonymous, and the answer's rating (pages_complaint.go)
	mux.HandleFunc("POST /complain", s.complain)
	mux.HandleFunc("GET /complaint-answer/{token}", s.complaintAnswer)
	mux.HandleFunc("POST /complaint-answer/{token}", s.complaintAnswer)
	mux.HandleFunc("GET /revisit/{token}", s.revisit)
	mux.HandleFunc("POST /revisit/{token}", s.revisit)

	// residents' own accounts: the online channel (pages_residents.go); nothing here reaches the back office
	mux.HandleFunc("GET /resident/register", s.registerForm)
	mux.HandleFunc("POST /resident/register", s.register)
	mux.HandleFunc("GET /resident/login", s.residentLoginForm)
	mux.HandleFunc("POST /resident/login", s.residentLogin)
	mux.HandleFunc("POST /resident/logout", s.needResident(s.residentLogout))
	mux.HandleFunc("GET /my", s.needResident(s.myCases))
	mux.HandleFunc("GET /portal/guide/{id}/apply", s.needResident(s.applyForm)) // the form and the files (pages_files.go)
	mux.HandleFunc("POST /portal/guide/{id}/apply", s.needResident(s.applyOnline))
	mux.HandleFunc("GET /my/cases/{id}", s.needResident(s.myCasePage))
	mux.HandleFunc("POST /my/cases/{id}/files", s.needResident(s.myCaseAttach))
	mux.HandleFunc("GET /my/cases/{id}/files/{fid}", s.needResident(s.myCaseFile))
	mux.HandleFunc("GET /my/cases/{id}/form", s.needResident(s.myCaseFormPrint))
	mux.HandleFunc("GET /my/rate/{id}", s.needResident(s.myRate)) // 一事一评 from the resident's account
	mux.HandleFunc("POST /my/rate/{id}", s.needResident(s.myRate))

	// staff pages
	mux.HandleFunc("GET /desk", s.needLogin(s.desk))
	mux.HandleFunc("GET /orgs", s.needLogin(s.orgList))
	mux.HandleFunc("GET /orgs/{id}", s.needLogin(s.orgShow))
	mux.HandleFunc("POST /orgs/{id}", s.needLogin(s.orgRename))
	mux.HandleFunc("POST /orgs/{id}/children", s.needLogin(s.orgAddChild))
	mux.HandleFunc("GET /orgs/{id}/items", s.needLogin(s.orgItems))
	mux.HandleFunc("POST /orgs/{id}/items", s.needLogin(s.orgItemSave))
	mux.HandleFunc("GET /staff", s.needLogin(s.staffList))
	mux.HandleFunc("GET /staff/new", s.needLogin(s.staffForm))
	mux.HandleFunc("POST /staff", s.needLogin(s.staffCreate))
	mux.HandleFunc("GET /applicants", s.needLogin(s.applicantFind))
	mux.HandleFunc("GET /applicants/new", s.needLogin(s.applicantForm))
	mux.HandleFunc("POST /applicants", s.needLogin(s.applicantCreate))
	mux.HandleFunc("GET /applicants/{id}", s.needLogin(s.applicantShow))
	mux.HandleFunc("GET /account/password", s.needLogin(s.passwordForm))
	mux.HandleFunc("POST /account/password", s.needLogin(s.passwordChange))
	mux.HandleFunc("GET /account/2fa", s.needLogin(s.twoFactorForm))
	mux.HandleFunc("POST /account/2fa", s.needLogin(s.twoFactorEnrol))
	mux.HandleFunc("GET /admin/translations", s.needLogin(s.translationList))
	mux.HandleFunc("POST /admin/translations", s.needLogin(s.translationSave))
	// Mongolian from end to end: the reviewers' queue, a string, coverage, exchange files (pages_mnstrings.go)
	mux.HandleFunc("GET /translate", s.needLogin(s.mnQueue))
	mux.HandleFunc("GET /translate/string", s.needLogin(s.mnString))
	mux.HandleFunc("POST /translate/string", s.needLogin(s.mnChange))
	mux.HandleFunc("GET /translate/propose", s.needLogin(s.mnPropose))
	mux.HandleFunc("GET /translate/coverage", s.needLogin(s.mnCoverage))
	mux.HandleFunc("GET /translate/coverage.xlsx", s.needLogin(s.mnCoverageExport))
	mux.HandleFunc("GET /translate/export/{format}", s.needLogin(s.mnExport))
	mux.HandleFunc("GET /translate/import", s.needLogin(s.mnImportForm))
	mux.HandleFunc("POST /translate/import", s.needLogin(s.mnImport))
	mux.HandleFunc("POST /translate/import/{id}", s.needLogin(s.mnImportApply))
	mux.HandleFunc("GET /admin/import", s.needLogin(s.importForm))
	mux.HandleFunc("POST /admin/import", s.needLogin(s.importDivisions))
	mux.HandleFunc("GET /admin/audit", s.needLogin(s.auditVerify))
	mux.HandleFunc("GET /admin/calendar", s.needLogin(s.calendarPage))
	mux.HandleFunc("POST /admin/calendar", s.needLogin(s.calendarLoad))
	mux.HandleFunc("GET /cases", s.needLogin(s.caseFind))
	mux.HandleFunc("GET /cases/new", s.needLogin(s.caseNew))
	mux.HandleFunc("POST /cases", s.needLogin(s.caseReceive))
	mux.HandleFunc("GET /cases/linked", s.needLogin(s.linkedNew)) // 联合办理 at the window (pages_linked.go)
	mux.HandleFunc("POST /cases/linked", s.needLogin(s.linkedCreate))
	mux.HandleFunc("GET /cases/{id}", s.needLogin(s.caseShow))
	mux.HandleFunc("POST /cases/{id}", s.needLogin(s.caseAct))
	mux.HandleFunc("POST /cases/{id}/orders", s.needLogin(s.caseOrder)) // 督办 on a case (pages_orders.go)
	mux.HandleFunc("GET /orders", s.needLogin(s.orderList))
	mux.HandleFunc("POST /orders/{id}/answer", s.needLogin(s.orderAnswer))
	mux.HandleFunc("POST /cases/{id}/result-code", s.needLogin(s.caseResendCode))
	mux.HandleFunc("POST /cases/{id}/files", s.needLogin(s.caseAttach)) // electronic materials (pages_files.go)
	mux.HandleFunc("GET /cases/{id}/files/{fid}", s.needLogin(s.caseFile))
	mux.HandleFunc("GET /cases/{id}/form", s.needLogin(s.caseFormPrint)) // the 申请表 to print and sign
	mux.HandleFunc("GET /cases/{id}/notice", s.needLogin(s.caseNoticeLatest))
	mux.HandleFunc("GET /cases/{id}/notices/{nid}", s.needLogin(s.caseNoticePrint))
	mux.HandleFunc("GET /transfers", s.needLogin(s.transfers))
	mux.HandleFunc("POST /transfers", s.needLogin(s.transferSend))
	mux.HandleFunc("GET /transfers/{id}", s.needLogin(s.transferShow))
	mux.HandleFunc("POST /transfers/{id}/received", s.needLogin(s.transferReceive))
	// 转办 to the competent township or department (pages_handover.go): a case's hand-overs, the township's incoming and outgoing
	mux.HandleFunc("GET /cases/{id}/handover", s.needLogin(s.caseHandover))
	mux.HandleFunc("POST /cases/{id}/handover", s.needLogin(s.caseHandoverAsk))
	mux.HandleFunc("GET /handovers", s.needLogin(s.handovers))
	mux.HandleFunc("POST /handovers/{id}", s.needLogin(s.handoverAnswer))
	// village stations (pages_stations.go): lists to and from the township, 代理, home visits, 帮办 marks
	mux.HandleFunc("GET /station", s.needLogin(s.station))
	mux.HandleFunc("POST /station/lists", s.needLogin(s.stationSend))
	mux.HandleFunc("GET /station/lists/{id}", s.needLogin(s.stationList))
	mux.HandleFunc("POST /station/lists/{id}/received", s.needLogin(s.stationListReceive))
	mux.HandleFunc("POST /station/handover/{case}", s.needLogin(s.stationHandover))
	mux.HandleFunc("GET /standing/new", s.needLogin(s.standingForm))
	mux.HandleFunc("POST /standing", s.needLogin(s.standingCreate))
	mux.HandleFunc("GET /standing/{id}", s.needLogin(s.standingShow))
	mux.HandleFunc("POST /standing/{id}/revoke", s.needLogin(s.standingRevoke))
	mux.HandleFunc("GET /visits", s.needLogin(s.visits))
	mux.HandleFunc("POST /visits", s.needLogin(s.visitCreate))
	mux.HandleFunc("GET /visits/{id}", s.needLogin(s.visitShow))
	mux.HandleFunc("POST /visits/{id}", s.needLogin(s.visitMove))
	mux.HandleFunc("POST /applicants/{id}/needs", s.needLogin(s.needsSave))
	mux.HandleFunc("GET /hall", s.needLogin(s.hallDesk)) // the hall's front desk: windows, calling, desk tickets, appointments
	mux.HandleFunc("POST /hall/signon", s.needLogin(s.hallSignOn))
	mux.HandleFunc("POST /hall/signoff", s.needLogin(s.hallSignOff))
	mux.HandleFunc("POST /hall/pause", s.needLogin(s.hallPause))
	mux.HandleFunc("POST /hall/call", s.needLogin(s.hallCall))
	mux.HandleFunc("POST /hall/tickets", s.needLogin(s.hallIssue))
	mux.HandleFunc("POST /hall/tickets/{id}/{move}", s.needLogin(s.hallMove)) // recall, skip, finish, transfer
	mux.HandleFunc("GET /hall/tickets/{id}/case", s.needLogin(s.ticketCase))
	mux.HandleFunc("POST /hall/checkin", s.needLogin(s.hallCheckIn))
	mux.HandleFunc("POST /hall/appointments", s.needLogin(s.hallBook))
	mux.HandleFunc("POST /hall/appointments/{id}/{move}", s.needLogin(s.hallAppointment)) // cancel, no_show
	mux.HandleFunc("GET /hall/hours/{org}", s.needLogin(s.hoursForm))
	mux.HandleFunc("POST /hall/hours/{org}", s.needLogin(s.hoursSave))
	mux.HandleFunc("GET /enquiries", s.needLogin(s.enquiries)) // the enquiry register, 首问 and 一次告知 (pages_enquiry.go)
	mux.HandleFunc("POST /enquiries", s.needLogin(s.enquiryCreate))
	mux.HandleFunc("GET /enquiries/{id}", s.needLogin(s.enquiryShow))
	mux.HandleFunc("POST /enquiries/{id}", s.needLogin(s.enquiryAct))
	mux.HandleFunc("GET /enquiries/{id}/notice", s.needLogin(s.enquiryNotice))
	mux.HandleFunc("GET /ratings", s.needLogin(s.ratings)) // 好差评: ratings, rectifications, appeals, tablets (pages_rating.go)
	mux.HandleFunc("GET /ratings/new", s.needLogin(s.ratingNew))
	mux.HandleFunc("POST /ratings/pair", s.needLogin(s.ratingPair))
	mux.HandleFunc("POST /ratings/prompt", s.needLogin(s.ratingPrompt))
	mux.HandleFunc("POST /ratings/paper", s.needLogin(s.ratingPaper))
	mux.HandleFunc("GET /ratings/export/{format}", s.needLogin(s.ratingExport)) // GB/T 39046 表9, csv or json
	mux.HandleFunc("GET /ratings/{id}", s.needLogin(s.ratingShow))
	mux.HandleFunc("POST /ratings/{id}", s.needLogin(s.ratingAct))
	// the complaint register (pages_complaint.go): 投诉 routed to the responsible body, answered by a deadline
	mux.HandleFunc("GET /complaints", s.needLogin(s.complaints))
	mux.HandleFunc("POST /complaints", s.needLogin(s.complaintCreate))
	mux.HandleFunc("GET /complaints/new", s.needLogin(s.complaintNew))
	mux.HandleFunc("GET /complaints/export/{format}", s.needLogin(s.complaintExport)) // GB/T 39046 6.7, csv or json
	mux.HandleFunc("GET /complaints/{id}", s.needLogin(s.complaintShow))
	mux.HandleFunc("POST /complaints/{id}", s.needLogin(s.complaintAct))
	mux.HandleFunc("GET /supervision", s.needLogin(s.fromReplica(s.supervisionPage)))
	mux.HandleFunc("GET /supervision/cases", s.needLogin(s.fromReplica(s.supervisionCases)))
	mux.HandleFunc("GET /supervision/export.xlsx", s.needLogin(s.fromReplica(s.supervisionExport)))
	// delegated powers (pages_delegation.go; issue 14, the seed 四.(一), 四.(二)): delegations and their hand-over,
	// pairs, help requests, guidance comments on a case, inspection rounds, the assessment
	mux.HandleFunc("GET /delegations", s.needLogin(s.delegations))
	mux.HandleFunc("POST /delegations", s.needLogin(s.delegationCreate))
	mux.HandleFunc("GET /delegations/{id}", s.needLogin(s.delegationShow))
	mux.HandleFunc("POST /delegations/{id}", s.needLogin(s.delegationAct))
	mux.HandleFunc("POST /pairs", s.needLogin(s.pairCreate))
	mux.HandleFunc("GET /help", s.needLogin(s.helpPage))
	mux.HandleFunc("POST /help", s.needLogin(s.helpAsk))
	mux.HandleFunc("GET /help/{id}", s.needLogin(s.helpShow))
	mux.HandleFunc("POST /help/{id}", s.needLogin(s.helpAct))
	mux.HandleFunc("POST /cases/{id}/comments", s.needLogin(s.caseComment))
	mux.HandleFunc("GET /inspections", s.needLogin(s.inspections))
	mux.HandleFunc("POST /inspections", s.needLogin(s.roundPlan))
	mux.HandleFunc("GET /inspections/{id}", s.needLogin(s.roundShow))
	mux.HandleFunc("POST /inspections/{id}", s.needLogin(s.roundAct))
	mux.HandleFunc("GET /assessment", s.needLogin(s.assessment))
	mux.HandleFunc("GET /assessment.xlsx", s.needLogin(s.assessmentExport))
	// delegated powers, second round (pages_delegation2.go; issue 14): the delegated item's page for staff, with
	// the guidance periods' figures and the item's internal FAQ (never on the public portal)
	mux.HandleFunc("GET /delegations/items/{item}", s.needLogin(s.delegationItem))
	// the delegation records a catalog import brought, for their department to confirm or refuse
	// (pages_delegation_proposals.go)
	mux.HandleFunc("GET /delegation-proposals", s.needLogin(s.delegationProposals))
	mux.HandleFunc("POST /delegation-proposals/{id}", s.needLogin(s.delegationProposalAct))
	mux.HandleFunc("POST /delegations/{id}/files", s.needLogin(s.delegationDocAttach)) // the legal document's file
	mux.HandleFunc("GET /delegations/{id}/files/{fid}", s.needLogin(s.delegationDoc))
	mux.HandleFunc("POST /help/{id}/files", s.needLogin(s.helpFileAttach)) // a help request's attachments
	mux.HandleFunc("GET /help/{id}/files/{fid}", s.needLogin(s.helpFile))
	mux.HandleFunc("GET /catalog", s.needLogin(s.catalogList))
	mux.HandleFunc("POST /catalog/import", s.needLogin(s.catalogImport))
	mux.HandleFunc("GET /catalog/export/{format}", s.needLogin(s.catalogExport))
	mux.HandleFunc("GET /catalog/{id}", s.needLogin(s.catalogItem))
	mux.HandleFunc("POST /catalog/{id}", s.needLogin(s.catalogSave))
	mux.HandleFunc("POST /catalog/{id}/status", s.needLogin(s.catalogStatus))
	mux.HandleFunc("POST /catalog/{id}/joint", s.needLogin(s.catalogJoint)) // 并联 and 会签 of its steps (pages_catalog_joint.go)

	// the people of the hall (issue 11, pages_roster.go): staff records with the hand-over of open work, rosters,
	// leave with its substitute, attendance, coverage now, recusal; public: who is on duty today, photos, seat cards
	mux.HandleFunc("GET /portal/center/{center}/staff", s.staffOnDuty)
	mux.HandleFunc("GET /portal/center/{center}/staff/qr.png", s.staffQR)
	mux.HandleFunc("GET /staff/{id}/photo", s.staffPhoto)
	mux.HandleFunc("GET /staff/{id}", s.needLogin(s.staffRecord))
	mux.HandleFunc("POST /staff/{id}", s.needLogin(s.staffRecordSave))
	mux.HandleFunc("POST /staff/{id}/photo", s.needLogin(s.staffPhotoUpload))
	mux.HandleFunc("GET /people", s.needLogin(s.peopleHome))
	mux.HandleFunc("POST /people/attendance/{move}", s.needLogin(s.attendanceSign)) // in, out
	mux.HandleFunc("GET /people/attendance/{id}", s.needLogin(s.attendancePage))
	mux.HandleFunc("GET /people/roster/{center}", s.needLogin(s.rosterPage))
	mux.HandleFunc("POST /people/roster/{center}", s.needLogin(s.rosterSave))
	mux.HandleFunc("GET /people/leave", s.needLogin(s.leavePage))
	mux.HandleFunc("POST /people/leave", s.needLogin(s.leaveRequest))
	mux.HandleFunc("POST /people/leave/{id}/{move}", s.needLogin(s.leaveMove)) // approve, reject, return
	mux.HandleFunc("GET /people/coverage", s.needLogin(s.coverageBanner))
	mux.HandleFunc("GET /people/coverage/{center}", s.needLogin(s.coveragePage))
	mux.HandleFunc("GET /people/recusal", s.needLogin(s.recusalPage))
	mux.HandleFunc("POST /people/recusal", s.needLogin(s.recusalDeclare))
	mux.HandleFunc("GET /people/cards/{center}", s.needLogin(s.seatCards))
	mux.HandleFunc("GET /portal/center/{center}/board", s.board6)     // 六有: web page, kiosk, poster (?paper=a1|a2)
	mux.HandleFunc("GET /portal/center/{center}/signs", s.signs)      // bilingual window and zone signs, one a sheet
	mux.HandleFunc("GET /people/figures", s.needLogin(s.figuresPage)) // 绩效考评 per person, ?month=&township=
	mux.HandleFunc("GET /people/figures.xlsx", s.needLogin(s.figuresExport))
	mux.HandleFunc("GET /people/board/{center}", s.needLogin(s.boardDocs))
	mux.HandleFunc("POST /people/board/{center}", s.needLogin(s.boardPublish))
	mux.HandleFunc("POST /people/back-office/{township}", s.needLogin(s.backOfficeSet)) // 一人负责一块 or 一人通办 (api_people_gaps.go)

	// what leaves Bianmin (pages_upstream.go): receivers (the upper platform, webhooks), their logs, the
	// classes of personal data switched off, a parked record's fix and resend, a webhook's test
	mux.HandleFunc("GET /upstream", s.needLogin(s.receivers))
	mux.HandleFunc("POST /upstream", s.needLogin(s.receiverCreate))
	mux.HandleFunc("GET /upstream/{id}", s.needLogin(s.receiverShow))
	mux.HandleFunc("POST /upstream/{id}", s.needLogin(s.receiverSave))
	mux.HandleFunc("POST /upstream/{id}/test", s.needLogin(s.receiverTest))
	mux.HandleFunc("POST /outbox/{id}/resend", s.needLogin(s.recordResend))
	mux.HandleFunc("GET /catalog/sync", s.needLogin(s.catalogSyncForm)) // the upper platform's 实施清单 as drafts, with their differences
	mux.HandleFunc("POST /catalog/sync", s.needLogin(s.catalogSync))

	// JSON API (api.go has its table; the OpenAPI document is generated from it)
	s.mountAPI(mux)

	// The browser's cross-origin check (Sec-Fetch-Site / Origin) guards every unsafe request; the edge
	// (edge.go) caps every body by route and refuses text no form of ours sends.
	// observed (metrics.go) gives each request its id and counts it by the route the edge found; transport
	// (transport.go) marks cookies Secure and adds HSTS over HTTPS; notingWrites (replica.go) keeps a
	// writer's position in the WAL for their reads from the replica.
	return s.observed(s.logged(s.transport(secure(http.NewCrossOriginProtection().Handler(s.notingWrites(s.identify(s.edge(mux))))))))
}

func staticFiles(fsys fs.FS) http.Handler {
	h := http.FileServer(http.FS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // files are named by the pages that use them; a folder's list is nobody's business
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
