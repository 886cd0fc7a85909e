// Command motcua-province is the province's side of the roll-up, on the
// PostgreSQL every office ships its event log to (docs/PROVINCE.md):
//
//	motcua-province verify --dsn 'postgres://…'
//
// verify proves each office's chain in PostgreSQL complete and unaltered:
// one line per office with its event count and last seq, the fault when
// there is one, and a non-zero exit on any.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/province"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage / cách dùng: motcua-province verify --dsn 'postgres://…'")
		return 2
	}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "the province's PostgreSQL")
	if err := fs.Parse(args[1:]); err != nil || *dsn == "" {
		fmt.Fprintln(stderr, "motcua-province verify: cần --dsn / needs --dsn")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	pool, err := pgxpool.New(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province:", err)
		return 1
	}
	defer pool.Close()
	chains, err := province.Verify(ctx, pool)
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province: không đọc được / cannot read:", err)
		return 1
	}
	bad := 0
	for _, c := range chains {
		if c.Fault != "" {
			bad++
			fmt.Fprintf(stdout, "%s\t%d events\tlast seq %d\tHỎNG / FAULT: %s\n", c.Office, c.Events, c.LastSeq, c.Fault)
			continue
		}
		fmt.Fprintf(stdout, "%s\t%d events\tlast seq %d\tnguyên vẹn / intact\n", c.Office, c.Events, c.LastSeq)
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "%d văn phòng có chuỗi hỏng / offices with a broken chain: %d\n", bad, bad)
		return 1
	}
	return 0
}
