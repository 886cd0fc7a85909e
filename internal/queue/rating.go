package queue

import (
	"slices"
	"strings"
	"time"

	"motcua/internal/problem"
)

// RatingConfig is the citizen's satisfaction scale (DOMAIN.md "Satisfaction").
// The default is three levels, with reasons required for the last; an office may
// configure, say, 1–5 stars instead.
type RatingConfig struct {
	Options []RatingOption `json:"options,omitempty"`
	Reasons []RatingReason `json:"reasons,omitempty"`
	// TimeoutSeconds: no answer within this time is recorded as "no rating". Default 60.
	TimeoutSeconds int `json:"timeout_seconds,omitempty"`
}

// RatingOption is one answer on the scale.
type RatingOption struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en,omitempty"`
	Score   int    `json:"score"`
	// NeedsReason: the citizen must pick at least one reason with this answer.
	NeedsReason bool `json:"needs_reason,omitempty"`
}

// RatingReason is one reason a citizen may give for a low rating.
type RatingReason struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en,omitempty"`
}

// DefaultRating is the scale used when the config sets none.
func DefaultRating() RatingConfig {
	return RatingConfig{
		Options: []RatingOption{
			{ID: "very_satisfied", Label: "Rất hài lòng", LabelEN: "Very satisfied", Score: 3},
			{ID: "satisfied", Label: "Hài lòng", LabelEN: "Satisfied", Score: 2},
			{ID: "unsatisfied", Label: "Không hài lòng", LabelEN: "Not satisfied", Score: 1, NeedsReason: true},
		},
		Reasons: []RatingReason{
			{ID: "attitude", Label: "Thái độ cán bộ chưa tốt", LabelEN: "The clerk's attitude"},
			{ID: "slow", Label: "Chờ đợi, giải quyết chậm", LabelEN: "Too slow"},
			{ID: "unclear", Label: "Hướng dẫn chưa rõ ràng", LabelEN: "Unclear guidance"},
			{ID: "extra_papers", Label: "Yêu cầu giấy tờ ngoài quy định", LabelEN: "Papers beyond the rules were asked for"},
			{ID: "other", Label: "Lý do khác", LabelEN: "Other"},
		},
		TimeoutSeconds: 60,
	}
}

func (r RatingConfig) withDefaults() RatingConfig {
	d := DefaultRating()
	if len(r.Options) == 0 {
		r.Options = d.Options
		if len(r.Reasons) == 0 {
			r.Reasons = d.Reasons
		}
	}
	if r.TimeoutSeconds <= 0 {
		r.TimeoutSeconds = d.TimeoutSeconds
	}
	return r
}

func (r RatingConfig) validate() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình đánh giá: "+vi, "rating config: "+en, args...)
	}
	if len(r.Options) > 10 || len(r.Reasons) > 20 {
		return bad("tối đa 10 mức và 20 lý do", "at most 10 options and 20 reasons")
	}
	ids := map[string]bool{}
	needsReason := false
	for _, o := range r.Options {
		if !idPattern.MatchString(o.ID) || ids[o.ID] || strings.TrimSpace(o.Label) == "" {
			return bad("mức %q không hợp lệ, thiếu nhãn hoặc bị trùng", "option %q is invalid, unlabelled or duplicated", o.ID)
		}
		ids[o.ID] = true
		needsReason = needsReason || o.NeedsReason
	}
	for _, o := range r.Reasons {
		if !idPattern.MatchString(o.ID) || ids[o.ID] || strings.TrimSpace(o.Label) == "" {
			return bad("lý do %q không hợp lệ, thiếu nhãn hoặc bị trùng", "reason %q is invalid, unlabelled or duplicated", o.ID)
		}
		ids[o.ID] = true
	}
	if needsReason && len(r.Reasons) == 0 && len(r.Options) > 0 {
		return bad("có mức cần lý do nhưng chưa khai báo lý do nào", "an option needs a reason but no reasons are listed")
	}
	if r.TimeoutSeconds < 0 || r.TimeoutSeconds > 600 {
		return bad("timeout_seconds %d ngoài khoảng 1–600", "timeout_seconds %d outside 1-600", r.TimeoutSeconds)
	}
	return nil
}

