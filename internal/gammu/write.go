package gammu

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/sys/unix"
)

// number is what may stand in a file's name as the recipient: a number
// as notify.Phone keeps it (digits, a leading +), nothing that walks out of
// the folder.
var number = regexp.MustCompile(`^\+?[0-9]{3,20}$`)

// Tag is the last part of a message's file name in gammu's folders (the
// <note> gammu-smsd ignores): a digest of the office's message id, so the
// spool says whether a message reached it without reading any file, and
// the id itself (it names a ticket or a dossier) is in no file name.
func Tag(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "m" + hex.EncodeToString(sum[:8])
}

// Write puts a message in gammu-smsd's files outbox as one .smsbackup file
// of its parts, the file gammu-smsd-inject would write (same sections and
// fields, the concatenation header on each part of a long one), without a
// process per message: a burst of them costs the kiosks' core a file each.
// The file appears whole (written aside, then renamed): gammu-smsd never
// reads half a message. It is on the disk after Flush (one sync for a
// batch, not one a message). text is SMSText's; it returns the parts.
func (sp Spool) Write(id, phone, text string, unicode bool, now time.Time) (int, error) {
	if !number.MatchString(phone) {
		return 0, fmt.Errorf("gammu: not a phone number")
	}
	parts := Parts(text, unicode)
	tag := Tag(id)
	sum := sha256.Sum256([]byte(id))
	body := backup(phone, parts, unicode, sum[8], now.UTC())
	final := filepath.Join(sp.Outbox, fmt.Sprintf("OUTC%s_00_%s_%s.smsbackup", now.UTC().Format("20060102_150405"), phone, tag))
	tmp := filepath.Join(sp.Outbox, "."+tag+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return 0, err
	}
	_, err = f.WriteString(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return len(parts), nil
}

// Flush puts on the disk the messages Write put in the outbox (their files
// and names): one syncfs(2) of the outbox's file system for a batch.
func (sp Spool) Flush() error {
	d, err := os.Open(sp.Outbox)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}

// backup is the .smsbackup text of a message's parts (gammu-smsbackup(5)):
// UCS-2 hex in Text lines of 50 characters, as gammu writes them,
// whatever the coding the modem will use.
func backup(phone string, parts []string, unicode bool, ref byte, at time.Time) string {
	coding := "Default_No_Compression"
	if unicode {
		coding = "Unicode_No_Compression"
	}
	var b strings.Builder
	b.WriteString("; This file format was designed for Gammu and is compatible with Gammu+\n; written by motcua\n")
	for i, p := range parts {
		units := utf16.Encode([]rune(p))
		fmt.Fprintf(&b, "\n[SMSBackup%03d]\nPDU = Submit\nDateTime = %s\nState = Sent\n", i, at.Format("20060102T150405Z"))
		fmt.Fprintf(&b, "Number = \"%s\"\nNumberUnicode = %s\nName = \"\"\nNameUnicode = \n", phone, ucs2(utf16.Encode([]rune(phone))))
		if len(parts) > 1 {
			fmt.Fprintf(&b, "UDH = 050003%02X%02X%02X\n", ref, len(parts), i+1)
		}
		for j := 0; j*50 < len(units); j++ {
			fmt.Fprintf(&b, "Text%02d = %s\n", j, ucs2(units[j*50:min((j+1)*50, len(units))]))
		}
		fmt.Fprintf(&b, "Coding = %s\nFolder = 1\nLength = %d\nClass = -1\nReplySMSC = False\nRejectDuplicates = False\nReplaceMessage = 0\nMessageReference = 0\n", coding, len(units))
	}
	return b.String()
}

func ucs2(units []uint16) string {
	var b strings.Builder
	for _, u := range units {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String()
}
