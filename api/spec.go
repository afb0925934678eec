// Package api holds the machine-readable contract of the EZITXT WhatsApp Business Messaging API:
// openapi.yaml, a transcription of the reference v1.3.1 plus the readings recorded in README.md, and
// helpers that check HTTP requests against it. The mock (internal/mockapi) validates every request
// with ValidateRequest, and client tests call it from their httptest handlers to prove that what
// the client sends conforms.
package api

import (
	"bytes"
	"context"
	_ "embed" // for the embedded OpenAPI document
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// BasePath is the path prefix of every endpoint, as in https://new.eziapi.com/rest/wab/v1.
const BasePath = "/rest/wab/v1"

//go:embed openapi.yaml
var specYAML []byte

// ErrNoOperation is wrapped by the error ValidateRequest returns for a request whose method and
// path match no operation of the contract.
var ErrNoOperation = errors.New("no operation of the EZITXT API matches the request")

// YAML returns a copy of the embedded OpenAPI document.
func YAML() []byte { return bytes.Clone(specYAML) }

type contract struct {
	doc    *openapi3.T
	router routers.Router
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("api: parse openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api: openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	// Route on paths only: requests reach mocks and test servers on any host, and ValidateRequest
	// strips BasePath itself. The shallow copy shares everything but the server list.
	routed := *doc
	routed.Servers = nil
	router, err := legacy.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("api: build router: %w", err)
	}
	return &contract{doc: doc, router: router}, nil
})

// Spec returns the parsed and validated OpenAPI document. It is loaded once and shared: callers
// must not modify it.
func Spec() (*openapi3.T, error) {
	c, err := loadContract()
	if err != nil {
		return nil, err
	}
	return c.doc, nil
}

// ValidationError tells why a request does not conform to the contract.
type ValidationError struct {
	// Operation is the operationId of the matched operation, such as "PostMessages".
	Operation string
	// Field locates the offending value: a query parameter name ("id"), a JSON path in the body
	// ("text.body", "destination[3]"), "Authorization" for credentials, "Content-Type" for the
	// media type, or "" for the body as a whole.
	Field string
	// Reason is kin-openapi's description of the problem.
	Reason string
	// Err is the underlying kin-openapi error.
	Err error
}

// Error implements error.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s does not conform to the EZITXT API contract: %s", e.Operation, e.Reason)
	}
	return fmt.Sprintf("%s does not conform to the EZITXT API contract: %s: %s", e.Operation, e.Field, e.Reason)
}

// Unwrap returns the underlying kin-openapi error.
func (e *ValidationError) Unwrap() error { return e.Err }

// ValidateRequest checks r against openapi.yaml: operation (method and path, with or without the
// BasePath prefix), Basic credentials present, query parameters and, except for multipart media
// uploads, the Content-Type and body. It returns nil, an error wrapping ErrNoOperation, or a
// *ValidationError.
//
// The JSON body of POST and PATCH operations is read and put back: r.Body (and r.GetBody) can
// be read again afterwards; other bodies are not touched. It is safe for concurrent use. Rules OpenAPI cannot express (scheduled within 60 days, raw.payload is JSON,
// registered sources, size limits) are not checked here.
func ValidateRequest(r *http.Request) (err error) {
	c, err := loadContract()
	if err != nil {
		return err
	}
	defer func() {
		// kin-openapi must never take a test server down, whatever the input.
		if v := recover(); v != nil {
			err = &ValidationError{Operation: "request", Reason: fmt.Sprintf("validator panicked: %v", v)}
		}
	}()

	probe := r.Clone(r.Context())
	probe.URL.Path = operationPath(r.URL.Path)
	probe.URL.RawPath = ""
	route, pathParams, err := c.router.FindRoute(probe)
	if err != nil || route.Path != probe.URL.Path { // the router forgives a trailing slash; the API does not
		return fmt.Errorf("%w: %s %s", ErrNoOperation, r.Method, r.URL.Path)
	}

	opts := &openapi3filter.Options{
		AuthenticationFunc: requireBasicAuth,
	}
	switch {
	case route.Operation.RequestBody == nil || isMultipartOperation(route.Operation):
		// No body to check, or a multipart upload that can be hundreds of megabytes: the caller
		// streams and checks those. Either way the body is not read.
		opts.ExcludeRequestBody = true
		probe.Body = http.NoBody
	case r.Body != nil && r.Body != http.NoBody:
		data, readErr := io.ReadAll(r.Body)
		_ = r.Body.Close()
		restoreBody(r, data)
		if readErr != nil {
			return &ValidationError{Operation: route.Operation.OperationID, Reason: "reading the body failed: " + readErr.Error(), Err: readErr}
		}
		restoreBody(probe, data)
	}

	input := &openapi3filter.RequestValidationInput{
		Request:    probe,
		PathParams: pathParams,
		Route:      route,
		Options:    opts,
	}
	if verr := openapi3filter.ValidateRequest(r.Context(), input); verr != nil {
		return newValidationError(route.Operation.OperationID, verr)
	}
	return nil
}

