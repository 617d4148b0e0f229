package seal

// EmbeddedRe lets the external tests find the attachment in a report.
var EmbeddedRe = embeddedRe
