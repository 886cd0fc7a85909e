// Package auth is who a request comes from and the limits on guessing:
// staff logins (bcrypt PINs, sessions kept by the store), device keys, the
// Principal a handler is given, the throttles on wrong PINs and on receipt
// lookups, and the random tokens the office hands out.
package auth

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"

	"golang.org/x/crypto/bcrypt"
)

// Auth checks credentials: staff logins, whose PIN guessing its Guard
// limits (an unknown username costs the same bcrypt work as a known one, so
// timing does not tell which usernames exist), sessions, device keys.
type Auth struct {
	users    atomic.Pointer[map[string]queue.StaffUser] // in force: the settings' (replaced whole on a change)
	devices  atomic.Pointer[[]queue.Device]             // in force: the settings' (replaced whole on a change)
	sessions Sessions
	keepPIN  func(u queue.StaffUser, hash string) (uint64, error)
	ttl      time.Duration
	now      func() time.Time

	guard     *Guard
	dummyHash []byte // compared for unknown usernames
}

// Sessions stores logins (internal/bolt implements it).
// A session names its user and the user's credential version at login
// (queue.StaffUser.Credential): it holds while the user's is the same.
type Sessions interface {
	PutSession(token, username string, credential uint64, expires time.Time) error
	Session(token string, now time.Time) (username string, credential uint64, ok bool)
	DeleteSession(token string, now time.Time) error
}

// Config is what New needs.
type Config struct {
	Users    []queue.StaffUser // the config file's, until the settings hold some
	Devices  []queue.Device
	Sessions Sessions
	// KeepPIN keeps a PIN a user chose (its hash), through the store, and
	// answers the settings version that made it (the user's credential).
	KeepPIN func(u queue.StaffUser, hash string) (uint64, error)
	TTL     time.Duration // a session's life (default 12 h: a working day)
	Now     func() time.Time
}

// New makes the office's Auth.
func New(cfg Config) *Auth {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TTL <= 0 {
		cfg.TTL = 12 * time.Hour
	}
	users := cfg.Users
	a := &Auth{sessions: cfg.Sessions, keepPIN: cfg.KeepPIN, ttl: cfg.TTL, now: cfg.Now, guard: NewGuard(cfg.Now)}
	cost := bcrypt.DefaultCost
	for _, u := range users {
		if c, err := bcrypt.Cost([]byte(u.PINHash)); err == nil {
			cost = c
		}
	}
	a.SetUsers(users)
	a.SetDevices(cfg.Devices)
	a.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("motcua-dummy-pin"), cost)
	return a
}

// SetUsers puts a list of users in force.
func (a *Auth) SetUsers(users []queue.StaffUser) {
	m := map[string]queue.StaffUser{}
	for _, u := range users {
		m[u.Username] = u
	}
	a.users.Store(&m)
}

// SetDevices puts a list of devices in force.
func (a *Auth) SetDevices(devices []queue.Device) { a.devices.Store(&devices) }

// user is the enabled user of that name.
func (a *Auth) User(username string) (queue.StaffUser, bool) {
	u, ok := (*a.users.Load())[username]
	return u, ok && !u.Disabled
}

