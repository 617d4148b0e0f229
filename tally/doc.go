// Package tally is the district side: roster import, verified import of sealed diagnoses, coverage
// aggregation and Excel export.
package tally
