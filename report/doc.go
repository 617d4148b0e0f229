// Package report writes the Chinese PDF diagnosis report with codeberg.org/go-pdf/fpdf.
package report