// Unlock forgets the wrong PINs tried for username, everywhere (an admin
// vouches for the clerk at the desk).
func (a *Auth) Unlock(username string) {
	a.guard.Unlock(username)
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
func (a *Auth) Login(username, pin, newPIN, addr string) (string, queue.StaffUser, error) {
	u, known := a.User(username)
	wait, ok, _ := a.guard.Try(username, addr, known, func() (bool, error) {
		hash := []byte(u.PINHash)
		if !known {
			hash = a.dummyHash
		}
		return bcrypt.CompareHashAndPassword(hash, []byte(pin)) == nil && known, nil
	})
	if wait > 0 {
		return "", queue.StaffUser{}, errLocked(wait)
	}
	if !ok {
		return "", queue.StaffUser{}, problem.Errorf(problem.EUnauthorized, "Sai tên đăng nhập hoặc mã PIN", "wrong username or PIN")
	}
	if u.MustSetPIN && newPIN == "" {
		return "", queue.StaffUser{}, errSetPIN
	}
	if newPIN != "" { // every other session of the user ends with the old PIN
		v, err := a.changePIN(u, pin, newPIN)
		if err != nil {
			return "", queue.StaffUser{}, err
		}
		u.MustSetPIN, u.Credential = false, v
	}
	token := RandomToken(32)
	if err := a.sessions.PutSession(token, username, u.Credential, a.now().Add(a.ttl)); err != nil {
		return "", queue.StaffUser{}, err
	}
	return token, u, nil
}

// changePIN makes newPIN the user's PIN, in place of pin; it answers the
// user's new credential version.
func (a *Auth) changePIN(u queue.StaffUser, pin, newPIN string) (uint64, error) {
	if err := queue.CheckNewPIN(newPIN); err != nil {
		return 0, err
	}
	if newPIN == pin {
		return 0, problem.Errorf(problem.EInvalid, "Mã PIN mới phải khác mã đang dùng", "the new PIN must differ from the one given")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(newPIN), bcrypt.DefaultCost)
	if err != nil {
		return 0, err
	}
	return a.keepPIN(u, string(hash))
}

// Identify returns who the Bearer of the request is: a logged-in user, a device,
// or anonymous when there is no Authorization header. A bad credential is an error.
func (a *Auth) Identify(r *http.Request) (Principal, error) {
	return a.IdentifyToken(Bearer(r))
}

// IdentifyToken is who holds token (a device key or a session).
func (a *Auth) IdentifyToken(token string) (Principal, error) {
	if token == "" {
		return Principal{}, nil
	}
	// queue.Device keys first: they are in memory, and kiosks call the most.
	hash := []byte(queue.KeyHashOf(token))
	for _, d := range *a.devices.Load() {
		if d.KeyHash != "" && subtle.ConstantTimeCompare([]byte(d.KeyHash), hash) == 1 || d.Key != "" && subtle.ConstantTimeCompare([]byte(d.Key), []byte(token)) == 1 {
			return Principal{Actor: queue.Actor{Kind: queue.ActorDevice, ID: d.ID}, Kind: d.Kind, Counter: d.Counter}, nil
		}
	}
	// The user as they are now, under the credential of the login: a PIN
	// changed or reset, a role changed, disabled (even if enabled since),
	// removed or made again — the session is over.
	if username, credential, ok := a.sessions.Session(token, a.now()); ok {
		if u, ok := a.User(username); ok && u.Credential == credential {
			return Principal{Actor: UserActor(u), Role: u.Role}, nil
		}
	}
	return Principal{}, problem.Errorf(problem.EUnauthorized, "Phiên đăng nhập hoặc khoá thiết bị không hợp lệ; hãy đăng nhập lại", "invalid or expired token or device key; log in again")
}

// UserActor is how the record names a user.
func UserActor(u queue.StaffUser) queue.Actor {
	kind := queue.ActorClerk
	if u.Role == queue.RoleAdmin {
		kind = queue.ActorAdmin
	}
	return queue.Actor{Kind: kind, ID: u.Username, Name: u.Name}
}

// Bearer reads "Authorization: Bearer X". A browser's websocket cannot set
// that header, so the feed alone also takes ?access_token=X; anywhere else a
// token in the URL would end up in logs and browser history, so it is refused.
func Bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
			return strings.TrimSpace(h[7:])
		}
		return "-" // present but not a Bearer: never matches, so it is refused
	}
	if tok := r.URL.Query().Get("access_token"); tok != "" {
		if r.URL.Path == api.Feed {
			return tok
		}
		return "-"
	}
	return ""
}

// TTL is how long a session lasts.
func (a *Auth) TTL() time.Duration { return a.ttl }

// Logout ends the session of token.
func (a *Auth) Logout(token string) error { return a.sessions.DeleteSession(token, a.now()) }

// Users is the users in force, by username.
func (a *Auth) Users() map[string]queue.StaffUser { return *a.users.Load() }

// Devices is the devices in force.
func (a *Auth) Devices() []queue.Device { return *a.devices.Load() }
