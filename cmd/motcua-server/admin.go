package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

func dataFlags(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (string, error) {
	fs := flag.NewFlagSet("motcua-server "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return "", usageError(err.Error())
	}
	if *data == "" || fs.NArg() > 0 {
		return "", usageError(name + ": thiếu --data DIR hoặc thừa tham số / needs --data DIR and nothing else")
	}
	return *data, nil
}

// runBackup copies the database: directly when no server runs, otherwise
// through the running server's admin socket (an online, consistent copy).
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var out string
	data, err := dataFlags("backup", args, stderr, func(fs *flag.FlagSet) { fs.StringVar(&out, "out", "", "backup file to write") })
	if err != nil {
		return err
	}
	if out == "" {
		return usageError("backup: thiếu --out FILE / --out FILE is required")
	}
	n, err := bolt.BackupOffline(data, out)
	if errors.Is(err, bolt.ErrLocked) {
		n, err = backupFromServer(ctx, data, out)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	events, err := bolt.VerifyFile(out)
	if err != nil {
		return fmt.Errorf("backup written but does not verify: %w", err)
	}
	fmt.Fprintf(stdout, "Đã sao lưu / backed up %d bytes, %d events to %s\n", n, events, out)
	return nil
}

// adminGet asks the server running on dir, through its admin socket, for path
// and hands the body of a 200 answer to read. Any other answer is an error
// carrying the server's text.
func adminGet(ctx context.Context, dir, path string, read func(io.Reader) error) error {
	return adminDo(ctx, dir, "GET", path, nil, read)
}

// adminDo sends method path (with body) to the server running on dir,
// through its admin socket.
func adminDo(ctx context.Context, dir, method, path string, body io.Reader, read func(io.Reader) error) error {
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", adminSocket(dir))
	}}}
	req, _ := http.NewRequestWithContext(ctx, method, "http://motcua"+path, body)
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("the server holds %s but its admin socket does not answer: %w", dir, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		var e api.ErrorBody
		if json.Unmarshal(body, &e) == nil && e.Error.Code != "" {
			return e.Problem()
		}
		return fmt.Errorf("server answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return read(resp.Body)
}

func backupFromServer(ctx context.Context, dir, out string) (n int64, err error) {
	err = adminGet(ctx, dir, "/backup", func(body io.Reader) error {
		n, err = bolt.WriteAtomic(out, func(w io.Writer) (int64, error) { return io.Copy(w, body) })
		return err
	})
	return n, err
}

func runRestore(args []string, stdout, stderr io.Writer) error {
	var from string
	var skip int
	data, err := dataFlags("restore", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "backup file to restore")
		fs.IntVar(&skip, "skip", 0, "skip this many numbers of every service today, past the last on file (no kiosk online to tell what it printed)")
	})
	if err != nil {
		return err
	}
	if from == "" {
		return usageError("restore: thiếu --from FILE / --from FILE is required")
	}
	kept, err := bolt.Restore(data, from, time.Now())
	if errors.Is(err, bolt.ErrLocked) {
		return problem.Errorf(problem.EConflict, "Máy chủ đang chạy trên %s; hãy dừng nó trước khi khôi phục", "a server is running on %s; stop it before restoring", data)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "Đã khôi phục / restored %s into %s\n", from, data)
	if kept != "" {
		fmt.Fprintf(stdout, "Dữ liệu cũ giữ tại / previous data kept at %s\n", kept)
	}
	if skip > 0 {
		floors, err := bolt.SkipNumbers(data, skip, time.Now)
		if err != nil {
			return fmt.Errorf("restore --skip: %w", err)
		}
		for _, id := range slices.Sorted(maps.Keys(floors)) {
			fmt.Fprintf(stdout, "  %s: số tiếp theo sau / next number after %d\n", id, floors[id])
		}
	}
	return nil
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	n, err := verifyTarget(ctx, args, stderr)
	if _, usage := err.(usageError); usage {
		return err
	}
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	fmt.Fprintf(stdout, "Chuỗi sự kiện nguyên vẹn / event chain intact: %d events\n", n)
	return nil
}

// verifyTarget checks a backup's file (--file, the backup timer checks
// each), or a data directory's store: the file when no server holds it,
// else through the running server's admin socket.
func verifyTarget(ctx context.Context, args []string, stderr io.Writer) (uint64, error) {
	if len(args) == 2 && args[0] == "--file" {
		return bolt.VerifyFile(args[1])
	}
	data, err := dataFlags("verify", args, stderr, nil)
	if err != nil {
		return 0, err
	}
	n, err := bolt.VerifyFile(filepath.Join(data, bolt.FileName))
	if errors.Is(err, bolt.ErrLocked) {
		err = adminGet(ctx, data, "/verify", func(body io.Reader) error {
			_, err := fmt.Fscan(body, &n)
			return err
		})
	}
	return n, err
}

// runHashPIN reads a PIN (a line on stdin) and prints its bcrypt hash.
func runHashPIN(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageError("hash-pin: đọc mã PIN từ đầu vào chuẩn / reads the PIN from standard input")
	}
	fmt.Fprint(stderr, "Mã PIN (6–12 chữ số) / PIN (6-12 digits): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return usageError("hash-pin: không có mã PIN / no PIN given")
	}
	pin := strings.TrimSpace(line)
	if err := queue.CheckNewPIN(pin); err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(h))
	return nil
}
