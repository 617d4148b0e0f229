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

// appTheme uses the bundled CJK font for all text (Fyne's own font has no Chinese) and a calm blue
// primary colour matching the report.
type appTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return &appTheme{Theme: theme.DefaultTheme()} }

func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	return fontResource
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0x1F, G: 0x5F, B: 0x8B, A: 0xFF}
	}
	return t.Theme.Color(n, v)
}
