package province

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Least privilege (docs/PROVINCE.md): the database's owner migrates the
// schema and makes the events' coming monthly partitions (motcua-province
// migrate); the service's role appends events, folds and reads, with no
// DDL; a read-only role serves the province's BI tools. No office holds
// any of them.

// PrepareMonths makes the events' partitions of n months from from's on,
// those not made yet; a month whose events already went to the default
// partition keeps them there (a partition over them would be refused).
func PrepareMonths(ctx context.Context, pool *pgxpool.Pool, from time.Time, n int) error {
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	for range n {
		next := m.AddDate(0, 1, 0)
		var taken bool
		if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM events_default WHERE time >= $1 AND time < $2)`, m, next).Scan(&taken); err != nil {
			return err
		}
		if !taken {
			name := "events_" + m.Format("200601")
			if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF events FOR VALUES FROM ('%s') TO ('%s')`,
				name, m.Format(time.RFC3339), next.Format(time.RFC3339))); err != nil {
				return err
			}
		}
		m = next
	}
	return nil
}

// Grant gives the service's role what it needs on every table, now and
// after later migrations (read, append, fold: no DDL), and the read-only
// role SELECT; an empty name grants nothing.
func Grant(ctx context.Context, pool *pgxpool.Pool, service, read string) error {
	for _, g := range []struct{ role, rights string }{{service, "SELECT, INSERT, UPDATE, DELETE"}, {read, "SELECT"}} {
		if g.role == "" {
			continue
		}
		r := pgx.Identifier{g.role}.Sanitize()
		for _, sql := range []string{
			`GRANT USAGE ON SCHEMA public TO ` + r,
			`GRANT ` + g.rights + ` ON ALL TABLES IN SCHEMA public TO ` + r,
			`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ` + g.rights + ` ON TABLES TO ` + r,
		} {
			if _, err := pool.Exec(ctx, sql); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
		}
	}
	if service != "" { // the bookings' order of changes is a sequence
		r := pgx.Identifier{service}.Sanitize()
		for _, sql := range []string{`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ` + r,
			`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ` + r} {
			if _, err := pool.Exec(ctx, sql); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
		}
	}
	if read != "" { // the phones' hashes and their key are no BI tool's business
		sql := `REVOKE ALL ON remote_tickets, secrets, bookings, zns_messages, zalo_tokens FROM ` + pgx.Identifier{read}.Sanitize()
		if _, err := pool.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	return nil
}
