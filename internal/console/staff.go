package console

import (
	"context"
	"net/url"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// staffRoster is the staff page: save a user's name, role and whether the
// account is disabled, reset the PIN, unlock, add. A new user or a reset PIN
// gets a one-time code: the user gives it at the next login and chooses
// their own PIN then, which nobody else sees.
var staffRoster = roster[queue.StaffUser]{
	page: usersPage, path: "/admin/users", saved: "Đã lưu. / Saved.", field: "username",
	id:    func(u queue.StaffUser) string { return u.Username },
	blank: queue.StaffUser{Role: queue.RoleClerk},
	list:  func(c *Console) []queue.StaffUser { return c.InForce.Staff() },
	keep: func(c *Console, ctx context.Context, by queue.Actor, base uint64, users []queue.StaffUser) (uint64, error) {
		return c.Settings.ChangeUsers(ctx, by, base, users)
	},
	act: actOnStaff,
}

func actOnStaff(c *Console, f url.Values, users []queue.StaffUser, i int, v *rosterView[queue.StaffUser]) ([]queue.StaffUser, error) {
	username := strings.TrimSpace(f.Get("username"))
	oneTimeCode := func(u *queue.StaffUser) error {
		code := intake.NewPIN()
		hash, err := bcrypt.GenerateFromPassword([]byte(code), bcrypt.DefaultCost)
		u.PINHash, u.MustSetPIN, v.NewSecret = string(hash), true, &shownSecret{Owner: u.Username, Secret: code}
		return err
	}
	action := f.Get("action")
	if action == "add" {
		u := queue.StaffUser{Username: username, Name: strings.TrimSpace(f.Get("name")), Role: f.Get("role")}
		v.New = u
		if i >= 0 {
			return nil, errThereIs("cán bộ", "user", username)
		}
		users = append(users, u)
		return users, oneTimeCode(&users[len(users)-1])
	}
	if i < 0 {
		return nil, errNoMore("cán bộ", "user", username)
	}
	switch action {
	case "save":
		users[i].Name, users[i].Role, users[i].Disabled = strings.TrimSpace(f.Get("name")), f.Get("role"), f.Get("disabled") != ""
	case "reset":
		return users, oneTimeCode(&users[i])
	case "unlock":
		c.Auth.Unlock(username)
		v.Notice = "Đã mở khoá " + username + ": các lần nhập sai mã PIN được xoá. / " + username + " is unlocked: the wrong PINs are forgotten."
		return nil, nil // nothing to keep
	default:
		return nil, errUnknownAction
	}
	return users, queue.KeepsAnAdmin(c.InForce.Staff(), users)
}

// roleLabel is a role as the staff page offers it.
type roleLabel struct{ ID, Label string }

var roleLabels = []roleLabel{{queue.RoleClerk, "Cán bộ một cửa / clerk"}, {queue.RoleSupervisor, "Trưởng bộ phận / supervisor"}, {queue.RoleAdmin, "Quản trị / admin"}}
