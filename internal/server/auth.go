package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Roles of users.
const (
	RoleClerk = "clerk"
	RoleAdmin = "admin"
)

// Device kinds. Kiosks issue tickets; displays only read; a rating screen
// faces the citizen at one counter and only rates.
const (
	DeviceKiosk   = "kiosk"
	DeviceDisplay = "display"
	DeviceRating  = "rating"
)

// User is a clerk or admin who logs in with a username and PIN.
type User struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// PINHash is the bcrypt hash of the PIN (motcua-server hash-pin makes one).
	PINHash string `json:"pin_bcrypt"`
}

// Device is a kiosk, display or rating screen that authenticates with a key.
type Device struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Key  string `json:"key"`
	// Counter pairs a rating screen with its counter.
	Counter int `json:"counter,omitempty"`
}

// principal is who a request comes from; the zero value is anonymous.
type principal struct {
	actor   queue.Actor
	kind    string // device kind
	counter int    // a rating screen's counter
}

func (p principal) isStaff() bool {
	return p.actor.Kind == queue.ActorClerk || p.actor.Kind == queue.ActorAdmin
}

// auth checks credentials and remembers failed PIN attempts.
type auth struct {
	users    map[string]User
	devices  []Device
	sessions Sessions
	ttl      time.Duration
	now      func() time.Time

	mu       sync.Mutex
	failures map[string]*lockout
}

type lockout struct {
	count int
	until time.Time
}

const (
	maxFailures = 5
	lockFor     = 5 * time.Minute
)

// dummyHash keeps an unknown username as slow as a wrong PIN.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("motcua-dummy"), bcrypt.MinCost)

func newAuth(users []User, devices []Device, sessions Sessions, ttl time.Duration, now func() time.Time) *auth {
	a := &auth{users: map[string]User{}, devices: devices, sessions: sessions, ttl: ttl, now: now, failures: map[string]*lockout{}}
	for _, u := range users {
		a.users[u.Username] = u
	}
	return a
}

// login checks username and PIN and returns a new session token.
func (a *auth) login(username, pin string) (string, User, error) {
	now := a.now()
	a.mu.Lock()
	if l := a.failures[username]; l != nil && now.Before(l.until) {
		a.mu.Unlock()
		return "", User{}, problem.Errorf(problem.ETooMany, "Sai mã PIN quá nhiều lần; thử lại sau %d phút", "too many wrong PINs; try again in %d minutes", int(l.until.Sub(now).Minutes())+1)
	}
	a.mu.Unlock()
	u, known := a.users[username]
	hash := []byte(u.PINHash)
	if !known {
		hash = dummyHash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(pin)) != nil || !known {
		a.mu.Lock()
		l := a.failures[username]
		if l == nil {
			l = &lockout{}
			a.failures[username] = l
		}
		l.count++
		if l.count >= maxFailures {
			l.count, l.until = 0, now.Add(lockFor)
		}
		a.mu.Unlock()
		return "", User{}, problem.Errorf(problem.EUnauthorized, "Sai tên đăng nhập hoặc mã PIN", "wrong username or PIN")
	}
	a.mu.Lock()
	delete(a.failures, username)
	a.mu.Unlock()
	token := randomToken(32)
	if err := a.sessions.PutSession(token, username, now.Add(a.ttl)); err != nil {
		return "", User{}, err
	}
	return token, u, nil
}

// identify returns who the bearer of the request is: a logged-in user, a device,
// or anonymous when there is no Authorization header. A bad credential is an error.
func (a *auth) identify(r *http.Request) (principal, error) {
	token := bearer(r)
	if token == "" {
		return principal{}, nil
	}
	// Device keys first: they are in memory, and kiosks call the most.
	for _, d := range a.devices {
		if subtle.ConstantTimeCompare([]byte(d.Key), []byte(token)) == 1 {
			return principal{actor: queue.Actor{Kind: queue.ActorDevice, ID: d.ID}, kind: d.Kind, counter: d.Counter}, nil
		}
	}
	if username, ok := a.sessions.Session(token, a.now()); ok {
		if u, ok := a.users[username]; ok {
			kind := queue.ActorClerk
			if u.Role == RoleAdmin {
				kind = queue.ActorAdmin
			}
			return principal{actor: queue.Actor{Kind: kind, ID: u.Username, Name: u.Name}}, nil
		}
	}
	return principal{}, problem.Errorf(problem.EUnauthorized, "Phiên đăng nhập hoặc khoá thiết bị không hợp lệ; hãy đăng nhập lại", "invalid or expired token or device key; log in again")
}

// bearer reads "Authorization: Bearer X"; browsers' websockets may pass
// ?access_token=X instead.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			return strings.TrimSpace(h[7:])
		}
		return "-" // present but not a bearer: never matches, so it is refused
	}
	return r.URL.Query().Get("access_token")
}

// ticketToken makes the public token of a ticket: 48 bits of the issue time in
// milliseconds, then 80 random bits. The random part makes it unguessable; the
// time prefix makes tokens arrive in key order, so storing one appends to the
// token index instead of splitting pages at random (fewer pages per commit).
func ticketToken(now time.Time) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (8 * (5 - i)))
	}
	rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var (
	errNeedLogin = problem.Errorf(problem.EUnauthorized, "Cần đăng nhập", "login required")
	errNeedStaff = problem.Errorf(problem.EForbidden, "Chỉ cán bộ đã đăng nhập mới làm được thao tác này", "only a logged-in clerk may do this")
	errNeedAdmin = problem.Errorf(problem.EForbidden, "Chỉ quản trị viên mới làm được thao tác này", "admin only")
	errNeedKiosk = problem.Errorf(problem.EForbidden, "Chỉ máy cấp số hoặc cán bộ mới cấp được số", "only a kiosk or a clerk may issue tickets")
)
