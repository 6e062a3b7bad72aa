package web

import (
	"bytes"
	"encoding"
	"io"
	"reflect"
	"regexp"
	"strings"
	"time"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPI builds an OpenAPI 3.1 document from the API table, with JSON schemas derived from the Go types.
func openAPI(ops []apiOp) map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	for _, o := range ops {
		item := paths[o.Path]
		if item == nil {
			item = map[string]any{}
			paths[o.Path] = item
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, h := range o.Header {
			params = append(params, map[string]any{"name": h, "in": "header", "schema": map[string]any{"type": "string"}})
		}
		code := "200"
		if o.Method == "POST" {
			code = "201"
		}
		operation := map[string]any{
			"operationId": o.ID,
			"summary":     o.Summary,
			"responses": map[string]any{
				code:      map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(o.Out, schemas)}}},
				"default": map[string]any{"description": "Error, with a message in the caller's language", "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeFor[APIError](), schemas)}}},
			},
		}
		if len(params) > 0 {
			operation["parameters"] = params
		}
		if o.Raw != "" {
			operation["requestBody"] = rawBody(o.Raw)
		}
		if o.In != nil {
			operation["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(o.In, schemas)}}}
		}
		if o.Auth {
			operation["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"cookie": []any{}}}
		}
		item[strings.ToLower(o.Method)] = operation
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Bianmin API", "version": "1"},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
	}
}

// schemaOf returns the JSON schema of t, registering named structs under components/schemas.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	if t == reflect.TypeFor[time.Time]() {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	// Types that write themselves as text (dates) are strings on the wire.
	if t.Implements(reflect.TypeFor[encoding.TextMarshaler]()) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem(), schemas)
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, schemas)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			s["required"] = required
		}
		if t.Name() == "" {
			return s
		}
		name := t.Name()
		if _, seen := schemas[name]; !seen {
			schemas[name] = s
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}
