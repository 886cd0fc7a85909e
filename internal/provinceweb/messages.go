package provinceweb

import (
	"context"
	"net/http"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/province"
	"motcua/internal/reply"
)

// Sender sends a ZNS message with the province's OA (*zalo.Client).
type Sender interface {
	Send(ctx context.Context, phone string, kind notify.Kind, params map[string]string, trackingID string) notify.Outcome
}

// uplinkMessages sends an office's message with the province's Zalo OA,
// once per id (province.BeginZNS): the phone passes through and is
// written nowhere, not even in the log.
func (s *Server) uplinkMessages(w http.ResponseWriter, r *http.Request) {
	office, ok := s.uplinkOffice(w, r)
	if !ok {
		return
	}
	var req api.ZNSRequest
	if err := reply.DecodeUpTo(w, r, &req, false, 16<<10); err != nil {
		reply.Error(w, r, err)
		return
	}
	phone, err := notify.Phone(req.Phone)
	if err == nil && (!req.Kind.Known() || req.ID == "" || len(req.ID) > 200 || len(req.Params) > 16) {
		err = problem.Errorf(problem.EInvalid, "Tin nhắn không hợp lệ (id, kind, params)", "not a valid message (id, kind, params)")
	}
	for k, v := range req.Params {
		if err == nil && (len(k) > 32 || len(v) > 400) {
			err = problem.Errorf(problem.EInvalid, "Tham số %q quá dài", "parameter %q is too long", k)
		}
	}
	if err != nil {
		reply.Error(w, r, err)
		return
	}
	if s.ZNS == nil {
		writeJSON(w, http.StatusOK, api.AnswerOf(notify.Outcome{Permanent: true, Answer: "ZNS: tỉnh chưa nối Zalo OA / the province has no Zalo OA set up"}))
		return
	}
	s.guardOnce.Do(s.makeLimits)
	if wait := s.messages.Locked(office); wait > 0 {
		writeJSON(w, http.StatusOK, api.AnswerOf(notify.Outcome{Limited: true, RetryAfter: wait,
			Answer: "ZNS: văn phòng đã gửi quá nhiều tin trong giờ qua / the office asked for too many messages this hour"}))
		return
	}
	s.messages.Fail(office) // every request counts toward the hour's
	ctx := r.Context()
	prior, err := province.BeginZNS(ctx, s.Pool, office, req.ID, req.Kind)
	if err != nil {
		reply.Error(w, r, err)
		return
	}
	if prior != nil {
		writeJSON(w, http.StatusOK, api.AnswerOf(*prior))
		return
	}
	// A record outlives its sending by a month (no phone, no text in it):
	// long enough to refuse any repeat of its id.
	province.ForgetZNS(ctx, s.Pool, time.Now().Add(-30*24*time.Hour))
	out := s.ZNS.Send(context.WithoutCancel(ctx), phone, req.Kind, req.Params, office+"/"+req.ID)
	out.Answer = strings.ReplaceAll(out.Answer, phone, notify.Masked(phone))
	if err := province.EndZNS(context.WithoutCancel(ctx), s.Pool, office, req.ID, out); err != nil {
		reply.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.AnswerOf(out))
}
