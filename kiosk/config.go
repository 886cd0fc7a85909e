package kiosk

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/printout"
	"motcua/internal/problem"
)

// FileConfig is the kiosk's config file (kiosk/README.md); command-line flags
// override it.
type FileConfig struct {
	Server        string `json:"server"`
	Key           string `json:"key"`
	PublicURL     string `json:"public_url,omitempty"`
	Printer       string `json:"printer,omitempty"`
	PaperDots     int    `json:"paper_dots,omitempty"`
	Orientation   string `json:"orientation,omitempty"`
	Fullscreen    bool   `json:"fullscreen,omitempty"`
	IdleSeconds   int    `json:"idle_seconds,omitempty"`
	TicketSeconds int    `json:"ticket_seconds,omitempty"`
	StaffPIN      string `json:"staff_pin_bcrypt,omitempty"`
}

// DefaultFileConfig is what a kiosk runs with when nothing is set.
func DefaultFileConfig() FileConfig {
	return FileConfig{Server: "http://127.0.0.1:8080", PaperDots: 576, Orientation: "portrait", IdleSeconds: 30, TicketSeconds: 15}
}

// ParseFileConfig reads a config file over the defaults and checks it.
func ParseFileConfig(data []byte) (FileConfig, error) {
	fc := DefaultFileConfig()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return fc, problem.Errorf(problem.EInvalid, "Tệp cấu hình kiosk không đọc được: %v", "kiosk config is not valid JSON: %v", err)
	}
	if dec.More() {
		return fc, problem.Errorf(problem.EInvalid, "Tệp cấu hình kiosk có dữ liệu thừa", "kiosk config has data after its JSON object")
	}
	return fc, fc.Check()
}

// Check says what is wrong with the setting, in Vietnamese and English.
func (fc FileConfig) Check() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình kiosk: "+vi, "kiosk config: "+en, args...)
	}
	for _, u := range []struct{ name, value string }{{"server", fc.Server}, {"public_url", fc.PublicURL}} {
		if u.value == "" && u.name == "public_url" {
			continue
		}
		p, err := url.Parse(u.value)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return bad("%s %q phải là địa chỉ http://máy:cổng", "%s %q must be an http://host:port address", u.name, u.value)
		}
	}
	if _, err := printout.Parse(fc.Printer); err != nil {
		return err
	}
	switch fc.PaperDots {
	case 384, 512, 576:
	default:
		return bad("paper_dots %d; dùng 576 (80 mm), 512 hoặc 384 (58 mm)", "paper_dots %d; use 576 (80 mm), 512 or 384 (58 mm)", fc.PaperDots)
	}
	if fc.Orientation != "portrait" && fc.Orientation != "landscape" {
		return bad("orientation %q; dùng portrait (dọc) hoặc landscape (ngang)", "orientation %q; use portrait or landscape", fc.Orientation)
	}
	if fc.IdleSeconds < 5 || fc.IdleSeconds > 600 {
		return bad("idle_seconds %d ngoài khoảng 5–600", "idle_seconds %d outside 5–600", fc.IdleSeconds)
	}
	if fc.TicketSeconds < 3 || fc.TicketSeconds > 120 {
		return bad("ticket_seconds %d ngoài khoảng 3–120", "ticket_seconds %d outside 3–120", fc.TicketSeconds)
	}
	if fc.StaffPIN != "" {
		if _, err := bcrypt.Cost([]byte(fc.StaffPIN)); err != nil {
			return bad("staff_pin_bcrypt không phải mã băm bcrypt; tạo bằng: motcua-server hash-pin", "staff_pin_bcrypt is not a bcrypt hash; make one with: motcua-server hash-pin")
		}
	}
	return nil
}

// Config turns a checked file config into the kiosk's Config.
func (fc FileConfig) Config() (Config, error) {
	p, err := printout.Parse(fc.Printer)
	if err != nil {
		return Config{}, err
	}
	public := fc.PublicURL
	if public == "" {
		public = fc.Server
	}
	return Config{PublicURL: strings.TrimRight(public, "/"), Printer: p, PaperWidth: fc.PaperDots, Landscape: fc.Orientation == "landscape",
		StaffPIN: fc.StaffPIN, IdleAfter: time.Duration(fc.IdleSeconds) * time.Second, ShowTicketFor: time.Duration(fc.TicketSeconds) * time.Second}, nil
}
