package bolt

import "time"

// ObserveCommits has fn told of each commit the writer makes: how many
// commands shared it and how long it took, its fsync included (/metrics).
func (s *Store) ObserveCommits(fn func(commands int, took time.Duration)) { s.observer.Store(&fn) }

// DiskWriteTime is the time bbolt has spent writing to the disk and syncing
// it since the store opened.
func (s *Store) DiskWriteTime() time.Duration {
	st := s.db.Stats()
	return st.TxStats.GetWriteTime()
}
