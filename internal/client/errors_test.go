package client

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestAPIErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		check       func(t *testing.T, ae *APIError)
		want        []string
	}{
		{
			name: "message shape", status: 403, contentType: "application/json",
			body: `{"message":"Whatsapp Cloud API error","statusCode":403,"error":"forbidden error message"}`,
			check: func(t *testing.T, ae *APIError) {
				if ae.Message != "Whatsapp Cloud API error" || ae.Detail != "forbidden error message" || len(ae.Fields) != 0 {
					t.Errorf("%+v", ae)
				}
			},
			want: []string{"GET /messages?id=" + testMessageID + ": 403 Forbidden: Whatsapp Cloud API error: forbidden error message", "lacks permission"},
		},
		{
			name: "errors shape", status: 400, contentType: "application/json",
			body: `{"errors":[{"field":"id","code":"invalid_format","description":"must be a UUID"},{"field":"x","code":"required","description":"missing"}]}`,
			check: func(t *testing.T, ae *APIError) {
				if len(ae.Fields) != 2 || ae.Fields[0] != (FieldError{Field: "id", Code: "invalid_format", Description: "must be a UUID"}) {
					t.Errorf("%+v", ae.Fields)
				}
			},
			want: []string{"400 Bad Request: id (invalid_format): must be a UUID; x (required): missing", "correct the fields"},
		},
		{
			name: "non-JSON body", status: 502, contentType: "text/html",
			body: "<html>\n<body>\x00Bad\tGateway\x1b[31m</body></html>",
			check: func(t *testing.T, ae *APIError) {
				if ae.Detail != "<html> <body> Bad Gateway [31m</body></html>" {
					t.Errorf("detail = %q", ae.Detail)
				}
			},
			want: []string{"502 Bad Gateway: <html>", "try again later"},
		},
		{
			name: "JSON of another shape", status: 404, contentType: "application/json",
			body:  `["nope"]`,
			check: func(t *testing.T, ae *APIError) { mustContain(t, ae.Detail, `["nope"]`) },
			want:  []string{"404 Not Found", "base_url"},
		},
		{
			name: "error as an object", status: 415, contentType: "application/json",
			body:  `{"message":"bad","error":{"why":"type"}}`,
			check: func(t *testing.T, ae *APIError) { mustContain(t, ae.Detail, `{"why":"type"}`) },
			want:  []string{"415 Unsupported Media Type: bad: {\"why\":\"type\"}", "image/png"},
		},
		{
			name: "empty body", status: 403, contentType: "",
			check: func(t *testing.T, ae *APIError) {
				if ae.Detail != "" || ae.Message != "" {
					t.Errorf("%+v", ae)
				}
			},
			want: []string{"403 Forbidden. The account lacks permission"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c, _ := newTestClient(t, a.url(), func(cfg *Config) { cfg.MaxRetries = 0 })
			_, err := c.GetMessage(t.Context(), testMessageID)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v", err)
			}
			if ae.StatusCode != tt.status || ae.Method != "GET" || ae.Path != "/messages?id="+testMessageID {
				t.Errorf("APIError = %+v", ae)
			}
			tt.check(t, ae)
			mustContain(t, err.Error(), tt.want...)
		})
	}
}

func TestAPIErrorRedactsEchoedCredentials(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusUnauthorized, "bad credentials: "+r.Header.Get("Authorization")+" password="+testPassword)
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.GetMessage(t.Context(), testMessageID)
	if !IsUnauthorized(err) {
		t.Fatal(err)
	}
	if strings.Contains(err.Error(), testPassword) || strings.Contains(err.Error(), c.authHeader[len("Basic "):]) {
		t.Errorf("credentials in the error: %v", err)
	}
	mustContain(t, err.Error(), "bad credentials: Basic *** password=***")
}

