package queue

import "testing"

// A user's credential moves to the version of any change to how they log
// in or what they may do, and only then; an imported value never counts.
func TestStampCredentials(t *testing.T) {
	lan := StaffUser{Username: "lan", Name: "Lan", Role: RoleClerk, PINHash: "h1", Credential: 3}
	for _, c := range []struct {
		name string
		edit func(u *StaffUser)
		want uint64
	}{
		{"nothing", func(u *StaffUser) {}, 3},
		{"the name", func(u *StaffUser) { u.Name = "Nguyễn Thị Lan" }, 3},
		{"an imported credential", func(u *StaffUser) { u.Credential = 99 }, 3},
		{"the PIN", func(u *StaffUser) { u.PINHash = "h2" }, 9},
		{"a one-time code", func(u *StaffUser) { u.MustSetPIN = true }, 9},
		{"the role", func(u *StaffUser) { u.Role = RoleAdmin }, 9},
		{"disabled", func(u *StaffUser) { u.Disabled = true }, 9},
	} {
		u := lan
		c.edit(&u)
		if got := StampCredentials([]StaffUser{lan}, []StaffUser{u}, 9); got[0].Credential != c.want {
			t.Errorf("%s: credential %d, want %d", c.name, got[0].Credential, c.want)
		}
	}
	if got := StampCredentials([]StaffUser{lan}, []StaffUser{lan, {Username: "minh", Credential: 2}}, 9); got[1].Credential != 9 {
		t.Errorf("a new user: %d, want 9", got[1].Credential)
	}
	if got := StampCredentials(nil, []StaffUser{{Username: "lan", Credential: 5}}, 9); got[0].Credential != 0 {
		t.Errorf("the first list a store keeps: %d, want 0 (the config file's sessions hold)", got[0].Credential)
	}
}
