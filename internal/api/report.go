package api

import (
	"time"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// Report is GET AdminReport's answer: the period's ticket figures (flat, as
// queue.Report) and, with intake, its dossiers' (intake.Period).
// docs/REPORTS.md says how each figure is computed.
type Report struct {
	*queue.Report
	Dossiers *intake.Period `json:"dossiers,omitempty"`
	// DossiersByClerk are the same figures for the dossiers each clerk
	// received (their Circular 01 grade is made of them).
	DossiersByClerk map[string]*intake.Period `json:"dossiers_by_clerk,omitempty"`
	// DossiersByProcedure: by procedure ("code name"); DossiersByMonth: each
	// calendar month of the period (the first and last cut to it).
	DossiersByProcedure map[string]*intake.Period `json:"dossiers_by_procedure,omitempty"`
	DossiersByMonth     []MonthPeriod             `json:"dossiers_by_month,omitempty"`
	// DossiersByField: by the procedures' field (lĩnh vực, the catalogue's),
	// the national index's grouping of the digitisation figures.
	DossiersByField map[string]*intake.Period `json:"dossiers_by_field,omitempty"`
	// Offices are each office's figures in a report of many (the province's).
	Offices []OfficeFigures `json:"offices,omitempty"`
	// Bookings are the period's bookings whose slot has passed: Taken (not
	// cancelled) and Arrived (checked in); the rest did not come.
	Bookings *BookingFigures `json:"bookings,omitempty"`
}

// BookingFigures count a period's past bookings.
type BookingFigures struct {
	Taken   int `json:"taken"`
	Arrived int `json:"arrived"`
}

// OfficeFigures are one office's figures in a report of many.
type OfficeFigures struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	queue.Tally
	Dossiers *intake.Period `json:"dossiers,omitempty"`
}

// MonthPeriod is one month's dossier figures.
type MonthPeriod struct {
	Month string `json:"month"` // YYYY-MM
	intake.Period
}

// SyncStatus is how the shipping of the event log to the province stands
// (the live page shows it).
type SyncStatus struct {
	Office    string    `json:"office"`           // "" when nothing ships
	Target    string    `json:"target,omitempty"` // the province's PostgreSQL, its password masked
	Shipped   uint64    `json:"shipped"`          // the last seq the province holds
	Lag       uint64    `json:"lag"`              // events not shipped yet
	At        time.Time `json:"at,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	ErrorAt   time.Time `json:"error_at,omitzero"`
}
