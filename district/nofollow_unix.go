//go:build unix

package district

import "syscall"

// noFollow makes opening the import log fail when it is a symbolic link, even one swapped in
// after the Lstat check.
const noFollow = syscall.O_NOFOLLOW
