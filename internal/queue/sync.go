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
	DSN    string `json:"dsn,omitempty"`    // postgres://user:pass@host:5432/db?sslmode=verify-full, or host=… user=… (libpq's forms); "" ships nothing
	Office string `json:"office,omitempty"` // the office's id at the province; "" for its agency code
}

// Mask stands for a password wherever a connection string is shown.
const Mask = "xxxxx"

// On tells whether the office ships at all.
func (s Sync) On() bool { return s.DSN != "" }

var (
	officeID   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	kvPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)
)

// Masked is the connection string with its password as Mask.
func (s Sync) Masked() string {
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

// Validate checks the form of the settings (whether the province answers is
// the replicator's to find out, and the live page's to show).
func (s Sync) Validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Đồng bộ tỉnh: "+vi, "province sync: "+en, args...)
	}
	if s.Office != "" && !officeID.MatchString(s.Office) {
		return bad("mã văn phòng %q chỉ gồm chữ không dấu, số, dấu chấm, gạch (tối đa 64 ký tự)", "the office id %q may hold only ASCII letters, digits, dots, dashes and underscores (at most 64)", s.Office)
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
	if !next.hasPassword() || next.Masked() != next.DSN {
		return next, nil // no password, or one in clear
	}
	if prev.DSN != "" && next.DSN == prev.Masked() {
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
	case a.Masked() == b.Masked():
		out = append(out, "sync.dsn: mật khẩu đã đổi / password changed")
	default:
		out = append(out, fmt.Sprintf("sync.dsn: %q → %q", a.Masked(), b.Masked()))
	}
	if a.Office != b.Office {
		out = append(out, fmt.Sprintf("sync.office: %q → %q", a.Office, b.Office))
	}
	return out
}
