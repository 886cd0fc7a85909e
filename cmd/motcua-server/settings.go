package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"motcua/internal/bolt"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/server"
)

// The settings live in the store: the config file seeds an empty data dir;
// after that `import-config` puts a file's office in force (as a change on the
// chain, live when the server runs) and `export-config` writes the office in
// force as a config file — to move settings between offices or keep a copy.

// runExportConfig writes the settings in force as a config file ({"office": …}).
func runExportConfig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var out string
	data, err := dataFlags("export-config", args, stderr, func(fs *flag.FlagSet) { fs.StringVar(&out, "out", "", "file to write (default: standard output)") })
	if err != nil {
		return err
	}
	doc, err := storedSettings(ctx, data)
	if err != nil {
		return fmt.Errorf("export-config: %w", err)
	}
	file := fileConfig{Office: doc.Office, Users: doc.Users, Devices: doc.Devices}
	if doc.Sync != nil { // its password masked: importing the file here again keeps the one in force
		shown := doc.Sync.Shown()
		file.Sync = &shown
	}
	raw, _ := json.MarshalIndent(file, "", "  ")
	raw = append(raw, '\n')
	if out == "" {
		_, err = stdout.Write(raw)
		return err
	}
	if _, err := bolt.WriteAtomic(out, func(w io.Writer) (int64, error) { n, err := w.Write(raw); return int64(n), err }); err != nil {
		return fmt.Errorf("export-config: %w", err)
	}
	fmt.Fprintf(stdout, "Đã xuất cấu hình phiên bản %d / exported settings version %d to %s\n", doc.Version, doc.Version, out)
	return nil
}

// storedSettings reads the settings in force: from the file when no server
// holds it, else through the running server's admin socket.
func storedSettings(ctx context.Context, data string) (queue.SettingsVersion, error) {
	doc, err := bolt.StoredSettings(data)
	if errors.Is(err, bolt.ErrLocked) {
		err = adminGet(ctx, data, "/settings", func(body io.Reader) error { return json.NewDecoder(body).Decode(&doc) })
	}
	return doc, err
}

// runImportConfig puts a config file's office in force: checked like the
// file at start, refused when it would break the day, recorded on the chain.
func runImportConfig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var file string
	data, err := dataFlags("import-config", args, stderr, func(fs *flag.FlagSet) { fs.StringVar(&file, "file", "", "config file to import") })
	if err != nil {
		return err
	}
	if file == "" {
		return usageError("import-config: thiếu --file FILE / --file FILE is required")
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return problem.Errorf(problem.EInvalid, "Không đọc được tệp cấu hình %s: %v", "cannot read config file %s: %v", file, err)
	}
	cfg, err := parseConfig(raw)
	if err != nil {
		return err
	}
	doc := queue.SettingsVersion{Office: cfg.Office, Users: cfg.Users, Devices: cfg.Devices, Sync: cfg.Sync}
	var version uint64
	store, err := bolt.Open(data, cfg.Office, bolt.Options{Users: cfg.Users, Devices: cfg.Devices})
	switch {
	case errors.Is(err, bolt.ErrLocked): // the server runs: it applies it live
		body, _ := json.Marshal(doc)
		err = adminDo(ctx, data, http.MethodPut, "/settings", bytes.NewReader(body), func(r io.Reader) error {
			var got queue.SettingsVersion
			err := json.NewDecoder(r).Decode(&got)
			version = got.Version
			return err
		})
	case err == nil: // a new store is seeded with it; a kept one changes
		version, err = server.ImportSettings(ctx, store, doc)
		if cerr := store.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("import-config: %w", err)
	}
	fmt.Fprintf(stdout, "Cấu hình đang dùng: phiên bản %d / settings in force: version %d\n", version, version)
	return nil
}
