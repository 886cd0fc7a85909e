package api

import "motcua/internal/queue"

// Report is GET AdminReport's answer: the period's ticket figures (flat, as
// queue.Report) and, with intake, its dossiers'. docs/REPORTS.md.
type Report struct {
	*queue.Report
	Dossiers *DossierTally `json:"dossiers,omitempty"`
}

// DossierTally is the period's dossiers by outcome and timeliness: what the
// national service index rates offices on (on-time rate).
type DossierTally struct {
	Received   int            `json:"received"`
	ByStatus   map[string]int `json:"by_status"`
	Early      int            `json:"early"`
	OnTime     int            `json:"on_time"`
	Late       int            `json:"late"`
	OnTimeRate float64        `json:"on_time_rate"` // (early + on time) / those with a result or overdue
}
