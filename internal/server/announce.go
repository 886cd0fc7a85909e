package server

import (
	"net/http"
	"regexp"
	"strconv"
	"sync"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/voice"
)

var displayPattern = regexp.MustCompile(`^[A-Za-zĐđ]{0,3}[0-9]{1,6}$`)

// handleAnnounce speaks a call as WAV for the web boards:
// GET /api/v1/announce.wav?number=1023&counter=5, in the office's wording,
// with its recorded clips where it has them.
func (s *Server) handleAnnounce(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	number := r.URL.Query().Get("number")
	counter, err := strconv.Atoi(r.URL.Query().Get("counter"))
	if !displayPattern.MatchString(number) || err != nil || counter < 1 || counter > 999 {
		return problem.Errorf(problem.EInvalid, "Cần number (số hiển thị) và counter (1–999)", "number (as displayed) and counter (1-999) are needed")
	}
	if s.voice == nil {
		return problem.Errorf(problem.ENotFound, "Máy chủ này không có giọng đọc", "this server has no voice clips")
	}
	key := number + "@" + strconv.Itoa(counter)
	wav, ok := s.wavs.get(key)
	if !ok {
		d := s.conf().office.Display
		samples, err := s.voice.Render(voice.Parts(d.Template, number, counter, voice.StyleOf(d.Thousand, d.ZeroTens, d.NoTu)))
		if err != nil {
			return problem.Errorf(problem.ENotFound, "Thiếu đoạn âm thanh: %v", "a voice clip is missing: %v", err)
		}
		wav = voice.WriteWAV(samples)
		s.wavs.put(key, wav)
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(wav)
	return nil
}

// wavCache keeps the last announcements rendered: every board in the room
// asks for the same call at once.
type wavCache struct {
	mu    sync.Mutex
	order []string
	data  map[string][]byte
}

const wavCacheSize = 32

func (c *wavCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.data[key]
	return b, ok
}

func (c *wavCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data == nil {
		c.data = map[string][]byte{}
	}
	if _, ok := c.data[key]; ok {
		return
	}
	if len(c.order) == wavCacheSize { // the oldest call goes
		delete(c.data, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, key)
	c.data[key] = b
}
