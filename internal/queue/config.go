package queue

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/calendar"
	"motcua/internal/formtext"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/statement"
	"motcua/internal/vietqr"
)

// Office is the configuration of one office: what it serves, where, and the rules
// of its queue. It is loaded from the office config file (docs/CONFIG.md).
type Office struct {
	Name       string `json:"name"`
	NameEN     string `json:"name_en,omitempty"`
	AgencyCode string `json:"agency_code,omitempty"`
	// Authority is the body the office belongs to, printed atop forms
	// ("UBND phường Hòa Bình"); Place dates them ("Hòa Bình, ngày …").
	Authority string `json:"authority,omitempty"`
	Place     string `json:"place,omitempty"`
	// ReturnService is the service whose tickets hand results back (default
	// "tra_ket_qua" when the office has it).
	ReturnService string `json:"return_service,omitempty"`
	// PublicURL is the server's address as phones reach it (lookup QR codes).
	PublicURL string `json:"public_url,omitempty"`
	// RetentionDays: applicant details of dossiers that ended this long ago are
	// erased (statistics stay). Default 730 (two years).
	RetentionDays int `json:"retention_days,omitempty"`
	// DossierDigits is the width of a dossier code's day sequence
	// (H29.100-261124-0001): 4 by default; ministries' systems use 6 or 7.
	DossierDigits int    `json:"dossier_digits,omitempty"`
	TimeZone      string `json:"time_zone,omitempty"`
	// Hours are the office's working hours, the one source of them:
	// deadlines and return dates count in them, the boards post them and a
	// service without hours of its own issues tickets from their opening to
	// their closing (Office.IssueHours). None set: deadlines count in
	// 07:30–11:30, 13:30–17:30 and tickets are issued at any hour (a demo).
	Hours           calendar.Hours  `json:"hours,omitzero"`
	Services        []ServiceConfig `json:"services"`
	Counters        []CounterConfig `json:"counters"`
	PriorityClasses []PriorityClass `json:"priority_classes,omitempty"`
	Rules           Rules           `json:"rules"`
	Rating          RatingConfig    `json:"rating,omitzero"`
	Display         DisplayConfig   `json:"display,omitzero"`
	Alerts          AlertRules      `json:"alerts,omitzero"`
	Scan            ScanConfig      `json:"scan,omitzero"`
	// FormWording is the office's own wording of the printed forms, under
	// formtext's keys (motcua-server form-wording lists them): for a
	// province whose version of the 2025 set reads differently.
	FormWording map[string]string `json:"form_wording,omitempty"`
	// Notify is what the office tells citizens by SMS and Zalo, and how
	// (docs/NOTIFY.md); the settings document shows it as its "notify".
	Notify notify.Settings `json:"notify,omitzero"`
	// Payment is the account the office's fees are paid to (a VietQR on
	// the receipt for each dossier's fee); none: no QR.
	Payment vietqr.Account `json:"payment,omitzero"`
	// Statement names the columns of the office's bank statement (CSV),
	// whose credits pay dossiers' fees (POST /api/v1/payments/statement).
	Statement statement.Columns `json:"statement,omitzero"`
}

