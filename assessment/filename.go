package assessment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNamePartRunes bounds a user-supplied part of a file name (a firm name in a report's name).
// Linux allows 255 bytes per name and Windows 255 UTF-16 units, but Windows Explorer and many
// unzip tools still choke on paths over 260 characters, so a name part stays well below: 40
// characters (at most 160 bytes) are readable in a file list and leave room for the folder.
const MaxNamePartRunes = 40

// FileNamePart turns free text (a firm name) into a piece of a file name that is valid and
// visible on Linux and Windows: characters Windows forbids, control and invisible format
// characters become '_', leading dots and spaces are dropped (a leading dot hides the file and the
// district import skips hidden files), trailing dots and spaces are dropped (Windows strips them
// silently), and the text is cut at maxRunes characters, marked with "…". The
// result may be empty; callers add a fixed part and the document id, so it is never a reserved
// device name on its own.
func FileNamePart(s string, maxRunes int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`\/:*?"<>|`, r), r == utf8.RuneError:
			return '_'
		case unicode.IsSpace(r):
			return ' '
		case !unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r):
			return '_'
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimLeft(s, ". ")
	if r := []rune(s); len(r) > maxRunes {
		s = strings.TrimRight(string(r[:maxRunes-1]), ". ") + "…"
	}
	s = strings.TrimRight(s, ". ")
	if IsReservedWindowsName(s) {
		s = "_" + s
	}
	return s
}

// IsReservedWindowsName reports whether Windows treats the name as a device (CON, NUL, COM1…),
// with or without an extension, in any letter case.
func IsReservedWindowsName(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		return base[3] >= '0' && base[3] <= '9'
	}
	return false
}
