// Package district is the district office's folder of received diagnoses: reading the files
// handed in (sealed documents, report PDFs, folders of them), the verified, idempotent import into
// the district folder and its import log. Aggregation is package tally; the roster is package
// roster; the sealed format itself is package seal.
package district
