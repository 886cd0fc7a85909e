// Command motcua-demo is what `make run` starts: the server in demo mode on the
// embedded sample office, then every app that has been built (kiosk, counter,
// display) pointed at it, when there is a display to show them on. Ctrl-C stops
// everything.
package main

import (
	"bufio"
	"context"
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
)

// apps are started in this order when their binary exists, with these flags.
var apps = []struct {
	name string
	args func(url string) []string
}{
	{"motcua-kiosk", func(url string) []string { return []string{"--server", url, "--key", "demo-device"} }},
	{"motcua-counter", func(url string) []string { return []string{"--server", url, "--counter", "1", "--user", "quay1"} }},
	{"motcua-display", func(url string) []string { return []string{"--server", url} }},
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
	server := exec.CommandContext(ctx, filepath.Join(bin, "motcua-server"), "--demo", "--data", data, "--addr", addr)
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
			cmd := exec.CommandContext(ctx, path, app.args(url)...)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			// Fyne cannot parse the C locale; the apps speak Vietnamese anyway.
			cmd.Env = append(os.Environ(), "LANG=vi_VN.UTF-8")
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
	fmt.Printf("\nmotcua demo đang chạy tại / is running at %s — Ctrl-C để dừng / to stop.\n", url)
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
