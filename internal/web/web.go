// Package web holds the pages the server serves to browsers, embedded so an
// office needs no internet: the waiting-room board for smart TVs (/board) and
// the citizen's page behind the ticket's QR (/t/{token}). Both read the public
// feed only: no personal data reaches them.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

//go:embed console
var console embed.FS

// Static is the pages' files: board.html, ticket.html, notfound.html, motcua.js, motcua.css.
func Static() fs.FS {
	sub, _ := fs.Sub(files, "static")
	return sub
}

// Console is the admin console's templates (html/template, one "layout" and
// a "page" per file) and its stylesheet, console.css.
func Console() fs.FS {
	sub, _ := fs.Sub(console, "console")
	return sub
}
