package provinceweb_test

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	neturl "net/url"
	"sync"
	"testing"
	"time"

	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/provinceweb"
)

// client is a browser at address ip (a loopback address of its own), its
// cookies kept, redirects not followed.
func client(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func loginAt(t *testing.T, c *http.Client, base, username, password string) int {
	t.Helper()
	resp, err := c.PostForm(base+"/dang-nhap", neturl.Values{"username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The province's logins are guarded as the offices' are: 40 wrong passwords
// at once from one address get at most the five free checks (the rest 429),
// and the user still logs in from their own PC elsewhere.
func TestProvinceLoginLimits(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	pool := pg.Pool(t)
	if _, err := province.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	password, err := province.AddUser(ctx, pool, "test", province.User{Username: "sotinh", Name: "Sở Nội vụ", Role: province.RoleProvince})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&provinceweb.Server{Pool: pool}).Handler())
	defer srv.Close()
	stranger := client("127.0.0.7")
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			code := loginAt(t, stranger, srv.URL, "sotinh", "doan-bua")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[http.StatusUnauthorized] > 5 || codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 40 {
		t.Fatalf("40 wrong passwords at once: %v, want at most 5 checked (401), the rest 429", codes)
	}
	if code := loginAt(t, stranger, srv.URL, "sotinh", password); code != http.StatusTooManyRequests {
		t.Errorf("the right password from the guessing address: %d, want 429 (locked)", code)
	}
	if code := loginAt(t, client("127.0.0.8"), srv.URL, "sotinh", password); code != http.StatusSeeOther {
		t.Errorf("the user from another address: %d, want in (303)", code)
	}
}

// A session holds only while its user is as they were at login: a password
// reset, a change of role or office, or disabling the user ends it at the
// next request.
func TestProvinceSessionEndsWhenTheUserChanges(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	pool := pg.Pool(t)
	if _, err := province.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&provinceweb.Server{Pool: pool}).Handler())
	defer srv.Close()
	dashboard := func(c *http.Client) int {
		resp, err := c.Get(srv.URL + "/api/v1/dashboard")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	head := province.User{Username: "truong", Name: "Trưởng bộ phận", Role: province.RoleOffice, Office: "XA.01"}
	for _, change := range []struct {
		name string
		do   func() error
	}{
		{"the password reset", func() error { _, err := province.AddUser(ctx, pool, "test", head); return err }},
		{"made province staff", func() error {
			_, err := pool.Exec(ctx, `UPDATE users SET role = 'province', office = NULL WHERE username = 'truong'`)
			return err
		}},
		{"moved to another office", func() error {
			_, err := pool.Exec(ctx, `UPDATE users SET office = 'XA.02' WHERE username = 'truong'`)
			return err
		}},
		{"disabled", func() error { return province.DisableUser(ctx, pool, "test", "truong") }},
	} {
		password, err := province.AddUser(ctx, pool, "test", head) // as they are before the change
		if err != nil {
			t.Fatal(err)
		}
		c := client("127.0.0.9")
		if code := loginAt(t, c, srv.URL, "truong", password); code != http.StatusSeeOther {
			t.Fatalf("%s: login %d", change.name, code)
		}
		if code := dashboard(c); code != http.StatusOK {
			t.Fatalf("%s: before, the dashboard %d", change.name, code)
		}
		if err := change.do(); err != nil {
			t.Fatal(err)
		}
		if code := dashboard(c); code != http.StatusUnauthorized {
			t.Errorf("%s: the old session still reads (%d)", change.name, code)
		}
	}
}
