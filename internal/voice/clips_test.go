package voice

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tone is a test clip: f Hz for ms milliseconds at half scale.
func tone(f float64, ms int) []int16 {
	out := make([]int16, Rate*ms/1000)
	for i := range out {
		out[i] = int16(16000 * math.Sin(2*math.Pi*f*float64(i)/Rate))
	}
	return out
}

func TestWAVRoundTrip(t *testing.T) {
	s := tone(440, 100)
	got, err := ReadWAV(WriteWAV(s))
	if err != nil || len(got) != len(s) || got[100] != s[100] {
		t.Fatalf("round trip: %v, %d samples", err, len(got))
	}
	stereo := WriteWAV(s)
	stereo[22] = 2 // channels
	if _, err := ReadWAV(stereo); err == nil || !strings.Contains(err.Error(), "need PCM mono 22050 Hz 16 bit") {
		t.Fatalf("a stereo clip: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("RIFF"), []byte("RIFF\x00\x00\x00\x00WAVEjunk")} {
		if _, err := ReadWAV(bad); err == nil {
			t.Errorf("ReadWAV(%q) accepted", bad)
		}
	}
}

// An office's recorded clip wins over the stand-in; every part is needed.
func TestRender(t *testing.T) {
	office, standIn := t.TempDir(), t.TempDir()
	for _, w := range Vocabulary(DefaultTemplate) {
		os.WriteFile(filepath.Join(standIn, w+".wav"), WriteWAV(tone(300, 200)), 0o600)
	}
	os.WriteFile(filepath.Join(office, "lăm.wav"), WriteWAV(tone(500, 400)), 0o600)
	c := &Clips{Dirs: []string{office, standIn}}
	parts := Parts("", "15", 2, Style{}) // Mời… | mười | lăm | đến quầy số | hai
	got, err := c.Render(parts)
	if err != nil {
		t.Fatal(err)
	}
	want := len(chime()) + len(silence(250)) + 4*len(tone(300, 200)) + len(tone(500, 400)) + 2*len(silence(180)) + len(silence(60)) + len(silence(180)) + len(silence(300))
	if d := len(got) - want; d < -2000 || d > 2000 { // normalising trims a few quiet samples
		t.Fatalf("%d samples, want about %d", len(got), want)
	}
	peak := 0
	for _, v := range got[len(chime()):] {
		peak = max(peak, abs16(v))
	}
	if peak < 22000 || peak > 23500 {
		t.Errorf("peak %d, want clips normalised near -3 dBFS (23 200)", peak)
	}
	os.Remove(filepath.Join(standIn, "mười.wav"))
	c = &Clips{Dirs: []string{office, standIn}}
	if _, err := c.Render(parts); err == nil || !strings.Contains(err.Error(), `"mười"`) {
		t.Fatalf("a missing clip: %v", err)
	}
}

func TestVocabularyCoversEveryNumber(t *testing.T) {
	have := map[string]bool{}
	for _, w := range Vocabulary(DefaultTemplate) {
		have[w] = true
	}
	for n := range 100000 {
		for _, w := range NumberWords(n, Style{}) {
			if !have[w] {
				t.Fatalf("%d needs %q, not in the vocabulary", n, w)
			}
		}
	}
	for _, w := range DisplayWords("ĐZ9", Style{Thousand: "ngàn", ZeroTens: "lẻ"}) {
		if !have[w] {
			t.Fatalf("%q not in the vocabulary", w)
		}
	}
}

func FuzzReadWAV(f *testing.F) {
	f.Add(WriteWAV(tone(440, 10)))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadWAV(data)
		if err == nil && !bytes.HasPrefix(data, []byte("RIFF")) {
			t.Fatalf("accepted %d samples from a non-RIFF file", len(s))
		}
	})
}
