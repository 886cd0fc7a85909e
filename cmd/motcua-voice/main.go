// Command motcua-voice generates the stand-in voice clips with espeak-ng's
// Vietnamese voice: one WAV per phrase of the call template and per number word
// (never digits: espeak reads some numbers wrong). `make build` runs it into
// bin/voice; an office replaces any clip by dropping a recording with the same
// name into its own folder (docs/VOICE.md).
//
//	motcua-voice --out DIR [--template "Mời công dân có số thứ tự {number} đến quầy số {counter}"] [--voice vi]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"motcua/internal/voice"
)

func main() {
	out := flag.String("out", "bin/voice", "folder for the clips")
	template := flag.String("template", voice.DefaultTemplate, "the call's wording (its phrases become clips)")
	v := flag.String("voice", "vi", "espeak-ng voice (vi, vi-vn-x-central, vi-vn-x-south)")
	flag.Parse()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		fmt.Fprintln(os.Stderr, "motcua-voice: cần espeak-ng (apt-get install espeak-ng) / espeak-ng is needed")
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "motcua-voice:", err)
		os.Exit(1)
	}
	words := voice.Vocabulary(*template)
	for _, w := range words {
		path := filepath.Join(*out, w+".wav")
		if _, err := os.Stat(path); err == nil {
			continue
		}
		// -s 140: a little slower than the default, for a waiting room.
		cmd := exec.Command("espeak-ng", "-v", *v, "-s", "140", "-w", path, w)
		if b, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "motcua-voice: %q: %v %s\n", w, err, b)
			os.Exit(1)
		}
	}
	fmt.Printf("%d clips in %s\n", len(words), *out)
}