// operationPath returns the part of path after BasePath, or path itself when it has no BasePath.
func operationPath(path string) string {
	if i := strings.Index(path, BasePath+"/"); i >= 0 {
		return path[i+len(BasePath):]
	}
	return path
}

func restoreBody(r *http.Request, data []byte) {
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	r.ContentLength = int64(len(data))
}

func isMultipartOperation(op *openapi3.Operation) bool {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	for ct := range op.RequestBody.Value.Content {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && strings.HasPrefix(mt, "multipart/") {
			return true
		}
	}
	return false
}

// errMissingCredentials is reported when a request carries no usable Basic credentials.
var errMissingCredentials = errors.New("missing or malformed Basic Authorization header")

func requireBasicAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "http" || !strings.EqualFold(in.SecurityScheme.Scheme, "basic") {
		return fmt.Errorf("unsupported security scheme %q", in.SecuritySchemeName)
	}
	if _, _, ok := in.RequestValidationInput.Request.BasicAuth(); !ok {
		return errMissingCredentials
	}
	return nil
}

func newValidationError(operation string, err error) *ValidationError {
	ve := &ValidationError{Operation: operation, Reason: err.Error(), Err: err}

	var secErr *openapi3filter.SecurityRequirementsError
	if errors.As(err, &secErr) {
		ve.Field, ve.Reason = "Authorization", errMissingCredentials.Error()
		return ve
	}
	var reqErr *openapi3filter.RequestError
	if !errors.As(err, &reqErr) {
		return ve
	}
	if reqErr.Parameter != nil {
		ve.Field = reqErr.Parameter.Name
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(reqErr.Err, &schemaErr) {
		ve.Reason = schemaErr.Reason
		if reqErr.RequestBody != nil {
			deepest := deepestSchemaError(schemaErr)
			ve.Field, ve.Reason = jsonPath(deepest.JSONPointer()), deepest.Reason
		}
		return ve
	}
	if reqErr.RequestBody != nil && strings.Contains(reqErr.Reason, "Content-Type") {
		ve.Field = "Content-Type"
	}
	return ve
}

// deepestSchemaError follows the causes of a schema error (oneOf, allOf) to the one that points
// deepest into the document, which names the offending field most precisely.
func deepestSchemaError(err *openapi3.SchemaError) *openapi3.SchemaError {
	best := err
	cur := err
	for range 32 { // causes nest as deep as the schemas do; bound the walk anyway
		if len(cur.JSONPointer()) > len(best.JSONPointer()) {
			best = cur
		}
		var next *openapi3.SchemaError
		if cur.Origin == nil || !errors.As(cur.Origin, &next) || next == cur {
			break
		}
		cur = next
	}
	return best
}

// jsonPath renders a JSON pointer such as [destination 3] as "destination[3]".
func jsonPath(pointer []string) string {
	var b strings.Builder
	for _, seg := range pointer {
		if _, err := strconv.Atoi(seg); err == nil {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// Enum returns the enum values of the schema component named schema or, with properties, of the
// property they lead to (Enum("MessageDetails", "direction")), in the order of openapi.yaml. Tests
// of the client and the mock compare their own lists with it, so that the contract is the one
// place the values are written.
func Enum(schema string, properties ...string) ([]string, error) {
	doc, err := Spec()
	if err != nil {
		return nil, err
	}
	ref := doc.Components.Schemas[schema]
	where := schema
	for _, p := range properties {
		if ref == nil || ref.Value == nil {
			break
		}
		ref = ref.Value.Properties[p]
		where += "." + p
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Enum) == 0 {
		return nil, fmt.Errorf("api: %s is not an enum of openapi.yaml", where)
	}
	out := make([]string, 0, len(ref.Value.Enum))
	for _, v := range ref.Value.Enum {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("api: %s: enum value %v is not a string", where, v)
		}
		out = append(out, s)
	}
	return out, nil
}
