package province

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// querier is what runs a query: the pool, or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// scan runs a query and reads each of its rows with read.
func scan(ctx context.Context, q querier, sql string, args []any, read func(pgx.Rows) error) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := read(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
