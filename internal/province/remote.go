package province

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/problem"
)

// Remote tickets given through the province (the citizens' door): the
// office numbers them; the province keeps which office and day each
// belongs to, for its status page, and the phone only as a keyed hash, for
// the rule of one active number per phone per office per day, erased after
// the retention.

// Remote is one remote ticket the province gave out.
type Remote struct {
	Token, Office, Day, Service, Display, CheckIn string
	Number                                        int
	Created                                       time.Time
}

// ErrPhoneTaken: the phone holds a number of the office today already.
var ErrPhoneTaken = problem.Errorf(problem.EConflict, "Số điện thoại này đã lấy một số hoặc đặt một lịch của văn phòng trong ngày đó. Mỗi số điện thoại được một lần mỗi ngày",
	"this phone number holds a number or a booking of the office that day already: one a day per phone")

// PhoneMAC is the keyed hash the province keeps of a phone number, under
// the key kept in secrets (made on first use).
func PhoneMAC(ctx context.Context, pool *pgxpool.Pool, phone string) ([]byte, error) {
	var key []byte
	err := pool.QueryRow(ctx, `SELECT value FROM secrets WHERE name = 'phone'`).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) {
		fresh := make([]byte, 32)
		rand.Read(fresh)
		if _, err = pool.Exec(ctx, `INSERT INTO secrets (name, value) VALUES ('phone', $1) ON CONFLICT DO NOTHING`, fresh); err == nil {
			err = pool.QueryRow(ctx, `SELECT value FROM secrets WHERE name = 'phone'`).Scan(&key)
		}
	}
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(phone))
	return m.Sum(nil), nil
}

// PhoneTaken says whether the phone's hash holds a number or an open
// booking of office on day.
func PhoneTaken(ctx context.Context, pool *pgxpool.Pool, office, day string, mac []byte) (bool, error) {
	var taken bool
	err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM remote_tickets WHERE office = $1 AND day = $2 AND phone_mac = $3)
	OR EXISTS (SELECT 1 FROM bookings WHERE office = $1 AND day = $2 AND phone_mac = $3 AND state = 'booked')`, office, day, mac).Scan(&taken)
	return taken, err
}

// RecordRemote keeps a remote ticket given out, and erases those made
// before the retention ends (their phones' hashes with them).
// ErrPhoneTaken when the phone took another at the same moment.
func RecordRemote(ctx context.Context, pool *pgxpool.Pool, r Remote, mac []byte, retention time.Duration) error {
	_, err := pool.Exec(ctx, `INSERT INTO remote_tickets (token, office, day, service, number, display, check_in, phone_mac, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.Token, r.Office, r.Day, r.Service, r.Number, r.Display, r.CheckIn, mac, r.Created)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return ErrPhoneTaken
	}
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `DELETE FROM remote_tickets WHERE created_at < $1`, r.Created.Add(-retention))
	return err
}

// RemoteByToken is the remote ticket of token, if the province still
// keeps it.
func RemoteByToken(ctx context.Context, pool *pgxpool.Pool, token string) (Remote, bool, error) {
	var r Remote
	err := pool.QueryRow(ctx, `SELECT token, office, day, service, number, display, check_in, created_at FROM remote_tickets WHERE token = $1`, token).
		Scan(&r.Token, &r.Office, &r.Day, &r.Service, &r.Number, &r.Display, &r.CheckIn, &r.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return Remote{}, false, nil
	}
	return r, err == nil, err
}
