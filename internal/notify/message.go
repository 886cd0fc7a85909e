package notify

import (
	"time"
)

// State is where a message is in its life.
type State string

// States. Sending is written before a channel is tried, so a restart
// knows which messages may have gone out.
const (
	Queued  State = "queued"
	Sending State = "sending"
	Sent    State = "sent"
	Failed  State = "failed"
)

// Final says whether the message is done with (sent or given up).
func (s State) Final() bool { return s == Sent || s == Failed }

// Life of a message: how many tries a channel gets before the next one, and
// how long a message is worth sending.
const (
	triesPerChannel = 4
	queueLife       = time.Hour
	dossierLife     = 3 * 24 * time.Hour
	maxHistory      = 12
)

// Message is one message to one phone, kept in the office's outbox. Its ID
// is its idempotency key: the event or fact it tells of, so telling it twice
// is impossible, and what a provider that takes an id is given.
type Message struct {
	ID      string `json:"id"`
	Kind    Kind   `json:"kind"`
	Ticket  string `json:"ticket,omitempty"`  // the ticket's id, for a queue message
	Dossier string `json:"dossier,omitempty"` // the dossier's code
	// Phone and Text are personal data: erased (Erased set) a retention
	// after the message ended.
	Phone  string            `json:"phone,omitempty"`
	Text   string            `json:"text,omitempty"`
	Params map[string]string `json:"params,omitempty"` // a ZNS template's parameters (erased with the text)
	// Channels are tried in order; Try is the one in use.
	Channels  []string  `json:"channels"`
	Try       int       `json:"try"`
	Tries     int       `json:"tries"` // on the channel in use
	State     State     `json:"state"`
	Created   time.Time `json:"created"`
	NotBefore time.Time `json:"not_before"`
	Expires   time.Time `json:"expires"`
	Ended     time.Time `json:"ended,omitzero"`
	Erased    time.Time `json:"erased,omitzero"`
	Via       string    `json:"via,omitempty"`    // the channel that sent it
	Answer    string    `json:"answer,omitempty"` // the provider's last answer
	Parts     int       `json:"parts,omitempty"`  // SMS parts, when sent by SMS
	History   []Step    `json:"history,omitempty"`
}

// Step is one try of a channel and what came of it.
type Step struct {
	At      time.Time `json:"at"`
	Channel string    `json:"channel"`
	State   State     `json:"state"` // sent, or queued (to try again) / failed
	Answer  string    `json:"answer,omitempty"`
}

// Outcome is what a channel says of one try.
type Outcome struct {
	Sent bool
	// Permanent: this channel will never take this message (no Zalo
	// account, a template refused, a number the modem rejects): the next
	// channel at once.
	Permanent bool
	// Limited: the provider asks us to slow down; the try does not count
	// and the message waits RetryAfter.
	Limited    bool
	RetryAfter time.Duration
	Answer     string // the provider's answer, for staff (never the phone)
	Parts      int
}

// New is a message of kind k for phone, queued at now: its text rendered
// from the office's wording, its channels the office's order; a dossier's
// waits out the quiet hours.
func New(id string, k Kind, phone string, params map[string]string, s Settings, now time.Time, loc *time.Location) Message {
	m := Message{ID: id, Kind: k, Phone: phone, Params: params, Text: Render(s.Wording(k), params),
		Channels: append([]string(nil), s.Channels...), State: Queued, Created: now, NotBefore: now}
	m.Expires = now.Add(queueLife)
	if !k.Queue() {
		m.NotBefore = s.Quiet.After(now, loc)
		m.Expires = m.NotBefore.Add(dossierLife)
	}
	if len(m.Channels) == 0 {
		m.State, m.Ended, m.Answer = Failed, now, "no channel / không có kênh gửi"
	}
	return m
}

// Channel is the channel in use ("" when none is left).
func (m Message) Channel() string {
	if m.Try < len(m.Channels) {
		return m.Channels[m.Try]
	}
	return ""
}

// Due says whether the message should be tried at now (quiet hours hold a
// dossier's retries too).
func (m Message) Due(now time.Time, q Quiet, loc *time.Location) bool {
	if m.State != Queued || now.Before(m.NotBefore) {
		return false
	}
	return m.Kind.Queue() || !q.After(now, loc).After(now)
}

// Begin marks a try about to be made (written before the channel is
// called).
func (m *Message) Begin(now time.Time) {
	m.State = Sending
	m.Tries++
}

// Finish records a try's outcome: sent; or tried again later (backoff),
// on the next channel, or given up when none is left or it is too late.
func (m *Message) Finish(now time.Time, out Outcome) {
	step := Step{At: now, Channel: m.Channel(), Answer: out.Answer}
	m.Answer = out.Answer
	switch {
	case out.Sent:
		m.State, m.Via, m.Ended, m.Parts = Sent, m.Channel(), now, out.Parts
	case out.Limited:
		m.Tries--
		m.State, m.NotBefore = Queued, now.Add(max(out.RetryAfter, time.Second))
	case out.Permanent || m.Tries >= triesPerChannel:
		m.Try, m.Tries = m.Try+1, 0
		m.State, m.NotBefore = Queued, now
	default:
		m.State, m.NotBefore = Queued, now.Add(backoff(m.Tries))
	}
	if m.State == Queued && (m.Channel() == "" || !now.Before(m.Expires)) {
		m.State, m.Ended = Failed, now
		if m.Channel() != "" {
			m.Answer = "hết hạn gửi / too late to send: " + out.Answer
		}
	}
	step.State = m.State
	m.History = append(m.History, step)
	if len(m.History) > maxHistory {
		m.History = m.History[len(m.History)-maxHistory:]
	}
}

// Resume is a message found Sending after a restart, its try's outcome
// unknown: queued again (the try not counted), to be sent once more only
// when the channel says it did not go out.
func (m *Message) Resume() {
	if m.State == Sending {
		m.State = Queued
		m.Tries--
	}
}

// backoff is the wait after the n-th failed try: 15 s, 1 min, 4 min, ….
func backoff(n int) time.Duration {
	d := 15 * time.Second
	for range n - 1 {
		d *= 4
	}
	return min(d, time.Hour)
}

// Erase takes the personal data out of an ended message.
func (m *Message) Erase(now time.Time) {
	m.Phone, m.Text, m.Params, m.Erased = "", "", nil, now
}
