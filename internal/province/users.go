package province

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"
)

// Roles of the province's users.
const (
	RoleProvince = "province" // every office
	RoleOffice   = "office"   // an office's head: their own office only
)

// User is one who logs into the province's service.
type User struct {
	Username, Name, Role, Office string
}

// Sees says whether the user may see the office's figures.
func (u User) Sees(office string) bool { return u.Role == RoleProvince || u.Office == office }

var usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{2,32}$`)

// ErrLogin is a wrong username or password (which of the two is not said).
var ErrLogin = errors.New("sai tên đăng nhập hoặc mật khẩu / wrong username or password")

// AddUser adds (or, when it exists, resets) a user and returns the password
// made for them, shown once; the change is written to the audit table.
func AddUser(ctx context.Context, pool *pgxpool.Pool, by string, u User) (string, error) {
	switch {
	case !usernamePattern.MatchString(u.Username):
		return "", fmt.Errorf("tên đăng nhập 2–32 ký tự a-z 0-9 . _ - / a username is 2–32 of a-z 0-9 . _ -")
	case u.Role != RoleProvince && u.Role != RoleOffice:
		return "", fmt.Errorf("vai trò %q không có; dùng province hoặc office / no role %q; use province or office", u.Role, u.Role)
	case u.Role == RoleOffice && u.Office == "":
		return "", fmt.Errorf("trưởng bộ phận cần --office / an office head needs --office")
	case u.Name == "":
		u.Name = u.Username
	}
	password, err := newPassword()
	if err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	var office any
	if u.Role == RoleOffice {
		office = u.Office
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (username, name, role, office, pin_hash) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (username) DO UPDATE SET name = excluded.name, role = excluded.role, office = excluded.office, pin_hash = excluded.pin_hash, disabled = false`,
			u.Username, u.Name, u.Role, office, string(hash)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO audit (who, what) VALUES ($1, $2)`, by, fmt.Sprintf("user %s: role %s, office %q, password set", u.Username, u.Role, u.Office))
		return err
	})
	return password, err
}

// Login checks a user's password, and answers the user with the stamp
// their session keeps (UserState's).
func Login(ctx context.Context, pool *pgxpool.Pool, username, password string) (User, string, error) {
	u, hash, err := UserState(ctx, pool, username)
	if errors.Is(err, ErrLogin) {
		bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3ZsD9ZbHI0hR1jG5QKdPIba"), []byte(password)) // as long as a real check
		return User{}, "", ErrLogin
	}
	if err != nil {
		return User{}, "", err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return User{}, "", ErrLogin
	}
	return u, hash, nil
}

// UserState is an enabled user as the database holds them now, and a stamp
// that changes whenever their password is set (the password's hash, for
// the service's memory only); ErrLogin when there is no such enabled user.
// A session compares both with what they were at its login.
func UserState(ctx context.Context, pool *pgxpool.Pool, username string) (User, string, error) {
	var u User
	var office *string
	var hash string
	err := pool.QueryRow(ctx, `SELECT username, name, role, office, pin_hash FROM users WHERE username = $1 AND NOT disabled`, username).Scan(&u.Username, &u.Name, &u.Role, &office, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, "", ErrLogin
	}
	if err != nil {
		return User{}, "", err
	}
	if office != nil {
		u.Office = *office
	}
	return u, hash, nil
}

// DisableUser stops a user from logging in (their sessions end at their
// next request); AddUser enables them again with a new password.
func DisableUser(ctx context.Context, pool *pgxpool.Pool, by, username string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET disabled = true WHERE username = $1`, username)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("không có người dùng %q / no user %q", username, username)
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit (who, what) VALUES ($1, $2)`, by, "user "+username+": disabled")
		return err
	})
}

// newPassword is 12 letters and digits, without the ones read wrongly (0 O 1 l I).
func newPassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}
