// Package reportfile lays a period's report out as tables — the same ones on
// the console's report page and in the files the desk head sends on: CSV,
// XLSX (excelize, with native charts) and PDF (fpdf, for signature).
// docs/REPORTS.md says how each figure is computed.
package reportfile

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/queue"
)

// Kind says how a figure is written.
type Kind int

// Kinds of figures.
const (
	Count   Kind = iota // a whole number
	Minutes             // minutes, one decimal
	Share               // a share, as a percentage with one decimal
	Points              // points, two decimals
	Grade               // an indicator or a score of Circular 01/2018, one decimal
)

// Column is one figure of a tally.
type Column struct {
	Head, HeadEN string
	Kind         Kind
	Value        func(queue.Tally) float64
}

// Columns are the figures of every table, in order.
var Columns = []Column{
	{"Cấp số", "Issued", Count, func(t queue.Tally) float64 { return float64(t.Issued) }},
	{"Đã phục vụ", "Served", Count, func(t queue.Tally) float64 { return float64(t.Served) }},
	{"Vắng mặt", "No-show", Count, func(t queue.Tally) float64 { return float64(t.NoShow) }},
	{"Huỷ", "Cancelled", Count, func(t queue.Tally) float64 { return float64(t.Cancelled) }},
	{"Hết ngày chưa gọi", "Expired", Count, func(t queue.Tally) float64 { return float64(t.Expired) }},
	{"Chuyển đến", "Transferred in", Count, func(t queue.Tally) float64 { return float64(t.TransferredIn) }},
	{"Chuyển đi", "Transferred out", Count, func(t queue.Tally) float64 { return float64(t.TransferredOut) }},
	{"Chờ TB (phút)", "Wait mean (min)", Minutes, func(t queue.Tally) float64 { return t.WaitMeanMinutes }},
	// The median and p90 are read from the waits counted by whole minute
	// (5 minutes past an hour): "0" is under a minute, and the heading says so.
	{"Chờ trung vị (phút tròn)", "Wait median (whole min)", Minutes, func(t queue.Tally) float64 { return t.WaitMedianMinutes }},
	{"Chờ p90 (phút tròn)", "Wait p90 (whole min)", Minutes, func(t queue.Tally) float64 { return t.WaitP90Minutes }},
	{"Gọi trong mục tiêu", "Within target", Share, func(t queue.Tally) float64 { return t.WithinTargetShare }},
	{"Phục vụ TB (phút)", "Service mean (min)", Minutes, func(t queue.Tally) float64 { return t.ServiceMeanMinutes }},
	{"Phục vụ p90 (phút tròn)", "Service p90 (whole min)", Minutes, func(t queue.Tally) float64 { return t.ServiceP90Minutes }},
	{"Lượt đánh giá", "Ratings", Count, func(t queue.Tally) float64 { return float64(t.Rated) }},
	{"Hài lòng", "Satisfied", Share, func(t queue.Tally) float64 { return t.SatisfiedShare }},
}

// format writes a figure as a person reads it (Vietnamese decimal comma).
func format(kind Kind, v float64) string {
	switch kind {
	case Minutes, Grade:
		return comma(strconv.FormatFloat(v, 'f', 1, 64))
	case Share:
		return comma(strconv.FormatFloat(100*v, 'f', 1, 64)) + "%"
	case Points:
		return comma(strconv.FormatFloat(v, 'f', 2, 64))
	}
	return strconv.Itoa(int(v))
}

func comma(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '.' {
			b[i] = ','
		}
	}
	return string(b)
}

// Row is one line of a table: what it is about, and its tally.
type Row struct {
	Label string
	Tally queue.Tally
}

// Table is one grouping of the report.
type Table struct {
	Title, TitleEN string
	Sheet          string // the XLSX sheet's name (31 characters at most)
	Rows           []Row
}

// Report is the period's report with what the tables need around it.
type Report struct {
	Office   string
	From, To time.Time // the first day and the last, inclusive
	Made     time.Time
	Figures  api.Report
	// Clerks are the staff's display names by username (a clerk no longer
	// in the settings shows by username).
	Clerks map[string]string
	// Rating is the office's scale (Circular 01's indicator 7 reads it),
	// Reasons its reasons for a low rating.
	Rating  []queue.RatingOption
	Reasons []queue.RatingReason
	// Whole names the total's row: "" is one office's ("Cả văn phòng"); a
	// report of several offices says which ("Cả 2 đơn vị / all 2 offices").
	Whole string
	// MinCases is the office's fewest cases for a rate or a grade (0: MinCases).
	MinCases int
}

