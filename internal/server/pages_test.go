package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"motcua/internal/feed"
)

// The public pages say what may run in them and that nobody may frame
// them: a Content-Security-Policy with frame-ancestors 'none', the inline
// script by its hash (the Chromium tests run the pages under it), no
// referrer (a ticket's address holds its token).
func TestPublicPagesSayWhatMayRun(t *testing.T) {
	e := newEnv(t, feed.Config{})
	tk := e.issue("ho_tich", "")
	for _, path := range []string{"/board", "/t/" + tk.Token, "/tra-cuu?ma=X&pin=1", "/cong-khai", "/t/not-a-token"} {
		resp, err := http.Get(e.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if path != "/cong-khai" && (resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Referrer-Policy") != "no-referrer" ||
			!strings.Contains(csp, "'sha256-") && path != "/t/not-a-token") {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
	}
}

// GET / on a running office leads a visitor somewhere: the lookup, the
// published results, the board and the console, in both languages.
func TestHomePageLinks(t *testing.T) {
	e := newEnv(t, feed.Config{})
	resp, err := http.Get(e.http.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("GET /: %d %v", resp.StatusCode, resp.Header)
	}
	for _, link := range []string{`href="/tra-cuu"`, `href="/cong-khai"`, `href="/board"`, `href="/admin"`, "<h1>", "<main"} {
		if !strings.Contains(string(body), link) {
			t.Errorf("the home page lacks %s", link)
		}
	}
	if resp, _ := http.Get(e.http.URL + "/no-such-page"); resp == nil || resp.StatusCode != 404 {
		t.Errorf("another path is no longer 404")
	}
}
