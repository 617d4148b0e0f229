package xlsxread

import "unsafe"

// unsafeString views name bytes of the part as a string without copying: element and attribute
// names are compared, never kept, and the part's bytes are not changed while it is scanned.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
