// Package province is the province's copy of every office's event log, on
// PostgreSQL (pgx): the schema and its versioned migrations, the idempotent
// ingest of an office's chained events, and the check that each office's
// chain there is complete and unaltered (docs/PROVINCE.md).
package province

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/chain"
)

// Event is one chained event of an office as shipped: seq, chain hash and
// the stored JSON itself (the hash covers it byte for byte).
type Event struct {
	Seq  uint64
	Hash []byte
	Raw  []byte
}

// Ingest stores an office's events, each once however often it is sent
// (primary key office, seq and the event's time), and folds them into what
// the reports read (fold.go), in one transaction. profile, when not nil, is
// the office's settings (queue.Office as JSON) the reports are laid out by.
func Ingest(ctx context.Context, pool *pgxpool.Pool, office string, profile []byte, evs []Event) error {
	type row struct {
		seq  uint64
		at   time.Time
		kind string
		ev   Event
	}
	rows := make([]row, 0, len(evs))
	for _, e := range evs {
		var head struct {
			Type string    `json:"type"`
			Time time.Time `json:"time"`
		}
		if !utf8.Valid(e.Raw) {
			return fmt.Errorf("sự kiện %d không phải văn bản UTF-8 / event %d is not UTF-8 text", e.Seq, e.Seq)
		}
		if err := json.Unmarshal(e.Raw, &head); err != nil {
			return fmt.Errorf("event %d: %w", e.Seq, err)
		}
		at := head.Time.UTC()
		rows = append(rows, row{e.Seq, at, head.Type, e})
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO offices (id) VALUES ($1) ON CONFLICT DO NOTHING`, office); err != nil {
			return err
		}
		// A shipped profile stands in only while the office's chain has
		// carried none; then the chain's says (fold.go).
		if _, err := tx.Exec(ctx, `UPDATE offices SET last_ingest_at = now(),
	profile = CASE WHEN profile_seq IS NULL THEN coalesce($2, profile) ELSE profile END WHERE id = $1`, office, nilIfEmpty(profile)); err != nil {
			return err
		}
		if err := refuseRewrites(ctx, tx, office, evs); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for _, r := range rows {
			batch.Queue(`INSERT INTO events (office, seq, time, type, hash, raw) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
				office, int64(r.seq), r.at, r.kind, r.ev.Hash, r.ev.Raw)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		return fold(ctx, tx, office, evs)
	})
	var rewrite *RewriteError
	if errors.As(err, &rewrite) { // the batch is refused whole; the province's staff are told
		if aerr := Alert(ctx, pool, office, rewrite.Error()); aerr != nil {
			return errors.Join(err, aerr)
		}
	}
	return err
}

// RewriteError is an event at a seq the province holds already, with
// another body: the batch is refused, the old event kept.
type RewriteError struct {
	Office string
	Seq    uint64
}

func (e *RewriteError) Error() string {
	return fmt.Sprintf("văn phòng %s định ghi đè sự kiện số %d đã gửi; giữ bản cũ / office %s tried to rewrite seq %d; the stored one is kept", e.Office, e.Seq, e.Office, e.Seq)
}

// refuseRewrites answers a RewriteError for the first event of evs whose
// seq the province holds with another hash or body (the same again is
// fine: shipping is at least once).
func refuseRewrites(ctx context.Context, tx pgx.Tx, office string, evs []Event) error {
	seqs := make([]int64, len(evs))
	byseq := make(map[int64]Event, len(evs))
	for i, e := range evs {
		seqs[i], byseq[int64(e.Seq)] = int64(e.Seq), e
	}
	var bad int64
	err := scan(ctx, tx, `SELECT seq, hash, raw FROM events WHERE office = $1 AND seq = ANY($2) ORDER BY seq`, []any{office, seqs}, func(rows pgx.Rows) error {
		var seq int64
		var hash, raw []byte
		if err := rows.Scan(&seq, &hash, &raw); err != nil {
			return err
		}
		if e := byseq[seq]; bad == 0 && (!bytes.Equal(e.Hash, hash) || !bytes.Equal(e.Raw, raw)) {
			bad = seq
		}
		return nil
	})
	if err == nil && bad != 0 {
		err = &RewriteError{Office: office, Seq: uint64(bad)}
	}
	return err
}

// Folded is how far the province holds the office's events without a gap
// (0 for an office it has never heard of): where its replicator ships from
// when its own cursor is ahead of it.
func Folded(ctx context.Context, pool *pgxpool.Pool, office string) (uint64, error) {
	var n int64
	err := pool.QueryRow(ctx, `SELECT coalesce((SELECT folded FROM offices WHERE id = $1), 0)`, office).Scan(&n)
	return uint64(n), err
}

