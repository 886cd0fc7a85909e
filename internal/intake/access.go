package intake

import "time"

// Access is one line of the access log: who opened which dossier and why
// ("create", "view", "print mau-01", "register 2026-04-01..2026-04-30").
type Access struct {
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Code   string    `json:"code,omitempty"`
	Action string    `json:"action"`
}
