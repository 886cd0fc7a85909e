package queue

import "time"

// ClockSteps counts the times the server's clock was seen going backwards
// (a PC that booted with a slow clock, NTP correcting it): numbering survives
// it, and staff should fix the clock.
type ClockSteps struct {
	Count       int       `json:"count"`
	LastSeconds float64   `json:"last_seconds,omitempty"` // how far back the last step went
	At          time.Time `json:"at,omitzero"`
}