func TestErrorHelpers(t *testing.T) {
	t.Parallel()
	nf := fmt.Errorf("wrapped: %w", &APIError{StatusCode: 404})
	if !IsNotFound(nf) || IsUnauthorized(nf) || StatusCode(nf) != 404 || IsAmbiguous(nf) {
		t.Error("helpers on a wrapped 404")
	}
	if StatusCode(errors.New("x")) != 0 || IsNotFound(nil) {
		t.Error("helpers on other errors")
	}
	amb := fmt.Errorf("x: %w", &AmbiguousSendError{Destinations: []string{"+6421"}, Cause: &APIError{StatusCode: 503}})
	if !IsAmbiguous(amb) || StatusCode(amb) != 503 {
		t.Error("helpers on an ambiguous send")
	}
	if got := (&AmbiguousSendError{}).Error(); !strings.Contains(got, "the message MAY HAVE BEEN SENT") {
		t.Errorf("Error() = %q", got)
	}
	many := make([]FieldError, 30)
	msg := (&APIError{StatusCode: 400, Fields: many}).Error()
	mustContain(t, msg, "and 10 more")
}

func TestSanitizeText(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                     "",
		"  a \n\t b  ":         "a b",
		"bad\xffutf8":          "bad\uFFFDutf8",
		"\x00\x01":             "",
		strings.Repeat("é", 3): "ééé",
	}
	for in, want := range tests {
		if got := sanitizeText(in, 100); got != want {
			t.Errorf("sanitizeText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := sanitizeText(strings.Repeat("é", 10), 5); got != "éé…" {
		t.Errorf("cut = %q", got)
	}
}

// checkPrintable fails unless s is valid, printable UTF-8.
func checkPrintable(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %q", what, s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			t.Errorf("%s has a control character %U: %q", what, r, s)
			return
		}
	}
}

