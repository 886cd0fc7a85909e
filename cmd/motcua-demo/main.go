// Command motcua-demo is what `make run` starts: the server in demo mode on the
// embedded sample office, then every app that has been built (kiosk, counter,
// display) pointed at it, when there is a display to show them on. Ctrl-C stops
// everything.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"motcua/internal/gammu"

	"golang.org/x/crypto/bcrypt"
)

// apps are started in this order when their binary exists, with these flags
// (data is the demo's data directory).
var apps = []struct {
	name string
	args func(url, data string) ([]string, error)
}{
	{"motcua-kiosk", kioskArgs},
	{"motcua-counter", func(url, data string) ([]string, error) {
		forms, _ := filepath.Abs(filepath.Join(data, "forms"))
		fmt.Printf("Counter: mẫu in (PDF) lưu tại / forms are saved to %s\n", forms)
		args := []string{"--server", url, "--counter", "1", "--user", "quay1", "--rating-key", "demo-rating-1", "--forms-dir", forms}
		return append(args, demoScanner(data)...), nil
	}},
	{"motcua-display", func(url, data string) ([]string, error) {
		return []string{"--server", url, "--key", "demo-display"}, nil
	}},
}

// demoScanner gives the demo counter SANE's test device as its scanner
// (the SANE config the counter is started with loads only it: see
// saneDemoDir) and a scanner folder to drop PDFs or pictures into.
func demoScanner(data string) []string {
	folder, _ := filepath.Abs(filepath.Join(data, "scanner-folder"))
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil
	}
	fmt.Printf("Counter: máy quét thử của SANE; thư mục máy quét / SANE's test scanner; scanner folder %s\n", folder)
	return []string{"--scanner", "test", "--scanner-args", "--test-picture Grid", "--scan-folder", folder}
}

// saneDemoDir writes a SANE config folder loading only the test backend.
func saneDemoDir(data string) string {
	dir, _ := filepath.Abs(filepath.Join(data, "sane"))
	if os.MkdirAll(dir, 0o755) != nil || os.WriteFile(filepath.Join(dir, "dll.conf"), []byte("test\n"), 0o644) != nil {
		return ""
	}
	return dir
}

// kioskArgs writes the demo kiosk's config: tickets "print" as PNG files into
// DATA/phieu (there is no printer in a demo), and the staff screen opens with
// PIN 1234.
func kioskArgs(url, data string) ([]string, error) {
	out := filepath.Join(data, "phieu")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(out)
	cfg, _ := json.MarshalIndent(map[string]any{"server": url, "key": "demo-device", "printer": "png:" + abs, "staff_pin_bcrypt": string(hash)}, "", "  ")
	path := filepath.Join(data, "kiosk.json")
	if err := os.WriteFile(path, cfg, 0o600); err != nil {
		return nil, err
	}
	fmt.Printf("Kiosk: phiếu in ra thư mục / tickets print to %s; mã PIN cán bộ / staff PIN 1234\n", abs)
	return []string{"--config", path}, nil
}

var listenLine = regexp.MustCompile(`listening on (http://\S+)`)

func main() {
	bin := flag.String("bin", "bin", "directory with the built binaries")
	data := flag.String("data", ".demo-data", "demo data directory")
	addr := flag.String("addr", "127.0.0.1:8080", "server address")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *bin, *data, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "motcua-demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin, data, addr string) error {
	args := []string{"--demo", "--data", data, "--addr", addr}
	// The demo's SMS go to gammu-smsd's files outbox under the data
	// directory (no modem): each message a file to open.
	if cfg, sp, err := gammu.FilesConfig(filepath.Join(data, "sms")); err == nil {
		args = append(args, "--sms-gammu-config", cfg)
		fmt.Printf("Tin nhắn SMS của bản chạy thử nằm ở / the demo's SMS are files in %s\n", sp.Sent)
		go standInModem(ctx, sp)
	}
	server := exec.CommandContext(ctx, filepath.Join(bin, "motcua-server"), args...)
	server.Stderr = os.Stderr
	out, err := server.StdoutPipe()
	if err != nil {
		return err
	}
	if err := server.Start(); err != nil {
		return err
	}
	url, err := waitListening(out)
	if err != nil {
		server.Wait()
		return fmt.Errorf("máy chủ không khởi động được / the server did not start: %w", err)
	}
	var started []*exec.Cmd
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Println("Không có màn hình (DISPLAY chưa đặt): chỉ chạy máy chủ.")
		fmt.Println("No display (DISPLAY is not set): running the server alone.")
	} else {
		for _, app := range apps {
			path := filepath.Join(bin, app.name)
			if _, err := os.Stat(path); err != nil {
				continue
			}
			args, err := app.args(url, data)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", app.name, err)
				continue
			}
			cmd := exec.CommandContext(ctx, path, args...)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			// Fyne cannot parse the C locale; the apps speak Vietnamese anyway.
			cmd.Env = append(os.Environ(), "LANG=vi_VN.UTF-8")
			if sane := saneDemoDir(data); sane != "" {
				cmd.Env = append(cmd.Env, "SANE_CONFIG_DIR="+sane)
			}
			if err := cmd.Start(); err != nil {
				fmt.Fprintf(os.Stderr, "%s did not start: %v\n", app.name, err)
				continue
			}
			fmt.Printf("Đã mở / started %s\n", app.name)
			started = append(started, cmd)
		}
		if len(started) == 0 {
			fmt.Println("Chưa có ứng dụng nào được xây dựng: chỉ chạy máy chủ. / No app is built yet: server only.")
		}
	}
	fmt.Printf("\nBảng gọi số trên trình duyệt / web board: %s/board\n", url)
	fmt.Printf("Trang quản trị / admin console: %s/admin (admin, PIN 1234)\n", url)
	fmt.Printf("Trưởng bộ phận / desk head: %s/admin/live và báo cáo / and reports %s/admin/reports (truongbp, PIN 1234)\n", url, url)
	fmt.Printf("Công khai kết quả / public results: %s/cong-khai\n", url)
	fmt.Printf("motcua demo đang chạy tại / is running at %s — Ctrl-C để dừng / to stop.\n", url)
	err = server.Wait()
	for _, c := range started {
		c.Wait()
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// waitListening copies the server's output through until it says where it listens.
func waitListening(out io.Reader) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			fmt.Println(line)
			if m := listenLine.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		close(found)
	}()
	select {
	case url, ok := <-found:
		if !ok {
			return "", fmt.Errorf("exited")
		}
		return url, nil
	case <-time.After(20 * time.Second):
		return "", fmt.Errorf("no answer in 20 s")
	}
}

// standInModem is the demo's gammu-smsd and modem: each second, the oldest
// message waiting in gammu's outbox goes to its sent folder, as a modem
// would send it (the server hands gammu no more than 20 waiting).
func standInModem(ctx context.Context, sp gammu.Spool) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		names, err := sp.Waiting()
		if err == nil && len(names) > 0 {
			os.Rename(filepath.Join(sp.Outbox, names[0]), filepath.Join(sp.Sent, names[0]))
		}
	}
}
