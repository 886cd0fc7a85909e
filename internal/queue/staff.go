package queue

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"motcua/internal/problem"
)

// Roles of the office's staff.
const (
	RoleClerk = "clerk"
	// RoleSupervisor is the head of the one-stop desk (trưởng bộ phận): a
	// clerk who also reads the reports and supervises, but changes no setting.
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
)

// StaffUser is a clerk, supervisor or admin who logs in with a username and
// a PIN; the settings keep the PIN's bcrypt hash only.
type StaffUser struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	PINHash  string `json:"pin_bcrypt"`
	// Disabled: the user can no longer log in (kept for the record: the
	// tickets and dossiers they handled name them).
	Disabled bool `json:"disabled,omitempty"`
	// MustSetPIN: PINHash is a one-time code's (the console made it when it
	// added the user or reset the PIN, and showed it once to give the user);
	// it lets the user in only to choose their own PIN (docs/CONFIG.md).
	MustSetPIN bool `json:"must_set_pin,omitempty"`
	// Credential is the settings version that last changed how the user
	// logs in or what they may do — made, PIN, one-time code, role,
	// disabled or enabled (StampCredentials). A session holds only while it
	// is the one it was made under: any of those ends every session of the
	// user at once.
	Credential uint64 `json:"credential,omitempty"`
}

// StampCredentials gives each user of next whose PIN, one-time code,
// role or being disabled differs from prev — or who is not in prev (made,
// or made again under an old username) — the credential version; the
// others keep prev's (whatever next says: an imported document cannot set
// it). No prev at all is a store that kept no users (they were the config
// file's, whose sessions hold under 0): its first list is stamped only
// where it differs from nothing — not at all.
func StampCredentials(prev, next []StaffUser, version uint64) []StaffUser {
	if len(prev) == 0 {
		out := slices.Clone(next)
		for i := range out {
			out[i].Credential = 0
		}
		return out
	}
	old := map[string]StaffUser{}
	for _, u := range prev {
		old[u.Username] = u
	}
	out := make([]StaffUser, len(next))
	for i, u := range next {
		o, ok := old[u.Username]
		switch {
		case !ok || o.PINHash != u.PINHash || o.MustSetPIN != u.MustSetPIN || o.Role != u.Role || o.Disabled != u.Disabled:
			u.Credential = version
		default:
			u.Credential = o.Credential
		}
		out[i] = u
	}
	return out
}

// CheckNewPIN says whether pin may be chosen as a PIN: 6 to 12 digits (a
// million PINs at least, behind the login limits of docs/CONFIG.md; the
// demo's 1234 is too short for a real office).
func CheckNewPIN(pin string) error {
	if len(pin) < 6 || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		return problem.Errorf(problem.EInvalid, "Mã PIN mới phải gồm 6–12 chữ số", "a new PIN is 6-12 digits")
	}
	if strings.Count(pin, pin[:1]) == len(pin) || strings.Contains("01234567890123456789", pin) || strings.Contains("98765432109876543210", pin) {
		return problem.Errorf(problem.EInvalid, "Mã PIN mới quá dễ đoán (các chữ số giống nhau hoặc liên tiếp)", "the new PIN is too easy to guess (repeated or consecutive digits)")
	}
	return nil
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// ValidUsername says whether s can be a username (or a device id).
func ValidUsername(s string) bool { return usernamePattern.MatchString(s) }

// ValidateStaff checks the users as the config file's and the console's
// changes are checked.
func ValidateStaff(users []StaffUser) error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình: "+vi, "config: "+en, args...)
	}
	names := map[string]bool{}
	for _, u := range users {
		if !ValidUsername(u.Username) || names[u.Username] {
			return bad("tên đăng nhập %q không hợp lệ hoặc bị trùng", "username %q is invalid or duplicated", u.Username)
		}
		names[u.Username] = true
		if strings.TrimSpace(u.Name) == "" {
			return bad("người dùng %q thiếu họ tên", "user %q has no name", u.Username)
		}
		if u.Role != RoleClerk && u.Role != RoleSupervisor && u.Role != RoleAdmin {
			return bad("người dùng %q có vai trò %q; chỉ dùng clerk, supervisor hoặc admin", "user %q has role %q; use clerk, supervisor or admin", u.Username, u.Role)
		}
		if u.PINHash == "" {
			return bad("người dùng %q chưa có mã PIN", "user %q has no PIN", u.Username)
		}
	}
	return nil
}

// StaffChanges lists what differs between two lists of users, by username;
// a PIN is only said to have changed, never shown.
func StaffChanges(before, after []StaffUser) []string {
	old := map[string]StaffUser{}
	for _, u := range before {
		old[u.Username] = u
	}
	var out []string
	seen := map[string]bool{}
	for _, u := range after {
		seen[u.Username] = true
		o, ok := old[u.Username]
		p := "users[" + u.Username + "]"
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: thêm / added (%s, %s)", p, u.Name, u.Role))
			if u.MustSetPIN {
				out = append(out, p+".must_set_pin: true")
			}
			continue
		case o.Name != u.Name:
			out = append(out, fmt.Sprintf("%s.name: %q → %q", p, o.Name, u.Name))
		}
		if o.Role != u.Role {
			out = append(out, fmt.Sprintf("%s.role: %s → %s", p, o.Role, u.Role))
		}
		if o.Disabled != u.Disabled {
			out = append(out, fmt.Sprintf("%s.disabled: %v → %v", p, o.Disabled, u.Disabled))
		}
		if o.PINHash != u.PINHash {
			out = append(out, p+".pin: đổi / changed")
		}
		if o.MustSetPIN != u.MustSetPIN {
			out = append(out, fmt.Sprintf("%s.must_set_pin: %v → %v", p, o.MustSetPIN, u.MustSetPIN))
		}
	}
	for _, u := range before {
		if !seen[u.Username] {
			out = append(out, fmt.Sprintf("users[%s]: xoá / removed", u.Username))
		}
	}
	return out
}

// KeepsAnAdmin refuses a change of the staff that leaves no enabled admin
// where there was one: nobody could change the settings any more.
func KeepsAnAdmin(before, after []StaffUser) error {
	admin := func(u StaffUser) bool { return u.Role == RoleAdmin && !u.Disabled }
	if slices.ContainsFunc(before, admin) && !slices.ContainsFunc(after, admin) {
		return problem.Errorf(problem.EConflict, "Phải còn ít nhất một quản trị viên đang hoạt động", "at least one enabled admin must remain")
	}
	return nil
}
