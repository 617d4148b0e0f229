// Package usermsg is the typed form of the errors users read: an error carries a stable code,
// its arguments and its cause, and the message is made in the user's language at the edge (the
// app's error dialog, the CLI's stderr) with Text, not where the error happens. Domain packages
// define their kinds next to the code that returns them, with the Chinese and English wording
// side by side, so a translation is never missing and the code can be matched with errors.Is.
package usermsg

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is one kind of error users read: a code and its message formats in Chinese and English
// (fmt verbs, filled with the error's arguments in order).
type Kind struct {
	Code   string
	zh, en string
}

// Define declares a kind. zh and en must use the same verbs in the same order.
func Define(code, zh, en string) *Kind { return &Kind{Code: code, zh: zh, en: en} }

// New makes an error of this kind with its arguments.
func (k *Kind) New(args ...any) *Error { return &Error{Kind: k, Args: args} }

// Wrap makes an error of this kind with its arguments around a cause; the cause's text is the
// last argument of the message and errors.Is/As see through to it.
func (k *Kind) Wrap(cause error, args ...any) *Error {
	return &Error{Kind: k, Args: args, Cause: cause}
}

// Error is an error of a Kind.
type Error struct {
	Kind  *Kind
	Args  []any
	Cause error
}

// Error is the Chinese message: what logs and callers that do not localise see.
func (e *Error) Error() string { return e.In("zh") }

// In is the message in lang ("zh" or "en"); a cause is rendered in the same language.
func (e *Error) In(lang string) string {
	format := e.Kind.zh
	if lang == "en" && e.Kind.en != "" {
		format = e.Kind.en
	}
	args := make([]any, len(e.Args), len(e.Args)+1)
	for i, a := range e.Args {
		if err, ok := a.(error); ok {
			a = Text(err, lang)
		}
		args[i] = a
	}
	if e.Cause != nil {
		args = append(args, Text(e.Cause, lang))
	}
	return fmt.Sprintf(format, args...)
}

func (e *Error) Unwrap() error { return e.Cause }

// Is matches an error of the same kind: errors.Is(err, someKind.New()) or, simpler, IsKind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// IsKind reports whether err or an error it wraps is of kind k.
func IsKind(err error, k *Kind) bool {
	var e *Error
	for err != nil {
		if errors.As(err, &e) {
			if e.Kind == k {
				return true
			}
			err = e.Cause
			continue
		}
		return false
	}
	return false
}

// Text is err's message in lang. Typed errors are rendered in lang; an error that wraps one
// with fmt.Errorf("%s：%w", …) keeps its own prefix (usually a file name) with the typed part
// rendered in lang. Other errors keep their text.
func Text(err error, lang string) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	whole := err.Error()
	if lang != "en" {
		return whole
	}
	prefix, rest, ok := strings.Cut(whole, e.Error())
	if !ok {
		return e.In(lang)
	}
	return strings.ReplaceAll(prefix, "：", ": ") + e.In(lang) + rest
}
