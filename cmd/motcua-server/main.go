// Command motcua-server runs one office's queue: the HTTP JSON API, the
// websocket feed, and the bbolt file that holds everything.
//
//	motcua-server --demo --data DIR [--addr 127.0.0.1:8080] [--demo-public]
//	motcua-server --config office.json --data DIR [--addr :8080]
//	motcua-server backup  --data DIR --out FILE
//	motcua-server restore --data DIR --from FILE
//	motcua-server verify  --data DIR
//	motcua-server hash-pin
//	motcua-server say --number N --counter C [--config office.json]
//	motcua-server due --received 2026-04-29T10:00 --working-days 3 [--calendar FILE]
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"motcua/internal/bolt"
	"motcua/internal/formtext"
	"motcua/internal/problem"
	"motcua/internal/version"
)

func main() {
	// Two Ps even on one core: with one, a goroutine waiting for a child
	// (gammu-smsd-inject, an SMS handed to the modem) held the only P
	// until the runtime took it back, and kiosks' tickets waited up to a
	// second behind a burst of messages (docs/PERFORMANCE.md, issue 30).
	if runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
	slog.SetDefault(slog.New(logHandler(os.Stderr, os.Getenv)))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program, so tests start the real server in-process on :0.
// It returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var err error
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "backup":
		err = runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		err = runRestore(args[1:], stdout, stderr)
	case "verify":
		err = runVerify(ctx, args[1:], stdout, stderr)
	case "export-config":
		err = runExportConfig(ctx, args[1:], stdout, stderr)
	case "import-config":
		err = runImportConfig(ctx, args[1:], stdout, stderr)
	case "hash-pin":
		err = runHashPIN(args[1:], stdin, stdout, stderr)
	case "standby-key":
		err = runStandbyKey(ctx, args[1:], stdout, stderr)
	case "promote":
		err = runPromote(ctx, args[1:], stdout, stderr)
	case "zalo-token":
		err = runZaloToken(args[1:], stdin, stdout, stderr)
	case "say":
		err = runSay(args[1:], stdout, stderr)
	case "due":
		err = runDue(args[1:], stdout, stderr)
	case "form-wording":
		// The forms' wording as this version prints it: the office's
		// "form_wording" takes the same keys (docs/FORMS.md).
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(formtext.Defaults)
	case "version", "--version":
		fmt.Fprintf(stdout, "motcua-server %s (cấu trúc dữ liệu / data schema %d)\n", version.String(), bolt.Schema)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = serve(ctx, args, stdout, stderr)
	}
	if err == nil {
		return 0
	}
	if e, ok := err.(usageError); ok {
		fmt.Fprintf(stderr, "%s\n\n%s", e, usage)
		return 2
	}
	fmt.Fprintf(stderr, "motcua-server: %s\n", message(err))
	return 1
}

// message renders an error for the terminal: both languages when it is ours.
func message(err error) string {
	if e := problem.As(err); e.Code != problem.EInternal {
		return e.Message + "\n  (" + e.MessageEN + ")"
	}
	return err.Error()
}

type usageError string

func (e usageError) Error() string { return string(e) }

const usage = `Cách dùng / Usage:
  motcua-server --demo --data DIR [--addr 127.0.0.1:8080] [--demo-public]
      Chạy thử với văn phòng mẫu / try it with the sample office (loopback only
      unless --demo-public).
  motcua-server --config office.json --data DIR [--addr 0.0.0.0:8080]
      Chạy thật với tệp cấu hình / run an office from its config (docs/CONFIG.md).
  motcua-server --data DIR [--addr 0.0.0.0:8080]
      Chạy với cấu hình đã lưu; thư mục trống: trang cài đặt /setup với mã in ra nhật ký
      / run on the stored settings; an empty dir starts the /setup page (its code in the log).
  motcua-server backup  --data DIR --out FILE    sao lưu (cả khi đang chạy) / backup, also while serving
  motcua-server restore --data DIR --from FILE [--skip N]   khôi phục (máy chủ phải dừng) / restore, server stopped
  motcua-server verify  --data DIR | --file BACKUP   kiểm tra chuỗi sự kiện / check the event chain
  motcua-server import-config --data DIR --file office.json
      dùng cấu hình văn phòng của tệp (ghi vào chuỗi sự kiện, áp dụng ngay khi máy chủ đang chạy)
      / put the file's office settings in force (on the chain, live while serving)
  motcua-server export-config --data DIR [--out FILE]   xuất cấu hình đang dùng / write the settings in force
  motcua-server --data DIR --standby-of http://PRIMARY:8080 --standby-key KEY [--addr 0.0.0.0:8080]
      máy thứ hai theo dõi máy chủ chính (docs/INSTALL.md) / a second PC following the primary
  motcua-server standby-key --data DIR           tạo khoá cho máy dự phòng (dòng cuối) / make the standby's key (last line)
  motcua-server promote --data DIR               máy dự phòng thành máy chủ chính / make the standby the primary
  motcua-server version                          phiên bản / the version
  motcua-server hash-pin                         băm mã PIN cho tệp cấu hình / hash a PIN for the config
  motcua-server zalo-token --data DIR < refresh-token.txt
      lưu refresh token của OA Zalo riêng của văn phòng (--zalo-config) / keep the office's own Zalo OA refresh token
  motcua-server say --number 1023 --counter 5 [--config office.json]
      in câu sẽ được đọc khi gọi số / print the sentence a call is announced with
  motcua-server due --received 2026-04-29T10:00 (--working-days N | --calendar-days N) [--calendar FILE]
      in ngày hẹn trả kết quả / print the appointment date (first word: YYYY-MM-DD)
`