// ServiceConfig describes one service (hàng đợi / lĩnh vực).
type ServiceConfig struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Subtitle says in plain Vietnamese what the service is for, under its
	// name on the kiosk ("Khai sinh, kết hôn, khai tử"); optional, at most 32
	// characters (one line of a button).
	Subtitle string `json:"subtitle,omitempty"`
	// Prefix is printed before the number ("A" gives A1001); optional.
	Prefix string `json:"prefix,omitempty"`
	// Numbers run from RangeStart to RangeEnd each day, e.g. 1001–1999.
	RangeStart int `json:"range_start"`
	RangeEnd   int `json:"range_end"`
	// DailyCap limits tickets a day; 0 means only the range limits.
	DailyCap int `json:"daily_cap,omitempty"`
	// Opens and Closes ("07:30", "16:30") bound when tickets are issued; empty means always.
	Opens  string `json:"opens,omitempty"`
	Closes string `json:"closes,omitempty"`
	// MinutesPerTicket is the service time assumed before any is observed today.
	MinutesPerTicket int      `json:"minutes_per_ticket,omitempty"`
	Procedures       []string `json:"procedures,omitempty"`
	// Remote: the service takes numbers from phones through the province
	// (lấy số từ xa), at most RemoteDailyCap a day (0: its range).
	Remote         bool `json:"remote,omitempty"`
	RemoteDailyCap int  `json:"remote_daily_cap,omitempty"`
	// Booking: the service's bookable slots (đặt lịch hẹn); nil, none.
	Booking *Booking `json:"booking,omitempty"`
}

// Booking is when a service may be booked: slots of SlotMinutes from each
// session's start (the office's working hours when Sessions is empty), on
// weekdays (and Saturdays when the office opens then), up to DaysAhead
// days ahead, PerSlot citizens each, and at most SharePercent of the day's
// numbers (the service's daily cap, else its range) booked.
type Booking struct {
	Sessions     []calendar.Session `json:"sessions,omitempty"`
	SlotMinutes  int                `json:"slot_minutes"`
	PerSlot      int                `json:"per_slot"`
	DaysAhead    int                `json:"days_ahead,omitempty"`    // default 7
	SharePercent int                `json:"share_percent,omitempty"` // default 50
}

// CounterConfig describes one counter (quầy) and the services it serves, in order.
type CounterConfig struct {
	Number   int      `json:"number"`
	Name     string   `json:"name,omitempty"`
	Services []string `json:"services"`
}

