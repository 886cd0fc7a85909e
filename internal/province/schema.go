package province

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema's versions, applied in order, each once. The
// events table is partitioned by month (created as events arrive).
var migrations = []string{
	1: `CREATE TABLE offices (id text PRIMARY KEY, first_seen timestamptz NOT NULL DEFAULT now());
CREATE TABLE events (
	office text NOT NULL REFERENCES offices(id),
	seq bigint NOT NULL,
	time timestamptz NOT NULL,
	type text NOT NULL,
	hash bytea NOT NULL,
	raw bytea NOT NULL,
	body jsonb NOT NULL,
	PRIMARY KEY (office, seq, time)
) PARTITION BY RANGE (time);
CREATE INDEX events_office_time ON events (office, time);`,
	// 2: what the reports are made of, folded from the events as they
	// arrive (fold.go): each office's settings (the report's services,
	// counters, rating scale and zone), how far its events are folded, each
	// ticket's latest state, each day's ticket tally (queue's stored day
	// summary) and each month's (the days merged: a quarter's report reads
	// three per office), each dossier's latest facts with its days (the open
	// stock and the filings by status are counted from them), the dossiers'
	// day flows by group (intake.Flows's counts, added up in SQL); and the
	// province's own users.
	2: `ALTER TABLE offices ADD COLUMN profile jsonb, ADD COLUMN folded bigint NOT NULL DEFAULT 0,
	ADD COLUMN last_event_at timestamptz, ADD COLUMN last_ingest_at timestamptz;
CREATE TABLE tickets (
	office text NOT NULL REFERENCES offices(id),
	id text NOT NULL,
	day text NOT NULL,
	state text NOT NULL,
	queued_at timestamptz NOT NULL,
	ticket jsonb NOT NULL,
	PRIMARY KEY (office, id)
);
CREATE INDEX tickets_day ON tickets (office, day);
CREATE TABLE ticket_days (office text NOT NULL REFERENCES offices(id), day text NOT NULL, summary bytea NOT NULL, PRIMARY KEY (office, day));
CREATE INDEX ticket_days_day ON ticket_days (day);
CREATE TABLE ticket_months (office text NOT NULL REFERENCES offices(id), month text NOT NULL, summary bytea NOT NULL, PRIMARY KEY (office, month));
CREATE TABLE dossiers (
	office text NOT NULL REFERENCES offices(id),
	code text NOT NULL,
	procedure text NOT NULL,
	clerk text NOT NULL,
	status text NOT NULL,
	filed_day text NOT NULL, -- YYYY-MM-DD in the office's zone: when it was filed (every filing, refused ones too)
	received_day text,       -- for a received dossier (not a filing only)
	due_day text,
	closed_day text,         -- the result ready, or withdrawn
	facts jsonb NOT NULL,
	PRIMARY KEY (office, code)
);
CREATE INDEX dossiers_filed ON dossiers (filed_day);
CREATE INDEX dossiers_open ON dossiers ((coalesce(closed_day, '9999-99-99')), received_day);
CREATE TABLE dossier_days (
	office text NOT NULL REFERENCES offices(id),
	grp text NOT NULL,
	day text NOT NULL,
	received int NOT NULL, by_post int NOT NULL, resolved int NOT NULL, early int NOT NULL, on_time int NOT NULL, late int NOT NULL,
	ind1 int NOT NULL, ind3 int NOT NULL, supplements int NOT NULL, apologies int NOT NULL, withdrawn int NOT NULL, closed int NOT NULL,
	PRIMARY KEY (office, grp, day)
);
CREATE INDEX dossier_days_day ON dossier_days (day);
CREATE TABLE users (
	username text PRIMARY KEY,
	name text NOT NULL,
	role text NOT NULL CHECK (role IN ('province', 'office')),
	office text,
	pin_hash text NOT NULL,
	disabled boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE audit (at timestamptz NOT NULL DEFAULT now(), who text NOT NULL, what text NOT NULL);`,
	// 3: the uplink — each office's name and the SHA-256 of its key (the
	// key names the office: its events are stored under it), and the
	// province's alerts (an office that claimed another's id, or tried to
	// rewrite an event it had shipped).
	3: `ALTER TABLE offices ADD COLUMN name text, ADD COLUMN key_hash bytea, ADD COLUMN key_at timestamptz;
CREATE UNIQUE INDEX offices_key ON offices (key_hash) WHERE key_hash IS NOT NULL;
CREATE TABLE alerts (at timestamptz NOT NULL DEFAULT now(), office text NOT NULL, what text NOT NULL);`,
	// 4: least privilege — events of a month with no partition of its own go
	// to a default one, so that storing them is never DDL: the service's
	// role has no right to create tables; the owner's migrate makes the
	// coming months' partitions (PrepareMonths).
	4: `CREATE TABLE IF NOT EXISTS events_default PARTITION OF events DEFAULT;`,
	// 5: nothing kept twice — an event's JSON is its raw bytes only (the
	// hash covers them); the view event_bodies reads them as json for the
	// BI tools, so no copy can say otherwise. The office's profile comes
	// from its chain (settings.changed's office): profile_seq is the event
	// it came from (NULL while the office's chain has carried none, its
	// shipped profile standing in). A ticket's row keeps its last event's
	// JSON as written (json, not jsonb): verify compares the bytes.
	5: `ALTER TABLE events DROP COLUMN IF EXISTS body;
ALTER TABLE tickets ALTER COLUMN ticket TYPE json USING ticket::json;
CREATE VIEW event_bodies AS SELECT office, seq, time, type, convert_from(raw, 'UTF8')::json AS body FROM events;
ALTER TABLE offices ADD COLUMN profile_seq bigint;`,
	// 6: the citizens' door — each remote ticket given through the
	// province: its office, day, token (its status page) and check-in
	// code, and its phone number only as a keyed hash (phone_mac: the one
	// active number per phone per office per day), erased after the
	// retention (remote.go); the key of that hash in secrets, which the
	// read-only role never sees.
	6: `CREATE TABLE remote_tickets (
	token text PRIMARY KEY,
	office text NOT NULL REFERENCES offices(id),
	day text NOT NULL,
	service text NOT NULL,
	number int NOT NULL,
	display text NOT NULL,
	check_in text NOT NULL,
	phone_mac bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX remote_tickets_phone ON remote_tickets (office, day, phone_mac);
CREATE INDEX remote_tickets_created ON remote_tickets (created_at);
CREATE TABLE secrets (name text PRIMARY KEY, value bytea NOT NULL);`,
	// 7: bookings (đặt lịch hẹn) taken here for the offices — each with its
	// six-digit code for the kiosk, its token (its page), its slot and
	// state; change orders the changes an office asks for over its uplink;
	// the phone again only as a keyed hash, erased once the day is past (the
	// booking stays for the reports).
	7: `CREATE TABLE bookings (
	token text PRIMARY KEY,
	office text NOT NULL REFERENCES offices(id),
	code text NOT NULL,
	service text NOT NULL,
	day text NOT NULL,
	slot timestamptz NOT NULL,
	state text NOT NULL,
	phone_mac bytea NOT NULL,
	change bigserial NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX bookings_code ON bookings (office, code);
CREATE UNIQUE INDEX bookings_phone ON bookings (office, day, phone_mac) WHERE state = 'booked' AND phone_mac <> ''::bytea;
CREATE INDEX bookings_change ON bookings (office, change);
CREATE INDEX bookings_slot ON bookings (office, service, day);`,
	// 8: messages to citizens sent with the province's Zalo OA for the
	// offices — each office's message id once (no phone, no text: they
	// pass through the sending only), and the OA's token pair (zns.go).
	8: `CREATE TABLE zns_messages (
	office text NOT NULL REFERENCES offices(id),
	id text NOT NULL,
	kind text NOT NULL,
	state text NOT NULL,
	permanent boolean NOT NULL DEFAULT false,
	answer text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (office, id)
);
CREATE INDEX zns_messages_created ON zns_messages (created_at);
CREATE TABLE zalo_tokens (
	oa text PRIMARY KEY,
	access text NOT NULL,
	expires timestamptz NOT NULL,
	refresh text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);`,
	// 9: the fees (due, collected, paid without cash — amounts only, no
	// payer) and the online help desk's sessions in the dossiers' day
	// tallies, as the offices count them (intake.Flows).
	9: `ALTER TABLE dossier_days ADD COLUMN online_helped int NOT NULL DEFAULT 0, ADD COLUMN online_filed int NOT NULL DEFAULT 0,
	ADD COLUMN fee_dossiers int NOT NULL DEFAULT 0, ADD COLUMN fees_due bigint NOT NULL DEFAULT 0,
	ADD COLUMN fees_paid int NOT NULL DEFAULT 0, ADD COLUMN fees_collected bigint NOT NULL DEFAULT 0,
	ADD COLUMN cashless int NOT NULL DEFAULT 0, ADD COLUMN cashless_amount bigint NOT NULL DEFAULT 0;`,
}

