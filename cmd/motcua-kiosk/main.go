// Command motcua-kiosk is the touchscreen kiosk: it shows the services of the
// office's motcua-server, issues tickets and prints them.
//
//	motcua-kiosk --server http://10.0.0.2:8080 --key KIOSK_KEY [--printer tcp://10.0.0.9:9100|/dev/usb/lp0] [--fullscreen]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"motcua/internal/client"
	"motcua/internal/escpos"
	"motcua/internal/ui"
	"motcua/kiosk"
)

func main() {
	server := flag.String("server", "http://127.0.0.1:8080", "motcua-server address")
	key := flag.String("key", "", "this kiosk's device key")
	public := flag.String("public-url", "", "server address as phones reach it, for the ticket QR (default: --server)")
	printer := flag.String("printer", "", "tcp://HOST:9100, a device file such as /dev/usb/lp0, or empty for none")
	paper := flag.Int("paper", 576, "paper width in dots: 576 (80 mm), 512, 384 (58 mm)")
	full := flag.Bool("fullscreen", false, "full screen, as on a real kiosk")
	flag.Parse()
	if *key == "" {
		fmt.Fprintln(os.Stderr, "motcua-kiosk: cần --key (khoá thiết bị) / --key (device key) is required")
		os.Exit(2)
	}
	if *public == "" {
		*public = *server
	}
	var p escpos.Printer
	switch {
	case strings.HasPrefix(*printer, "tcp://"):
		p = escpos.TCP{Addr: strings.TrimPrefix(*printer, "tcp://")}
	case *printer != "":
		p = escpos.Device{Path: *printer}
	}

	a := app.NewWithID("vn.motcua.kiosk")
	a.Settings().SetTheme(ui.TouchTheme())
	w := a.NewWindow("motcua — Lấy số thứ tự")
	w.Resize(fyne.NewSize(900, 1000))
	w.SetFullScreen(*full)
	k := kiosk.New(w, client.New(*server, *key), kiosk.Config{PublicURL: strings.TrimRight(*public, "/"), Printer: p, PaperWidth: *paper})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k.Start(ctx)
	w.ShowAndRun()
}
