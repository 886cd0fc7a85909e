package voice

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Clips finds the audio of each part of an announcement: a WAV named after the
// part ("mười.wav", "Mời công dân có số thứ tự.wav") in the office's folder of
// recorded clips first, then in the folder of stand-in clips generated with
// espeak-ng at build time (cmd/motcua-voice).
type Clips struct {
	Dirs []string // searched in order

	mu    sync.Mutex
	cache map[string][]int16
}

// Vocabulary is every clip an office needs for its template: its phrases, the
// number words and the letter names.
func Vocabulary(template string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, p := range Parts(template, "", 0, Style{}) {
		if p.Phrase {
			add(p.Text)
		}
	}
	for _, w := range digits {
		add(w)
	}
	for _, w := range []string{"mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "linh", "lẻ", "mốt", "lăm", "tư"} {
		add(w)
	}
	for _, r := range "ABCDĐEFGHIJKLMNOPQRSTUVWXYZ" {
		for _, w := range strings.Fields(letters[r]) {
			add(w)
		}
	}
	return out
}

// clip loads the clip for text, normalised.
func (c *Clips) clip(text string) ([]int16, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.cache[text]; ok {
		return s, nil
	}
	for _, dir := range c.Dirs {
		data, err := os.ReadFile(filepath.Join(dir, text+".wav"))
		if err != nil {
			continue
		}
		s, err := ReadWAV(data)
		if err != nil {
			return nil, fmt.Errorf("clip %q in %s: %w", text, dir, err)
		}
		if c.cache == nil {
			c.cache = map[string][]int16{}
		}
		c.cache[text] = normalise(s)
		return c.cache[text], nil
	}
	return nil, fmt.Errorf("no clip %q.wav in %v", text, c.Dirs)
}

// Render joins the announcement: chime, then each part, with short gaps
// between words and longer ones around phrases.
func (c *Clips) Render(parts []Part) ([]int16, error) {
	out := append(chime(), silence(250)...)
	for i, p := range parts {
		s, err := c.clip(p.Text)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			gap := 60
			if p.Phrase || parts[i-1].Phrase {
				gap = 180
			}
			out = append(out, silence(gap)...)
		}
		out = append(out, s...)
	}
	return append(out, silence(300)...), nil
}
