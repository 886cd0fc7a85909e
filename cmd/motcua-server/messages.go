package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

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
		n.Outbox.SetChannel(notify.ZNS, zalo.Channel{C: zalo.New(cfg, zalo.FileTokens{Path: zaloTokenFile(f.data)})})
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

// zaloTokenFile keeps the office's own OA's token pair in its data directory.
func zaloTokenFile(data string) string { return filepath.Join(data, "zalo-token.json") }

// runZaloToken keeps the refresh token read from stdin (the one Zalo's
// developer console gives once the office's OA granted the app): the server
// refreshes the pair from it and keeps each new one.
func runZaloToken(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zalo-token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "the data directory")
	if err := fs.Parse(args); err != nil || *data == "" {
		return usageError("zalo-token: cần --data DIR, refresh token trên đầu vào chuẩn / needs --data DIR and the refresh token on standard input")
	}
	raw, err := io.ReadAll(io.LimitReader(stdin, 4096))
	refresh := strings.TrimSpace(string(raw))
	if err != nil || refresh == "" || strings.ContainsAny(refresh, " \n\t") {
		return usageError("zalo-token: không có refresh token / no refresh token given")
	}
	if err := (zalo.FileTokens{Path: zaloTokenFile(*data)}).Save(context.Background(), zalo.Token{Refresh: refresh}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "đã lưu / kept: %s\n", zaloTokenFile(*data))
	return nil
}