func (r Report) minCases() int {
	if r.MinCases > 0 {
		return r.MinCases
	}
	return MinCases
}

// Dossiers are the dossiers' figures of the report (DossierFigures) under
// the office's fewest cases.
func (r Report) Dossiers() []Figure {
	figs := DossierFigures(r.Figures.Dossiers)
	for i := range figs {
		figs[i].Min = r.minCases()
	}
	return figs
}

// Period says the report's days, as the province writes them.
func (r Report) Period() string {
	return fmt.Sprintf("Từ ngày %s đến ngày %s", r.From.Format("02/01/2006"), r.To.Format("02/01/2006"))
}

// tables are the report's groupings, in the order every file shows them.
func (r Report) tables() []Table {
	whole := r.Whole
	if whole == "" {
		whole = "Cả văn phòng"
	}
	total := Table{Title: "Tổng hợp", TitleEN: "Total", Sheet: "Tổng hợp", Rows: []Row{{whole, r.Figures.Total}}}
	services := Table{Title: "Theo dịch vụ (nơi phục vụ)", TitleEN: "By service (where served)", Sheet: "Dịch vụ"}
	for _, s := range r.Figures.Services {
		services.Rows = append(services.Rows, Row{s.Name, s.Tally})
	}
	counters := Table{Title: "Theo quầy", TitleEN: "By counter", Sheet: "Quầy"}
	for _, c := range r.Figures.Counters {
		counters.Rows = append(counters.Rows, Row{"Quầy " + strconv.Itoa(c.Number), c.Tally})
	}
	clerks := Table{Title: "Theo cán bộ", TitleEN: "By clerk", Sheet: "Cán bộ"}
	for _, c := range r.Figures.Clerks {
		label := c.Username
		if name := r.Clerks[c.Username]; name != "" {
			label = name + " (" + c.Username + ")"
		}
		clerks.Rows = append(clerks.Rows, Row{label, c.Tally})
	}
	days := Table{Title: "Theo ngày", TitleEN: "By day", Sheet: "Ngày"}
	for _, d := range r.Figures.Days {
		label := d.Day
		if t, err := time.Parse("20060102", d.Day); err == nil {
			label = t.Format("02/01/2006")
		}
		days.Rows = append(days.Rows, Row{label, d.Tally})
	}
	hours := Table{Title: "Theo giờ lấy số (lượng người đến)", TitleEN: "By hour of arrival", Sheet: "Giờ"}
	for _, h := range r.Figures.Hours {
		if h.Issued > 0 {
			hours.Rows = append(hours.Rows, Row{fmt.Sprintf("%02d:00–%02d:59", h.Hour, h.Hour), h.Tally})
		}
	}
	tables := []Table{total, services, counters, clerks, days, hours}
	// By channel, once numbers were taken from afar or booked: walk-ins
	// alone are the total again.
	channels := Table{Title: "Theo cách lấy số", TitleEN: "By channel", Sheet: "Cách lấy số"}
	others := false
	for _, c := range r.Figures.Channels {
		if c.Issued > 0 || c.Channel == queue.WalkIn {
			channels.Rows = append(channels.Rows, Row{channelNames[c.Channel], c.Tally})
			others = others || c.Channel != queue.WalkIn
		}
	}
	if others {
		tables = slices.Insert(tables, 1, channels)
	}
	if len(r.Figures.Offices) > 0 { // a report of many offices: each office, after the total
		units := Table{Title: "Theo đơn vị", TitleEN: "By office", Sheet: "Đơn vị"}
		for _, o := range r.Figures.Offices {
			units.Rows = append(units.Rows, Row{o.Name + " (" + o.ID + ")", o.Tally})
		}
		tables = slices.Insert(tables, 1, units)
	}
	return tables
}

// Name is the file name for a format: bao-cao-20261001-20261231.xlsx.
func (r Report) Name(ext string) string {
	return "bao-cao-" + r.From.Format("20060102") + "-" + r.To.Format("20060102") + "." + ext
}

// Figure is one labelled number. A rate or points figure made of fewer
// than MinCases cases is "chưa đủ số liệu / not enough data (n)", not a
// number (Cases 0: a count, always shown).
type Figure struct {
	Label string
	Kind  Kind
	Value float64
	Cases int // what a rate is made of (-1 when it is not a rate)
	Min   int // the fewest cases it is shown from (0: MinCases)
}

