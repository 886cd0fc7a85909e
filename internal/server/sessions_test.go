package server

import (
	"context"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

// A session ends the moment the admin changes how its user logs in or what
// they may do — a PIN reset, disabled (and enabled again), a role changed,
// the user removed and someone else made under the same name — and when the
// user chooses a new PIN (the new login's session holds); on the API and
// the console alike. A change to someone else leaves it alone.
func TestSessionsEndWhenTheUserChanges(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := queue.Actor{Kind: queue.ActorAdmin, ID: "boss"}
	var seed []queue.StaffUser // the env's users, from its config, into the store's settings
	for _, name := range slices.Sorted(maps.Keys(e.srv.auth.Users())) {
		seed = append(seed, e.srv.auth.Users()[name])
	}
	if _, err := e.store.ChangeUsers(context.Background(), admin, 1, seed); err != nil {
		t.Fatal(err)
	}
	editUser := func(name string, fn func(u *queue.StaffUser) bool) { // fn false: remove the user
		t.Helper()
		v, _ := e.store.Settings()
		var users []queue.StaffUser
		for _, u := range e.store.Users() {
			if u.Username != name || fn(&u) {
				users = append(users, u)
			}
		}
		if _, err := e.store.ChangeUsers(context.Background(), admin, v, users); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(fn func(u *queue.StaffUser) bool) { t.Helper(); editUser("lan", fn) }
	other, _ := bcrypt.GenerateFromPassword([]byte("135790"), bcrypt.MinCost)
	me := func(token string) int { return e.call("GET", api.Me, token, "", nil) }
	for _, c := range []struct {
		name   string
		change func()
	}{
		{"the PIN reset", func() {
			edit(func(u *queue.StaffUser) bool { u.PINHash, u.MustSetPIN = string(other), true; return true })
		}},
		{"disabled then enabled", func() {
			edit(func(u *queue.StaffUser) bool { u.Disabled = true; return true })
			edit(func(u *queue.StaffUser) bool { u.Disabled = false; return true })
		}},
		{"made an admin", func() { edit(func(u *queue.StaffUser) bool { u.Role = queue.RoleAdmin; return true }) }},
		{"removed and made again", func() {
			var was queue.StaffUser
			edit(func(u *queue.StaffUser) bool { was = *u; return false })
			v, _ := e.store.Settings()
			was.Name = "Người khác"
			if _, err := e.store.ChangeUsers(context.Background(), admin, v, append(e.store.Users(), was)); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		token := e.login("lan")
		if code := me(token); code != 200 {
			t.Fatalf("%s: before, %d", c.name, code)
		}
		c.change()
		if code := me(token); code != 401 {
			t.Errorf("after %s: the old token answers %d, want 401", c.name, code)
		}
		if code := e.call("GET", api.AdminSettings, token, "", nil); code != 401 {
			t.Errorf("after %s: the old token on the admin settings: %d, want 401", c.name, code)
		}
		// Back to the clerk with the test's PIN for the next case.
		hash, _ := bcrypt.GenerateFromPassword([]byte("2468"), bcrypt.MinCost)
		edit(func(u *queue.StaffUser) bool {
			*u = queue.StaffUser{Username: "lan", Name: "Nguyễn Thị Lan", Role: queue.RoleClerk, PINHash: string(hash)}
			return true
		})
	}

	// The clerk chooses a new PIN: the sessions under the old one end, the
	// new login's holds; a change to another user ends nothing.
	old := e.login("lan")
	var out struct{ Token string }
	if code := e.call("POST", "/api/v1/login", "", `{"username":"lan","pin":"2468","new_pin":"135791"}`, &out); code != 200 || out.Token == "" {
		t.Fatalf("login choosing a new PIN: %d", code)
	}
	if code := me(old); code != 401 {
		t.Errorf("the session under the old PIN: %d, want 401", code)
	}
	if code := me(out.Token); code != 200 {
		t.Errorf("the new login's session: %d, want 200", code)
	}
	v, _ := e.store.Settings()
	users := slices.Clone(e.store.Users())
	for i := range users {
		if users[i].Username == "minh" {
			users[i].Name = "Trần Văn Minh (Tổ 2)"
		}
	}
	if _, err := e.store.ChangeUsers(context.Background(), admin, v, users); err != nil {
		t.Fatal(err)
	}
	if code := me(out.Token); code != 200 {
		t.Errorf("after another user's change: %d, want 200", code)
	}

	// The console's session (the desk head's cookie) ends the same way.
	console := consoleSession(t, e, "tam")
	if at := console(); at != "/admin/live" {
		t.Fatalf("the desk head's console: at %s", at)
	}
	editUser("tam", func(u *queue.StaffUser) bool { u.PINHash, u.MustSetPIN = string(other), true; return true })
	if at := console(); at != "/admin/login" {
		t.Errorf("after the desk head's PIN reset, the console's session goes on to %s", at)
	}
}

// consoleSession logs user into the console and answers a check: where a
// console page takes that session now (its path, or /admin/login).
func consoleSession(t *testing.T, e *env, user string) func() string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(e.http.URL+"/admin/login", url.Values{"username": {user}, "pin": {"2468"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return func() string {
		resp, err := c.Get(e.http.URL + "/admin/live")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Request.URL.Path
	}
}
