package province

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// An office reaches the province through the uplink with a key the
// province issued it (motcua-province office add, office key): the key
// names the office, so its events are stored under that office whatever
// the office says of itself. The province keeps the key's SHA-256 only.

// ErrKey is a key that names no office (never issued, or replaced).
var ErrKey = errors.New("khoá văn phòng không hợp lệ hoặc đã được thay / the office key is not valid, or was replaced")

var officeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

func keyHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

func newKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// AddOffice creates an office at the province with its name and returns
// its key, shown once. An office already there (one that shipped over a
// database login before the uplink) is given its name and a key.
func AddOffice(ctx context.Context, pool *pgxpool.Pool, by, id, name string) (string, error) {
	if !officeID.MatchString(id) {
		return "", fmt.Errorf("mã văn phòng %q: 1–40 ký tự A-Z a-z 0-9 . _ - / an office id is 1–40 of A-Z a-z 0-9 . _ -: %q", id, id)
	}
	if name == "" {
		return "", fmt.Errorf("văn phòng cần tên (--name) / an office needs a name (--name)")
	}
	key, err := newKey()
	if err != nil {
		return "", err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var had bool
		if err := tx.QueryRow(ctx, `SELECT key_hash IS NOT NULL FROM offices WHERE id = $1`, id).Scan(&had); err == nil && had {
			return fmt.Errorf("văn phòng %s đã có; cấp khoá mới bằng office key / office %s exists; issue a new key with office key", id, id)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO offices (id, name, key_hash, key_at) VALUES ($1, $2, $3, now())
ON CONFLICT (id) DO UPDATE SET name = excluded.name, key_hash = excluded.key_hash, key_at = excluded.key_at`, id, name, keyHash(key)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO audit (who, what) VALUES ($1, $2)`, by, fmt.Sprintf("office %s (%s): added, key issued", id, name))
		return err
	})
	return key, err
}

// NewOfficeKey issues the office a new key, shown once; the old one stops
// working at once.
func NewOfficeKey(ctx context.Context, pool *pgxpool.Pool, by, id string) (string, error) {
	key, err := newKey()
	if err != nil {
		return "", err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE offices SET key_hash = $2, key_at = now() WHERE id = $1`, id, keyHash(key))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("không có văn phòng %s; thêm bằng office add / no office %s; add it with office add", id, id)
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit (who, what) VALUES ($1, $2)`, by, "office "+id+": new key issued")
		return err
	})
	return key, err
}

// OfficeOfKey is the office a key names (ErrKey when none does).
func OfficeOfKey(ctx context.Context, pool *pgxpool.Pool, key string) (string, error) {
	var id string
	err := pool.QueryRow(ctx, `SELECT id FROM offices WHERE key_hash = $1`, keyHash(key)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) || key == "" {
		return "", ErrKey
	}
	return id, err
}

// Alert records something the province's staff must look at (an office that
// claimed another's id, or tried to rewrite an event).
func Alert(ctx context.Context, pool *pgxpool.Pool, office, what string) error {
	_, err := pool.Exec(ctx, `INSERT INTO alerts (office, what) VALUES ($1, $2)`, office, what)
	return err
}

// Raised is an alert as the dashboard lists it.
type Raised struct {
	At           time.Time
	Office, What string
}

// Alerts are the alerts since since, newest first, of the offices ids (all
// of them when ids is empty).
func Alerts(ctx context.Context, pool *pgxpool.Pool, ids []string, since time.Time) ([]Raised, error) {
	var out []Raised
	err := scan(ctx, pool, `SELECT at, office, what FROM alerts WHERE at >= $2 AND (coalesce(cardinality($1::text[]), 0) = 0 OR office = ANY($1))
ORDER BY at DESC LIMIT 50`, []any{ids, since}, func(rows pgx.Rows) error {
		var a Raised
		err := rows.Scan(&a.At, &a.Office, &a.What)
		out = append(out, a)
		return err
	})
	return out, err
}

// Listed is an office as office list shows it.
type Listed struct {
	ID, Name string
	Keyed    bool  // has a key for the uplink
	Folded   int64 // the last seq it holds without a gap
}

// ListOffices is every office the province knows, by id.
func ListOffices(ctx context.Context, pool *pgxpool.Pool) ([]Listed, error) {
	var out []Listed
	err := scan(ctx, pool, `SELECT id, coalesce(name, profile->>'name', ''), key_hash IS NOT NULL, folded FROM offices ORDER BY id`, nil, func(rows pgx.Rows) error {
		var o Listed
		err := rows.Scan(&o.ID, &o.Name, &o.Keyed, &o.Folded)
		out = append(out, o)
		return err
	})
	return out, err
}
