package service

import (
	"context"
	"encoding/json"
	"strconv"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/rating"
	"bianmin/internal/supervision"
)

// 好差评 figures (GB/T 39734-2020 10 结果运用, 附录B; 国办发〔2019〕51号 评价结果及整改情况向社会公开): 好评率, 差评数, 整改率,
// 回访满意率 by the supervision dashboard's dimensions and by 评价渠道, in the dashboard, its export and the
// monthly report. They are counted from the ratings themselves at each reading (a month of a banner is tens of
// thousands of rows; BENCHMARKS.md has the figure at 300k ratings), so they always equal a plain count.

// RatingBoard is the 好差评 figures of a period.
type RatingBoard struct {
	ByValue   map[string]rating.Figures         `json:"by_value"` // the dashboard dimension's values
	ByChannel map[rating.Channel]rating.Figures `json:"by_channel"`
	Total     rating.Figures                    `json:"total"`
}

// ratingBoard counts the ratings of a period for the townships in set, by a dimension and by channel.
func (s *Service) ratingBoard(ctx context.Context, dim supervision.Dim, p supervision.Period, in map[string]bool) (RatingBoard, error) {
	b := RatingBoard{ByValue: map[string]rating.Figures{}, ByChannel: map[rating.Channel]rating.Figures{}}
	clk, err := s.Clock(ctx)
	if err != nil {
		return b, err
	}
	today := s.today(clk).Int()
	rows, err := s.DB.RatingFigures(ctx, string(dim), p.From.Int(), p.To.Int(), today)
	if err != nil {
		return b, err
	}
	for _, r := range rows {
		if !in[r.Township] {
			continue
		}
		f := b.ByValue[r.Value]
		f.Add(r.Figures)
		b.ByValue[r.Value] = f
		b.Total.Add(r.Figures)
	}
	rows, err = s.DB.RatingFigures(ctx, "rating_channel", p.From.Int(), p.To.Int(), today)
	if err != nil {
		return b, err
	}
	for _, r := range rows {
		if in[r.Township] {
			f := b.ByChannel[rating.Channel(r.Value)]
			f.Add(r.Figures)
			b.ByChannel[rating.Channel(r.Value)] = f
		}
	}
	return b, nil
}

// Table9Row is one rating in the fields of GB/T 39046-2020 表9 (评价), ready for the region's unified rating
// system (内蒙古自治区政务服务"好差评"管理办法), with the hall's own columns after them. 评价人 stays empty: who
// rated never leaves through a staff export (国办发〔2019〕51号); the push (issue 15) decides per receiver.
type Table9Row struct {
	CaseNo      string            `json:"办件编号"`
	Channel     string            `json:"评价渠道"`
	ChannelCode string            `json:"评价渠道代码"`
	Rater       string            `json:"评价人"`
	RatedAt     string            `json:"评价时间"`
	Times       int               `json:"评价次数"`
	Level       string            `json:"满意度"`
	LevelCode   int               `json:"满意度代码"`
	Text        string            `json:"文字评价"`
	Division    string            `json:"行政区划"`
	Subject     string            `json:"评价对象类型"` // case, enquiry, ticket
	Indicators  map[string]string `json:"评价指标,omitempty"`
	ItemName    string            `json:"事项名称"`
	ByStaff     bool              `json:"书面录入"`
	Named       bool              `json:"实名"`
	Excluded    bool              `json:"申诉排除"`
	ID          string            `json:"评价标识"`
}

// Table9Header is the export's header row, in 表9's order.
var Table9Header = []string{"办件编号", "评价渠道", "评价渠道代码", "评价人", "评价时间", "评价次数", "满意度", "满意度代码", "文字评价", "行政区划",
	"评价对象类型", "评价指标", "事项名称", "书面录入", "实名", "申诉排除", "评价标识"}

// Cells is the row as text, in Table9Header's order.
func (t Table9Row) Cells() []string {
	ind := ""
	if len(t.Indicators) > 0 {
		b, _ := json.Marshal(t.Indicators)
		ind = string(b)
	}
	return []string{t.CaseNo, t.Channel, t.ChannelCode, t.Rater, t.RatedAt, strconv.Itoa(t.Times), t.Level, strconv.Itoa(t.LevelCode), t.Text,
		t.Division, t.Subject, ind, t.ItemName, strconv.FormatBool(t.ByStaff), strconv.FormatBool(t.Named), strconv.FormatBool(t.Excluded), t.ID}
}

// Table9 turns a rating into its 表9 row.
func Table9(r rating.Rating) Table9Row {
	no := r.CaseNo
	if no == "" {
		no = r.EnquiryID + r.TicketID
	}
	t := Table9Row{CaseNo: no, Channel: r.Channel.Table9(), ChannelCode: string(r.Channel), RatedAt: r.RatedAt.In(clock.DefaultRules().Location).Format("2006-01-02 15:04:05"),
		Times: 1, Level: r.Level.Zh(), LevelCode: int(r.Level), Text: r.Text, Division: r.Division, Subject: r.Kind(), ItemName: r.ItemName,
		ByStaff: r.EnteredBy != "", Named: r.Named, Excluded: r.Excluded, ID: r.ID}
	if len(r.Indicators) > 0 {
		t.Indicators = map[string]string{}
		for k, v := range r.Indicators {
			t.Indicators[k] = strconv.Itoa(int(v))
		}
	}
	return t
}

// ExportRatings lists the ratings of the actor's subtree made in a period as 表9 rows, oldest first, each
// page handed to emit (a year of a region does not sit in memory).
func (s *Service) ExportRatings(ctx context.Context, actor access.Actor, p supervision.Period, emit func([]Table9Row) error) error {
	if err := actor.Check(access.RatingRead, actor.OrgPath); err != nil {
		return err
	}
	after := ""
	for {
		list, err := s.DB.ExportRatings(ctx, actor.OrgPath, p.From.Int(), p.To.Int(), after, 1000)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return nil
		}
		rows := make([]Table9Row, len(list))
		for i, r := range list {
			rows[i] = Table9(r)
		}
		if err := emit(rows); err != nil {
			return err
		}
		after = list[len(list)-1].ID
	}
}

// Today is the hall's date now, on its clock.
func (s *Service) Today(ctx context.Context) clock.Date {
	clk, err := s.Clock(ctx)
	if err != nil {
		return clock.DateOf(s.DB.Now())
	}
	return s.today(clk)
}
