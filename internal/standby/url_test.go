package standby

import "testing"

// Where devices are told to find the standby: its own host, else the
// address it dials from; nothing a device could not dial or that would
// bend a URL.
func TestDeviceURL(t *testing.T) {
	for _, c := range []struct{ addr, remote, want string }{
		{"10.0.0.11:8080", "10.0.0.11:51234", "http://10.0.0.11:8080"},
		{"[::]:8080", "10.0.0.11:51234", "http://10.0.0.11:8080"},
		{"0.0.0.0:8080", "10.0.0.11:51234", "http://10.0.0.11:8080"},
		{":8080", "[fe80::1]:51234", "http://[fe80::1]:8080"},
		{"may-du-phong.local:8080", "10.0.0.11:51234", "http://may-du-phong.local:8080"},
		{"127.0.0.1:0", "127.0.0.1:5", ""},
		{"10.0.0.11", "10.0.0.11:5", ""},
		{"10.0.0.11:99999", "10.0.0.11:5", ""},
		{"evil/x?y@z:8080", "10.0.0.11:5", ""},
		{"a b:8080", "10.0.0.11:5", ""},
		{"", "10.0.0.11:5", ""},
	} {
		if got := deviceURL(c.addr, c.remote); got != c.want {
			t.Errorf("deviceURL(%q, %q) = %q, want %q", c.addr, c.remote, got, c.want)
		}
	}
}
