package queue

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"motcua/internal/problem"
)

// Sync is where the office ships its event log: the province's PostgreSQL
// (a connection string) and the office's id there. It is part of the
// settings (a change is a new version on the chain) but never of Office,
// which goes to the province and the kiosks: the connection string holds a
// password. Everything that shows it (the console, the audit, the export)
// shows Masked.
type Sync struct {
	// URL is the province service's address (its uplink), with Key the
	// office's key there (motcua-province office add): the way to ship.
	URL string `json:"url,omitempty"`
	Key string `json:"key,omitempty"`
	// DSN is the province's PostgreSQL itself, postgres://user:pass@host:5432/db
	// or host=… user=… (libpq's forms): the way before the uplink.
	DSN string `json:"dsn,omitempty"`
	// Office is the office's id at the province: over the uplink the key's
	// office when "" (and a claim of another is refused); with a DSN, ""
	// is the office's agency code.
	Office string `json:"office,omitempty"`
}

// Mask stands for a password wherever a connection string is shown.
const Mask = "xxxxx"

// On tells whether the office ships at all.
func (s Sync) On() bool { return s.DSN != "" || s.URL != "" }

// Uplink tells whether it ships through the province's service (else to
// its database).
func (s Sync) Uplink() bool { return s.URL != "" }

var (
	officeID   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	kvPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)
)

// Masked is where it ships, fit to show: the uplink's address, or the
// connection string with its password as Mask.
func (s Sync) Masked() string {
	if s.URL != "" {
		return s.URL
	}
	return s.maskedDSN()
}

// maskedDSN is the connection string with its password as Mask.
func (s Sync) maskedDSN() string {
	if u, ok := dsnURL(s.DSN); ok {
		return u.Redacted()
	}
	return kvPassword.ReplaceAllString(s.DSN, "${1}"+Mask)
}

// hasPassword tells whether the connection string holds a password.
func (s Sync) hasPassword() bool {
	if u, ok := dsnURL(s.DSN); ok {
		_, set := u.User.Password()
		return set
	}
	return kvPassword.MatchString(s.DSN)
}

// dsnURL parses a URL-form connection string.
func dsnURL(dsn string) (*url.URL, bool) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, false
	}
	u, err := url.Parse(dsn)
	return u, err == nil
}

// Shown is s fit for a page or a file: the connection string's password
// and the key masked (Keep puts them back when it is saved unchanged).
func (s Sync) Shown() Sync {
	s.DSN, s.Key = s.maskedDSN(), s.MaskedKey()
	return s
}

// MaskedKey is the key fit to show: Mask when there is one.
func (s Sync) MaskedKey() string {
	if s.Key == "" {
		return ""
	}
	return Mask
}

var syncKey = regexp.MustCompile(`^[A-Za-z0-9._~-]{16,256}$`)

// Validate checks the form of the settings (whether the province answers is
// the replicator's to find out, and the live page's to show).
func (s Sync) Validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Đồng bộ tỉnh: "+vi, "province sync: "+en, args...)
	}
	if s.Office != "" && !officeID.MatchString(s.Office) {
		return bad("mã văn phòng %q chỉ gồm chữ không dấu, số, dấu chấm, gạch (tối đa 64 ký tự)", "the office id %q may hold only ASCII letters, digits, dots, dashes and underscores (at most 64)", s.Office)
	}
	if s.URL != "" {
		u, err := url.Parse(s.URL)
		switch {
		case s.DSN != "":
			return bad("chọn một cách gửi: địa chỉ dịch vụ của tỉnh (khuyên dùng) hoặc chuỗi kết nối CSDL, không cả hai", "choose one way to ship: the province service's address (recommended) or a database connection string, not both")
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || len(s.URL) > 512:
			return bad("địa chỉ dịch vụ của tỉnh %q phải dạng https://tinh.example", "the province service's address %q must look like https://province.example", s.URL)
		case s.Key != Mask && !syncKey.MatchString(s.Key): // (masked: Keep puts the one in force back)
			return bad("cần khoá của văn phòng do tỉnh cấp (motcua-province office add)", "the office's key from the province is needed (motcua-province office add)")
		}
		return nil
	}
	if s.DSN == "" {
		return nil
	}
	if strings.ContainsAny(s.DSN, "\r\n\x00") || len(s.DSN) > 1024 {
		return bad("chuỗi kết nối có ký tự không hợp lệ hoặc quá dài", "the connection string holds a line break or is too long")
	}
	if u, ok := dsnURL(s.DSN); ok {
		if u.Host == "" {
			return bad("chuỗi kết nối thiếu máy chủ, ví dụ postgres://motcua:MậtKhẩu@tinh.example:5432/motcua", "the connection string has no host, e.g. postgres://motcua:secret@province.example:5432/motcua")
		}
		return nil
	}
	if strings.Contains(s.DSN, "://") || !strings.Contains(s.DSN, "=") {
		return bad("chuỗi kết nối phải là postgres://người-dùng:mật-khẩu@máy-chủ:cổng/csdl hoặc host=… user=… dbname=…", "the connection string must be postgres://user:password@host:port/db or host=… user=… dbname=…")
	}
	return nil
}

// Keep is next with the password of prev where next shows it masked — the
// console's form and an exported file carry the mask, and saving them
// unchanged keeps the password in force. A masked string that is not prev's
// is refused: its password is not known.
func (next Sync) Keep(prev Sync) (Sync, error) {
	if next.Key == Mask { // the key shown masked, saved as it was
		if prev.Key == "" {
			return next, problem.Errorf(problem.EInvalid, "Đồng bộ tỉnh: khoá bị che (%s): hãy nhập khoá thật", "province sync: the key is masked (%s): type the real one", Mask)
		}
		next.Key = prev.Key
	}
	if next.DSN == "" || !next.hasPassword() || next.maskedDSN() != next.DSN {
		return next, nil // no password, or one in clear
	}
	if prev.DSN != "" && next.DSN == prev.maskedDSN() {
		next.DSN = prev.DSN
		return next, nil
	}
	return next, problem.Errorf(problem.EInvalid, "Đồng bộ tỉnh: chuỗi kết nối mới có mật khẩu bị che (%s): hãy nhập mật khẩu thật", "province sync: the new connection string's password is masked (%s): type the real one", Mask)
}

// SyncChanges lists what changed from a to b, the passwords masked (a
// changed password shows as changed, never in clear).
func SyncChanges(a, b Sync) []string {
	var out []string
	switch {
	case a.DSN == b.DSN:
	case a.maskedDSN() == b.maskedDSN():
		out = append(out, "sync.dsn: mật khẩu đã đổi / password changed")
	default:
		out = append(out, fmt.Sprintf("sync.dsn: %q → %q", a.maskedDSN(), b.maskedDSN()))
	}
	if a.URL != b.URL {
		out = append(out, fmt.Sprintf("sync.url: %q → %q", a.URL, b.URL))
	}
	if a.Key != b.Key {
		out = append(out, "sync.key: khoá đã đổi / key changed")
	}
	if a.Office != b.Office {
		out = append(out, fmt.Sprintf("sync.office: %q → %q", a.Office, b.Office))
	}
	return out
}
