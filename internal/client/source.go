package client

import (
	"context"
	"net/http"
)

// SourceRegistration registers a WhatsApp Business phone number ("source") with EZITXT.
type SourceRegistration struct {
	// Source is the WhatsApp Business phone number id (SourcePattern).
	Source string `json:"source"`
	// WABAID is the WhatsApp Business Account id.
	WABAID string `json:"waba_id"`
	// PIN is the optional 6-digit two-factor PIN. It is masked in every log.
	PIN string `json:"pin,omitempty"`
}

// RegisterSource registers a source: POST /source. Registering a source again updates it, so
// the call is safe to repeat and is retried after transient failures.
func (c *Client) RegisterSource(ctx context.Context, r SourceRegistration) error {
	const op = "POST /source"
	var p problems
	p.checkSource(r.Source)
	if r.WABAID == "" {
		p.add("waba_id", CodeRequired, "the WhatsApp Business Account id is required")
	}
	if r.PIN != "" && !ValidPIN(r.PIN) {
		p.add("pin", CodeInvalidFormat, "the PIN must be exactly 6 digits")
	}
	if err := p.err(op); err != nil {
		return err
	}
	body, err := marshalBody(op, r)
	if err != nil {
		return err
	}
	return c.doJSON(ctx, &call{
		method:    http.MethodPost,
		path:      "/source",
		jsonBody:  body,
		secrets:   []string{r.PIN},
		logFields: map[string]any{"source": r.Source},
	}, maxJSONBody, nil)
}