// PriorityClass is one kind of priority (người cao tuổi, người khuyết tật, ...).
type PriorityClass struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// Rules are the tunable parts of the queue.
type Rules struct {
	// OnlineHelpService is the service whose counter helps citizens file
	// online (Directive 24/CT-TTg): a procedure the office takes no paper
	// for (catalogue online "full") sends its citizen there from the
	// kiosk's guide. Empty: the procedure's own service.
	OnlineHelpService string `json:"online_help_service,omitempty"`
	// PriorityRatio is how many priority tickets a counter may call in a row while
	// ordinary tickets wait; then one ordinary ticket goes first. Default 3.
	PriorityRatio int `json:"priority_ratio,omitempty"`
	// MaxWaitMinutes: an ordinary ticket waiting this long is called before any
	// priority ticket. Default 45.
	MaxWaitMinutes int `json:"max_wait_minutes,omitempty"`
	// RejoinWindowMinutes: how long after a no-show the ticket may rejoin. Default 30.
	RejoinWindowMinutes int `json:"rejoin_window_minutes,omitempty"`
	// ETASamples: how many of today's finished tickets per service feed the
	// average service time. Default 20.
	ETASamples int `json:"eta_samples,omitempty"`
	// TargetWaitMinutes: the wait the office aims to call within; reports
	// give the share of tickets called sooner. Default 30.
	TargetWaitMinutes int `json:"target_wait_minutes,omitempty"`
	// MinCases: a rate, points or a Circular 01 grade made of fewer cases is
	// "not enough data" in the reports, never a figure. Default 10.
	MinCases int `json:"min_cases,omitempty"`
	// RemoteLapseMinutes: a remote ticket passed over while its citizen was
	// away keeps its place this long, then lapses. Default 30.
	RemoteLapseMinutes int `json:"remote_lapse_minutes,omitempty"`
	// A booking is checked in from CheckInEarlyMinutes before its slot
	// (default 15) to CheckInLateMinutes after it (default 10); later,
	// LateBooking says what happens: "walk_in" (default: it is issued as an
	// ordinary ticket, queued from its check-in) or "refuse" (in words).
	CheckInEarlyMinutes int    `json:"check_in_early_minutes,omitempty"`
	CheckInLateMinutes  int    `json:"check_in_late_minutes,omitempty"`
	LateBooking         string `json:"late_booking,omitempty"`
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// WithDefaults returns the office with every unset rule and time zone filled in.
func (o Office) WithDefaults() Office {
	if o.TimeZone == "" {
		o.TimeZone = "Asia/Ho_Chi_Minh"
	}
	r := &o.Rules
	if r.PriorityRatio <= 0 {
		r.PriorityRatio = 3
	}
	if r.MaxWaitMinutes <= 0 {
		r.MaxWaitMinutes = 45
	}
	if r.RejoinWindowMinutes <= 0 {
		r.RejoinWindowMinutes = 30
	}
	if r.ETASamples <= 0 {
		r.ETASamples = 20
	}
	if r.TargetWaitMinutes <= 0 {
		r.TargetWaitMinutes = 30
	}
	if o.RetentionDays <= 0 {
		o.RetentionDays = 730
	}
	o.Rating = o.Rating.withDefaults()
	o.Display = o.Display.withDefaults()
	o.Alerts = o.Alerts.withDefaults()
	o.Scan = o.Scan.withDefaults()
	svcs := make([]ServiceConfig, len(o.Services))
	copy(svcs, o.Services)
	for i := range svcs {
		if svcs[i].MinutesPerTicket <= 0 {
			svcs[i].MinutesPerTicket = 6
		}
	}
	o.Services = svcs
	if r.MinCases <= 0 {
		r.MinCases = 10
	}
	if r.RemoteLapseMinutes <= 0 {
		r.RemoteLapseMinutes = 30
	}
	if r.CheckInEarlyMinutes <= 0 {
		r.CheckInEarlyMinutes = 15
	}
	if r.CheckInLateMinutes <= 0 {
		r.CheckInLateMinutes = 10
	}
	if r.LateBooking == "" {
		r.LateBooking = LateWalkIn
	}
	return o
}

// Location loads the office's time zone.
func (o Office) Location() (*time.Location, error) {
	tz := o.TimeZone
	if tz == "" {
		tz = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, problem.Errorf(problem.EInvalid, "Múi giờ %q không hợp lệ", "unknown time zone %q", tz)
	}
	return loc, nil
}

// Validate reports the first problem in the configuration, in both languages.
// DossierWidth is the digits of a dossier code's sequence (DossierDigits, 4
// when unset).
func (o Office) DossierWidth() int {
	if o.DossierDigits == 0 {
		return 4
	}
	return o.DossierDigits
}

// agencyPattern is an agency code as dossier codes carry it (H29.100,
// XA.01): it goes into paths and file names, so nothing else.
var agencyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// CheckPublicURL checks a public_url: the server's address as phones in the
// office reach it (the receipts' QR codes point there) — http or https, a
// host, and nothing a link or a header could be made to carry besides: no
// user, query, fragment, space or control character (one check for the
// config file, the setup, the console, the settings document and
// import-config).
func CheckPublicURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return problem.Errorf(problem.EInvalid,
			"Cấu hình: office.public_url phải là địa chỉ máy chủ mà điện thoại trong văn phòng truy cập được, ví dụ http://10.0.0.2:8080 (mã QR trên phiếu trỏ tới đó); đang là %q",
			"config: office.public_url must be the server's address as phones in the office reach it, e.g. http://10.0.0.2:8080 (the receipts' QR codes point there); it is %q", raw)
	}
	return nil
}

