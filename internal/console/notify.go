package console

import (
	"net/http"
	"strconv"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/reply"
)

// The messages page (/admin/notify): what the office tells citizens by SMS
// and Zalo and how — the channels in order, the modem's gammu config, each
// kind on or off in the office's own words, the "near" thresholds, quiet
// hours, retention, the failure alert — saved as a change of the office's
// settings like any other; and the last messages with where each stands.

// Messages are the office's messages to citizens (the store's outbox).
type Messages interface {
	RecentMessages(n int) ([]notify.Message, error)
}

// notifyView is the messages page.
type notifyView struct {
	frame
	Version  uint64
	Notify   notify.Settings
	Channels string // the choice of channels: "zns,sms", "sms", …
	Kinds    []kindRow
	Recent   []api.MessageView
}

// kindRow is one kind of message on the form.
type kindRow struct {
	Kind         notify.Kind
	Name, NameEN string
	On           bool
	Text         string // the office's wording ("" : the default)
	Default      string
	Params       string
}

// channelChoices are the orders a form offers.
var channelChoices = []struct{ Value, Label string }{
	{"", "Tắt — không gửi tin nhắn / off"},
	{"zns,sms", "Zalo (ZNS), không được thì SMS / Zalo, else SMS"},
	{"sms", "Chỉ SMS qua modem của văn phòng / SMS only"},
	{"zns", "Chỉ Zalo (ZNS) / Zalo only"},
	{"sms,zns", "SMS, không được thì Zalo / SMS, else Zalo"},
}

func (c *Console) notifyView(s notify.Settings) *notifyView {
	v := &notifyView{Notify: s, Channels: strings.Join(s.Channels, ",")}
	for _, k := range notify.Kinds {
		vi, en := k.Name()
		t := s.Templates[k]
		v.Kinds = append(v.Kinds, kindRow{Kind: k, Name: vi, NameEN: en, On: !t.Off, Text: t.Text, Default: k.DefaultText(), Params: "{" + strings.Join(k.Params(), "} {") + "}"})
	}
	if c.Messages != nil {
		if msgs, err := c.Messages.RecentMessages(50); err == nil {
			for _, m := range msgs {
				v.Recent = append(v.Recent, api.ViewMessage(m))
			}
		}
	}
	return v
}

func (c *Console) notifyPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	ver, office := c.Settings.Settings()
	v := c.notifyView(office.Notify)
	v.Version = ver
	v.Notice = saved(r, "Đã lưu; áp dụng ngay. / Saved; in force at once.")
	c.render(w, http.StatusOK, notifyPage, p, v)
}

// saveNotify applies the form; a refusal shows it as typed.
func (c *Console) saveNotify(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
	f := r.PostForm
	var s notify.Settings
	for _, ch := range strings.Split(f.Get("channels"), ",") {
		if ch = strings.TrimSpace(ch); ch != "" {
			s.Channels = append(s.Channels, ch)
		}
	}
	s.SMS = notify.SMSConf{GammuConfig: strings.TrimSpace(f.Get("gammu_config")), Unicode: f.Has("unicode")}
	num := func(name string) int { n, _ := strconv.Atoi(strings.TrimSpace(f.Get(name))); return n }
	s.NearAhead, s.NearMinutes, s.RetentionDays, s.FailAlertPercent = num("near_ahead"), num("near_minutes"), num("retention_days"), num("fail_alert_percent")
	s.VerifyPhone, s.VerifyMinutes = f.Has("verify_phone"), num("verify_minutes")
	s.Quiet = notify.Quiet{From: strings.TrimSpace(f.Get("quiet_from")), To: strings.TrimSpace(f.Get("quiet_to"))}
	for _, k := range notify.Kinds {
		t := notify.Template{Off: !f.Has("on_" + string(k)), Text: strings.TrimSpace(f.Get("text_" + string(k)))}
		if t.Text == k.DefaultText() {
			t.Text = ""
		}
		if t != (notify.Template{}) {
			if s.Templates == nil {
				s.Templates = map[notify.Kind]notify.Template{}
			}
			s.Templates[k] = t
		}
	}
	_, office := c.Settings.Settings()
	office.Notify = s
	if _, err := c.Settings.ChangeSettings(r.Context(), p.Actor, base, office); err != nil {
		e := problem.As(err)
		v := c.notifyView(s)
		v.Version, v.Error = base, e
		c.render(w, reply.Status(e.Code), notifyPage, p, v)
		return
	}
	http.Redirect(w, r, "/admin/notify?saved=1", http.StatusSeeOther)
}
