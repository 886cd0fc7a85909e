package api

// PairingAnswer is what POST /api/v1/pairing answers a device that has no
// key yet: the code to show on its screen (the admin types it in the
// console) and the token it asks GET /api/v1/pairing/{token} with.
type PairingAnswer struct {
	Code  string `json:"code"`
	Token string `json:"token"`
}

// PairedAnswer is GET /api/v1/pairing/{token} once the admin has paired the
// device: its id, kind, counter (a rating screen's) and key, given once,
// and the office's servers (the address the device asked, then its
// standby's when one follows): the device keeps them and follows the live
// primary among them.
type PairedAnswer struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Counter int      `json:"counter,omitempty"`
	Key     string   `json:"key"`
	Servers []string `json:"servers,omitempty"`
}