// Rating is a citizen's answer about one finished ticket. Option "" records that
// no answer came in time ("no rating").
type Rating struct {
	Option  string    `json:"option,omitempty"`
	Score   int       `json:"score,omitempty"`
	Reasons []string  `json:"reasons,omitempty"`
	Counter int       `json:"counter"`
	Clerk   string    `json:"clerk,omitempty"`
	At      time.Time `json:"at"`
}

// rate records the citizen's answer from the rating screen paired to the counter.
// Only a device answers (the server checks the pairing): a clerk cannot rate.
func (s *State) rate(now time.Time, cmd Command) (Result, []Event, error) {
	c, ok := s.counters[cmd.Counter]
	if !ok {
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không có quầy số %d", "no counter %d", cmd.Counter)
	}
	if cmd.Actor.Kind != ActorDevice {
		return Result{}, nil, problem.Errorf(problem.EForbidden, "Chỉ màn hình đánh giá của công dân mới gửi được đánh giá", "only the citizen's rating screen can rate")
	}
	if c.RatingFor == "" || c.RatingFor != cmd.TicketID {
		return Result{}, nil, problem.Errorf(problem.EConflict, "Quầy %d không có lượt đánh giá nào đang chờ cho phiếu này", "counter %d has no rating pending for this ticket", c.Number)
	}
	if !now.Before(c.RatingUntil) {
		return Result{}, nil, problem.Errorf(problem.EConflict, "Đã hết thời gian đánh giá", "the time to rate has run out")
	}
	cfg := s.office.Rating
	i := slices.IndexFunc(cfg.Options, func(o RatingOption) bool { return o.ID == cmd.Option })
	if i < 0 {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Mức đánh giá %q không có trong cấu hình", "unknown rating option %q", cmd.Option)
	}
	opt := cfg.Options[i]
	var reasons []string
	for _, r := range cmd.Reasons {
		if !slices.ContainsFunc(cfg.Reasons, func(o RatingReason) bool { return o.ID == r }) {
			return Result{}, nil, problem.Errorf(problem.EInvalid, "Lý do %q không có trong cấu hình", "unknown reason %q", r)
		}
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	if opt.NeedsReason && len(reasons) == 0 {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Vui lòng chọn ít nhất một lý do", "choose at least one reason")
	}
	ev := s.closeRating(now, c, Rating{Option: opt.ID, Score: opt.Score, Reasons: reasons}, cmd.Actor)
	return Result{Ticket: ev.Ticket, Counter: ev.Counter}, append([]Event{ev}, s.ratingAlert(now, ev.Ticket)...), nil
}

// closeRating records r for the ticket awaiting a rating at c and clears the wait.
func (s *State) closeRating(now time.Time, c *Counter, r Rating, who Actor) Event {
	r.Counter, r.At = c.Number, now
	ev := Event{Type: EvRated, Time: now, Actor: who}
	if t, ok := s.tickets[c.RatingFor]; ok {
		r.Clerk = t.Clerk
		t.Rating = &r
		ev.Ticket = copyTicket(t)
	}
	c.RatingFor, c.RatingNumber, c.RatingUntil = "", "", time.Time{}
	ev.Counter = copyCounter(c)
	return ev
}

// expireRatings records "no rating" for every wait that has run out.
func (s *State) expireRatings(now time.Time) []Event {
	var evs []Event
	for _, n := range s.order {
		c := s.counters[n]
		if c.RatingFor != "" && !now.Before(c.RatingUntil) {
			evs = append(evs, s.closeRating(now, c, Rating{}, Actor{Kind: ActorSystem, ID: "system"}))
		}
	}
	return evs
}

// askRating starts the wait for t's rating at c; a rating still pending there is
// closed as "no rating" first.
func (s *State) askRating(now time.Time, c *Counter, t *Ticket) []Event {
	var evs []Event
	if c.RatingFor != "" {
		evs = append(evs, s.closeRating(now, c, Rating{}, Actor{Kind: ActorSystem, ID: "system"}))
	}
	c.RatingFor, c.RatingNumber = t.ID, t.Display
	c.RatingUntil = now.Add(time.Duration(s.office.Rating.TimeoutSeconds) * time.Second)
	return evs
}