// enough says whether the figure can be shown as a number.
func (f Figure) enough() bool {
	min := f.Min
	if min <= 0 {
		min = MinCases
	}
	return f.Cases < 0 || f.Cases >= min
}

// notEnough is the words for a figure made of too few cases.
func (f Figure) notEnough() string {
	return "chưa đủ số liệu / not enough data (" + strconv.Itoa(f.Cases) + ")"
}

// Cell is the figure for a workbook: the number, or the words.
func (f Figure) Cell() any {
	if !f.enough() {
		return f.notEnough()
	}
	return f.Value
}

// DossierFigures are the dossiers' figures, in order, with the counts each
// rate is made of beside it.
func DossierFigures(d *intake.Period) []Figure {
	return []Figure{
		{"Kỳ trước chuyển sang / Carried over", Count, float64(d.CarriedOver), -1, 0},
		{"Tiếp nhận trong kỳ (trực tiếp) / Received (in person)", Count, float64(d.Received), -1, 0},
		{"— trả kết quả qua bưu chính / result by post", Count, float64(d.ByPost), -1, 0},
		{"Đã giải quyết / Resolved", Count, float64(d.Resolved), -1, 0},
		{"— trước hạn / early", Count, float64(d.Early), -1, 0},
		{"— đúng hạn / on time", Count, float64(d.OnTime), -1, 0},
		{"— quá hạn / late", Count, float64(d.Late), -1, 0},
		{"Đang giải quyết, trong hạn / Open, within the deadline", Count, float64(d.OpenWithin), -1, 0},
		{"Đang giải quyết, quá hạn / Open, overdue", Count, float64(d.OpenOverdue), -1, 0},
		{"Yêu cầu bổ sung / Supplements asked", Count, float64(d.Supplements), -1, 0},
		{"Thư xin lỗi (Mẫu 04) / Apology letters", Count, float64(d.Apologies), -1, 0},
		{"Rút, dừng giải quyết / Withdrawn or stopped", Count, float64(d.Withdrawn), -1, 0},
		{"Tỉ lệ đúng hạn = (trước + đúng hạn) ÷ đã giải quyết / On-time rate", Share, d.OnTimeRate, d.Resolved, 0},
		{"NĐ 61 điều 30: (trước + đúng hạn) ÷ tiếp nhận / Decree 61 rate", Share, d.Decree61Rate, d.Received, 0},
		{"QĐ 766 tiến độ giải quyết (điểm /20; trọng số chưa đối chiếu văn bản) / progress points", Points, d.Progress766, d.Received, 0},
		{"Số hóa đủ thành phần (quét hoặc miễn) / Every paper digitised", Count, float64(d.Digitised), -1, 0},
		{"Tỉ lệ số hóa = số hóa đủ ÷ tiếp nhận / Digitised share", Share, d.DigitisedRate, d.Received, 0},
		{"Có kết quả điện tử / With an electronic result", Count, float64(d.EResults), -1, 0},
		{"Tỉ lệ kết quả điện tử = có kết quả điện tử ÷ đã giải quyết / Electronic result share", Share, d.EResultRate, d.Resolved, 0},
		{"Hỗ trợ nộp trực tuyến (lượt) / Online filing help sessions", Count, float64(d.OnlineHelped), -1, 0},
		{"— đã nộp được trên Cổng / filed on the portal", Count, float64(d.OnlineFiled), -1, 0},
		{"Hồ sơ có phí, lệ phí / Dossiers with a fee", Count, float64(d.FeeDossiers), -1, 0},
		{"Phí, lệ phí phải thu (đồng) / Fees due (đồng)", Count, float64(d.FeesDue), -1, 0},
		{"Phí, lệ phí đã thu (đồng) / Fees collected (đồng)", Count, float64(d.FeesCollected), -1, 0},
		{"Nộp không dùng tiền mặt (lượt) / Paid without cash (payments)", Count, float64(d.Cashless), -1, 0},
		{"Tỉ lệ không tiền mặt theo lượt = chuyển khoản ÷ đã nộp / Cashless share by count", Share, d.CashlessShare, d.FeesPaid, 0},
		{"Tỉ lệ không tiền mặt theo số tiền / Cashless share by amount", Share, d.CashlessAmountShare, d.FeesPaid, 0},
	}
}

// Text writes the figure as a person reads it.
func (f Figure) Text() string {
	if !f.enough() {
		return f.notEnough()
	}
	return format(f.Kind, f.Value)
}

// DossierColumn is one figure of a group of dossiers.
type DossierColumn struct {
	Head, HeadEN string
	Kind         Kind
	Value        func(intake.Period) float64
}

