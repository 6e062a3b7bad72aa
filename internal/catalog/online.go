package catalog

import (
	"strconv"
	"strings"

	"bianmin/internal/errs"
)

// checkOnlinePromise: an item may promise 0 visits (到办事现场次数 0) or 全程网办 (网上办理深度 Ⅳ) only when
// every material can be handed in online. 全程网办 means 申请受理、审查决定、颁证送达全流程网上 and 不得强制到现场
// (国办发〔2020〕35号); 行政许可法 第30条 has the organ publish the materials an applicant must bring, so the
// published promise must match them. A material handed in as a file (electronic, no original to see), and the
// application form where the item defines it (filled on the form online), need no visit; a material on
// paper, or whose original the window must see, brings the applicant to the window (issue 9, finding 14;
// issue 13). So 0 visits is allowed exactly for items whose every material can be handed in online. Each
// promise is named with the materials that break it.
func checkOnlinePromise(l *errs.List, it Item) {
	var offline []string
	for _, m := range it.Materials {
		if !m.HandedInOnline() && !it.FilledOnline(m) {
			offline = append(offline, m.Name)
		}
	}
	if len(offline) == 0 {
		return
	}
	names := strings.Join(offline, "、")
	n := strconv.Itoa(len(offline))
	if it.Visits == 0 {
		l.Add(errs.Field("visits", "err.item.offline_materials").With("materials", names).With("n", n))
	}
	if it.OnlineDepth == 4 {
		l.Add(errs.Field("online_depth", "err.item.offline_materials").With("materials", names).With("n", n))
	}
}
