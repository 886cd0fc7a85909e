package counter

import (
	"fmt"

	"motcua/internal/api"
	"motcua/internal/notify"
)

// messageLine says where a message to the citizen stands, for the clerk:
// its kind, its state with the channel and time, the provider's answer when
// it did not go.
func (a *App) messageLine(m api.MessageView) string {
	vi, en := m.Kind.Name()
	kind := a.pick(vi, en)
	at := m.Created
	if !m.Ended.IsZero() {
		at = m.Ended
	}
	when := at.In(a.zone()).Format("15:04 02/01")
	switch m.State {
	case notify.Sent:
		parts := ""
		if m.Parts > 1 {
			parts = fmt.Sprintf(a.tr("message parts"), m.Parts)
		}
		return fmt.Sprintf(a.tr("message sent"), kind, m.Via, when, m.Phone, parts)
	case notify.Failed:
		return fmt.Sprintf(a.tr("message failed"), kind, when, m.Answer)
	}
	return fmt.Sprintf(a.tr("message waiting"), kind, m.Channel, m.Phone)
}
