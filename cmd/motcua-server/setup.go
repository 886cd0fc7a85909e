package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"motcua/assets"
	"motcua/internal/catalogue"

	"motcua/internal/console"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// First start without a config: `motcua-server --data DIR` on a data dir
// that has no settings starts in setup mode. It prints a one-time setup code
// in its log and serves only /setup (internal/console's Setup). Then the
// server starts as usual and the console takes over.

// setupCode is 10 random letters and digits (no 0/O, 1/l): typed once, from the log.
func setupCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var b strings.Builder
	for range 10 {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String()
}

// runSetup serves /setup on addr until the office is created, and returns
// its settings.
func runSetup(ctx context.Context, addr string, stdout io.Writer) (fileConfig, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fileConfig{}, problem.Errorf(problem.EInvalid, "Không mở được cổng %s: %v", "cannot listen on %s: %v", addr, err)
	}
	code := setupCode()
	fmt.Fprintf(stdout, "motcua-server: chưa có văn phòng — mở http://%s/setup, mã cài đặt / no office yet — open /setup, setup code: %s\n", ln.Addr(), code)
	fmt.Fprintf(stdout, "motcua-server listening on http://%s (setup)\n", ln.Addr())
	setup := console.NewSetup(code, func(o queue.Office) error { return checkPublicURL(o.PublicURL) }, sampleOffice())
	mux := http.NewServeMux()
	setup.Routes(mux)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(sctx) // the answer goes out first
	}()
	select {
	case made := <-setup.Created():
		return fileConfig{Office: made.Office, Users: made.Users, procedures: catalogue.Catalogue{Procedures: made.Procedures}}, nil
	case <-ctx.Done():
		return fileConfig{}, errors.New("stopped during setup")
	}
}

// sampleOffice is what a new office may start from: the demo's ward — its
// services, counters, priority classes and rules, never its users or
// devices — and the shipped catalogue, which fits its services (nil if the
// shipped files do not read: the empty start remains).
func sampleOffice() *console.Sample {
	cfg, err := parseConfig(assets.DemoOffice)
	if err != nil {
		return nil
	}
	c, err := catalogue.ParseJSON(assets.DemoProcedures, cfg.Office.ServiceIDs())
	if err != nil {
		return nil
	}
	return &console.Sample{Office: cfg.Office, Procedures: c.Procedures}
}
