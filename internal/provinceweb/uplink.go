package provinceweb

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/province"
)

// The uplink (docs/PROVINCE.md): offices ship their events here over
// HTTP(S), each with its own key; only this service talks to PostgreSQL.
// The key names the office: events are stored under it whatever the office
// says, and a batch that claims another office, or rewrites an event the
// province holds, is refused and raised as an alert.

// maxBatch bounds an uplink batch (500 events of a few KB each fit easily).
const maxBatch = 16 << 20

// uplinkOffice is the office the request's key names. Wrong keys are
// counted per address (auth.Strikes): thirty within 15 minutes lock the
// address out of the uplink for five minutes, doubling up to an hour. A
// key is a 256-bit secret: the limit is on the load of wrong ones, not on
// guessing, so right keys are never reserved or held up — offices behind
// one address ship at once — and an office whose key was replaced, trying
// once a minute, never locks its neighbours out.
func (s *Server) uplinkOffice(w http.ResponseWriter, r *http.Request) (string, bool) {
	addr := s.clientAddr(r)
	if wait := s.keyStrikes().Locked(addr); wait > 0 {
		minutes := int(wait.Minutes()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		uplinkError(w, http.StatusTooManyRequests, problem.Errorf(problem.ETooMany,
			"Quá nhiều khoá sai từ địa chỉ này: thử lại sau %d phút", "too many wrong keys from this address: try again in %d minutes", minutes))
		return "", false
	}
	office, err := province.OfficeOfKey(r.Context(), s.Pool, auth.Bearer(r))
	switch {
	case errors.Is(err, province.ErrKey):
		s.keyStrikes().Fail(addr)
		uplinkError(w, http.StatusUnauthorized, problem.Errorf(problem.EUnauthorized,
			"Khoá văn phòng không hợp lệ hoặc đã được thay; hỏi tỉnh khoá mới", "the office key is not valid or was replaced; ask the province for a new one"))
		return "", false
	case err != nil:
		slog.Error("uplink: the office's key", "err", err)
		uplinkError(w, http.StatusServiceUnavailable, problem.Errorf(problem.EInternal, "Tỉnh chưa nhận được; thử lại sau", "the province cannot take it now; try again later"))
		return "", false
	}
	return office, true
}

func (s *Server) uplinkCursor(w http.ResponseWriter, r *http.Request) {
	office, ok := s.uplinkOffice(w, r)
	if !ok {
		return
	}
	folded, err := province.Folded(r.Context(), s.Pool, office)
	if err != nil {
		slog.Error("uplink: the cursor", "office", office, "err", err)
		uplinkError(w, http.StatusServiceUnavailable, problem.Errorf(problem.EInternal, "Tỉnh chưa đọc được; thử lại sau", "the province cannot read it now; try again later"))
		return
	}
	writeJSON(w, http.StatusOK, api.UplinkAnswer{Office: office, Folded: folded})
}

func (s *Server) uplinkEvents(w http.ResponseWriter, r *http.Request) {
	office, ok := s.uplinkOffice(w, r)
	if !ok {
		return
	}
	// One batch of an office at a time: its batches fold in order under a
	// lock of its row anyway, and a key used twice at once (a copied data
	// folder, a leaked key) must not hold the pool's connections.
	if _, busy := s.shipping.LoadOrStore(office, true); busy {
		w.Header().Set("Retry-After", "5")
		uplinkError(w, http.StatusTooManyRequests, problem.Errorf(problem.ETooMany,
			"Tỉnh đang lưu một lô khác của văn phòng %s: gửi lại sau", "the province is storing another batch of office %s: send it again later", office))
		return
	}
	defer s.shipping.Delete(office)
	var b api.UplinkBatch
	if !decodeJSON(w, r, maxBatch, &b, "Lô sự kiện", "the batch") {
		return
	}
	if claim := strings.TrimSpace(b.Office); claim != "" && claim != office {
		what := "khoá của văn phòng " + office + " gửi với mã " + claim + " / office " + office + "'s key shipped as " + claim
		slog.Warn("uplink: an office claimed another's id", "office", office, "claimed", claim)
		province.Alert(r.Context(), s.Pool, office, what)
		uplinkError(w, http.StatusConflict, problem.Errorf(problem.EConflict,
			"Khoá này là của văn phòng %s, không phải %s: sửa mã văn phòng ở trang Đồng bộ (hoặc để trống)", "this key is office %s's, not %s's: correct the office id on the sync page (or leave it empty)", office, claim))
		return
	}
	evs := make([]province.Event, len(b.Events))
	for i, e := range b.Events {
		evs[i] = province.Event{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
	}
	var err error
	if len(evs) == 0 && len(b.Profile) == 0 {
		err = province.Touch(r.Context(), s.Pool, office)
	} else {
		err = province.Ingest(r.Context(), s.Pool, office, b.Profile, evs)
	}
	var rewrite *province.RewriteError
	switch {
	case errors.As(err, &rewrite):
		slog.Warn("uplink: an office tried to rewrite an event", "office", office, "seq", rewrite.Seq)
		uplinkError(w, http.StatusConflict, problem.Errorf(problem.EConflict, "Sự kiện số %[2]d của văn phòng %[1]s đã có ở tỉnh với nội dung khác: không ghi đè",
			"office %[1]s's seq %[2]d is held with another body: it is not rewritten", rewrite.Office, rewrite.Seq))
		return
	case err != nil:
		slog.Error("uplink: ingest", "office", office, "err", err)
		uplinkError(w, http.StatusServiceUnavailable, problem.Errorf(problem.EInternal, "Tỉnh chưa lưu được; thử lại sau", "the province cannot store it now; try again later"))
		return
	}
	folded, err := province.Folded(r.Context(), s.Pool, office)
	if err != nil {
		folded = 0
	}
	writeJSON(w, http.StatusOK, api.UplinkAnswer{Office: office, Folded: folded})
}

// decodeJSON reads r's body (at most limit bytes, no unknown field) into
// out; a body that does not read is answered 400, what says so.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, out any, what, whatEN string) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		uplinkError(w, http.StatusBadRequest, problem.Errorf(problem.EInvalid, what+" không đọc được: %v", whatEN+" does not read: %v", err))
		return false
	}
	return true
}

// uplinkError answers err as the offices' own API does (api.ErrorBody).
func uplinkError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, api.ErrorOf(err))
}
