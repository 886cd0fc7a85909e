package voice

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// CommandPlayer plays announcements with an audio player program (aplay from
// alsa-utils by default), one temporary WAV per announcement. The Announcer's
// time limit kills the program if the sound device hangs.
type CommandPlayer struct {
	Clips   *Clips
	Command []string // default: aplay -q
}

// Play renders a and plays it to the end.
func (p CommandPlayer) Play(ctx context.Context, a Announcement) error {
	samples, err := p.Clips.Render(a.Parts)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "motcua-call-*.wav")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(WriteWAV(samples)); err != nil {
		f.Close()
		return err
	}
	f.Close()
	argv := p.Command
	if len(argv) == 0 {
		argv = []string{"aplay", "-q"}
	}
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], f.Name())...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", argv[0], err, out)
	}
	return nil
}