// DossierColumns are the figures of the dossiers' tables, in order.
var DossierColumns = []DossierColumn{
	{"Tiếp nhận", "Received", Count, func(p intake.Period) float64 { return float64(p.Received) }},
	{"Đã giải quyết", "Resolved", Count, func(p intake.Period) float64 { return float64(p.Resolved) }},
	{"Trước hạn", "Early", Count, func(p intake.Period) float64 { return float64(p.Early) }},
	{"Đúng hạn", "On time", Count, func(p intake.Period) float64 { return float64(p.OnTime) }},
	{"Quá hạn", "Late", Count, func(p intake.Period) float64 { return float64(p.Late) }},
	{"Đang giải quyết trong hạn", "Open, in time", Count, func(p intake.Period) float64 { return float64(p.OpenWithin) }},
	{"Đang quá hạn", "Open, overdue", Count, func(p intake.Period) float64 { return float64(p.OpenOverdue) }},
	{"Bổ sung", "Supplements", Count, func(p intake.Period) float64 { return float64(p.Supplements) }},
	{"Tỉ lệ đúng hạn", "On-time rate", Share, func(p intake.Period) float64 { return p.OnTimeRate }},
	{"Tỉ lệ số hóa", "Digitised", Share, func(p intake.Period) float64 { return p.DigitisedRate }},
	{"Tỉ lệ KQ điện tử", "E-results", Share, func(p intake.Period) float64 { return p.EResultRate }},
}

// DossierRow is one line of a dossiers' table.
type DossierRow struct {
	Label  string
	Period intake.Period
}

// DossierTable is one grouping of the dossiers.
type DossierTable struct {
	Title, TitleEN, Sheet string
	Rows                  []DossierRow
}

// dossierTables are the dossiers by procedure and month by month (none
// without intake).
func (r Report) dossierTables() []DossierTable {
	if r.Figures.Dossiers == nil {
		return nil
	}
	procs := DossierTable{Title: "Hồ sơ theo thủ tục", TitleEN: "Dossiers by procedure", Sheet: "Hồ sơ theo thủ tục"}
	keys := make([]string, 0, len(r.Figures.DossiersByProcedure))
	for k := range r.Figures.DossiersByProcedure {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		procs.Rows = append(procs.Rows, DossierRow{k, *r.Figures.DossiersByProcedure[k]})
	}
	fields := DossierTable{Title: "Hồ sơ theo lĩnh vực", TitleEN: "Dossiers by field", Sheet: "Hồ sơ theo lĩnh vực"}
	for _, k := range slices.Sorted(maps.Keys(r.Figures.DossiersByField)) {
		fields.Rows = append(fields.Rows, DossierRow{k, *r.Figures.DossiersByField[k]})
	}
	months := DossierTable{Title: "Hồ sơ theo tháng", TitleEN: "Dossiers by month", Sheet: "Hồ sơ theo tháng"}
	for _, m := range r.Figures.DossiersByMonth {
		label := m.Month
		if t, err := time.Parse("2006-01", m.Month); err == nil {
			label = t.Format("01/2006")
		}
		months.Rows = append(months.Rows, DossierRow{label, m.Period})
	}
	tables := []DossierTable{procs, months}
	if len(fields.Rows) > 0 {
		tables = slices.Insert(tables, 1, fields)
	}
	if len(r.Figures.Offices) > 0 {
		units := DossierTable{Title: "Hồ sơ theo đơn vị", TitleEN: "Dossiers by office", Sheet: "Hồ sơ theo đơn vị"}
		for _, o := range r.Figures.Offices {
			if o.Dossiers != nil {
				units.Rows = append(units.Rows, DossierRow{o.Name + " (" + o.ID + ")", *o.Dossiers})
			}
		}
		tables = slices.Insert(tables, 0, units)
	}
	return tables
}

// channelNames are the channels as the reports name them.
var channelNames = map[string]string{queue.WalkIn: "Lấy số tại văn phòng / Walk-in", queue.Remote: "Lấy số từ xa / Remote", queue.ByBooked: "Đặt lịch hẹn / Booked"}