// FuzzParseError feeds arbitrary error answers to the parser: it must never panic, and what it
// keeps must be printable and bounded.
func FuzzParseError(f *testing.F) {
	f.Add(400, []byte(`{"errors":[{"field":"text.body","code":"required","description":"missing"}]}`))
	f.Add(401, []byte(`{"message":"Whatsapp Cloud API error","statusCode":401,"error":"unauthorized error message"}`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(500, []byte(`{"errors":null,"message":7,"error":[1,{"a":"\u0000"}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		ae := &APIError{StatusCode: status, Method: "GET", Path: "/messages"}
		parseErrorBody(ae, body, len(body) > 100)
		msg := ae.Error()
		if msg == "" {
			t.Fatal("empty message")
		}
		for _, s := range []string{ae.Message, ae.Detail} {
			checkPrintable(t, "text", s)
			if len(s) > maxErrorText+len("…") {
				t.Fatalf("%d bytes kept", len(s))
			}
		}
		if len(ae.Fields) > maxFieldErrors+1 {
			t.Fatalf("%d field errors kept", len(ae.Fields))
		}
		for _, fe := range ae.Fields {
			checkPrintable(t, "field", fe.String())
		}
	})
}

// FuzzDecodeAnswers feeds arbitrary JSON to every answer decoder: errors are fine, panics not.
func FuzzDecodeAnswers(f *testing.F) {
	f.Add([]byte(`{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`))
	f.Add([]byte(`[{"destination":"+64123456789","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"failed","message":"x"}]`))
	f.Add([]byte(`{"id":"x","status":"read","timestamp":9223372036854776000,"attributes":{"media":{"id":"m"},"buttons":[{"text":"t"}]}}`))
	f.Add([]byte(`{"id":"abcd1234xyz"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := decodeSendResult(data); err == nil && r.MessageID == "" {
			t.Error("send result without an id")
		}
		if d, err := decodeMessageDetails(data); err == nil && d.ID == "" {
			t.Error("details without an id")
		}
		if id, err := decodeMediaID(data); err == nil && id == "" {
			t.Error("empty media id")
		}
		if entries, err := decodeBroadcastResults(data); err == nil {
			results, missing := matchBroadcastResults([]string{"+64123456789", "+64223456788"}, entries)
			if len(results)+len(missing) != 2 {
				t.Errorf("%d results and %d missing for 2 numbers", len(results), len(missing))
			}
		}
		_, _ = maskJSON(data)
	})
}

// A 404 is the API's "no such object" only in the reference's shape and
// wording; anything else (another server, a proxy, a framework's default
// answer, the mock's "no endpoint") is a wrong base_url, whatever the call.
func TestNotFoundOnlyFromTheAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body string
		api                     bool
	}{
		{"reference example", "application/json", `{"message":"Whatsapp Cloud API error","statusCode":404,"error":"not found error message"}`, true},
		{"mock's unknown message", "application/json", `{"message":"Whatsapp Cloud API error","statusCode":404,"error":"message 3fa85f64-5717-4562-b3fc-2c963f66afa6 not found"}`, true},
		{"without statusCode", "application/json", `{"message":"Whatsapp Cloud API error","error":"media \"x\" not found"}`, true},
		{"mock's unknown endpoint", "application/json", `{"message":"Whatsapp Cloud API error","statusCode":404,"error":"no endpoint at /messages: the API serves /messages under /rest/wab/v1"}`, false},
		{"framework default", "application/json", `{"message":"Cannot GET /messages?id=x","error":"Not Found","statusCode":404}`, false},
		{"other statusCode", "application/json", `{"message":"Whatsapp Cloud API error","statusCode":400,"error":"not found"}`, false},
		{"Go's default", "text/plain; charset=utf-8", "404 page not found\n", false},
		{"proxy HTML", "text/html", "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(tt.body))
			})
			c, _ := newTestClient(t, a.url())
			for _, call := range []struct {
				name string
				do   func() error
			}{
				{"GetMessage", func() error { _, err := c.GetMessage(t.Context(), testMessageID); return err }},
				{"MarkRead", func() error { return c.MarkRead(t.Context(), []string{testMessageID}) }},
				{"DownloadMedia", func() error { _, err := c.DownloadMedia(t.Context(), testSource, "m1", io.Discard); return err }},
			} {
				err := call.do()
				if IsNotFound(err) != tt.api || StatusCode(err) != http.StatusNotFound {
					t.Errorf("%s: IsNotFound = %v, want %v: %v", call.name, IsNotFound(err), tt.api, err)
				}
				if tt.api {
					if strings.Contains(err.Error(), "base_url") {
						t.Errorf("%s: the API's own 404 blames base_url: %v", call.name, err)
					}
					continue
				}
				mustContain(t, err.Error(), "404 Not Found", "not the EZITXT API's", `base_url "`+a.url()+`"`, DefaultBaseURL)
				if d := strings.TrimSpace(tt.body); d != "" && !strings.Contains(tt.body, "{") {
					mustContain(t, err.Error(), sanitizeText(d, maxErrorText))
				}
			}
		})
	}
}

// A 413 says what was too large: a message's JSON body is not a file, and
// the WhatsApp media limits do not apply to it.
func TestTooLargeHintFitsWhatWasSent(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		apiError(w, http.StatusRequestEntityTooLarge, "request body too large")
	})
	c, _ := newTestClient(t, a.url())
	_, err := c.SendMessage(t.Context(), textMessage("+64211234567"))
	mustContain(t, err.Error(), "413 Request Entity Too Large", "The service refused the request of", "bytes as too large; shorten the message (its text, template values or raw payload).")
	if strings.Contains(err.Error(), "file") || strings.Contains(err.Error(), "5 MB") {
		t.Errorf("a text message's 413 speaks of files: %v", err)
	}
	_, err = c.SendBroadcast(t.Context(), textBroadcast(numbers(3)))
	mustContain(t, err.Error(), "or send it to fewer numbers per request.")
	_, err = c.UploadMedia(t.Context(), MediaUpload{Source: testSource, Filename: "big.png", MimeType: MimeImagePNG, Size: 4,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("\x89PNG")), nil }})
	mustContain(t, err.Error(), "The file is too large", "images to 5 MB")
}
