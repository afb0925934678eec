package provider

import "sync"

// forEachLimited calls fn for every item with at most limit calls running at
// once, and returns when all have returned. fn must do its own locking.
func forEachLimited(items []string, limit int, fn func(item string)) {
	if limit < 1 {
		limit = 1
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for _, item := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(item)
		}()
	}
	wg.Wait()
}
