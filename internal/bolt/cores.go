package bolt

import (
	"runtime"
	"sync"
)

// cores is how many goroutines decode at once: one per core.
func cores() int { return max(runtime.NumCPU(), 1) }

// onCores runs each(w, i) for every i in [0, n) on workers goroutines:
// worker w takes i = w, w+workers, …, stops at its first error, and the
// first error of any is returned once all are done. Per-worker results go
// in slices the caller indexes by w.
func onCores(workers, n int, each func(w, i int) error) error {
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := each(w, i); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
