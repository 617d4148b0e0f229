// Package assets embeds the files the app and the report ship with: the CJK font and the icon.
// Provenance and licences are in fonts/README.md.
package assets

import _ "embed"

// Font is WenQuanYi Micro Hei (TrueType, CJK and Latin), used by the report and the UI theme.
//
//go:embed fonts/WenQuanYiMicroHei.ttf
var Font []byte

// FontName is the face's name, for PDF font registration.
const FontName = "WenQuanYiMicroHei"

// Icon is the 512×512 application icon.
//
//go:embed icon.png
var Icon []byte

// Translations of the UI: the app is written in Chinese; en.json maps each string to English.
//
//go:embed translations/en.json
var TranslationsEN []byte

//go:embed translations/zh.json
var TranslationsZH []byte
