// Package tally aggregates a district's sealed diagnoses: coverage against the roster, levels,
// tracks, indicators, months and the forecast. It reads the files through package district and
// the seals through package seal; the Excel workbook and the PDF brief are its exports.
package tally
