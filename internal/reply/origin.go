package reply

import (
	"net/netip"
	"net/url"
	"strings"
)

// AllowLAN lets a page served from another PC of the office's network read
// this answer (a board on one PC asking the other's /healthz): the
// request's Origin is echoed when its host is on a private network — an
// address of a private, loopback or link-local range, or a local name
// (one label, .local, .lan, .internal, .home.arpa). A page of the internet
// open in a staff browser is not let read it.
func AllowLAN(h interface{ Set(string, string) }, origin string) {
	h.Set("Vary", "Origin")
	if lanOrigin(origin) {
		h.Set("Access-Control-Allow-Origin", origin)
	}
}

func lanOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil {
		return false
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast()
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || strings.ContainsAny(host, " /\\") {
		return false
	}
	if !strings.Contains(host, ".") {
		return true
	}
	for _, s := range []string{".local", ".lan", ".internal", ".home.arpa"} {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}
