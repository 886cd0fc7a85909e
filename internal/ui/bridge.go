package ui

import "fyne.io/fyne/v2"

// Bridge is the one way an app's background work meets its UI goroutine. All
// of an app's state lives on that goroutine and is touched nowhere else, so it
// needs no lock: work that must not block the screen (an HTTP call, printing)
// starts with Go, and hands its result back with Post; feed updates and timers
// arrive through Post too.
type Bridge struct {
	post  func(func())
	spawn func(func())
}

// NewBridge returns a bridge that runs UI work with post (nil: fyne.Do) and
// background work with spawn (nil: a new goroutine). Tests pass a post that
// serialises with their own taps, and a spawn they can wait for.
func NewBridge(post, spawn func(func())) Bridge { return Bridge{post: post, spawn: spawn} }

// Post runs f on the UI goroutine.
func (b Bridge) Post(f func()) {
	if b.post == nil {
		fyne.Do(f)
		return
	}
	b.post(f)
}

// Go runs f off the UI goroutine; f reads nothing of the app's state (it gets
// what it needs as arguments) and reports back through Post.
func (b Bridge) Go(f func()) {
	if b.spawn == nil {
		go f()
		return
	}
	b.spawn(f)
}
