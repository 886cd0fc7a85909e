package api

// PairingAnswer is what POST /api/v1/pairing answers a device that has no
// key yet: the code to show on its screen (the admin types it in the
// console) and the token it asks GET /api/v1/pairing/{token} with.
type PairingAnswer struct {
	Code  string `json:"code"`
	Token string `json:"token"`
}

// PairedAnswer is GET /api/v1/pairing/{token} once the admin has paired the
// device: its id, kind, counter (a rating screen's) and key, given once.
type PairedAnswer struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Counter int    `json:"counter,omitempty"`
	Key     string `json:"key"`
}
