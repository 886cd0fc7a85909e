package provinceweb_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	neturl "net/url"
	"strings"
	"testing"
	"time"

	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/provinceweb"
	"motcua/internal/testwait"
)

// The uplink's limits, and the province behind its TLS proxy: thirty wrong
// keys lock an address out of the uplink (a right key from there too, for
// a while) but not the offices elsewhere, and twenty offices behind one
// address ship at once; an X-Forwarded-For is believed
// from the proxy named to the service only, so a stranger behind the proxy
// locks out himself, not the proxy — for the uplink and the logins alike;
// and an office's second batch while its first is being stored is 429,
// holding no connection.
func TestUplinkLimitsAndTheProxy(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	pool := pg.Pool(t)
	if _, err := province.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	key, err := province.AddOffice(ctx, pool, "test", "XA.41", "UBND xã Bốn Mốt")
	if err != nil {
		t.Fatal(err)
	}
	password, err := province.AddUser(ctx, pool, "test", province.User{Username: "sotinh", Name: "Sở Nội vụ", Role: province.RoleProvince})
	if err != nil {
		t.Fatal(err)
	}
	proxy := netip.MustParsePrefix("127.0.0.9/32")
	srv := httptest.NewServer((&provinceweb.Server{Pool: pool, TrustedProxies: []netip.Prefix{proxy}}).Handler())
	defer srv.Close()
	call := func(c *http.Client, method, path, key, forwarded, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s: 429 without Retry-After", method, path)
		}
		return resp.StatusCode
	}
	cursor := func(c *http.Client, key, forwarded string) int {
		return call(c, "GET", "/uplink/v1/cursor", key, forwarded, "")
	}

	together := client("127.0.0.6") // twenty offices behind one address, their keys right
	codes := make(chan int, 20)
	for range 20 {
		go func() { codes <- cursor(together, key, "") }()
	}
	for range 20 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("one of twenty right keys at once from one address: %d, want 200", code)
		}
	}
	stranger := client("127.0.0.7")
	for i := range 30 {
		if code := cursor(stranger, fmt.Sprintf("doan-%d", i), ""); code != http.StatusUnauthorized {
			t.Fatalf("wrong key %d: %d, want 401", i, code)
		}
	}
	if code := cursor(stranger, key, ""); code != http.StatusTooManyRequests {
		t.Errorf("the right key from the guessing address: %d, want 429", code)
	}
	if code := cursor(stranger, key, "127.0.0.50"); code != http.StatusTooManyRequests {
		t.Errorf("a forwarded-for from an address not trusted is believed: %d, want 429", code)
	}
	if code := cursor(client("127.0.0.8"), key, ""); code != http.StatusOK {
		t.Errorf("the office from its own address: %d, want 200", code)
	}

	behind := client("127.0.0.9") // the proxy: each request says whom it came from
	for i := range 30 {
		if code := cursor(behind, fmt.Sprintf("doan-%d", i), "10.1.1.1, 203.0.113.5"); code != http.StatusUnauthorized {
			t.Fatalf("wrong key %d behind the proxy: %d, want 401", i, code)
		}
	}
	if code := cursor(behind, key, "203.0.113.5"); code != http.StatusTooManyRequests {
		t.Errorf("the right key from the guessing client behind the proxy: %d, want 429", code)
	}
	if code := cursor(behind, key, "203.0.113.6"); code != http.StatusOK {
		t.Errorf("another office behind the proxy: %d, want 200 (the proxy is not locked out)", code)
	}
	for range 5 {
		if code := loginAtFrom(t, behind, srv.URL, "sotinh", "doan-bua", "198.51.100.1"); code != http.StatusUnauthorized {
			t.Fatalf("a wrong password behind the proxy: %d", code)
		}
	}
	if code := loginAtFrom(t, behind, srv.URL, "sotinh", password, "198.51.100.1"); code != http.StatusTooManyRequests {
		t.Errorf("the right password from the guessing client: %d, want 429", code)
	}
	if code := loginAtFrom(t, behind, srv.URL, "sotinh", password, "198.51.100.2"); code != http.StatusSeeOther {
		t.Errorf("the user from elsewhere behind the proxy: %d, want 303", code)
	}

	// One batch of an office at a time: the first waits on its office's
	// row (held here), the second is turned away at once.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM offices WHERE id = 'XA.41' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	office := client("127.0.0.8")
	first := make(chan int, 1)
	go func() { first <- call(office, "POST", "/uplink/v1/events", key, "", `{"events":[]}`) }()
	testwait.Until(t, 10*time.Second, func() bool {
		var n int
		pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE offices%'`).Scan(&n)
		return n == 1
	}, func() string { return "the first batch never waited on the office's row" })
	if code := call(office, "POST", "/uplink/v1/events", key, "", `{"events":[]}`); code != http.StatusTooManyRequests {
		t.Errorf("a second batch while the first is stored: %d, want 429", code)
	}
	tx.Commit(ctx)
	if code := <-first; code != http.StatusOK {
		t.Errorf("the first batch: %d, want 200", code)
	}
	if code := call(office, "POST", "/uplink/v1/events", key, "", `{"events":[]}`); code != http.StatusOK {
		t.Errorf("the next batch: %d, want 200", code)
	}
}

// loginAtFrom logs in through a proxy that says the client is forwarded.
func loginAtFrom(t *testing.T, c *http.Client, base, username, password, forwarded string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/dang-nhap", strings.NewReader(neturl.Values{"username": {username}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwarded)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
