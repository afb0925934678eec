package mockapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// A 10,000-number broadcast in batches of 1,000: every number accepted once, every id readable.
func TestBroadcastTenThousand(t *testing.T) {
	t.Parallel()
	s := newMock(t, Options{})
	ids := make(map[string]bool, 10_000)
	for batch := range 10 {
		rec := do(s, http.MethodPost, "/messages/broadcast", broadcastBody(1000, batch*1000))
		wantStatus(t, rec, http.StatusAccepted)
		for _, r := range decode[[]BroadcastResult](t, rec) {
			ids[r.ID] = true
		}
	}
	st := s.Stats()
	if len(ids) != 10_000 || st.Sends != 10_000 || st.Duplicates != 0 || st.Messages != 10_000 {
		t.Fatalf("%d ids, stats %+v", len(ids), st)
	}
	s.Advance(OffsetRead)
	for id := range ids {
		if m, ok := s.Message(id); !ok || m.Status != StatusRead {
			t.Fatalf("%s: %+v", id, m)
		}
	}
}

func BenchmarkSend(b *testing.B) {
	s := newMock(b, Options{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := do(s, http.MethodPost, "/messages", sendBody); rec.Code != http.StatusAccepted {
				b.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
		}
	})
}

func BenchmarkBroadcast1000(b *testing.B) {
	for _, spec := range []bool{true, false} {
		b.Run(fmt.Sprintf("spec=%v", spec), func(b *testing.B) {
			s := newMock(b, Options{DisableSpecValidation: !spec})
			body := broadcastBody(1000, 0)
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if rec := do(s, http.MethodPost, "/messages/broadcast", body); rec.Code != http.StatusAccepted {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
	}
}

func BenchmarkGetMessage(b *testing.B) {
	s := newMock(b, Options{})
	for batch := range 10 {
		do(s, http.MethodPost, "/messages/broadcast", broadcastBody(1000, batch*1000))
	}
	id := s.Sends()[5000].ID
	b.ReportAllocs()
	for b.Loop() {
		if rec := do(s, http.MethodGet, "/messages?id="+id, ""); rec.Code != http.StatusOK {
			b.Fatalf("%d", rec.Code)
		}
	}
}

// BenchmarkLoad runs 20,000 requests from 50 concurrent HTTP clients (a send and a read each
// time) and reports latency percentiles.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		s, hs := newHTTPMock(b, Options{})
		first := sendText(b, s, "+6421000001", "")
		const clients, perClient = 50, 400
		lat := make([][]time.Duration, clients)
		var wg sync.WaitGroup
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perClient {
					path, method, body := "/messages", http.MethodPost, []byte(sendBody)
					if i%2 == 1 {
						path, method, body = "/messages?id="+first, http.MethodGet, nil
					}
					req, _ := http.NewRequestWithContext(b.Context(), method, hs.URL+BasePath+path, bytes.NewReader(body))
					req.SetBasicAuth(DefaultUsername, DefaultPassword)
					req.Header.Set("Content-Type", "application/json")
					start := time.Now()
					resp, err := hs.Client().Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					lat[c] = append(lat[c], time.Since(start))
				}
			}()
		}
		wg.Wait()
		all := slices.Concat(lat...)
		slices.Sort(all)
		pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(float64(len(all)), "requests")
		if st := s.Stats(); st.ByStatus[http.StatusAccepted]+st.ByStatus[http.StatusOK] != int64(len(all))+1 {
			b.Fatalf("stats %+v", st)
		}
	}
}

// BenchmarkUploadMedia uploads and downloads 200 MB through HTTP.
func BenchmarkUploadMedia(b *testing.B) {
	const size = 200 << 20
	_, hs := newHTTPMock(b, Options{MaxMediaBytes: size, MediaDir: b.TempDir()})
	b.SetBytes(size)
	for b.Loop() {
		pr, pw := io.Pipe()
		ct := make(chan string, 1)
		go func() {
			mw := newMultipartWriter(pw)
			ct <- mw.FormDataContentType()
			w, _ := mw.CreatePart(map[string][]string{
				"Content-Disposition": {`form-data; name="file"; filename="big.pdf"`},
				"Content-Type":        {"application/pdf"},
			})
			chunk := bytes.Repeat([]byte("x"), 1<<20)
			for range size >> 20 {
				_, _ = w.Write(chunk)
			}
			_ = mw.Close()
			_ = pw.Close()
		}()
		req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, hs.URL+BasePath+"/media?source="+testSource, pr)
		req.SetBasicAuth(DefaultUsername, DefaultPassword)
		req.Header.Set("Content-Type", <-ct)
		resp, err := hs.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		id := decodeBody[map[string]string](b, resp.Body)["id"]
		_ = resp.Body.Close()
		req, _ = http.NewRequestWithContext(b.Context(), http.MethodGet, hs.URL+BasePath+"/media?source="+testSource+"&media_id="+id, nil)
		req.SetBasicAuth(DefaultUsername, DefaultPassword)
		resp, err = hs.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if n != size {
			b.Fatalf("downloaded %d bytes", n)
		}
	}
}
