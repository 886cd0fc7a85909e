package server

import (
	"net/http"
	"regexp"
	"strconv"

	"motcua/internal/queue"
	"motcua/internal/voice"
)

var displayPattern = regexp.MustCompile(`^[A-Za-zĐđ]{0,3}[0-9]{1,6}$`)

// handleAnnounce speaks a call as WAV for the web boards:
// GET /api/v1/announce.wav?number=1023&counter=5, in the office's wording,
// with its recorded clips where it has them.
func (s *Server) handleAnnounce(w http.ResponseWriter, r *http.Request, p principal) error {
	number := r.URL.Query().Get("number")
	counter, err := strconv.Atoi(r.URL.Query().Get("counter"))
	if !displayPattern.MatchString(number) || err != nil || counter < 1 || counter > 999 {
		return queue.Errorf(queue.EInvalid, "Cần number (số hiển thị) và counter (1–999)", "number (as displayed) and counter (1-999) are needed")
	}
	if s.voice == nil {
		return queue.Errorf(queue.ENotFound, "Máy chủ này không có giọng đọc", "this server has no voice clips")
	}
	d := s.q.Office().Display
	samples, err := s.voice.Render(voice.Parts(d.Template, number, counter, voice.StyleOf(d.Thousand, d.ZeroTens, d.NoTu)))
	if err != nil {
		return queue.Errorf(queue.ENotFound, "Thiếu đoạn âm thanh: %v", "a voice clip is missing: %v", err)
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(voice.WriteWAV(samples))
	return nil
}
