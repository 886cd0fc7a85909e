package scan

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"motcua/internal/problem"
)

// Folder is where a network scanner saves its files (a share the counter's
// machine mounts). A file taken into a dossier moves to its taken/ folder,
// so it is never taken twice and is still there if something goes wrong.
type Folder string

// Taken is the sub-folder taken files move to.
const Taken = "taken"

// File is one file waiting in the folder.
type File struct {
	Path    string
	Name    string
	ModTime time.Time
	PDF     bool // else a page picture (JPEG or PNG)
}

// Waiting lists the files waiting, newest first: PDFs and page pictures,
// not files still being written (changed in the last two seconds).
func (f Folder) Waiting(now time.Time) ([]File, error) {
	entries, err := os.ReadDir(string(f))
	if err != nil {
		return nil, problem.Errorf(problem.EConflict, "Không mở được thư mục máy quét %s", "the scanner's folder %s cannot be opened", string(f))
	}
	var out []File
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".pdf" && ext != ".jpg" && ext != ".jpeg" && ext != ".png") {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < 2*time.Second {
			continue
		}
		out = append(out, File{Path: filepath.Join(string(f), e.Name()), Name: e.Name(), ModTime: info.ModTime(), PDF: ext == ".pdf"})
	}
	slices.SortFunc(out, func(a, b File) int { return b.ModTime.Compare(a.ModTime) })
	return out, nil
}

// Take moves a file that went into a dossier to taken/.
func (f Folder) Take(file File) error {
	dir := filepath.Join(string(f), Taken)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err := os.Rename(file.Path, filepath.Join(dir, file.Name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil // taken already (another counter sharing the folder)
	}
	return err
}
