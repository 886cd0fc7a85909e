package notify

import (
	"fmt"
	"time"

	"motcua/internal/problem"
)

// Channel names, in the order a message may try them.
const (
	ZNS = "zns" // Zalo Notification Service: through the province, or the office's own OA
	SMS = "sms" // the office's own GSM modem, through gammu-smsd
)

// Settings are the office's "notify" settings: what it tells citizens, by
// which channels, and when.
type Settings struct {
	// Channels are tried in this order for each message ("zns", "sms");
	// none: nothing is sent (the office tells nobody).
	Channels []string `json:"channels,omitempty"`
	SMS      SMSConf  `json:"sms,omitzero"`
	// Templates are the office's wording of each kind, and which kinds are
	// off; a kind absent here is on, in its default wording.
	Templates map[Kind]Template `json:"templates,omitempty"`
	// NearAhead and NearMinutes: "your turn is near" goes when this many or
	// fewer wait ahead, or the wait is about this many minutes or fewer
	// (defaults 3 and 10).
	NearAhead   int `json:"near_ahead,omitempty"`
	NearMinutes int `json:"near_minutes,omitempty"`
	// Quiet hours hold dossier messages ("21:00" to "07:00"); queue
	// messages go at once. Both empty: no quiet hours.
	Quiet Quiet `json:"quiet,omitzero"`
	// RetentionDays: a message's phone number and text are erased this many
	// days after it was sent or given up (default 7), and a phone given at
	// the kiosk this many days after its ticket's day.
	RetentionDays int `json:"retention_days,omitempty"`
	// VerifyPhone: a number or booking taken from afar waits until its
	// citizen types the one-time code (Code) sent to the phone given;
	// VerifyMinutes is how long the code holds (default 10).
	VerifyPhone   bool `json:"verify_phone,omitempty"`
	VerifyMinutes int  `json:"verify_minutes,omitempty"`
	// FailAlertPercent: an alert on the live page when more than this share
	// of the last 20 messages ended failed (default 20).
	FailAlertPercent int `json:"fail_alert_percent,omitempty"`
}

// SMSConf is how the office's modem is reached.
type SMSConf struct {
	// GammuConfig is gammu-smsd's configuration file, for
	// gammu-smsd-inject (motcua-server --sms-gammu-config overrides it).
	GammuConfig string `json:"gammu_config,omitempty"`
	// Unicode keeps the Vietnamese marks (UCS-2: 70 characters a part);
	// otherwise they are taken off (GSM 7-bit: 160 a part).
	Unicode bool `json:"unicode,omitempty"`
}

// Template is the office's wording of a kind; Off stops the kind.
type Template struct {
	Off  bool   `json:"off,omitempty"`
	Text string `json:"text,omitempty"`
}

// Quiet hours, "HH:MM" in the office's zone; From after To spans midnight.
type Quiet struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// On says whether the office sends anything at all.
func (s Settings) On() bool { return len(s.Channels) > 0 }

// Sends says whether messages of kind k are sent.
func (s Settings) Sends(k Kind) bool { return s.On() && !s.Templates[k].Off }

// Wording is the text of kind k: the office's, else the default.
func (s Settings) Wording(k Kind) string {
	if t := s.Templates[k].Text; t != "" {
		return t
	}
	return k.DefaultText()
}

// Ahead and Minutes are the "near" thresholds in force.
func (s Settings) Ahead() int   { return orDefault(s.NearAhead, 3) }
func (s Settings) Minutes() int { return orDefault(s.NearMinutes, 10) }

// Days is the retention in days.
func (s Settings) Days() int { return orDefault(s.RetentionDays, 7) }

// Retention is how long a message's phone and text are kept after its end.
func (s Settings) Retention() time.Duration {
	return time.Duration(orDefault(s.RetentionDays, 7)) * 24 * time.Hour
}

// CodeMinutes is how long a one-time code holds.
func (s Settings) CodeMinutes() int { return orDefault(s.VerifyMinutes, 10) }

// FailPercent is the failure share that raises the alert.
func (s Settings) FailPercent() int { return orDefault(s.FailAlertPercent, 20) }

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

// Validate checks the settings; the error says what is wrong in both
// languages.
func (s Settings) Validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình: notify."+vi, "config: notify."+en, args...)
	}
	seen := map[string]bool{}
	for _, c := range s.Channels {
		if c != ZNS && c != SMS {
			return bad("channels: không có kênh %q (zns hoặc sms)", "channels: there is no channel %q (zns or sms)", c)
		}
		if seen[c] {
			return bad("channels: kênh %q có hai lần", "channels: %q is listed twice", c)
		}
		seen[c] = true
	}
	for k, t := range s.Templates {
		if !k.Known() {
			return bad("templates: không có loại tin %q", "templates: there is no kind %q", k)
		}
		if t.Text != "" {
			if err := checkWording(k, t.Text); err != nil {
				return err
			}
		}
	}
	if s.NearAhead < 0 || s.NearAhead > 50 || s.NearMinutes < 0 || s.NearMinutes > 240 {
		return bad("near_ahead (0–50) và near_minutes (0–240) ngoài khoảng", "near_ahead (0–50) or near_minutes (0–240) out of range")
	}
	if s.RetentionDays < 0 || s.RetentionDays > 365 {
		return bad("retention_days phải từ 1 đến 365", "retention_days must be 1 to 365")
	}
	if s.VerifyMinutes < 0 || s.VerifyMinutes > 60 {
		return bad("verify_minutes phải từ 1 đến 60", "verify_minutes must be 1 to 60")
	}
	if s.VerifyPhone && !s.On() {
		return bad("verify_phone: cần ít nhất một kênh gửi tin (channels) để gửi mã", "verify_phone: a channel is needed to send the code")
	}
	if s.FailAlertPercent < 0 || s.FailAlertPercent > 100 {
		return bad("fail_alert_percent phải từ 1 đến 100", "fail_alert_percent must be 1 to 100")
	}
	if (s.Quiet.From == "") != (s.Quiet.To == "") {
		return bad("quiet: cần cả from và to (ví dụ 21:00 và 07:00)", "quiet: both from and to are needed (e.g. 21:00 and 07:00)")
	}
	for _, hm := range []string{s.Quiet.From, s.Quiet.To} {
		if _, err := minutes(hm); hm != "" && err != nil {
			return bad("quiet: %q không phải giờ HH:MM", "quiet: %q is not an HH:MM time", hm)
		}
	}
	return nil
}

// minutes is "HH:MM" as minutes after midnight.
func minutes(hm string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(hm, "%d:%d", &h, &m); err != nil || n != 2 || len(hm) != 5 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("not HH:MM: %q", hm)
	}
	return h*60 + m, nil
}

// After is the first moment at or after t outside the quiet hours, in loc.
func (q Quiet) After(t time.Time, loc *time.Location) time.Time {
	from, err1 := minutes(q.From)
	to, err2 := minutes(q.To)
	if err1 != nil || err2 != nil || from == to {
		return t
	}
	lt := t.In(loc)
	now := lt.Hour()*60 + lt.Minute()
	quiet := (from < to && now >= from && now < to) || (from > to && (now >= from || now < to))
	if !quiet {
		return t
	}
	end := time.Date(lt.Year(), lt.Month(), lt.Day(), to/60, to%60, 0, 0, loc)
	if !end.After(lt) {
		end = time.Date(lt.Year(), lt.Month(), lt.Day()+1, to/60, to%60, 0, 0, loc)
	}
	return end
}
