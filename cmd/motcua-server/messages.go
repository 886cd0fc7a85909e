package main

import (
	"fmt"
	"io"
	"path/filepath"

	"motcua/internal/gammu"
	"motcua/internal/node"
	"motcua/internal/notify"
	"motcua/internal/replicate"
	"motcua/internal/zalo"
)

// startMessages puts the office's channels to citizens in force: SMS with
// gammu (the flag's config file over the settings'), ZNS with the office's
// own OA (--zalo-config, its tokens in the data directory) or else through
// the province over the uplink.
func startMessages(f serveFlags, n *node.Node, r *replicate.Replicator, stdout io.Writer) error {
	if f.smsGammu != "" {
		cfg := f.smsGammu
		n.Outbox.SetChannel(notify.SMS, gammu.Channel{Config: func(notify.Settings) string { return cfg }})
	}
	if f.zaloConfig != "" {
		cfg, err := zalo.ReadConfig(f.zaloConfig)
		if err != nil {
			return err
		}
		n.Outbox.SetChannel(notify.ZNS, zalo.Channel{C: zalo.New(cfg, zalo.FileTokens{Path: filepath.Join(f.data, "zalo-token.json")})})
	} else {
		n.Outbox.SetChannel(notify.ZNS, replicate.ZNS{R: r})
	}
	n.Outbox.SetProvince(func() string { return r.Target().URL })
	s := n.Store.Office().Notify
	switch {
	case !s.On():
		fmt.Fprintf(stdout, "  Messages:   off (the settings' notify.channels is empty)\n")
	default:
		fmt.Fprintf(stdout, "  Messages:   %v", s.Channels)
		if f.smsGammu != "" || s.SMS.GammuConfig != "" {
			fmt.Fprintf(stdout, "; SMS through gammu-smsd")
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
