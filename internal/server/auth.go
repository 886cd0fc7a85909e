package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Roles of users.
const (
	RoleClerk      = queue.RoleClerk
	RoleSupervisor = queue.RoleSupervisor
	RoleAdmin      = queue.RoleAdmin
)

// Device kinds.
const (
	DeviceKiosk   = queue.DeviceKiosk
	DeviceDisplay = queue.DeviceDisplay
	DeviceRating  = queue.DeviceRating
)

// User is a clerk, supervisor or admin who logs in with a username and PIN
// (PINHash: its bcrypt hash; motcua-server hash-pin makes one).
type User = queue.StaffUser

// Device is a kiosk, display or rating screen that authenticates with a key
// (from a config file) or the key's hash (from the settings).
type Device = queue.Device

// principal is who a request comes from; the zero value is anonymous.
type principal struct {
	actor   queue.Actor
	kind    string // device kind
	counter int    // a rating screen's counter
	role    string // a user's role
}

func (p principal) isStaff() bool {
	return p.actor.Kind == queue.ActorClerk || p.actor.Kind == queue.ActorAdmin
}

// auth checks credentials and limits PIN guessing (docs/CONFIG.md, "Login
// and lookup limits"):
//   - per source address: 10 wrong PINs within 15 minutes, then locked 1 min,
//     2, 4 … up to 1 hour (whatever usernames were tried);
//   - per username at one address: 5 wrong PINs, then locked 5 min, 10 … up to
//     1 hour — so a stranger at another PC locks only himself out;
//   - per username over all addresses: 30 wrong PINs, then locked 5 min … 1 h
//     (guessing spread over many addresses), except from an address where the
//     user has logged in before (the clerk's own PC still works).
//
// Every attempt is reserved before bcrypt runs, so simultaneous tries get no
// more than the free ones; an unknown username costs the same bcrypt work as a
// known one, so timing does not tell which usernames exist.
type auth struct {
	users    atomic.Pointer[map[string]User] // in force: the settings' (replaced whole on a change)
	devices  atomic.Pointer[[]Device]        // in force: the settings' (replaced whole on a change)
	sessions Sessions
	// setPIN keeps a PIN a user chose (its hash), through the store.
	setPIN func(u User, hash string) error
	ttl    time.Duration
	now    func() time.Time

	byAddr, byUserAddr, byUser *throttle
	dummyHash                  []byte // compared for unknown usernames

	mu   sync.Mutex
	good map[string][]string // username -> addresses it logged in from lately
}

// goodAddrs is how many addresses per user are remembered as the user's own.
const goodAddrs = 8

func newAuth(users []User, devices []Device, sessions Sessions, ttl time.Duration, now func() time.Time) *auth {
	a := &auth{sessions: sessions, ttl: ttl, now: now, good: map[string][]string{},
		byAddr:     newThrottle(10, 15*time.Minute, time.Minute, time.Hour, 10000),
		byUserAddr: newThrottle(5, 15*time.Minute, 5*time.Minute, time.Hour, 10000),
		byUser:     newThrottle(30, time.Hour, 5*time.Minute, time.Hour, 10000),
	}
	cost := bcrypt.DefaultCost
	for _, u := range users {
		if c, err := bcrypt.Cost([]byte(u.PINHash)); err == nil {
			cost = c
		}
	}
	a.setUsers(users)
	a.setDevices(devices)
	a.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("motcua-dummy-pin"), cost)
	return a
}

// setUsers puts a list of users in force.
func (a *auth) setUsers(users []User) {
	m := map[string]User{}
	for _, u := range users {
		m[u.Username] = u
	}
	a.users.Store(&m)
}

// setDevices puts a list of devices in force.
func (a *auth) setDevices(devices []Device) { a.devices.Store(&devices) }

// user is the enabled user of that name.
func (a *auth) user(username string) (User, bool) {
	u, ok := (*a.users.Load())[username]
	return u, ok && !u.Disabled
}

// unlock forgets the wrong PINs tried for username, everywhere (an admin
// vouches for the clerk at the desk).
func (a *auth) unlock(username string) {
	a.byUser.clear(username)
	a.byUserAddr.clearPrefix(username + "\x00")
}

// errLocked says how long to wait, in both languages.
func errLocked(wait time.Duration) error {
	return problem.Errorf(problem.ETooMany, "Sai mã PIN quá nhiều lần; thử lại sau %d phút", "too many wrong PINs; try again in %d minutes", int(wait.Minutes())+1)
}

// errSetPIN answers a right one-time code given without a new PIN.
var errSetPIN = problem.Errorf(problem.ESetPIN, "Lần đầu đăng nhập (hoặc mã PIN vừa được đặt lại): hãy chọn mã PIN mới của mình, 6–12 chữ số", "first login (or the PIN was just reset): choose your own new PIN, 6-12 digits")

