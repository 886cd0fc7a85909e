// Command motcua-counter is the clerk's app at a counter, with the citizen's
// rating screen beside it:
//
//	motcua-counter --server URL [--counter N] [--user NAME] [--rating-key KEY]
//	motcua-counter --rating --server URL [--counter N --rating-key KEY]   (a tablet facing the citizen; without a key it pairs)
//
// With --rating-key the rating screen opens as a second window (turn it to the
// citizen); with --rating it is the only window, full screen.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"time"

	"motcua/counter"
	"motcua/counter/rating"
	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/scan"
	"motcua/internal/ui"
)

func main() {
	ui.UseVietnameseLocale() // before Fyne reads it
	server := flag.String("server", "http://127.0.0.1:8080", "motcua-server address")
	n := flag.Int("counter", 0, "this desk's counter number (0: choose at login, remembered)")
	user := flag.String("user", "", "username filled in on the login screen")
	ratingKey := flag.String("rating-key", "", "device key of this counter's rating screen (opens it)")
	ratingOnly := flag.Bool("rating", false, "run only the citizen's rating screen (a tablet), full screen")
	full := flag.Bool("fullscreen", false, "full screen")
	home, _ := os.UserHomeDir()
	formsDir := flag.String("forms-dir", filepath.Join(home, "motcua-phieu"), "folder where the printed forms (PDF) are kept")
	printCmd := flag.String("print-cmd", "", "command that prints a PDF, e.g. \"lp -o media=A5\" (the file is appended); empty: only keep the PDF")
	scanner := flag.String("scanner", "", "the SANE scanner of this desk as scanimage -L names it (\"test\" is SANE's test device); empty: none")
	scannerArgs := flag.String("scanner-args", "", "more scanimage options for this scanner, space separated (e.g. \"--source ADF\")")
	scanFolder := flag.String("scan-folder", "", "folder a network scanner saves its files into; empty: none")
	flag.Parse()
	var sc *scan.Scanner
	if *scanner != "" {
		sc = &scan.Scanner{Device: *scanner, Args: strings.Fields(*scannerArgs)}
	}
	if *ratingKey != "" && *n < 1 {
		fmt.Fprintln(os.Stderr, "motcua-counter: màn hình đánh giá với --rating-key cần --counter N / the rating screen with --rating-key needs --counter N")
		os.Exit(2)
	}

	a := app.NewWithID("vn.motcua.counter")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if *ratingKey != "" || *ratingOnly {
		// A tablet without a key pairs: it shows a code, the admin types it
		// in the console with the counter, and the tablet gets its key and
		// its counter (kept for the next start, forgotten when revoked).
		rw := a.NewWindow("motcua — Đánh giá / Rating")
		rw.Resize(fyne.NewSize(900, 700))
		rw.SetFullScreen(*ratingOnly)
		ui.Device{Win: rw, Prefs: a.Preferences(), Pairer: client.New(*server, ""), Given: api.PairedAnswer{Key: *ratingKey, Counter: *n}}.Run(ctx,
			func(ctx context.Context, dev api.PairedAnswer, refused func()) {
				rw.SetTitle(fmt.Sprintf("motcua — Đánh giá quầy %d", dev.Counter))
				rating.New(rw, client.NewDevice(*server, dev.Servers, dev.Key, ui.KeepServers(a.Preferences())), rating.Config{Counter: dev.Counter, Theme: ui.TouchTheme(), Refused: refused}).Start(ctx)
			})
		rw.Show()
		if *ratingOnly {
			a.Run()
			return
		}
	}
	a.Settings().SetTheme(ui.CounterTheme())
	w := a.NewWindow("motcua — Quầy")
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(*full)
	w.SetMaster()
	print := func(name string, pdf []byte) (counter.Printed, error) {
		return printForm(*formsDir, *printCmd, name, pdf)
	}
	// The clerk's client, too, follows the live primary among the given
	// address and the servers kept.
	desk := client.NewDevice(*server, ui.KeptServers(a.Preferences()), "", ui.KeepServers(a.Preferences()))
	counter.New(w, desk, counter.Config{Counter: *n, Username: *user, Prefs: a.Preferences(), Print: print,
		Scanner: sc, ScanFolder: scan.Folder(*scanFolder)}).Start(ctx)
	w.ShowAndRun()
}

// printForm keeps the PDF in dir and, with a print command, prints it. What
// it says names the file, never the folder (the clerk's screen is no place
// for the disk's paths; the folder is --forms-dir).
func printForm(dir, command, name string, pdf []byte) (counter.Printed, error) {
	kept := counter.Printed{File: name}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return counter.Printed{}, fmt.Errorf("không lưu được phiếu / cannot keep the form: %w", errors.Unwrap(err))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		return counter.Printed{}, fmt.Errorf("không lưu được phiếu / cannot keep the form: %w", errors.Unwrap(err))
	}
	argv := strings.Fields(command)
	if len(argv) == 0 {
		return kept, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, argv[0], append(argv[1:], path)...).CombinedOutput(); err != nil {
		said := strings.TrimSpace(strings.ReplaceAll(string(out), path, name))
		return kept, fmt.Errorf("máy in báo lỗi / the printer failed (%s): %v %s", argv[0], err, said)
	}
	kept.Printer = argv[0]
	return kept, nil
}
