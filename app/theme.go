package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"smartdiag/assets"
)

var (
	fontResource = fyne.NewStaticResource("WenQuanYiMicroHei.ttf", assets.Font)
	iconResource = fyne.NewStaticResource("icon.png", assets.Icon)
)

// appTheme uses the bundled CJK font for all text (Fyne's own font has no Chinese), a calm blue
// primary colour matching the report, and the user's light/dark choice.
type appTheme struct {
	fyne.Theme
	mode string // "system", "light" or "dark"
}

func newTheme(mode string) fyne.Theme { return &appTheme{Theme: theme.DefaultTheme(), mode: mode} }

func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	return fontResource
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.mode {
	case "light":
		v = theme.VariantLight
	case "dark":
		v = theme.VariantDark
	}
	switch n {
	case theme.ColorNamePrimary:
		return colPrimary
	case theme.ColorNameFocus:
		return withAlpha(colPrimary, 0x55)
	case theme.ColorNameSelection:
		return withAlpha(colPrimary, 0x33)
	}
	return t.Theme.Color(n, v)
}

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 14 // CJK glyphs need a little more than Fyne's default to read comfortably
	}
	return t.Theme.Size(n)
}
