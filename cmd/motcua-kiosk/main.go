// Command motcua-kiosk is the touchscreen kiosk: it shows the services of the
// office's motcua-server, guides citizens through procedures, issues tickets and
// prints them.
//
//	motcua-kiosk [--config kiosk.json] [--server URL] [--key KEY] [--printer tcp://HOST:9100|/dev/usb/lp0|png:DIR|pdf:DIR] …
//
// Flags override the config file (kiosk/README.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/problem"
	"motcua/internal/ui"
	"motcua/kiosk"
)

func main() {
	ui.UseVietnameseLocale() // before Fyne reads it
	fc, err := settings()
	if err != nil {
		e := problem.As(err)
		fmt.Fprintf(os.Stderr, "motcua-kiosk: %s\n(%s)\n", e.Message, e.MessageEN)
		os.Exit(2)
	}
	cfg, err := fc.Config()
	if err != nil {
		fmt.Fprintln(os.Stderr, "motcua-kiosk:", err)
		os.Exit(2)
	}

	a := app.NewWithID("vn.motcua.kiosk")
	a.Settings().SetTheme(ui.TouchTheme())
	w := a.NewWindow("motcua — Lấy số thứ tự")
	if cfg.Landscape {
		w.Resize(fyne.NewSize(1280, 800))
	} else {
		w.Resize(fyne.NewSize(900, 1000))
	}
	w.SetFullScreen(fc.Fullscreen)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Without a key in its file the kiosk pairs: it shows a code, the admin
	// types it in the console, and the key it receives is kept in the app's
	// preferences for the next start (and forgotten if the admin revokes it).
	// It follows the live primary among its given address and the servers
	// it kept (the pairing's, the standby it learned of since).
	prefs := a.Preferences()
	ui.Device{Win: w, Prefs: prefs, Pairer: client.New(fc.Server, ""), Given: api.PairedAnswer{Key: fc.Key}}.Run(ctx,
		func(ctx context.Context, dev api.PairedAnswer, refused func()) {
			cfg := cfg
			cfg.Refused = refused
			kiosk.New(w, client.NewDevice(fc.Server, dev.Servers, dev.Key, ui.KeepServers(prefs)), cfg).Start(ctx)
		})
	w.ShowAndRun()
}

// settings reads the config file (if any) and lays the flags that were given over it.
func settings() (kiosk.FileConfig, error) {
	d := kiosk.DefaultFileConfig()
	config := flag.String("config", "", "kiosk config file (JSON, kiosk/README.md)")
	server := flag.String("server", d.Server, "motcua-server address")
	key := flag.String("key", "", "this kiosk's device key")
	public := flag.String("public-url", "", "server address as phones reach it, for the ticket QR (default: --server)")
	printer := flag.String("printer", "", "tcp://HOST:9100, a device file such as /dev/usb/lp0, png:DIR, pdf:DIR, or empty for none")
	paper := flag.Int("paper", d.PaperDots, "paper width in dots: 576 (80 mm), 512, 384 (58 mm)")
	orientation := flag.String("orientation", d.Orientation, "portrait or landscape")
	full := flag.Bool("fullscreen", false, "full screen, as on a real kiosk")
	flag.Parse()
	fc := d
	if *config != "" {
		data, err := os.ReadFile(*config)
		if err != nil {
			return fc, problem.Errorf(problem.EInvalid, "Không đọc được tệp cấu hình %s: %v", "cannot read config file %s: %v", *config, err)
		}
		if fc, err = kiosk.ParseFileConfig(data); err != nil {
			return fc, err
		}
	}
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "server":
			fc.Server = *server
		case "key":
			fc.Key = *key
		case "public-url":
			fc.PublicURL = *public
		case "printer":
			fc.Printer = *printer
		case "paper":
			fc.PaperDots = *paper
		case "orientation":
			fc.Orientation = *orientation
		case "fullscreen":
			fc.Fullscreen = *full
		}
	})
	return fc, fc.Check()
}
