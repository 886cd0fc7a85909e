package province

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/notify"
	"motcua/internal/zalo"
)

// The messages the province sends with its Zalo OA for its offices: each
// office's message id once. A row is written before Zalo is asked
// (sending) and its outcome after; the phone and the text are never
// written.

// znsStuck is how long a message may stay "sending" before the province
// takes it that the sending was cut short (the service stopped): it is
// then not sent again — told as sent, with that said.
const znsStuck = 2 * time.Minute

// BeginZNS claims an office's message id for sending. It returns nil when
// the caller is to send it now, or what an earlier sending of the same id
// came to (sent, refused for good, or under way).
func BeginZNS(ctx context.Context, pool *pgxpool.Pool, office, id string, kind notify.Kind) (*notify.Outcome, error) {
	tag, err := pool.Exec(ctx, `INSERT INTO zns_messages (office, id, kind, state) VALUES ($1, $2, $3, 'sending') ON CONFLICT DO NOTHING`, office, id, string(kind))
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var state, answer string
	var permanent bool
	var updated time.Time
	err = pool.QueryRow(ctx, `SELECT state, permanent, answer, updated_at FROM zns_messages WHERE office = $1 AND id = $2`, office, id).Scan(&state, &permanent, &answer, &updated)
	if err != nil {
		return nil, err
	}
	switch {
	case state == "sent":
		return &notify.Outcome{Sent: true, Answer: answer + " (đã gửi trước đó / sent before)"}, nil
	case state == "failed" && permanent:
		return &notify.Outcome{Permanent: true, Answer: answer}, nil
	case state == "sending" && time.Since(updated) < znsStuck:
		return &notify.Outcome{Limited: true, RetryAfter: znsStuck, Answer: "ZNS: đang gửi / being sent"}, nil
	case state == "sending":
		return &notify.Outcome{Sent: true, Answer: "ZNS: việc gửi bị ngắt giữa chừng; không gửi lại để khỏi gửi hai lần / the sending was cut short; not sent again, so as never to send twice"}, nil
	}
	// A passing failure before: this try is the caller's.
	tag, err = pool.Exec(ctx, `UPDATE zns_messages SET state = 'sending', updated_at = now() WHERE office = $1 AND id = $2 AND state = 'failed'`, office, id)
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() == 0 {
		return &notify.Outcome{Limited: true, RetryAfter: time.Minute, Answer: "ZNS: đang gửi / being sent"}, nil
	}
	return nil, nil
}

// EndZNS records what a sending came to.
func EndZNS(ctx context.Context, pool *pgxpool.Pool, office, id string, out notify.Outcome) error {
	state := "failed"
	if out.Sent {
		state = "sent"
	}
	_, err := pool.Exec(ctx, `UPDATE zns_messages SET state = $3, permanent = $4, answer = $5, updated_at = now() WHERE office = $1 AND id = $2`,
		office, id, state, out.Permanent, out.Answer)
	return err
}

// ForgetZNS drops the records of messages older than before.
func ForgetZNS(ctx context.Context, pool *pgxpool.Pool, before time.Time) (int64, error) {
	tag, err := pool.Exec(ctx, `DELETE FROM zns_messages WHERE created_at < $1`, before)
	return tag.RowsAffected(), err
}

// ZaloTokens keeps an OA's token pair in the province's database.
type ZaloTokens struct {
	Pool *pgxpool.Pool
	OA   string // the OA's app id
}

// Load reads the pair (empty when none is kept yet).
func (z ZaloTokens) Load(ctx context.Context) (zalo.Token, error) {
	var t zalo.Token
	err := z.Pool.QueryRow(ctx, `SELECT access, expires, refresh FROM zalo_tokens WHERE oa = $1`, z.OA).Scan(&t.Access, &t.Expires, &t.Refresh)
	if errors.Is(err, pgx.ErrNoRows) {
		return zalo.Token{}, nil
	}
	return t, err
}

// Save keeps the pair (a refresh token is good once: the new one must be
// kept before the access token is used).
func (z ZaloTokens) Save(ctx context.Context, t zalo.Token) error {
	_, err := z.Pool.Exec(ctx, `INSERT INTO zalo_tokens (oa, access, expires, refresh) VALUES ($1, $2, $3, $4)
	ON CONFLICT (oa) DO UPDATE SET access = EXCLUDED.access, expires = EXCLUDED.expires, refresh = EXCLUDED.refresh, updated_at = now()`,
		z.OA, t.Access, t.Expires, t.Refresh)
	return err
}
