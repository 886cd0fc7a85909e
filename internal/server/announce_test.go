package server

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"motcua/internal/feed"
	"motcua/internal/voice"
)

func TestAnnounceWAV(t *testing.T) {
	e := newEnv(t, feed.Config{})
	get := func(q string) (int, []byte) {
		resp, err := http.Get(e.http.URL + "/api/v1/announce.wav?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, _ := get("number=1023&counter=5"); code != 404 {
		t.Fatalf("without clips: %d", code)
	}
	dir := t.TempDir()
	tone := make([]int16, voice.Rate/10)
	for i := range tone {
		tone[i] = int16(12000 * math.Sin(float64(i)/5))
	}
	for _, w := range voice.Vocabulary("") {
		os.WriteFile(filepath.Join(dir, w+".wav"), voice.WriteWAV(tone), 0o600)
	}
	e.srv.voice = &voice.Clips{Dirs: []string{dir}}
	code, first := get("number=1023&counter=5")
	if code != 200 || !bytes.HasPrefix(first, []byte("RIFF")) {
		t.Fatalf("announce: %d %q", code, first[:min(len(first), 12)])
	}
	if _, err := voice.ReadWAV(first); err != nil {
		t.Fatal(err)
	}
	if _, again := get("number=1023&counter=5"); !bytes.Equal(first, again) {
		t.Error("the same call came back different")
	}
	for _, bad := range []string{"number=&counter=5", "number=1023&counter=0", "number=<script>&counter=1", "number=12345678&counter=1"} {
		if code, _ := get(bad); code != 400 {
			t.Errorf("%s: %d", bad, code)
		}
	}
}
