package reply

import (
	"net/http"
	"testing"
)

// Only a page of the office's own network may read /healthz from another
// origin.
func TestAllowLAN(t *testing.T) {
	for origin, allowed := range map[string]bool{
		"http://10.0.0.11:8080":     true,
		"http://192.168.1.5":        true,
		"http://172.16.0.2:8080":    true,
		"http://127.0.0.1:18080":    true,
		"http://[fe80::1]:8080":     true,
		"http://may-chu:8080":       true,
		"http://may-chu.local:8080": true,
		"http://pc2.phuong.lan":     true,
		"https://evil.example.com":  false,
		"http://8.8.8.8":            false,
		"http://10.0.0.11.nip.io":   false,
		"http://10.0.0.11:8080/x":   false,
		"http://u:p@10.0.0.11:8080": false,
		"file://":                   false,
		"null":                      false,
		"":                          false,
		"javascript:alert(1)":       false,
		"http://[2001:db8::1]:8080": false,
	} {
		h := http.Header{}
		AllowLAN(h, origin)
		if got := h.Get("Access-Control-Allow-Origin") == origin && origin != ""; got != allowed {
			t.Errorf("%q: let read %v, want %v", origin, got, allowed)
		}
		if h.Get("Vary") != "Origin" {
			t.Errorf("%q: no Vary: Origin", origin)
		}
	}
}
