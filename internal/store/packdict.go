package store

// packDict1 is the preset dictionary of packed version 1 (packed.go): the keys, common values and shapes of
// what audit entries (the changed fields of a case, an organisation, an item) and notices (a cases.Paper) keep,
// as a lifecycle through the service writes them. DEFLATE finds a document's pieces here as if they came
// before it, and nearer the end costs fewer bits: the most frequent shapes are last.
//
// It names no date, no id and no township, village or person: it serves any region and year.
//
// SHIPPED: it never changes, not by one byte (TestPackDictsShipped pins it). Rows packed with it would no
// longer unpack. A better dictionary is packDict2 under version byte 2, and this one stays for the rows
// already written.
const packDict1 = `` +
	// organisations, staff, items and their implementations (rare beside cases: first, far away)
	`{"ID":"","ParentID":"","Path":"//","Kind":"township","Code":"","Subtype":"","NameZh":"","NameMn":"","MnReview":true,"Abbr":"","Desk":"","General":false,"Note":"","Aliases":null,"Version":1,"Created":"","Updated":""}` +
	`{"Username":"","Name":"","Phone":"","Role":"clerk","OrgID":"","Lang":"zh","Active":true,"MustChange":true,"Version":1}` +
	`{"id":"","version":1,"status":"draft","name_zh":"","name_mn":"","mn_review":true,"aliases":[""],"type_code":"","level":5,"department":"","implementer":"","implementer_nature":1,"legal_basis":[""],"legal_limit":{"value":20,"unit":"working_days"},"promised_limit":{"value":10,"unit":"working_days","note":""},"case_kind":2,"extension_unit":"","conditions":"","steps":[{"name":"受理","role":"clerk","level":5,"limit":{"value":1,"unit":"working_days"}},{"name":"","role":"reviewer","level":6,"limit":{"value":7,"unit":"natural_days"},"special":"公示"},{"name":"","role":"department","level":4,"limit":{"value":10,"unit":"working_days"}}],"materials":[{"name":"","form":"both","originals":1,"copies":0,"necessity":"required","source":"在线填报或窗口领取","blank_form":"","sample":"","notes":""},{"name":"","form":"paper","originals":1,"copies":1,"necessity":"optional","source":"申请人自备","standard":"","pledge":true},{"name":"","form":"paper","originals":0,"copies":1,"necessity":"deferrable","source":"申请人自备","notes":""}],"free":true,"place":"","hours":"","consult_phone":"","complaint_phone":"","visits":1,"visit_reason":"需核验原件","handling_forms":[1,2],"online_depth":2,"scope":"","result_name":"","result_type":"证照","result_sample":"","delivery":["window","post"],"appointment":true,"village":"proxy","pledge_allowed":true,"topics":[""]}` +
	`{"item_id":"","org_id":"","window":"综合受理窗口","place":"便民服务中心综合受理窗口","version":0}` +
	// words of Chinese the papers and entries repeat
	`苏木乡镇人民政府（街道办事处）便民服务中心综合受理窗口 嘎查村 居民委员会 民政局 审核员 综合受理员 负责人 ` +
	`最低生活保障申请表 居民身份证 居民户口簿 户主页及本人页 家庭收入和财产状况声明 本人银行卡或一卡通 授权委托书及代办人身份证 ` +
	`不符合条件 材料不齐全 申请人自备 需核验原件 在有效期内，与申请人一致 ` +
	// a case as received, then accepted (the entries of receive and accept)
	`{"id":"","no":"","item_id":"","item_version":1,"item_name":"","item_name_mn":"","bundle":"","channel":"window","receiving":"","handling":"","receiving_township":"","received_by":"","department":"","applicant_id":"","agent_id":"","proxy_mode":"","state":"received","step":0,"materials":null,"received":"","limit_unit":"working_days","limit_days":20,"extension_unit":"working_days","version":1,"pledge_allowed":true}` +
	`{"accepted":null,"materials":null,"checks":null,"pledge":null,"owed_by":null,"first_asked":null,"state":"received","step":0,"step_since":null,"version":1}` +
	// other moves: correction, refusal, suspension, extension, claim, termination, revocation
	`{"state":"correction","recorrections":1,"corrected":"","intake_since":"","refusal":{"reasons":"","at":""},"assignee":"","extension_request":{"days":5,"reasons":"","at":""},"extension":{"days":5,"at":""},"verdict":"confirmed","linked":null,"files":null,"note":"","tracking":"","late_issue":false,"late_intake":false,"state":"terminated"}` +
	`"state":"suspended","state":"delivered","state":"refused","state":"revoked","check":"scanned"},"check":"missing"},"check":"defective"},"check":"owed","deferrable":true},"check":"file"},` +
	// a notice's paper (cases.Paper, reduced by Keep): every kind, the accepting ones with their materials
	`{"by":"","case":{"accepted":"","decision":{"grant":false,"reasons":"不符合条件","at":""},"delivery":{"method":"post","tracking":""},"extension":{"days":5},"extension_unit":"working_days","handling":"","limit_days":20,"limit_unit":"working_days","refusal":{"reasons":""},"state":"refused","step":0,"version":2},"due":"","due_provisional":true,"issuer":"","reason":""}` +
	`{"by":"","case":{"accepted":"","extension_unit":"working_days","handling":"","limit_days":20,"limit_unit":"working_days","materials":[{"name":"居民身份证","required":true,"check":"original"},{"name":"居民户口簿","required":true,"check":"copy"},{"name":"","required":true,"check":"pledged","pledgeable":true},{"name":"","required":false,"check":"copy","deferrable":true},{"name":"","required":false,"check":"na"}],"pledge":{"materials":[""],"due":""},"state":"accepted","step":1,"version":2},"due":"","due_provisional":true,"issuer":""}` +
	`{"by":"","case":{"accepted":"","decision":{"grant":true,"reasons":"符合条件","at":""},"delivery":{"method":"window"},"extension_unit":"working_days","handling":"","limit_days":20,"limit_unit":"working_days","state":"issued","step":3,"version":6},"due":"","due_provisional":true,"issuer":"","reason":"符合条件"}` +
	// the changed fields of the back office's moves, the most frequent entries: last, nearest
	`{"step":1,"step_since":"","suspensions":null,"version":2}` +
	`{"step":2,"step_since":"","suspensions":[{"Kind":"公示","From":"","To":"","reason":"公示","step":"嘎查村公示"}],"version":3}` +
	`{"accepted":"","materials":[{"name":"","required":true,"check":"original"},{"name":"","required":true,"check":"copy"},{"name":"","required":true,"check":"pledged","pledgeable":true},{"name":"","required":false,"check":"copy","deferrable":true},{"name":"","required":false,"check":"na"}],"pledge":{"materials":[""],"due":""},"state":"accepted","step":1,"step_since":"","version":2}` +
	`{"decision":null,"state":"accepted","version":4}{"decision":{"grant":true,"reasons":"符合条件","at":""},"state":"decided","version":5}` +
	`{"delivery":null,"state":"decided","version":5}{"delivery":{"method":"window"},"state":"issued","version":6}`
