package main

import (
	"net"
	"os"
)

// sdNotify tells systemd how the service stands (READY=1 once it serves,
// STOPPING=1 when it begins to stop) over the datagram socket systemd names
// in $NOTIFY_SOCKET (Type=notify units); without one it does nothing. A path
// starting with @ is an abstract socket. The protocol is one datagram of
// newline-separated assignments (sd_notify(3)): a few lines, no library.
func sdNotify(state string) error {
	path := os.Getenv("NOTIFY_SOCKET")
	if path == "" {
		return nil
	}
	if path[0] == '@' {
		path = "\x00" + path[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}
