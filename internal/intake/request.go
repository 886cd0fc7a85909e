package intake

// Request is a clerk's intake of a dossier: POST /api/v1/dossiers.
type Request struct {
	Outcome   string    `json:"outcome"` // receive, incomplete, refuse; online_filed, online_not_filed (the online help desk)
	Procedure string    `json:"procedure"`
	Applicant Applicant `json:"applicant"`
	Received  []string  `json:"received"` // names of the documents handed in
	Missing   []string  `json:"missing,omitempty"`
	Sets      int       `json:"sets"`
	Delivery  string    `json:"delivery"`
	Reason    string    `json:"reason,omitempty"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Counter   int       `json:"counter,omitempty"`
	// Notify: the applicant agreed to be told of the dossier by SMS or
	// Zalo at Applicant.Phone (docs/NOTIFY.md).
	Notify bool `json:"notify,omitempty"`
	// PortalCode: the national portal's dossier code of an online_filed
	// help session.
	PortalCode string `json:"portal_code,omitempty"`
}
