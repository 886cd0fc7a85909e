// Command motcua-province is the province's side of the roll-up, on the
// PostgreSQL every office ships its event log to (docs/PROVINCE.md):
//
//	motcua-province migrate --dsn 'postgres://owner@…' [--service-role R] [--read-role R]
//	motcua-province serve --dsn 'postgres://…' [--listen :8090]
//	motcua-province user --dsn 'postgres://…' --username U --name N --role province|office [--office ID]
//	motcua-province verify --dsn 'postgres://…'
//
// migrate, as the database's owner, brings the schema up to date, makes the
// events' coming monthly partitions and grants the service's role (no DDL)
// and the read-only role their rights; the other commands only check the
// schema is current. serve is the province's web service: the dashboard of every office,
// rankings and reports (XLSX, PDF, CSV). user adds a user, or resets their
// password, and prints the new password once. verify proves each office's
// chain in PostgreSQL complete and unaltered: one line per office with its
// event count and last seq, the fault when there is one, and a non-zero exit
// on any.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/province"
	"motcua/internal/provinceweb"
	"motcua/internal/zalo"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage / cách dùng:
  motcua-province migrate --dsn 'postgres://owner@…' [--service-role motcua_service] [--read-role motcua_read]
  motcua-province serve  --dsn 'postgres://…' [--listen :8090] [--trusted-proxy 10.0.0.5] [--zalo-config zalo.json]
  motcua-province zalo-token --dsn 'postgres://…' --zalo-config zalo.json   (the OA's refresh token on stdin)
  motcua-province user   --dsn 'postgres://…' --username U --name "Họ tên" --role province|office [--office ID]
  motcua-province user   --dsn 'postgres://…' --username U --disable
  motcua-province verify --dsn 'postgres://…'
  motcua-province office add  --dsn 'postgres://…' --id ID --name "Tên văn phòng"   (its key alone on the last line)
  motcua-province office key  --dsn 'postgres://…' --id ID   (a new key; the old one stops working)
  motcua-province office list --dsn 'postgres://…'`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	cmd := args[0]
	if cmd == "office" && len(args) > 1 { // office add|key|list
		cmd, args = "office "+args[1], args[1:]
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "the province's PostgreSQL")
	listen := fs.String("listen", ":8090", "serve: the address to listen on")
	retention := fs.Duration("remote-retention", 48*time.Hour, "serve: how long a remote number's record (its phone's keyed hash) is kept")
	publicURL := fs.String("public-url", "", "serve: the service's address as citizens reach it (https://…), for the links in their messages")
	proxies := fs.String("trusted-proxy", "", "serve: the TLS reverse proxy's address (or prefixes, comma-separated): its X-Forwarded-For names the client")
	username := fs.String("username", "", "user: the username")
	name := fs.String("name", "", "user: the person's name")
	role := fs.String("role", "", "user: province (every office) or office (one office's head)")
	office := fs.String("office", "", "user: an office head's office id")
	disable := fs.Bool("disable", false, "user: stop the user from logging in (their sessions end)")
	id := fs.String("id", "", "office: the office's id at the province")
	serviceRole := fs.String("service-role", "", "migrate: the service's role, granted read and write (no DDL)")
	readRole := fs.String("read-role", "", "migrate: a read-only role for the province's BI tools")
	zaloConfig := fs.String("zalo-config", "", "serve, zalo-token: the Zalo OA's app, secret and approved templates (docs/NOTIFY.md)")
	switch cmd {
	case "migrate", "serve", "user", "verify", "office add", "office key", "office list", "zalo-token":
	default:
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil || *dsn == "" {
		fmt.Fprintf(stderr, "motcua-province %s: cần --dsn / needs --dsn\n", cmd)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pool, err := pgxpool.New(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province:", err)
		return 1
	}
	defer pool.Close()
	if cmd == "migrate" {
		return migrate(ctx, pool, *serviceRole, *readRole, stdout, stderr)
	}
	if err := province.Ready(ctx, pool); err != nil { // the service's role may not migrate
		fmt.Fprintln(stderr, "motcua-province:", err)
		return 1
	}
	switch cmd {
	case "serve":
		trusted, err := provinceweb.ParseProxies(*proxies)
		if err != nil {
			fmt.Fprintln(stderr, "motcua-province serve --trusted-proxy:", err)
			return 2
		}
		var zns provinceweb.Sender
		if *zaloConfig != "" {
			cfg, err := zalo.ReadConfig(*zaloConfig)
			if err != nil {
				fmt.Fprintln(stderr, "motcua-province serve:", err)
				return 2
			}
			zns = zalo.New(cfg, province.ZaloTokens{Pool: pool, OA: cfg.AppID})
		}
		return serve(ctx, &provinceweb.Server{Pool: pool, TrustedProxies: trusted, RemoteRetention: *retention, ZNS: zns, PublicURL: *publicURL}, *listen, stdout, stderr)
	case "zalo-token":
		return zaloToken(ctx, pool, *zaloConfig, os.Stdin, stdout, stderr)
	case "office add", "office key", "office list":
		return offices(ctx, pool, cmd, *id, *name, stdout, stderr)
	case "user":
		if *disable {
			if err := province.DisableUser(ctx, pool, "cli:"+os.Getenv("USER"), *username); err != nil {
				fmt.Fprintln(stderr, "motcua-province user:", err)
				return 1
			}
			fmt.Fprintf(stdout, "%s: đã khoá / disabled\n", *username)
			return 0
		}
		password, err := province.AddUser(ctx, pool, "cli:"+os.Getenv("USER"), province.User{Username: *username, Name: *name, Role: *role, Office: *office})
		if err != nil {
			fmt.Fprintln(stderr, "motcua-province user:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: mật khẩu / password %s (chỉ hiện một lần / shown once)\n", *username, password)
		return 0
	}
	return verify(ctx, pool, stdout, stderr)
}

// migrate brings the schema up to date as the owner, makes the events'
// partitions of this month and the next twelve, and grants the roles.
func migrate(ctx context.Context, pool *pgxpool.Pool, service, read string, stdout, stderr io.Writer) int {
	v, err := province.Migrate(ctx, pool)
	if err == nil {
		err = province.PrepareMonths(ctx, pool, time.Now(), 13)
	}
	if err == nil {
		err = province.Grant(ctx, pool, service, read)
	}
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province migrate: không cập nhật được lược đồ / cannot migrate the schema:", err)
		return 1
	}
	fmt.Fprintf(stdout, "motcua-province: lược đồ / schema v%d\n", v)
	return 0
}

func serve(ctx context.Context, web *provinceweb.Server, listen string, stdout, stderr io.Writer) int {
	v := province.Latest
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province:", err)
		return 1
	}
	logger := log.New(stderr, "province: ", log.LstdFlags)
	web.Log = logger
	srv := &http.Server{Handler: web.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: logger}
	fmt.Fprintf(stdout, "motcua-province: schema v%d, serving http://%s\n", v, ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "motcua-province:", err)
		return 1
	}
	return 0
}

func verify(ctx context.Context, pool *pgxpool.Pool, stdout, stderr io.Writer) int {
	defer province.VerifyGC()()
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
			for _, row := range c.Rows { // each folded row that differs from the events, named
				fmt.Fprintf(stdout, "%s\tkhác sự kiện / differs: %s\n", c.Office, row)
			}
			continue
		}
		fmt.Fprintf(stdout, "%s\t%d events\tlast seq %d\tnguyên vẹn / intact\n", c.Office, c.Events, c.LastSeq)
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "%d văn phòng có chuỗi hỏng hoặc bảng tổng hợp sai / offices with a broken chain or folded tables unlike their events: %d\n", bad, bad)
		return 1
	}
	return 0
}

// offices adds an office (printing its key alone on the last line), gives
// one a new key, or lists them.
func offices(ctx context.Context, pool *pgxpool.Pool, cmd, id, name string, stdout, stderr io.Writer) int {
	by := "cli:" + os.Getenv("USER")
	var key string
	var err error
	switch cmd {
	case "office list":
		list, err := province.ListOffices(ctx, pool)
		if err != nil {
			fmt.Fprintln(stderr, "motcua-province office list:", err)
			return 1
		}
		for _, o := range list {
			keyed := "chưa có khoá / no key"
			if o.Keyed {
				keyed = "có khoá / keyed"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\tđến sự kiện / up to seq %d\n", o.ID, o.Name, keyed, o.Folded)
		}
		return 0
	case "office add":
		key, err = province.AddOffice(ctx, pool, by, id, name)
	default:
		key, err = province.NewOfficeKey(ctx, pool, by, id)
	}
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province "+cmd+":", err)
		return 1
	}
	fmt.Fprintf(stdout, "Khoá của văn phòng %s (chỉ hiện một lần; nhập ở trang Đồng bộ của văn phòng) / office %s's key (shown once; enter it on the office's sync page):\n%s\n", id, id, key)
	return 0
}

// zaloToken keeps the OA's refresh token read from in (the one Zalo's
// developer console gives once the OA granted the app): the service
// refreshes the pair from it and keeps each new one.
func zaloToken(ctx context.Context, pool *pgxpool.Pool, config string, in io.Reader, stdout, stderr io.Writer) int {
	cfg, err := zalo.ReadConfig(config)
	if err != nil {
		fmt.Fprintln(stderr, "motcua-province zalo-token:", err)
		return 2
	}
	raw, err := io.ReadAll(io.LimitReader(in, 4096))
	refresh := strings.TrimSpace(string(raw))
	if err != nil || refresh == "" || strings.ContainsAny(refresh, " \n\t") {
		fmt.Fprintln(stderr, "motcua-province zalo-token: cần refresh token trên stdin / the refresh token is needed on stdin")
		return 2
	}
	if err := (province.ZaloTokens{Pool: pool, OA: cfg.AppID}).Save(ctx, zalo.Token{Refresh: refresh}); err != nil {
		fmt.Fprintln(stderr, "motcua-province zalo-token:", err)
		return 1
	}
	fmt.Fprintf(stdout, "motcua-province: đã lưu refresh token của OA %s / the OA's refresh token is kept\n", cfg.AppID)
	return 0
}
