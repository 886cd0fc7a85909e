package auth

import (
	"net"
	"net/http"
	"strings"
	"time"

	"motcua/internal/problem"
)

// LookupLimit slows down guessing of the lookup PINs printed on receipts
// (docs/CONFIG.md, "Login and lookup limits"):
//   - per dossier code, whoever asks: 5 wrong PINs within an hour, then the
//     code is locked 15 minutes, 30 … up to a day — guessing one dossier from
//     many addresses gets nowhere;
//   - per source address, for anonymous callers (phones on /tra-cuu): 10 misses
//     within 10 minutes, then locked 10 minutes … up to an hour. Kiosks and
//     staff are exempt from this one: a citizen who mistypes at the kiosk must
//     not lock the kiosk for everybody after.
//
// Both tables are bounded and never cleared by a flood (throttle).
type LookupLimit struct {
	byCode, byAddr *throttle
}

func NewLookupLimit() *LookupLimit {
	return &LookupLimit{
		byCode: newThrottle(5, time.Hour, 15*time.Minute, 24*time.Hour, 50000),
		byAddr: newThrottle(10, 10*time.Minute, 10*time.Minute, time.Hour, 10000),
	}
}

var ErrGuessing = problem.Errorf(problem.ETooMany, "Nhập sai quá nhiều lần; vui lòng thử lại sau ít phút hoặc hỏi cán bộ", "too many wrong lookups; try again in a few minutes or ask staff")

// try runs lookup for code under the limits; anonymous says whether the
// caller's address counts. A not-found answer is a miss.
func (l *LookupLimit) Try(code, addr string, anonymous bool, now time.Time, lookup func() error) error {
	code = strings.ToUpper(strings.TrimSpace(code))
	if wait := l.byCode.reserve(code, now); wait > 0 {
		return ErrGuessing
	}
	if anonymous {
		if wait := l.byAddr.reserve(addr, now); wait > 0 {
			l.byCode.release(code) // not tried
			return ErrGuessing
		}
	}
	err := lookup()
	switch missed := problem.CodeOf(err) == problem.ENotFound; {
	case missed:
		l.byCode.fail(code, now)
		if anonymous {
			l.byAddr.fail(addr, now)
		}
	case err != nil: // the store failed: not a guess either way
		l.byCode.release(code)
		if anonymous {
			l.byAddr.release(addr)
		}
	default:
		l.byCode.clear(code)
		if anonymous {
			l.byAddr.release(addr) // one's own receipt does not reset guessing at others'
		}
	}
	return err
}

func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
