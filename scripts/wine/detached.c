/* Test-only launcher used by scripts/dist-check.sh, never shipped: "detached.exe PROGRAM ARGS..."
 * starts PROGRAM with DETACHED_PROCESS and without handing it any standard handles, waits, and
 * exits with its exit code. Wine otherwise passes its console handles even to a GUI-subsystem
 * program, where Windows passes none; started this way smartdiag.exe prints only if it attaches
 * to this launcher's console itself (main_windows.go), which is what the check wants to see.
 * Build: x86_64-w64-mingw32-gcc -O2 -municode -o detached.exe detached.c */
#include <windows.h>

int wmain(void)
{
	/* Our command line minus our own name, as CreateProcess wants it. */
	WCHAR *p = GetCommandLineW();
	if (*p == L'"') {
		for (p++; *p && *p != L'"'; p++)
			;
		if (*p)
			p++;
	} else {
		while (*p && *p != L' ' && *p != L'\t')
			p++;
	}
	while (*p == L' ' || *p == L'\t')
		p++;

	STARTUPINFOW si = {sizeof si};
	PROCESS_INFORMATION pi;
	if (!CreateProcessW(NULL, p, NULL, NULL, FALSE, DETACHED_PROCESS, NULL, NULL, &si, &pi))
		return 125;
	WaitForSingleObject(pi.hProcess, INFINITE);
	DWORD code = 126;
	GetExitCodeProcess(pi.hProcess, &code);
	return (int)code;
}
