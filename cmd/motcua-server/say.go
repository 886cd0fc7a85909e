package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"motcua/assets"
	"motcua/internal/problem"
	"motcua/internal/voice"
)

// runSay prints the exact sentence a call is announced with (the words, one
// line), with the office's wording when --config is given, so an office can
// check it and test its speakers.
func runSay(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("say", flag.ContinueOnError)
	fs.SetOutput(stderr)
	number := fs.String("number", "", "the ticket number as displayed, e.g. 1023 or A105")
	counter := fs.Int("counter", 0, "the counter number")
	config := fs.String("config", "", "office config (its display wording); default: the demo office's")
	wav := fs.String("wav", "", "also write the announcement as WAV to this file")
	voiceDir := fs.String("voice", defaultVoiceDir(), "folder of the stand-in voice clips")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *number == "" || *counter < 1 {
		return usageError("say cần --number và --counter / say needs --number and --counter")
	}
	data := assets.DemoOffice
	if *config != "" {
		var err error
		if data, err = os.ReadFile(*config); err != nil {
			return problem.Errorf(problem.EInvalid, "Không đọc được tệp cấu hình %s: %v", "cannot read config file %s: %v", *config, err)
		}
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return err
	}
	d := cfg.Office.Display
	style := voice.StyleOf(d.Thousand, d.ZeroTens, d.NoTu)
	fmt.Fprintln(stdout, voice.Sentence(d.Template, *number, *counter, style))
	if *wav == "" {
		return nil
	}
	clips := &voice.Clips{Dirs: voiceDirs(cfg, serveFlags{config: *config, voice: *voiceDir})}
	samples, err := clips.Render(voice.Parts(d.Template, *number, *counter, style))
	if err != nil {
		return problem.Errorf(problem.EInvalid, "Không tạo được âm thanh: %v", "cannot make the audio: %v", err)
	}
	if err := os.WriteFile(*wav, voice.WriteWAV(samples), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: %.1f s\n", *wav, float64(len(samples))/voice.Rate)
	return nil
}
