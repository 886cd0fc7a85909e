package intake

import (
	"time"
)

// Period is what a period's dossiers add up to, as the province counts them
// (DOMAIN.md, "Reports the province asks for"; docs/REPORTS.md). Every
// rate comes with the counts it is made of.
type Period struct {
	// CarriedOver were received before the period and still open at its start.
	CarriedOver int `json:"carried_over"`
	// ByStatus is every filing of the period (incomplete and refused ones
	// too) by its status now.
	ByStatus map[string]int `json:"by_status"`
	// Received in the period: in person at a counter (the only channel this
	// office takes yet), with the result to be posted (ByPost) or not.
	Received int `json:"received"`
	InPerson int `json:"in_person"`
	ByPost   int `json:"by_post"`
	// Resolved in the period (the result ready), early / on time / late
	// against the appointment day.
	Resolved int `json:"resolved"`
	Early    int `json:"early"`
	OnTime   int `json:"on_time"`
	Late     int `json:"late"`
	// Open at the period's end: within the deadline, or overdue.
	OpenWithin  int `json:"open_within"`
	OpenOverdue int `json:"open_overdue"`
	// Supplements asked (the clock stops), apology letters (Mẫu 04) and
	// dossiers whose processing stopped (withdrawn by the applicant or
	// stopped by law, Mẫu 05), in the period.
	Supplements int `json:"supplements"`
	Apologies   int `json:"apologies"`
	Withdrawn   int `json:"withdrawn"`
	// Digitisation (Circular 03/2025 art. 5; the national index's inputs):
	// received with every paper handed in scanned or exempted, and resolved
	// with an electronic result; the rates are of received and of resolved.
	Digitised     int     `json:"digitised"`
	DigitisedRate float64 `json:"digitised_rate"`
	EResults      int     `json:"e_results"`
	EResultRate   float64 `json:"e_result_rate"`
	// Fees (phí, lệ phí): the period's received with a fee and the amounts
	// due (đồng); the fees paid in the period and the amounts collected;
	// of them, those paid without cash (a transfer, the VietQR), by count
	// and by amount, and their shares of what was paid.
	// The online help desk: its sessions in the period, and those that
	// ended filed on the national portal (beside paper intake: received).
	OnlineHelped        int     `json:"online_helped"`
	OnlineFiled         int     `json:"online_filed"`
	FeeDossiers         int     `json:"fee_dossiers"`
	FeesDue             int64   `json:"fees_due"`
	FeesPaid            int     `json:"fees_paid"`
	FeesCollected       int64   `json:"fees_collected"`
	Cashless            int     `json:"cashless"`
	CashlessAmount      int64   `json:"cashless_amount"`
	CashlessShare       float64 `json:"cashless_share"`
	CashlessAmountShare float64 `json:"cashless_amount_share"`
	// OnTimeRate = (early + on time) ÷ resolved.
	OnTimeRate float64 `json:"on_time_rate"`
	// Decree61Rate (Decree 61 art. 30): resolved early or on time ÷ received.
	Decree61Rate float64 `json:"decree61_rate"`
	// Progress766 is QĐ 766's "tiến độ giải quyết" (of 20): (open within the
	// deadline + resolved early or on time + withdrawn) ÷ received × 20.
	// The weight is the deployed system's, not confirmed from the decision.
	Progress766 float64 `json:"progress_766"`
	// Indicator1 and Indicator3 are Circular 01/2018's, per resolved
	// dossier (2/1/0), averaged to one decimal; -1 when no dossier was resolved.
	Indicator1 float64 `json:"indicator_1"` // total time: early 2, on time 1, late 0
	Indicator3 float64 `json:"indicator_3"` // contacts: no supplement 2, one 1, more 0
}

// Tally counts dossiers for the period [from, to): ds must hold every
// dossier received before to (the carried over among them). loc is the
// office's zone (days are compared there). It is Sum over the dossiers'
// flows: the rules are written once, in FlowsOf and Sum.
func Tally(ds []Dossier, from, to time.Time, loc *time.Location) Period {
	days := map[string]*Flows{}
	for _, d := range ds {
		Add(days, FlowsOf(d, loc), 1)
	}
	return Sum(days, from, to, loc)
}