// Latest is the schema's version after every migration.
var Latest = len(migrations) - 1

// Version is the schema's version (0: none yet), read without any right
// but to read schema_migrations.
func Version(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var v int
	err := pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table: nothing migrated yet
		return 0, nil
	}
	return v, err
}

// ErrSchema is a schema behind this program's: the database's owner runs
// motcua-province migrate first.
var ErrSchema = errors.New("lược đồ CSDL của tỉnh chưa cập nhật: chủ CSDL chạy motcua-province migrate trước / the province's schema is behind: its owner runs motcua-province migrate first")

// Ready checks the schema is this program's, with no DDL: the service runs
// under a role that may not create tables.
func Ready(ctx context.Context, pool *pgxpool.Pool) error {
	v, err := Version(ctx, pool)
	if err != nil {
		return err
	}
	if v < Latest {
		return fmt.Errorf("%w (%d < %d)", ErrSchema, v, Latest)
	}
	return nil
}

// Migrate brings the schema to the latest version, recording each in
// schema_migrations; it returns the version.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	return MigrateTo(ctx, pool, Latest)
}

// MigrateTo brings the schema to version to (a test starts from an older
// one); each migration runs in one transaction with its record.
func MigrateTo(ctx context.Context, pool *pgxpool.Pool, to int) (int, error) {
	conn, err := pool.Acquire(ctx) // one migrator at a time (every office's replicator migrates)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(15015)`); err != nil {
		return 0, err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock(15015)`)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, err
	}
	var have int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return 0, err
	}
	for v := have + 1; v <= min(to, Latest); v++ {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v)
			return err
		})
		if err != nil {
			return have, err
		}
		have = v
	}
	return have, nil
}
