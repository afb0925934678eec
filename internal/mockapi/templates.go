package mockapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/ezitxt/terraform-provider-ezitxt/internal/templates"
)

// Templates: with declared templates (Options.Templates, -templates FILE,
// PUT /__admin/templates), the mock knows which templates are approved and
// fails a template send the way WhatsApp does: the request is accepted (202)
// and the message then moves to failed, with the reason in the admin view of
// the message. Without declared templates every template send is delivered.

// templateRegistry holds the declared templates; nil definitions mean none
// are declared and template sends are not checked.
type templateRegistry struct {
	mu      sync.RWMutex
	initial []templates.Definition
	defs    []templates.Definition
}

func newTemplateRegistry(defs []templates.Definition) *templateRegistry {
	return &templateRegistry{initial: defs, defs: defs}
}

// ValidateTemplates checks declared templates: each well formed, no name and
// language declared twice.
func ValidateTemplates(defs []templates.Definition) error {
	var errs []error
	seen := map[string]int{}
	for i, d := range defs {
		prefix := fmt.Sprintf("templates[%d]", i)
		for _, p := range d.Check(prefix) {
			errs = append(errs, errors.New(p.Message))
		}
		key := d.Name + "\x00" + d.Language
		if j, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("%s declares %s (%s) again, as templates[%d] did", prefix, d.Name, d.Language, j))
		}
		seen[key] = i
	}
	return errors.Join(errs...)
}

// ParseTemplates reads a JSON list of template definitions (the -templates
// file) and validates it.
func ParseTemplates(data []byte) ([]templates.Definition, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	defs := []templates.Definition{}
	if err := dec.Decode(&defs); err != nil {
		return nil, fmt.Errorf("not a JSON list of template definitions ({name, language, body, header, footer, buttons}): %w", err)
	}
	if err := ValidateTemplates(defs); err != nil {
		return nil, err
	}
	return defs, nil
}

// SetTemplates declares the approved templates; nil turns template checks off.
func (s *Server) SetTemplates(defs []templates.Definition) error {
	if err := ValidateTemplates(defs); err != nil {
		return err
	}
	s.templates.mu.Lock()
	s.templates.defs = slices.Clone(defs)
	if defs != nil && s.templates.defs == nil {
		s.templates.defs = []templates.Definition{}
	}
	s.templates.mu.Unlock()
	return nil
}

// Templates returns the declared templates, or nil when template sends are not checked.
func (s *Server) Templates() []templates.Definition {
	s.templates.mu.RLock()
	defer s.templates.mu.RUnlock()
	return slices.Clone(s.templates.defs)
}

func (r *templateRegistry) reset() {
	r.mu.Lock()
	r.defs = r.initial
	r.mu.Unlock()
}

// wireTemplate is the template object of a send, as validated by checker.template.
type wireTemplate struct {
	Name         string   `json:"name"`
	Language     string   `json:"language"`
	HeaderParams []string `json:"header_params"`
	BodyParams   []string `json:"body_params"`
	Media        *struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"media"`
	Buttons []struct {
		Index   *int   `json:"index"`
		Type    string `json:"type"`
		Payload string `json:"payload"`
	} `json:"buttons"`
}

// templateFailure returns why a validated send of in would fail against the
// declared templates, or "" when it would not (or templates are not declared).
func (s *Server) templateFailure(in *messageInput) string {
	if in.typ != "template" {
		return ""
	}
	s.templates.mu.RLock()
	defs := s.templates.defs
	s.templates.mu.RUnlock()
	if defs == nil {
		return ""
	}
	var w wireTemplate
	if err := json.Unmarshal(in.canonical, &w); err != nil {
		return "" // validation passed, so this does not happen
	}
	var languages []string
	for _, d := range defs {
		if d.Name != w.Name {
			continue
		}
		if d.Language != w.Language {
			languages = append(languages, d.Language)
			continue
		}
		p := templates.Params{Name: w.Name, Language: w.Language, HeaderParams: w.HeaderParams, BodyParams: w.BodyParams}
		if w.Media != nil {
			p.Media = &templates.Media{Type: w.Media.Type, URL: w.Media.URL}
		}
		for _, b := range w.Buttons {
			p.Buttons = append(p.Buttons, templates.ButtonParam{Index: b.Index, Type: b.Type, Payload: b.Payload})
		}
		if reasons := d.Match(p); len(reasons) > 0 {
			return fmt.Sprintf("template %s (%s) does not fit the parameters sent: %s", w.Name, w.Language, strings.Join(reasons, "; "))
		}
		return ""
	}
	if len(languages) > 0 {
		return fmt.Sprintf("template %s is not approved in language %s (declared: %s)", w.Name, w.Language, strings.Join(languages, ", "))
	}
	return fmt.Sprintf("template %s (%s) is not an approved template of this account", w.Name, w.Language)
}

func (s *Server) adminTemplates(w http.ResponseWriter, _ *http.Request) {
	defs := s.Templates()
	writeJSON(w, http.StatusOK, map[string]any{"checked": defs != nil, "count": len(defs), "templates": defs})
}

func (s *Server) adminSetTemplates(w http.ResponseWriter, r *http.Request) {
	var defs []templates.Definition
	if !decodeAdmin(w, r, &defs) {
		return
	}
	if defs == nil {
		defs = []templates.Definition{} // PUT [] declares none: every template send fails
	}
	if err := s.SetTemplates(defs); err != nil {
		writeError(w, http.StatusBadRequest, "%v", strings.ReplaceAll(err.Error(), "\n", "; "))
		return
	}
	s.adminTemplates(w, r)
}

func (s *Server) adminClearTemplates(w http.ResponseWriter, r *http.Request) {
	_ = s.SetTemplates(nil)
	s.adminTemplates(w, r)
}

func init() {
	// Registered here rather than in admin.go's table, so that templates stay in one file.
	adminRoutes["templates"] = map[string]adminHandler{
		http.MethodGet:    (*Server).adminTemplates,
		http.MethodPut:    (*Server).adminSetTemplates,
		http.MethodDelete: (*Server).adminClearTemplates,
	}
}
