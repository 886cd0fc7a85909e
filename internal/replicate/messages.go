package replicate

import (
	"context"
	"encoding/json"
	"net/http"

	"motcua/internal/api"
	"motcua/internal/notify"
)

// ZNS sends the office's ZNS messages through the province's Official
// Account, over the office's uplink (its key): the province sends each id
// once, so a try cut short by a stop is simply made again.
type ZNS struct{ R *Replicator }

// Send asks the province to send m.
func (z ZNS) Send(ctx context.Context, m notify.Message, _ notify.Settings) notify.Outcome {
	t := z.R.Target()
	if !t.Uplink() || t.Validate() != nil {
		return notify.Outcome{Permanent: true, Answer: "ZNS: văn phòng chưa nối với dịch vụ của tỉnh / the office has no uplink to the province"}
	}
	body, err := json.Marshal(api.ZNSRequest{ID: m.ID, Kind: m.Kind, Phone: m.Phone, Params: m.Params})
	if err != nil {
		return notify.Outcome{Answer: err.Error()}
	}
	var a api.ZNSAnswer
	if err := newUplink(t).call(ctx, http.MethodPost, api.UplinkMessages, body, &a); err != nil {
		return notify.Outcome{Answer: "ZNS: " + err.Error()}
	}
	return a.Outcome()
}
