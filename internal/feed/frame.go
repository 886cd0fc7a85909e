package feed

import (
	"encoding/json"

	"github.com/gorilla/websocket"
)

// wsFrame is one websocket frame, ready to go on the wire: framed once and
// written as it is to every client (RFC 6455 §5.2; a server's frames are not
// masked). The hub writes all of a client's frames itself, so that whatever a
// client has waiting goes out in one write.
type wsFrame = []byte

// Opcodes of the frames the hub writes.
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xa
)

// frameOf frames payload as one final frame of op.
func frameOf(op byte, payload []byte) wsFrame {
	n := len(payload)
	var head []byte
	switch {
	case n < 126:
		head = []byte{0x80 | op, byte(n)}
	case n < 1<<16:
		head = []byte{0x80 | op, 126, byte(n >> 8), byte(n)}
	default:
		head = []byte{0x80 | op, 127, 0, 0, 0, 0, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return append(head, payload...)
}

func prepare(v any) wsFrame {
	raw, _ := json.Marshal(v)
	return frameOf(opText, raw)
}

var (
	pingFrame  = frameOf(opPing, nil)
	closeFrame = frameOf(opClose, websocket.FormatCloseMessage(websocket.CloseGoingAway, "resync"))
)
