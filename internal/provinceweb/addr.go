package provinceweb

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"motcua/internal/auth"
)

// The service runs behind the province's TLS reverse proxy (docs/PROVINCE.md):
// every request then comes from the proxy's address, and limits kept per
// address would let one stranger lock every office and user out. The
// proxies named to the service are trusted to say, in X-Forwarded-For, whom
// they took the request from: the last address they add is the client's.
// Nobody else's X-Forwarded-For is read (anyone can write one).

// ParseProxies reads --trusted-proxy: addresses or prefixes, comma-separated.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q không phải địa chỉ hay dải địa chỉ / is not an address or a prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// clientAddr is the address a request came from: the peer's, or for a
// trusted proxy's request the last hop it names.
func (s *Server) clientAddr(r *http.Request) string {
	peer := auth.ClientAddr(r)
	a, err := netip.ParseAddr(peer)
	if err != nil || !s.trusted(a.Unmap()) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	last := strings.TrimSpace(hops[len(hops)-1])
	if c, err := netip.ParseAddr(last); err == nil {
		return c.Unmap().String()
	}
	return peer // a proxy that said nothing readable: its own address
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
