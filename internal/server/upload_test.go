package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
)

// Uploads fill neither the disk nor the memory: the target is checked
// before a byte is kept (a dossier not there, a bad paper number, a result
// before it is ready: refused, nothing in scans/); a file that is no PDF
// is 422 and one over the limit 413, with or without its length said,
// nothing left; a third upload while two are being received is 429; what
// a crash leaves in scans/ is swept at the next start.
func TestUploadsLeaveNothingBehind(t *testing.T) {
	dir := t.TempDir()
	url, stop := testserver.Start(t, "127.0.0.1:0", dir, intakeOffice(), khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	var login api.LoginAnswer
	resp, err := http.Post(url+api.Login, "application/json", strings.NewReader(`{"username":"`+testserver.Clerk+`","pin":"`+testserver.PIN+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	token := login.Token
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa"},
		Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code := got.Dossier.Code
	pdf := scannedPDF(t, 1)
	scans := filepath.Join(dir, bolt.ScanDir)
	left := func() []string {
		entries, _ := os.ReadDir(scans)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	put := func(path string, body io.Reader, length int64) int {
		t.Helper()
		req, _ := http.NewRequest("PUT", url+path, body)
		req.ContentLength = length
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/pdf")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 65<<20)...)
	for _, c := range []struct {
		name   string
		path   string
		body   []byte
		length int64 // -1: not said (chunked)
		want   int
	}{
		{"a dossier not there", api.Path(api.DossierScan, "H99.999-000000-0001", "1"), pdf, int64(len(pdf)), 404},
		{"a paper number out of range", api.Path(api.DossierScan, code, "9"), pdf, int64(len(pdf)), 422},
		{"a result before it is ready", api.Path(api.DossierResult, code), pdf, int64(len(pdf)), 422},
		{"not a PDF", api.Path(api.DossierScan, code, "1"), []byte("GIF89a..."), 9, 422},
		{"a PDF cut short", api.Path(api.DossierScan, code, "1"), pdf[:len(pdf)/2], int64(len(pdf) / 2), 422},
		{"over the limit, its length said", api.Path(api.DossierScan, code, "1"), big, int64(len(big)), 413},
		{"over the limit, streamed", api.Path(api.DossierScan, code, "1"), big, -1, 413},
	} {
		if status := put(c.path, bytes.NewReader(c.body), c.length); status != c.want {
			t.Errorf("%s: %d, want %d", c.name, status, c.want)
		}
		if l := left(); len(l) != 0 {
			t.Errorf("%s: left in scans/: %v", c.name, l)
		}
	}

	// Two uploads held open mid-body; a third is turned away at once.
	var writers []*io.PipeWriter
	done := make(chan int, 2)
	for range 2 {
		pr, pw := io.Pipe()
		writers = append(writers, pw)
		go func() { done <- put(api.Path(api.DossierScan, code, "1"), pr, int64(len(pdf))) }()
		pw.Write(pdf[:100]) // returns once the client sends it, not once the server takes it
	}
	desk := client.New(url, "")
	if _, err := desk.Login(context.Background(), testserver.Supervisor, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, func() bool {
		m, err := desk.Fetch(context.Background(), "/metrics")
		return err == nil && bytes.Contains(m, []byte("\nmotcua_uploads_receiving 2\n"))
	}, func() string { return "the server never held the two uploads" })
	if status := put(api.Path(api.DossierScan, code, "1"), bytes.NewReader(pdf), int64(len(pdf))); status != 429 {
		t.Errorf("a third upload while two are received: %d, want 429", status)
	}
	for _, pw := range writers {
		pw.Write(pdf[100:])
		pw.Close()
	}
	for range 2 {
		if status := <-done; status != 200 {
			t.Errorf("a held upload: %d, want 200", status)
		}
	}
	if l := left(); len(l) != 1 || !strings.HasSuffix(l[0], ".pdf") {
		t.Errorf("after the two: %v, want the one file", l)
	}

	// A crash's leftovers: a temporary and a file no dossier names.
	stop()
	os.WriteFile(filepath.Join(scans, ".upload-123.part"), []byte("%PDF-"), 0o600)
	os.WriteFile(bolt.ScanPath(dir, strings.Repeat("ab", 32)), []byte("%PDF-1.4 %%EOF"), 0o600)
	s, err := bolt.Open(dir, intakeOffice(), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if l := left(); len(l) != 1 {
		t.Errorf("after the restart: %v, want the named file only", l)
	}
	if _, err := s.Verify(); err != nil {
		t.Errorf("verify after the sweep: %v", err)
	}
}
