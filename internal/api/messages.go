package api

import (
	"time"

	"motcua/internal/notify"
)

// MessageView is a message to a citizen as staff see it on the ticket or
// the dossier: its kind, where it stands, by which channel, the provider's
// answer; the phone masked (091****678).
type MessageView struct {
	ID       string        `json:"id"`
	Kind     notify.Kind   `json:"kind"`
	KindName string        `json:"kind_name"`
	State    notify.State  `json:"state"`
	Channel  string        `json:"channel,omitempty"` // the one tried now or last
	Via      string        `json:"via,omitempty"`     // the one that sent it
	Phone    string        `json:"phone,omitempty"`   // masked
	Parts    int           `json:"parts,omitempty"`
	Answer   string        `json:"answer,omitempty"`
	Created  time.Time     `json:"created"`
	Ended    time.Time     `json:"ended,omitzero"`
	History  []notify.Step `json:"history,omitempty"`
}

// ViewMessage is m as staff see it.
func ViewMessage(m notify.Message) MessageView {
	vi, _ := m.Kind.Name()
	ch := m.Channel()
	if ch == "" && len(m.History) > 0 {
		ch = m.History[len(m.History)-1].Channel
	}
	return MessageView{ID: m.ID, Kind: m.Kind, KindName: vi, State: m.State, Channel: ch, Via: m.Via,
		Phone: notify.Masked(m.Phone), Parts: m.Parts, Answer: m.Answer, Created: m.Created, Ended: m.Ended, History: m.History}
}
