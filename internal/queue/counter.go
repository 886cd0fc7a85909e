package queue

import "time"

// CounterState is whether a counter is taking citizens.
type CounterState string

// Counter states.
const (
	CounterClosed CounterState = "closed"
	CounterOpen   CounterState = "open"
	CounterPaused CounterState = "paused"
)

// Counter is one counter (quầy) as it is now.
type Counter struct {
	Number   int          `json:"number"`
	Name     string       `json:"name,omitempty"`
	Services []string     `json:"services"`
	State    CounterState `json:"state"`
	// Clerk is the username of the clerk working here; ClerkName is shown to citizens.
	Clerk     string `json:"clerk,omitempty"`
	ClerkName string `json:"clerk_name,omitempty"`
	// Current is the id of the ticket called to or served at this counter.
	Current string `json:"current,omitempty"`
	// PriorityStreak counts priority tickets called in a row while ordinary ones waited.
	PriorityStreak int       `json:"priority_streak,omitempty"`
	Since          time.Time `json:"since,omitzero"`
	// RatingFor is the ticket finished here whose rating the citizen's screen
	// asks for until RatingUntil; RatingNumber is its displayed number.
	RatingFor    string    `json:"rating_for,omitempty"`
	RatingNumber string    `json:"rating_number,omitempty"`
	RatingUntil  time.Time `json:"rating_until,omitzero"`
}

func (c *Counter) serves(serviceID string) bool {
	for _, s := range c.Services {
		if s == serviceID {
			return true
		}
	}
	return false
}
