@echo off
rem Associates .sdiag documents with the smartdiag.exe in this folder, for the current user
rem (HKCU, no administrator rights needed): double-clicking a document then opens it in the app.
rem Run it again after moving the folder. register-sdiag.reg does the same for a program
rem installed at %%LOCALAPPDATA%%\Programs\smartdiag\smartdiag.exe.
setlocal
set "exe=%~dp0smartdiag.exe"
if not exist "%exe%" (
	echo smartdiag.exe not found next to %~nx0
	exit /b 1
)
set "key=HKCU\Software\Classes"
rem The .reg file brings the Chinese type name; the lines after it point at this folder.
reg import "%~dp0register-sdiag.reg" >nul 2>&1
reg add "%key%\.sdiag" /ve /d smartdiag.document /f >nul
if errorlevel 1 goto failed
reg add "%key%\.sdiag" /v "Content Type" /d application/x-smartdiag /f >nul
if errorlevel 1 goto failed
reg add "%key%\smartdiag.document\DefaultIcon" /ve /d "%exe%,0" /f >nul
if errorlevel 1 goto failed
reg add "%key%\smartdiag.document\shell\open\command" /ve /d "\"%exe%\" \"%%1\"" /f >nul
if errorlevel 1 goto failed
echo .sdiag: %exe%
exit /b 0
:failed
echo registering .sdiag failed
exit /b 1
