package server

import (
	"motcua/internal/queue"
)

// maskedSync is the sync settings in force, fit for a page or a document.
func (s *Server) maskedSync() queue.Sync {
	return s.q.Sync().Shown()
}