func (o Office) Validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình: "+vi, "config: "+en, args...)
	}
	if strings.TrimSpace(o.Name) == "" {
		return bad("thiếu tên cơ quan (name)", "office name is missing")
	}
	if _, err := o.Location(); err != nil {
		return err
	}
	if o.PublicURL != "" {
		if err := CheckPublicURL(o.PublicURL); err != nil {
			return err
		}
	}
	if o.AgencyCode != "" && !agencyPattern.MatchString(o.AgencyCode) {
		return bad("mã cơ quan (agency_code) %q chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới (tối đa 32), ví dụ H29.100",
			"agency_code %q may hold only ascii letters, digits, dots, hyphens and underscores (at most 32), e.g. H29.100", o.AgencyCode)
	}
	if d := o.DossierDigits; d != 0 && (d < 4 || d > 7) {
		return bad("số chữ số của số thứ tự hồ sơ (dossier_digits) phải từ 4 đến 7, không phải %d", "dossier_digits must be 4 to 7, not %d", d)
	}
	if a := o.Alerts; a.WaitMinutes < 0 || a.PausedMinutes < 0 || a.SilentMinutes < 0 || a.SlowFactor < 0 || o.Rules.TargetWaitMinutes < 0 {
		return bad("ngưỡng cảnh báo và mục tiêu chờ không được âm (alerts, rules)", "alert thresholds and the target wait cannot be negative")
	}
	if err := o.Notify.Validate(); err != nil {
		return err
	}
	if o.Payment.Set() {
		if err := o.Payment.Check(); err != nil {
			return err
		}
	}
	if h := o.Rules.OnlineHelpService; h != "" && !slices.ContainsFunc(o.Services, func(s ServiceConfig) bool { return s.ID == h }) {
		return bad("rules.online_help_service %q không có trong danh sách dịch vụ", "rules.online_help_service %q is not one of the services", h)
	}
	if l := o.Rules.LateBooking; l != "" && l != LateWalkIn && l != LateRefuse {
		return bad("rules.late_booking %q: walk_in hoặc refuse", "rules.late_booking %q: walk_in or refuse", l)
	}
	for _, svc := range o.Services {
		if err := svc.Booking.check(svc.ID); err != nil {
			return err
		}
	}
	if m := o.Rules.MinCases; m < 0 || m > 1000 {
		return bad("số trường hợp tối thiểu để tính tỉ lệ (rules.min_cases) phải từ 1 đến 1000, không phải %d", "rules.min_cases must be 1 to 1000, not %d", m)
	}
	if err := o.Hours.Check(); err != nil {
		return err
	}
	if len(o.Services) == 0 {
		return bad("chưa có dịch vụ nào (services)", "no services")
	}
	seen := map[string]bool{}
	for _, s := range o.Services {
		if !idPattern.MatchString(s.ID) {
			return bad("mã dịch vụ %q phải là chữ thường không dấu, số hoặc _", "service id %q must be lowercase ascii letters, digits or _", s.ID)
		}
		if seen[s.ID] {
			return bad("mã dịch vụ %q bị trùng", "duplicate service id %q", s.ID)
		}
		seen[s.ID] = true
		if utf8.RuneCountInString(s.Subtitle) > 32 { // one line of a kiosk button, three to a row
			return bad("dịch vụ %q: dòng giải thích dài quá 32 ký tự", "service %q: subtitle longer than 32 characters", s.ID)
		}
		if strings.TrimSpace(s.Name) == "" {
			return bad("dịch vụ %q thiếu tên", "service %q has no name", s.ID)
		}
		if s.RangeStart < 1 || s.RangeEnd < s.RangeStart || s.RangeEnd > 999999 {
			return bad("dịch vụ %q: dải số %d–%d không hợp lệ", "service %q: bad number range %d-%d", s.ID, s.RangeStart, s.RangeEnd)
		}
		if s.DailyCap < 0 {
			return bad("dịch vụ %q: giới hạn ngày âm", "service %q: negative daily cap", s.ID)
		}
		if _, _, err := parseHours(s.Opens, s.Closes); err != nil {
			return bad("dịch vụ %q: giờ mở cửa %q–%q không hợp lệ", "service %q: bad opening hours %q-%q", s.ID, s.Opens, s.Closes)
		}
	}
	// Two services numbering into the same range (with the same prefix) would
	// both call "1500": the room could not tell whose turn it is.
	for i, a := range o.Services {
		for _, b := range o.Services[i+1:] {
			if a.Prefix == b.Prefix && a.RangeStart <= b.RangeEnd && b.RangeStart <= a.RangeEnd {
				return bad("dải số của %q (%d–%d) trùng với dải số của %q (%d–%d): hai dịch vụ sẽ cùng gọi một số", "the numbers of %q (%d-%d) overlap those of %q (%d-%d): two services would call the same number",
					b.ID, b.RangeStart, b.RangeEnd, a.ID, a.RangeStart, a.RangeEnd)
			}
		}
	}
	nums := map[int]bool{}
	if len(o.Counters) == 0 {
		return bad("chưa có quầy nào (counters)", "no counters")
	}
	for _, c := range o.Counters {
		if c.Number < 1 || c.Number > 999 {
			return bad("số quầy %d không hợp lệ (1–999)", "counter number %d out of range 1-999", c.Number)
		}
		if nums[c.Number] {
			return bad("quầy %d bị khai báo hai lần", "counter %d declared twice", c.Number)
		}
		nums[c.Number] = true
		if len(c.Services) == 0 {
			return bad("quầy %d không phục vụ dịch vụ nào", "counter %d serves no service", c.Number)
		}
		for _, id := range c.Services {
			if !seen[id] {
				return bad("quầy %d phục vụ dịch vụ không tồn tại %q", "counter %d serves unknown service %q", c.Number, id)
			}
		}
	}
	pc := map[string]bool{}
	for _, p := range o.PriorityClasses {
		if !idPattern.MatchString(p.ID) || pc[p.ID] || strings.TrimSpace(p.Name) == "" {
			return bad("diện ưu tiên %q không hợp lệ hoặc bị trùng", "priority class %q is invalid or duplicated", p.ID)
		}
		pc[p.ID] = true
	}
	if err := o.Display.validate(); err != nil {
		return err
	}
	if err := o.Scan.validate(); err != nil {
		return err
	}
	if err := formtext.Check(o.FormWording); err != nil {
		return err
	}
	return o.Rating.validate()
}