func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// Chain is an office's chain as the province holds it.
type Chain struct {
	Office  string
	Events  int64
	LastSeq int64
	Fault   string   // "" when complete and unaltered, and its folded tables what the events make of them
	Rows    []string // the folded rows that differ from the events (rederive.go), each named
}

// Verify walks each office's events in seq order: seqs 1, 2, 3 … with no gap
// or repeat, each hash the chain of the one before and the event's own JSON;
// then, for an intact chain, folds its events again in memory and compares
// every folded table with them (rederive.go). One worker a core takes the
// offices one by one, each with a query of its own, so that the database
// reads as many offices at once as there are cores.
func Verify(ctx context.Context, pool *pgxpool.Pool) ([]Chain, error) {
	var ids []string
	if err := scan(ctx, pool, `SELECT id FROM offices ORDER BY id`, nil, func(rows pgx.Rows) error {
		var id string
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	}); err != nil {
		return nil, err
	}
	chains := make([]Chain, len(ids))
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	for range min(len(ids), max(1, runtime.GOMAXPROCS(0))) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(ids); i = int(next.Add(1) - 1) {
				c, der, err := walk(ctx, pool, ids[i])
				if err == nil && c.Fault == "" && c.Events > 0 {
					err = rederive(ctx, pool, &c, der)
				}
				if err != nil {
					mu.Lock()
					failed = cmp.Or(failed, err)
					mu.Unlock()
					return
				}
				chains[i] = c
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return nil, failed
	}
	return slices.DeleteFunc(chains, func(c Chain) bool { return c.Events == 0 }), nil // an office that never shipped has no chain
}

// walk checks an office's chain and reads what each event folds.
func walk(ctx context.Context, pool *pgxpool.Pool, office string) (Chain, *derived, error) {
	c, der := Chain{Office: office}, newDerived()
	prev := make([]byte, chain.Size)
	rows, err := pool.Query(ctx, `SELECT seq, hash, raw FROM events WHERE office = $1 ORDER BY seq`, office)
	if err != nil {
		return c, nil, err
	}
	defer rows.Close()
	seqBinary := rows.FieldDescriptions()[0].Format == pgx.BinaryFormatCode
	for rows.Next() {
		// The row's own bytes, not copies: each is read before the next
		// row (what the walk keeps, it copies).
		v := rows.RawValues()
		if len(v) != 3 || v[0] == nil || v[1] == nil || v[2] == nil {
			return c, nil, errors.New("events: a row with a NULL")
		}
		seq, err := int8Value(v[0], seqBinary)
		if err != nil {
			return c, nil, err
		}
		hash, raw := v[1], v[2]
		if c.Fault != "" {
			c.Events, c.LastSeq = c.Events+1, seq
			continue
		}
		switch want := chain.Hash(prev, raw); {
		case seq != c.LastSeq+1:
			c.Fault = fmt.Sprintf("seq %d after %d: a gap or a repeat", seq, c.LastSeq)
		case !bytes.Equal(want, hash):
			c.Fault = fmt.Sprintf("seq %d: the hash does not chain (the row was edited, or the one before it)", seq)
		default:
			if err := der.add(seq, raw); err != nil {
				c.Fault = fmt.Sprintf("seq %d: not an event the fold reads: %v", seq, err)
			}
		}
		c.Events, c.LastSeq, prev = c.Events+1, seq, append(prev[:0], hash...)
	}
	return c, der, rows.Err()
}

// VerifyGC sets the collector for a run of Verify, which decodes every
// ticket of an office it holds and lets it go: a collection at 5× the live
// heap, not 2× (a province's year verified ~20% sooner; one office's tickets
// in memory at a time a worker). It answers the setting to put back.
func VerifyGC() (restore func()) {
	old := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(old) }
}

// rederive compares an intact chain's office's folded tables with what its
// events, read into der, make of them, noting what differs on c.
func rederive(ctx context.Context, pool *pgxpool.Pool, c *Chain, der *derived) error {
	diffs, err := der.compare(ctx, pool, c.Office, c.LastSeq)
	if err != nil {
		return err
	}
	if c.Rows = diffs; len(diffs) > 0 {
		c.Fault = fmt.Sprintf("%d folded rows differ from the events, first: %s", len(diffs), diffs[0])
	}
	return nil
}

// int8Value reads a bigint column's bytes: 8 bytes big-endian in the
// binary format pgx asks for, decimal text otherwise.
func int8Value(b []byte, binaryFormat bool) (int64, error) {
	if binaryFormat {
		if len(b) != 8 {
			return 0, fmt.Errorf("a bigint of %d bytes", len(b))
		}
		return int64(binary.BigEndian.Uint64(b)), nil
	}
	return strconv.ParseInt(string(b), 10, 64)
}
