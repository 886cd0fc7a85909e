package province

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Bookings (đặt lịch hẹn) are taken here, against the slots the office's
// settings give, and handed to the office over its uplink (it asks for the
// changes after the last it holds), so that they are checked in even while
// the uplink is down.

// Booking is one booking as the province keeps it (the phone aside).
type Booking struct {
	queue.Booked
	Office, Day string
}

// SlotsTaken counts the open bookings of office's service on day, by slot.
func SlotsTaken(ctx context.Context, pool *pgxpool.Pool, office, service, day string) (map[time.Time]int, int, error) {
	out, total := map[time.Time]int{}, 0
	err := scan(ctx, pool, `SELECT slot, count(*) FROM bookings WHERE office = $1 AND service = $2 AND day = $3 AND state = 'booked' GROUP BY slot`,
		[]any{office, service, day}, func(rows pgx.Rows) error {
			var t time.Time
			var n int
			err := rows.Scan(&t, &n)
			out[t.UTC()] = n
			total += n
			return err
		})
	return out, total, err
}

// Book takes a booking of slot, if the slot and the day have room and the
// phone holds no other open booking of the office that day (nor a remote
// number of it). perSlot and perDay are the office's limits.
func Book(ctx context.Context, pool *pgxpool.Pool, office, service, day string, slot time.Time, mac []byte, perSlot, perDay int) (Booking, error) {
	var out Booking
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// One booking of a service's day at a time: the counts below hold.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, office+"|"+service+"|"+day); err != nil {
			return err
		}
		var inSlot, inDay int
		var remote bool
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE slot = $4), count(*),
	EXISTS (SELECT 1 FROM remote_tickets WHERE office = $1 AND day = $3 AND phone_mac = $5)
FROM bookings WHERE office = $1 AND service = $2 AND day = $3 AND state = 'booked'`, office, service, day, slot, mac).Scan(&inSlot, &inDay, &remote); err != nil {
			return err
		}
		switch {
		case remote:
			return ErrPhoneTaken
		case inSlot >= perSlot:
			return problem.Errorf(problem.EFull, "Lượt %s đã đủ người; xin chọn lượt khác", "the %s slot is full; please choose another", slot.In(vietnamZone).Format("15:04"))
		case inDay >= perDay:
			return problem.Errorf(problem.EFull, "Ngày này đã hết lượt đặt lịch; xin chọn ngày khác", "this day has no bookings left; please choose another day")
		}
		for range 10 { // a code drawn twice for the office: draw again
			n, err := rand.Int(rand.Reader, big.NewInt(1_000_000-queue.FirstBookingCode))
			if err != nil {
				return err
			}
			var tok [16]byte
			rand.Read(tok[:])
			out = Booking{Booked: queue.Booked{Code: fmt.Sprint(queue.FirstBookingCode + n.Int64()), Token: hex.EncodeToString(tok[:]), ServiceID: service,
				Slot: slot, State: queue.BookedOpen}, Office: office, Day: day}
			_, err = tx.Exec(ctx, `SAVEPOINT code`)
			if err == nil {
				err = tx.QueryRow(ctx, `INSERT INTO bookings (token, office, code, service, day, slot, state, phone_mac) VALUES ($1, $2, $3, $4, $5, $6, 'booked', $7) RETURNING change`,
					out.Token, office, out.Code, service, day, slot, mac).Scan(&out.Change)
			}
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "23505" {
				if pe.ConstraintName == "bookings_phone" {
					return ErrPhoneTaken
				}
				if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT code`); err != nil {
					return err
				}
				continue
			}
			return err
		}
		return problem.Errorf(problem.EInternal, "Chưa cấp được mã lịch hẹn", "no booking code could be drawn")
	})
	return out, err
}

// BookingByToken is the booking of token.
func BookingByToken(ctx context.Context, pool *pgxpool.Pool, token string) (Booking, bool, error) {
	var b Booking
	err := pool.QueryRow(ctx, `SELECT token, office, code, service, day, slot, state, change FROM bookings WHERE token = $1`, token).
		Scan(&b.Token, &b.Office, &b.Code, &b.ServiceID, &b.Day, &b.Slot, &b.State, &b.Change)
	if errors.Is(err, pgx.ErrNoRows) {
		return Booking{}, false, nil
	}
	return b, err == nil, err
}

// CancelBooking cancels the open booking of token (its change goes to the
// office with the next ask).
func CancelBooking(ctx context.Context, pool *pgxpool.Pool, token string) error {
	tag, err := pool.Exec(ctx, `UPDATE bookings SET state = 'cancelled', change = nextval(pg_get_serial_sequence('bookings', 'change')) WHERE token = $1 AND state = 'booked'`, token)
	if err == nil && tag.RowsAffected() == 0 {
		return problem.Errorf(problem.EConflict, "Lịch hẹn này không còn để huỷ", "this booking is no longer open to cancel")
	}
	return err
}

// BookingsAfter are office's bookings changed after change, in order, at
// most limit.
func BookingsAfter(ctx context.Context, pool *pgxpool.Pool, office string, change int64, limit int) ([]queue.Booked, error) {
	var out []queue.Booked
	err := scan(ctx, pool, `SELECT code, token, service, slot, state, change FROM bookings WHERE office = $1 AND change > $2 ORDER BY change LIMIT $3`,
		[]any{office, change, limit}, func(rows pgx.Rows) error {
			var b queue.Booked
			err := rows.Scan(&b.Code, &b.Token, &b.ServiceID, &b.Slot, &b.State, &b.Change)
			out = append(out, b)
			return err
		})
	return out, err
}

// PastBookings counts the offices' bookings not cancelled whose slot fell
// in [from, to) and before now (the office says which came: its booked
// tickets).
func PastBookings(ctx context.Context, pool *pgxpool.Pool, ids []string, from, to, now time.Time) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM bookings WHERE office = ANY($1) AND state <> 'cancelled' AND slot >= $2 AND slot < $3 AND slot < $4`,
		ids, from, to, now).Scan(&n)
	return n, err
}

// EraseBookings erases the phones' hashes of the bookings of days before
// before; the bookings stay, without them, for the reports.
func EraseBookings(ctx context.Context, pool *pgxpool.Pool, before string) error {
	_, err := pool.Exec(ctx, `UPDATE bookings SET phone_mac = ''::bytea WHERE day < $1 AND phone_mac <> ''::bytea`, before)
	return err
}

var vietnamZone = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}()