// parseHours parses "HH:MM" opening and closing times as minutes after midnight.
// Both empty means open all day.
func parseHours(opens, closes string) (int, int, error) {
	if opens == "" && closes == "" {
		return 0, 24 * 60, nil
	}
	o, err1 := parseClock(opens)
	c, err2 := parseClock(closes)
	if err1 != nil || err2 != nil || c <= o {
		return 0, 0, fmt.Errorf("bad hours %q-%q", opens, closes)
	}
	return o, c, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// ServiceIDs lists the services' ids in config order.
func (o Office) ServiceIDs() []string {
	ids := make([]string, len(o.Services))
	for i, s := range o.Services {
		ids[i] = s.ID
	}
	return ids
}

// WorkingHours are the hours deadlines count in: the office's, else
// 07:30–11:30, 13:30–17:30.
func (o Office) WorkingHours() calendar.Hours {
	if len(o.Hours.Weekday) == 0 {
		return calendar.DefaultHours()
	}
	return o.Hours
}

// IssueHours are when svc issues tickets from a kiosk or a phone: its own
// opens and closes, else the office's working day (first session's start
// to last session's end, the lunch break included: the room still fills);
// "" both when neither is set, any hour.
func (o Office) IssueHours(svc ServiceConfig) (opens, closes string) {
	if svc.Opens != "" || svc.Closes != "" {
		return svc.Opens, svc.Closes
	}
	return o.Hours.Span()
}

// AnyHour says whether some service issues tickets at any hour (neither
// its own hours nor the office's): the boards say so.
func (o Office) AnyHour() bool {
	for _, svc := range o.Services {
		if opens, closes := o.IssueHours(svc); opens == "" && closes == "" {
			return true
		}
	}
	return false
}
