package cases

import (
	"strings"

	"bianmin/internal/errs"
)

// ReasonKey says whether a move must state its reasons, and the message that asks for them when it does not
// ("" when reasons are optional). The law requires written reasons for every act that goes against the
// applicant or stops the clock:
//   - refuse (不予受理): 行政许可法 第32条第1款第(五)项, 书面凭证 with reasons;
//   - decide, denying (不予行政许可): 行政许可法 第38条第2款, 说明理由, 告知救济;
//   - return (退回上一环节): the step sent back must know what to redo (行政许可法 第34条, 审查 on the
//     record; 国办发〔2022〕5号 全程留痕);
//   - suspend (中止, 特别程序): 行政许可法 第45条, the time excluded must be told to the applicant in writing;
//   - request_extension, reject_extension (延期): 行政许可法 第42条, 并应当将延长期限的理由告知申请人;
//   - terminate (终止办理): 行政许可法 第32条 and 国办发〔2020〕42号 (容缺 not brought), reasons told;
//   - revoke (撤销, a pledge proved false): 国办发〔2020〕42号 ("撤销行政决定"), 行政许可法 第69条第2款; the
//     撤销决定书 states its reasons and the remedies.
//
// approve_extension takes the request's own reasons when none are given (Apply), so it needs none here.
func ReasonKey(a Action, in Input) string {
	switch a {
	case Refuse, Return, Suspend, RequestExtension, RejectExtension, Terminate, Revoke:
		return "err.required"
	case Decide:
		if !in.Grant {
			return "err.case.deny_reason"
		}
	}
	return ""
}

// checkReason refuses a move that needs reasons and has none (blank counts as none).
func checkReason(a Action, in Input, l *errs.List) {
	if key := ReasonKey(a, in); key != "" && strings.TrimSpace(in.Reason) == "" {
		l.Add(errs.Field("reason", key))
	}
}
