/* Test-only stand-in for bcryptprimitives.dll, used by scripts/dist-check.sh and never shipped.
 * Go's Windows runtime (1.22 and later) gets random bytes from ProcessPrng in bcryptprimitives.dll,
 * which Windows 10 and Wine 8.13 and later have; Debian 12's Wine 8.0 does not, so a Go program
 * stops at start-up with "bcryptprimitives.dll not found". This DLL, copied into the test Wine
 * prefix's system32, provides ProcessPrng on top of RtlGenRandom (advapi32 SystemFunction036).
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
