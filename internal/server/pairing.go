package server

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/reply"
)

// Pairing instead of keys in files: a kiosk, board or rating screen started
// without a key asks for a pairing (POST /api/v1/pairing) and shows the code
// it gets on its screen; the admin types that code on the console's devices
// page, with the device's id, kind and counter; the device, asking with its
// token (GET /api/v1/pairing/{token}), then receives its key, once. Pending
// pairings live in memory for pairingTTL (a restart: the device asks again),
// at most pairingsPerAddr per address and pairingsMax in all. The bound in
// all is fair: when it is reached, a device from an address holding fewer
// than the most takes the place of the oldest waiting pairing of the
// address holding the most — so addresses that fill the pool by asking
// and asking again lose their own places first, and a device on a new
// address always gets a code.

const (
	pairingTTL      = 10 * time.Minute
	pairingsPerAddr = 3
	pairingsMax     = 100
)

type pairing struct {
	code, addr string
	until      time.Time
	paired     *api.PairedAnswer // set by the console; taken once by the device
}

type pairings struct {
	mu      sync.Mutex
	byToken map[string]*pairing
}

// sweep drops what expired; call with mu held.
func (ps *pairings) sweep(now time.Time) {
	for t, p := range ps.byToken {
		if now.After(p.until) {
			delete(ps.byToken, t)
		}
	}
}

func (s *Server) handlePairing(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ps, now, addr := &s.pairings, s.now(), auth.ClientAddr(r)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.sweep(now)
	mine := 0
	for _, x := range ps.byToken {
		if x.addr == addr {
			mine++
		}
	}
	if mine >= pairingsPerAddr || len(ps.byToken) >= pairingsMax && !ps.makeRoom(mine) {
		return problem.Errorf(problem.ETooMany, "Quá nhiều yêu cầu ghép nối đang chờ; thử lại sau ít phút", "too many pairings are waiting; try again in a few minutes")
	}
	code := intake.NewPIN()
	for ps.codeTaken(code) {
		code = intake.NewPIN()
	}
	token := auth.RandomToken(32)
	if ps.byToken == nil {
		ps.byToken = map[string]*pairing{}
	}
	ps.byToken[token] = &pairing{code: code, addr: addr, until: now.Add(pairingTTL)}
	reply.JSON(w, http.StatusCreated, api.PairingAnswer{Code: code, Token: token})
	return nil
}

// makeRoom drops the oldest waiting pairing of the address holding the
// most, when that is more than mine (the asker's); false when none is
// (every address holds as few as the asker, or only paired ones wait to be
// taken). Call with mu held.
func (ps *pairings) makeRoom(mine int) bool {
	held := map[string]int{}
	for _, x := range ps.byToken {
		if x.paired == nil {
			held[x.addr]++
		}
	}
	most := ""
	for a, n := range held {
		if n > held[most] || n == held[most] && a < most {
			most = a
		}
	}
	if held[most] <= mine {
		return false
	}
	victim := ""
	for t, x := range ps.byToken {
		if x.addr == most && x.paired == nil && (victim == "" || x.until.Before(ps.byToken[victim].until)) {
			victim = t
		}
	}
	delete(ps.byToken, victim)
	return true
}

func (ps *pairings) codeTaken(code string) bool {
	for _, x := range ps.byToken {
		if x.code == code {
			return true
		}
	}
	return false
}

// handlePaired answers the device: its key once paired (202 until then).
func (s *Server) handlePaired(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	ps := &s.pairings
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.sweep(s.now())
	x, ok := ps.byToken[r.PathValue("token")]
	switch {
	case !ok:
		return problem.Errorf(problem.ENotFound, "Yêu cầu ghép nối không còn (quá 10 phút hoặc đã nhận khoá); hãy bắt đầu lại", "no such pairing (over 10 minutes old, or its key was taken); start again")
	case x.paired == nil:
		reply.JSON(w, http.StatusAccepted, struct{}{})
		return nil
	}
	delete(ps.byToken, r.PathValue("token")) // the key goes out once
	out := *x.paired
	out.Servers = s.servers(r)
	reply.JSON(w, http.StatusOK, out)
	return nil
}

// servers are the office's servers as a device on the LAN reaches them:
// this one at the address it asked, then the standby's when one has
// followed since the start.
func (s *Server) servers(r *http.Request) []string {
	var out []string
	if r.Host != "" && !strings.ContainsAny(r.Host, "/?#@ ") {
		out = append(out, "http://"+r.Host)
	}
	if u := s.standbyURL(); u != "" {
		out = append(out, u)
	}
	return out
}

// standbyURL is where devices reach this server's standby ("" when none
// has followed since the start).
func (s *Server) standbyURL() string {
	if h := &s.standby; h.following != nil {
		return h.following().URL
	}
	return ""
}

// waiting is the pending pairing shown as code; call with ps.mu held.
func (ps *pairings) waiting(code string) *pairing {
	for _, x := range ps.byToken {
		if x.code == code && x.paired == nil {
			return x
		}
	}
	return nil
}

// pair gives the pending pairing with code the device's key; false when no
// pairing waits with that code.
func (s *Server) pair(code string, paired api.PairedAnswer) bool {
	ps := &s.pairings
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.sweep(s.now())
	x := ps.waiting(code)
	if x != nil {
		x.paired = &paired
	}
	return x != nil
}

// pairingWaits says whether a pairing with code waits.
func (s *Server) pairingWaits(code string) bool {
	ps := &s.pairings
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.sweep(s.now())
	return ps.waiting(code) != nil
}
