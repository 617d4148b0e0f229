//go:build !unix

package district

// noFollow: Windows has no O_NOFOLLOW; the Lstat check before opening refuses a link.
const noFollow = 0
