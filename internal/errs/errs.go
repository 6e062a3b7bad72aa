// Package errs holds the error type every layer shares: a code that the web layer maps to an HTTP status, the
// field at fault, and a message key that the translation catalog renders in the user's language.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the people and programs that receive it.
type Code string

const (
	Invalid         Code = "invalid"         // bad input; nothing was written
	NotFound        Code = "not_found"       // no such thing, or not visible to the actor
	Forbidden       Code = "forbidden"       // outside the actor's role or organisation subtree
	Conflict        Code = "conflict"        // someone else changed it first, or it already exists
	Unauthenticated Code = "unauthenticated" // no valid session
	Locked          Code = "locked"          // the account is locked after repeated failures
	BadRequest      Code = "bad_request"     // a request no form or program of ours sends: NUL bytes, invalid UTF-8, a form of the wrong kind
	TooLarge        Code = "too_large"       // a request body over its route's cap
	Internal        Code = "internal"
)

// Error is one problem, optionally tied to an input field. Key is a translation-catalog key; Args fill its
// {placeholders}.
type Error struct {
	Code  Code
	Field string
	Key   string
	Args  map[string]string
	Err   error // the underlying cause, for logs only
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Field != "" {
		b.WriteString(" ")
		b.WriteString(e.Field)
	}
	if e.Key != "" {
		b.WriteString(": ")
		b.WriteString(e.Key)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// With returns a copy of e with one more message argument.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Args = map[string]string{}
	for k, v := range e.Args {
		c.Args[k] = v
	}
	c.Args[name] = value
	return &c
}

// Field reports an invalid field.
func Field(field, key string) *Error { return &Error{Code: Invalid, Field: field, Key: key} }

// New makes an error without a field.
func New(code Code, key string) *Error { return &Error{Code: code, Key: key} }

// Wrap marks an unexpected error as internal.
func Wrap(err error, context string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, Key: "err.internal", Err: fmt.Errorf("%s: %w", context, err)}
}

// List gathers the field errors of one input so that a form shows them all at once.
type List []*Error

func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Add appends an error when it is not nil.
func (l *List) Add(e *Error) {
	if e != nil {
		*l = append(*l, e)
	}
}

// Err returns nil for an empty list, so that callers can `return l.Err()`.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// CodeOf finds the code of any error: the first listed one for a List, Internal for foreign errors.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var l List
	if errors.As(err, &l) && len(l) > 0 {
		return l[0].Code
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// All flattens err into its field errors; a foreign error becomes one internal error.
func All(err error) []*Error {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return []*Error{{Code: Internal, Key: "err.internal", Err: err}}
}
