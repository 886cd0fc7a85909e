// Command motcua-display is the waiting-room board with voice calls:
//
//	motcua-display --server URL [--key DISPLAY_KEY | --public] [--counters 1,2,3] [--mute] [--voice DIR] [--office-voice DIR] [--fullscreen]
//
// Without --key the board shows a pairing code until the admin types it on
// the console's devices page (the key is then kept); --public runs it on the
// public feed without a key.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"motcua/display"
	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/ui"
	"motcua/internal/voice"
)

func main() {
	ui.UseVietnameseLocale() // before Fyne reads it
	server := flag.String("server", "http://127.0.0.1:8080", "motcua-server address")
	key := flag.String("key", "", "this board's device key (without it the board shows a pairing code, or keeps the key it was paired with)")
	public := flag.Bool("public", false, "no key and no pairing: the public feed only (the console does not see the board)")
	zone := flag.String("counters", "", "show only these counters, e.g. 1,2,3 (a zone)")
	mute := flag.Bool("mute", false, "no voice (a silent board)")
	voiceDir := flag.String("voice", defaultVoice(), "folder of the stand-in voice clips")
	officeVoice := flag.String("office-voice", "", "folder of the office's recorded clips (they win over the stand-ins)")
	player := flag.String("player", "aplay -q", "audio player command; the WAV file is appended")
	full := flag.Bool("fullscreen", false, "full screen, as on a TV")
	flag.Parse()
	counters, err := parseCounters(*zone)
	if err != nil {
		fmt.Fprintln(os.Stderr, "motcua-display: --counters:", err)
		os.Exit(2)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var an *voice.Announcer
	if !*mute {
		dirs := []string{*voiceDir}
		if *officeVoice != "" {
			dirs = append([]string{*officeVoice}, dirs...)
		}
		an = voice.NewAnnouncer(voice.CommandPlayer{Clips: &voice.Clips{Dirs: dirs}, Command: strings.Fields(*player)}, 30*time.Second, nil)
		go an.Run(ctx)
	}

	a := app.NewWithID("vn.motcua.display")
	a.Settings().SetTheme(ui.BoardTheme())
	w := a.NewWindow("motcua — Bảng gọi số")
	w.Resize(fyne.NewSize(1600, 900))
	w.SetFullScreen(*full)
	prefs := a.Preferences()
	run := func(ctx context.Context, dev api.PairedAnswer, refused func()) {
		display.New(w, client.NewDevice(*server, dev.Servers, dev.Key, ui.KeepServers(prefs)), display.Config{Counters: counters, Announcer: an, Refused: refused}).Start(ctx)
	}
	if *public {
		run(ctx, api.PairedAnswer{Servers: ui.KeptServers(prefs)}, nil)
	} else {
		ui.Device{Win: w, Prefs: a.Preferences(), Pairer: client.New(*server, ""), Given: api.PairedAnswer{Key: *key}}.Run(ctx, run)
	}
	w.ShowAndRun()
}

func parseCounters(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a counter number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func exeDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "."
	}
	return filepath.Dir(exe)
}

// defaultVoice is the stand-in clips' folder: beside the program (make
// build's bin/voice), or where the motcua-display package puts them.
func defaultVoice() string {
	beside := filepath.Join(exeDir(), "voice")
	if _, err := os.Stat(beside); err != nil {
		if _, err := os.Stat(packagedVoice); err == nil {
			return packagedVoice
		}
	}
	return beside
}

const packagedVoice = "/usr/share/motcua-display/voice"
