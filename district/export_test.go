package district

// WriteHook lets tests make the import log's writes fail part-way.
var WriteHook = &writeHook