// login checks username and PIN (or one-time code) from addr and returns a
// new session token. With newPIN the user also chooses a new PIN, which
// setPIN keeps (a command on the chain); a user holding a one-time code
// (MustSetPIN) must give one, and gets errSetPIN until they do.
func (a *auth) login(username, pin, newPIN, addr string) (string, User, error) {
	now := a.now()
	u, known := a.user(username)
	keys := []struct {
		t   *throttle
		key string
	}{{a.byAddr, addr}, {a.byUserAddr, username + "\x00" + addr}}
	if known && !a.isGood(username, addr) {
		keys = append(keys, struct {
			t   *throttle
			key string
		}{a.byUser, username})
	}
	for i, k := range keys {
		if wait := k.t.reserve(k.key, now); wait > 0 {
			for _, r := range keys[:i] { // give back what was taken: not tried
				r.t.release(r.key)
			}
			return "", User{}, errLocked(wait)
		}
	}
	hash := []byte(u.PINHash)
	if !known {
		hash = a.dummyHash
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(pin)) == nil && known
	for _, k := range keys {
		switch {
		case !ok:
			k.t.fail(k.key, now)
		case k.t == a.byAddr:
			// The address keeps its failures: logging into one's own account
			// does not reset guessing at others'.
			k.t.release(k.key)
		default:
			k.t.clear(k.key)
		}
	}
	if !ok {
		return "", User{}, problem.Errorf(problem.EUnauthorized, "Sai tên đăng nhập hoặc mã PIN", "wrong username or PIN")
	}
	a.remember(username, addr)
	if u.MustSetPIN && newPIN == "" {
		return "", User{}, errSetPIN
	}
	if newPIN != "" {
		if err := a.changePIN(u, pin, newPIN); err != nil {
			return "", User{}, err
		}
	}
	token := randomToken(32)
	if err := a.sessions.PutSession(token, username, now.Add(a.ttl)); err != nil {
		return "", User{}, err
	}
	return token, u, nil
}

// changePIN makes newPIN the user's PIN, in place of pin.
func (a *auth) changePIN(u User, pin, newPIN string) error {
	if err := queue.CheckNewPIN(newPIN); err != nil {
		return err
	}
	if newPIN == pin {
		return problem.Errorf(problem.EInvalid, "Mã PIN mới phải khác mã đang dùng", "the new PIN must differ from the one given")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(newPIN), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	return a.setPIN(u, string(hash))
}

func (a *auth) isGood(username, addr string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Contains(a.good[username], addr)
}

// remember keeps addr as one of the user's own addresses (the latest few).
func (a *auth) remember(username, addr string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	list := slices.DeleteFunc(a.good[username], func(s string) bool { return s == addr })
	a.good[username] = append(list[max(0, len(list)-goodAddrs+1):], addr)
}

// identify returns who the bearer of the request is: a logged-in user, a device,
// or anonymous when there is no Authorization header. A bad credential is an error.
func (a *auth) identify(r *http.Request) (principal, error) {
	return a.identifyToken(bearer(r))
}

// identifyToken is who holds token (a device key or a session).
func (a *auth) identifyToken(token string) (principal, error) {
	if token == "" {
		return principal{}, nil
	}
	// Device keys first: they are in memory, and kiosks call the most.
	hash := []byte(queue.KeyHashOf(token))
	for _, d := range *a.devices.Load() {
		if d.KeyHash != "" && subtle.ConstantTimeCompare([]byte(d.KeyHash), hash) == 1 || d.Key != "" && subtle.ConstantTimeCompare([]byte(d.Key), []byte(token)) == 1 {
			return principal{actor: queue.Actor{Kind: queue.ActorDevice, ID: d.ID}, kind: d.Kind, counter: d.Counter}, nil
		}
	}
	if username, ok := a.sessions.Session(token, a.now()); ok {
		if u, ok := a.user(username); ok {
			return principal{actor: userActor(u), role: u.Role}, nil
		}
	}
	return principal{}, problem.Errorf(problem.EUnauthorized, "Phiên đăng nhập hoặc khoá thiết bị không hợp lệ; hãy đăng nhập lại", "invalid or expired token or device key; log in again")
}

// userActor is how the record names a user.
func userActor(u User) queue.Actor {
	kind := queue.ActorClerk
	if u.Role == RoleAdmin {
		kind = queue.ActorAdmin
	}
	return queue.Actor{Kind: kind, ID: u.Username, Name: u.Name}
}

// bearer reads "Authorization: Bearer X". A browser's websocket cannot set
// that header, so the feed alone also takes ?access_token=X; anywhere else a
// token in the URL would end up in logs and browser history, so it is refused.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			return strings.TrimSpace(h[7:])
		}
		return "-" // present but not a bearer: never matches, so it is refused
	}
	if tok := r.URL.Query().Get("access_token"); tok != "" {
		if r.URL.Path == api.Feed {
			return tok
		}
		return "-"
	}
	return ""
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
