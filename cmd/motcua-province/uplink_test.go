package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/provinceweb"
)

// office add prints the office's key alone on the last line; office key
// replaces it. Through the uplink the key names the office: its events are
// stored under it, a claim of another office is refused (409, nothing of
// the other's changes, an alert), an event rewritten is refused (409, the
// stored one kept, an alert), the same batch again is fine, and a replaced
// or unknown key is 401.
func TestOfficeKeysAndTheUplink(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	pool := pg.Pool(t)
	add := func(args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		if code := run(append(args, "--dsn", pg.DSN), &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errs.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		return lines[len(lines)-1]
	}
	add("migrate")
	keyA := add("office", "add", "--id", "XA.01", "--name", "UBND xã Thanh Bình")
	keyB := add("office", "add", "--id", "XA.02", "--name", "UBND phường Hòa An")
	if len(keyA) != 64 || keyA == keyB {
		t.Fatalf("keys %q %q", keyA, keyB)
	}
	var out, errs bytes.Buffer
	if code := run([]string{"office", "add", "--dsn", pg.DSN, "--id", "XA.01", "--name", "Lại"}, &out, &errs); code != 1 {
		t.Errorf("an office added twice: exit %d", code)
	}
	srv := httptest.NewServer((&provinceweb.Server{Pool: pool}).Handler())
	defer srv.Close()
	post := func(key string, b api.UplinkBatch) (int, string) {
		t.Helper()
		body, _ := json.Marshal(b)
		req, _ := http.NewRequest("POST", srv.URL+api.UplinkEvents, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	batch := func(evs []province.Event, claim string) api.UplinkBatch {
		b := api.UplinkBatch{Office: claim}
		for _, e := range evs {
			b.Events = append(b.Events, api.UplinkEvent{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw})
		}
		return b
	}
	folded := func(id string) uint64 {
		n, err := province.Folded(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if code, body := post(keyA, batch(events(5), "")); code != 200 || !strings.Contains(body, `"office":"XA.01","folded":5`) {
		t.Fatalf("A's first batch: %d %s", code, body)
	}
	if code, body := post(keyB, batch(events(3), "XA.02")); code != 200 || folded("XA.02") != 3 {
		t.Fatalf("B's batch: %d %s", code, body)
	}
	// A's key claiming B: refused, B untouched.
	if code, body := post(keyA, batch(events(9), "XA.02")); code != http.StatusConflict || !strings.Contains(body, "XA.01") || folded("XA.02") != 3 || folded("XA.01") != 5 {
		t.Errorf("A claiming B: %d %s; folded A %d, B %d", code, body, folded("XA.01"), folded("XA.02"))
	}
	// A rewriting its seq 3: refused, the stored one kept.
	rewritten := events(5)
	rewritten[2].Raw = bytes.Replace(rewritten[2].Raw, []byte("ticket.issued"), []byte("ticket.called"), 1)
	if code, body := post(keyA, batch(rewritten, "XA.01")); code != http.StatusConflict || !strings.Contains(body, "seq 3") {
		t.Errorf("a rewrite: %d %s", code, body)
	}
	var alerts int
	pool.QueryRow(ctx, `SELECT count(*) FROM alerts WHERE office = 'XA.01'`).Scan(&alerts)
	if alerts != 2 {
		t.Errorf("%d alerts for XA.01, want 2 (the claim and the rewrite)", alerts)
	}
	// The same again: fine; more: stored.
	if code, body := post(keyA, batch(events(8), "")); code != 200 || !strings.Contains(body, `"folded":8`) {
		t.Errorf("A again with three more: %d %s", code, body)
	}
	chains, err := province.Verify(ctx, pool)
	if err != nil || len(chains) != 2 || chains[0].Fault != "" || chains[0].LastSeq != 8 || chains[1].Fault != "" {
		t.Errorf("verify after it all: %+v %v", chains, err)
	}
	// A new key for A: the old one no longer works.
	newA := add("office", "key", "--id", "XA.01")
	if code, _ := post(keyA, batch(nil, "")); code != http.StatusUnauthorized {
		t.Errorf("the replaced key: %d", code)
	}
	if code, _ := post(newA, batch(nil, "")); code != 200 {
		t.Errorf("the new key's sign of life: %d", code)
	}
	req, _ := http.NewRequest("GET", srv.URL+api.UplinkCursor, nil)
	req.Header.Set("Authorization", "Bearer "+newA)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var cursor api.UplinkAnswer
	json.NewDecoder(resp.Body).Decode(&cursor)
	resp.Body.Close()
	if cursor != (api.UplinkAnswer{Office: "XA.01", Folded: 8}) {
		t.Errorf("the cursor: %+v", cursor)
	}
	// The province's staff see both alerts on the dashboard.
	password, err := province.AddUser(ctx, pool, "test", province.User{Username: "sotinh", Name: "Sở", Role: province.RoleProvince})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	staff := &http.Client{Jar: jar}
	if resp, err := staff.PostForm(srv.URL+"/dang-nhap", url.Values{"username": {"sotinh"}, "password": {password}}); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	resp, err = staff.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	dash, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(dash), "Cảnh báo 7 ngày qua") || !strings.Contains(string(dash), "shipped as XA.02") || !strings.Contains(string(dash), "rewrite seq 3") {
		t.Errorf("the dashboard's alerts:\n%s", dash)
	}
	out.Reset()
	if code := run([]string{"office", "list", "--dsn", pg.DSN}, &out, &errs); code != 0 || !strings.Contains(out.String(), "XA.01\tUBND xã Thanh Bình\tcó khoá / keyed\tđến sự kiện / up to seq 8") {
		t.Errorf("office list: %d\n%s", code, out.String())
	}
}
