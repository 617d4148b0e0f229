package main

import (
	"os"
	"syscall"

	"smartdiag/cli"
)

// The Windows build is linked with -H windowsgui so that double-clicking it opens no console
// window. Such a program gets no console of its own, so a subcommand typed in cmd or PowerShell
// would print nothing: before main runs, attach to the console of the process that started us and
// point whichever of stdin, stdout and stderr were not redirected at it. Redirected handles
// ("smartdiag score --json x.sdiag > out.json") are inherited and kept.
func init() {
	if len(os.Args) < 2 {
		return // the desktop app
	}
	if _, ok := cli.DocumentArg(os.Args[1:]); ok {
		return // a double-clicked document opens in the desktop app
	}
	attachParentConsole()
}

func attachParentConsole() {
	in, out, errh := usable(syscall.STD_INPUT_HANDLE), usable(syscall.STD_OUTPUT_HANDLE), usable(syscall.STD_ERROR_HANDLE)
	if in && out && errh {
		return
	}
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	if ok, _, _ := kernel32.NewProc("AttachConsole").Call(attachParentProcess); ok == 0 {
		return // started from Explorer or a shortcut: there is no console to write to
	}
	setStdHandle := kernel32.NewProc("SetStdHandle")
	reopen := func(std int, device string, access uint32) (syscall.Handle, bool) {
		name, _ := syscall.UTF16PtrFromString(device)
		h, err := syscall.CreateFile(name, access, syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE, nil, syscall.OPEN_EXISTING, 0, 0)
		if err != nil {
			return 0, false
		}
		// The runtime writes panics and fatal errors to the process's standard handles.
		setStdHandle.Call(uintptr(std), uintptr(h))
		return h, true
	}
	const rw = syscall.GENERIC_READ | syscall.GENERIC_WRITE
	if !in {
		if h, ok := reopen(syscall.STD_INPUT_HANDLE, "CONIN$", rw); ok {
			syscall.Stdin, os.Stdin = h, os.NewFile(uintptr(h), "/dev/stdin")
		}
	}
	if !out {
		if h, ok := reopen(syscall.STD_OUTPUT_HANDLE, "CONOUT$", rw); ok {
			syscall.Stdout, os.Stdout = h, os.NewFile(uintptr(h), "/dev/stdout")
		}
	}
	if !errh {
		if h, ok := reopen(syscall.STD_ERROR_HANDLE, "CONOUT$", rw); ok {
			syscall.Stderr, os.Stderr = h, os.NewFile(uintptr(h), "/dev/stderr")
		}
	}
}

// usable reports whether a standard handle is set and refers to something (a file, pipe or
// console), as it is when the parent redirected it.
func usable(std int) bool {
	h, err := syscall.GetStdHandle(std)
	if err != nil || h == 0 || h == syscall.InvalidHandle {
		return false
	}
	t, err := syscall.GetFileType(h)
	return err == nil && t != syscall.FILE_TYPE_UNKNOWN
}