// ChannelFigures are what only remote and booked tickets have: the remote
// numbers checked in and lapsed, the bookings that came (of those whose
// time has passed) and the booked tickets called within ten minutes of
// their slot. None when the period had neither.
func (r Report) ChannelFigures() []Figure {
	var out []Figure
	for _, c := range r.Figures.Channels {
		switch {
		case c.Channel == queue.Remote && c.Issued > 0:
			out = append(out, Figure{"Số từ xa đã đến xác nhận / Remote numbers checked in", Count, float64(c.CheckedIn), -1, 0},
				Figure{"Số từ xa quá thời gian giữ chỗ / Remote numbers lapsed", Count, float64(c.Lapsed), -1, 0},
				Figure{"Tỉ lệ số từ xa quá hạn / Remote lapsed share", Share, share(c.Lapsed, c.Issued), c.Issued, r.minCases()})
		case c.Channel == queue.ByBooked && c.Called > 0:
			out = append(out, Figure{"Lịch hẹn được gọi đúng giờ (trong 10 phút) / Bookings called on time (within 10 min)", Share, share(c.Punctual, c.Called), c.Called, r.minCases()})
		}
	}
	if b := r.Figures.Bookings; b != nil && b.Taken > 0 {
		out = append(out, Figure{"Lịch hẹn đã qua giờ / Bookings past their time", Count, float64(b.Taken), -1, 0},
			Figure{"Lịch hẹn không đến / Bookings not come", Count, float64(b.Taken - b.Arrived), -1, 0},
			Figure{"Tỉ lệ lịch hẹn không đến / Booked no-show rate", Share, share(b.Taken-b.Arrived, b.Taken), b.Taken, r.minCases()})
	}
	return out
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// RatingFigures are the ratings per level of the office's scale, then the
// reasons picked, over the period.
func (r Report) RatingFigures() []Figure {
	t := r.Figures.Total
	var out []Figure
	for _, o := range r.Rating {
		out = append(out, Figure{"Đánh giá: " + o.Label + " / " + o.LabelEN, Count, float64(t.Ratings[o.ID]), -1, 0})
	}
	out = append(out, Figure{"Không đánh giá (hết thời gian) / No rating", Count, float64(t.Ratings[""]), -1, 0},
		Figure{"Tỉ lệ hài lòng / Satisfied share", Share, t.SatisfiedShare, t.Rated, r.minCases()})
	for _, reason := range r.Reasons {
		if n := t.Reasons[reason.ID]; n > 0 {
			out = append(out, Figure{"Lý do: " + reason.Label + " / " + reason.LabelEN, Count, float64(n), -1, 0})
		}
	}
	return out
}

// Grid is any of the report's tables as the files write them: labelled
// rows of figures under a header.
type Grid struct {
	Title, TitleEN, Sheet string
	Head, HeadEN          []string // the figures' columns
	Kinds                 []Kind
	Labels                []string
	Values                [][]float64
}

// Cells are row i's figures as a person reads them.
func (g Grid) Cells(i int) []string {
	out := make([]string, len(g.Values[i]))
	for k, v := range g.Values[i] {
		out[k] = format(g.Kinds[k], v)
	}
	return out
}

// Grids are the tickets' tables, then the dossiers', in the files' order.
func (r Report) Grids() []Grid {
	var out []Grid
	for _, t := range r.tables() {
		g := Grid{Title: t.Title, TitleEN: t.TitleEN, Sheet: t.Sheet}
		for _, c := range Columns {
			g.Head, g.HeadEN, g.Kinds = append(g.Head, c.Head), append(g.HeadEN, c.HeadEN), append(g.Kinds, c.Kind)
		}
		for _, row := range t.Rows {
			var v []float64
			for _, c := range Columns {
				v = append(v, c.Value(row.Tally))
			}
			g.Labels, g.Values = append(g.Labels, row.Label), append(g.Values, v)
		}
		out = append(out, g)
	}
	for _, t := range r.dossierTables() {
		g := Grid{Title: t.Title, TitleEN: t.TitleEN, Sheet: t.Sheet}
		for _, c := range DossierColumns {
			g.Head, g.HeadEN, g.Kinds = append(g.Head, c.Head), append(g.HeadEN, c.HeadEN), append(g.Kinds, c.Kind)
		}
		for _, row := range t.Rows {
			var v []float64
			for _, c := range DossierColumns {
				v = append(v, c.Value(row.Period))
			}
			g.Labels, g.Values = append(g.Labels, row.Label), append(g.Values, v)
		}
		out = append(out, g)
	}
	return out
}

// Types are the files a report comes as, by format, with their media type.
var Types = map[string]string{"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

// Encode is the report as a file of a format of Types.
func Encode(r Report, format string) ([]byte, error) {
	switch format {
	case "csv":
		return CSV(r), nil
	case "xlsx":
		return XLSX(r)
	case "pdf":
		return PDF(r)
	}
	return nil, fmt.Errorf("no report format %q", format)
}
