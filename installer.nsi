; Windows installer for the self-service terminal client (NSIS 3, Modern UI 2).
;
;   makensis installer.nsi                                   (after `python build/build.py` on Windows)
;   makensis -DVERSION=0.2.0 -DDIST_DIR=D:\kiosk -DOUT_FILE=D:\out\setup.exe installer.nsi
;
; Versions side by side (kiosk.ops.layout): the bundle goes to <install folder>\versions\VERSION\, next to the
; versions installed before, and the supervisor (`kiosk supervise`, started at logon by a scheduled task) runs
; the one state.json names. A first install makes this version the current one; an upgrade stages it (state.json
; "staged"), and the supervisor switches to it, keeps it once its health check passes, or goes back to the
; version before. The terminal data folder (settings, database, logs) is never touched by an upgrade.
;
; Defines (all optional):
;   VERSION     product version shown to users              default 0.1.0
;   VI_VERSION  four-part file version                      default major.minor.patch.0 of VERSION
;   DIST_DIR    the PyInstaller one-dir bundle to install   default build\dist\kiosk
;   OUT_FILE    the installer to write                      default build\dist\GovKiosk-Setup-VERSION.exe
;   APP_ARGS    subcommand the shortcuts and auto-start run default supervise
;
; Installer command line (also for silent installs with /S):
;   /AUTOSTART      also select "start at logon"
;   /UPDATEROOT=F   the fleet's root metadata for signed updates (default: root.json next to the installer)
; Files next to the installer it takes when there: root.json (above) and kiosk-VERSION.tar.gz (this version's
; release archive, the base of the first update's patch: it goes to downloads\).
;   /D=C:\path      installation folder (NSIS built-in, must be last)
; Uninstaller command line:
;   /REMOVEDATA     also delete the terminal data folder (it is kept otherwise)
;
; The file is UTF-8 with a byte-order mark, so makensis reads the Chinese strings correctly.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef VI_VERSION
  !searchparse /noerrors "${VERSION}" "" _V_MAJOR "." _V_MINOR "." _V_PATCH
  !ifdef _V_PATCH
    !define VI_VERSION "${_V_MAJOR}.${_V_MINOR}.${_V_PATCH}.0"
  !else
    !define VI_VERSION "0.0.0.0"
  !endif
!endif
!ifndef DIST_DIR
  !define DIST_DIR "build\dist\kiosk"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "build\dist\GovKiosk-Setup-${VERSION}.exe"
!endif
!ifndef APP_ARGS
  !define APP_ARGS "supervise"
!endif

!define PRODUCT_ID "GovKiosk"                   ; folder, registry and Run-value name (never translated)
!define PUBLISHER "GovKiosk"
!define APP_EXE "kiosk.exe"
!define DATA_ENV "KIOSK_DATA_DIR"               ; read by the terminal (see kiosk/config.py)
!define UPDATE_ROOT_ENV "KIOSK_UPDATE_ROOT"     ; the setting update_root: the first root of trust for updates
!define UPDATE_ROOT_FILE "update-root.json"     ; in the install folder, writable by administrators only
!define STATE_FILE "state.json"                 ; which version runs (kiosk.ops.layout, written by the supervisor)
!define TASK_NAME "GovKiosk Supervisor"         ; the scheduled task that starts the supervisor at logon
!define UNINSTALL_EXE "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_ID}"
!define PRODUCT_KEY "Software\${PRODUCT_ID}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define USERS_SID "*S-1-5-32-545"                ; BUILTIN\Users, whatever the Windows language
!define ADMINS_SID "*S-1-5-32-544"               ; BUILTIN\Administrators
!define SYSTEM_SID "*S-1-5-18"                   ; LocalSystem
!define VERSION_DIR "$INSTDIR\versions\${VERSION}"

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include FileFunc.nsh
!include Sections.nsh
!include WinMessages.nsh
!include WordFunc.nsh

Name "$(AppName)"
OutFile "${OUT_FILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT_ID}"
InstallDirRegKey HKLM "${PRODUCT_KEY}" "InstallDir"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${PRODUCT_ID} ${VERSION}"

Var DataDir
Var WasRunning      ; the terminal was running when the installer stopped it: start it again at the end
Var UpdateRoot      ; the fleet's root metadata to install (/UPDATEROOT= or root.json next to the installer)
Var Current         ; the version state.json names as current before this install (ReadCurrentVersion)

; ---------------------------------------------------------------- Modern UI

!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
; The program's icon (made by build/make_icon.py), also the icon of kiosk.exe and its shortcuts.
!define MUI_ICON "${__FILEDIR__}\resources\icons\kiosk.ico"
!define MUI_UNICON "${__FILEDIR__}\resources\icons\kiosk.ico"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback when Windows' UI language is neither.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

; ---------------------------------------------------------------- strings

LangString AppName ${LANG_SIMPCHINESE} "政务自助终端"
LangString AppName ${LANG_ENGLISH} "Government Self-Service Terminal"
LangString SecAppName ${LANG_SIMPCHINESE} "终端程序（必需）"
LangString SecAppName ${LANG_ENGLISH} "Terminal program (required)"
LangString SecAppDesc ${LANG_SIMPCHINESE} "安装终端程序，并创建终端数据目录。"
LangString SecAppDesc ${LANG_ENGLISH} "Installs the terminal program and creates the terminal data folder."
LangString SecStartMenuName ${LANG_SIMPCHINESE} "开始菜单快捷方式"
LangString SecStartMenuName ${LANG_ENGLISH} "Start menu shortcuts"
LangString SecStartMenuDesc ${LANG_SIMPCHINESE} "在开始菜单中添加终端程序和卸载程序的快捷方式。"
LangString SecStartMenuDesc ${LANG_ENGLISH} "Adds the terminal and its uninstaller to the Start menu."
LangString SecDesktopName ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktopDesc ${LANG_SIMPCHINESE} "在公用桌面上添加终端程序的快捷方式。"
LangString SecDesktopDesc ${LANG_ENGLISH} "Adds a shortcut to the terminal on the public desktop."
LangString SecAutostartName ${LANG_SIMPCHINESE} "登录时自动启动"
LangString SecAutostartName ${LANG_ENGLISH} "Start at logon"
LangString SecAutostartDesc ${LANG_SIMPCHINESE} "用户（终端专用账户）登录 Windows 后自动启动终端程序。"
LangString SecAutostartDesc ${LANG_ENGLISH} "Starts the terminal when a user (the terminal's own account) logs on to Windows."
LangString UninstallLink ${LANG_SIMPCHINESE} "卸载"
LangString UninstallLink ${LANG_ENGLISH} "Uninstall"
LangString UnSecAppName ${LANG_SIMPCHINESE} "终端程序"
LangString UnSecAppName ${LANG_ENGLISH} "Terminal program"
LangString UnSecAppDesc ${LANG_SIMPCHINESE} "删除终端程序、快捷方式和自动启动设置。"
LangString UnSecAppDesc ${LANG_ENGLISH} "Removes the terminal program, its shortcuts and the start-at-logon setting."
LangString UnSecDataName ${LANG_SIMPCHINESE} "终端数据（设置、本地缓存、日志）"
LangString UnSecDataName ${LANG_ENGLISH} "Terminal data (settings, local cache, logs)"
LangString UnSecDataDesc ${LANG_SIMPCHINESE} "同时删除终端数据目录。不勾选则保留，重新安装后可继续使用。"
LangString UnSecDataDesc ${LANG_ENGLISH} "Also deletes the terminal data folder. Leave unticked to keep it for a reinstall."
LangString Needs64Bit ${LANG_SIMPCHINESE} "本程序需要 64 位 Windows 10 或更高版本。"
LangString Needs64Bit ${LANG_ENGLISH} "This program needs 64-bit Windows 10 or later."
LangString DataKept ${LANG_SIMPCHINESE} "终端数据目录已保留："
LangString DataKept ${LANG_ENGLISH} "The terminal data folder was kept:"
LangString NoUpdateRoot ${LANG_SIMPCHINESE} "未找到更新根证书文件："
LangString NoUpdateRoot ${LANG_ENGLISH} "The root metadata for updates was not found:"
LangString TaskDesc ${LANG_SIMPCHINESE} "登录后启动政务自助终端的守护程序（kiosk supervise），由它运行并看护终端程序。"
LangString TaskDesc ${LANG_ENGLISH} "Starts the terminal's supervisor (kiosk supervise) at logon; it runs the terminal and keeps it running."

VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "政务自助终端"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "政务自助终端安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "Government Self-Service Terminal"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "Government Self-Service Terminal setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

; ---------------------------------------------------------------- helpers

!macro StopTerminal
  ; The supervisor and the terminal it runs (every version's kiosk.exe) hold their files open: stop them before
  ; replacing or removing anything. $WasRunning says whether there was one to start again afterwards.
  StrCpy $WasRunning ""
  nsExec::Exec '"$SYSDIR\schtasks.exe" /End /TN "${TASK_NAME}"'
  Pop $0
  nsExec::Exec '"$SYSDIR\taskkill.exe" /F /T /IM ${APP_EXE}'
  Pop $0
  ${If} $0 == 0
    StrCpy $WasRunning "1"
  ${EndIf}
  nsExec::Exec '"$SYSDIR\taskkill.exe" /F /T /IM kiosk-console.exe'
  Pop $0
  Sleep 1000
!macroend

!macro CommonInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(Needs64Bit)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  StrCpy $DataDir "$APPDATA\${PRODUCT_ID}"  ; all users: C:\ProgramData\${PRODUCT_ID}
!macroend

!define LAUNCH_ARGS '--data-dir "$DataDir" ${APP_ARGS}'
!define LAUNCH_EXE "${VERSION_DIR}\${APP_EXE}"

; $Current: the version state.json names as current ("" when there is none: a first install, or a file not
; ours). kiosk.ops.files writes it as indented JSON, one key a line: `"current": "0.1.0",`.
Function ReadCurrentVersion
  StrCpy $Current ""
  ClearErrors
  FileOpen $R0 "$INSTDIR\${STATE_FILE}" r
  ${IfNot} ${Errors}
    ${Do}
      ClearErrors
      FileRead $R0 $R1
      ${If} ${Errors}
        ${Break}
      ${EndIf}
      ClearErrors
      ${WordFind2X} $R1 '"current": "' '"' "E+1" $R2
      ${IfNot} ${Errors}
        StrCpy $Current $R2
        ${Break}
      ${EndIf}
    ${Loop}
    FileClose $R0
  ${EndIf}
FunctionEnd

; state.json as kiosk.ops.layout writes it: $0 current, $1 staged ("" for none). Written whole, then renamed.
Function WriteInstallState
  FileOpen $R0 "$INSTDIR\${STATE_FILE}.new" w
  FileWrite $R0 '{$\n "committed_at": null,$\n "current": "$0",$\n "failed": {},$\n "previous": null,$\n'
  ${If} $1 == ""
    FileWrite $R0 ' "staged": null,$\n'
  ${Else}
    FileWrite $R0 ' "staged": "$1",$\n'
  ${EndIf}
  FileWrite $R0 ' "trying": null$\n}'
  FileClose $R0
  Delete "$INSTDIR\${STATE_FILE}"
  Rename "$INSTDIR\${STATE_FILE}.new" "$INSTDIR\${STATE_FILE}"
FunctionEnd

; A file only administrators may change (the kiosk account reads it): the root of trust and the uninstaller sit in
; a folder the kiosk account may write to (it installs updates there).
!macro ProtectFile FILE
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "${FILE}" /inheritance:r /grant:r ${ADMINS_SID}:F ${SYSTEM_SID}:F ${USERS_SID}:RX /Q'
  Pop $0
!macroend

; The scheduled task that starts the supervisor at logon, for any member of Users (the kiosk account, logged on
; automatically), in that user's session and with that user's rights. Unlike a Run value, a task can be started
; again right after a silent upgrade (schtasks /Run), restarts the supervisor should it ever end, and runs for as
; long as the session lasts (ExecutionTimeLimit PT0S: a task otherwise stops after three days).
Function WriteSupervisorTask
  FileOpen $R0 "$PLUGINSDIR\task.xml" w
  FileWriteUTF16LE /BOM $R0 '<?xml version="1.0" encoding="UTF-16"?>$\r$\n'
  FileWriteUTF16LE $R0 '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">$\r$\n'
  FileWriteUTF16LE $R0 '  <RegistrationInfo><Description>$(TaskDesc)</Description></RegistrationInfo>$\r$\n'
  FileWriteUTF16LE $R0 '  <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>$\r$\n'
  FileWriteUTF16LE $R0 '  <Principals><Principal id="Kiosk"><GroupId>S-1-5-32-545</GroupId>'
  FileWriteUTF16LE $R0 '<RunLevel>LeastPrivilege</RunLevel></Principal></Principals>$\r$\n'
  FileWriteUTF16LE $R0 '  <Settings>$\r$\n'
  FileWriteUTF16LE $R0 '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>$\r$\n'
  FileWriteUTF16LE $R0 '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>$\r$\n'
  FileWriteUTF16LE $R0 '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>$\r$\n'
  FileWriteUTF16LE $R0 '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>$\r$\n'
  FileWriteUTF16LE $R0 '    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>$\r$\n'
  FileWriteUTF16LE $R0 '    <AllowStartOnDemand>true</AllowStartOnDemand>$\r$\n'
  FileWriteUTF16LE $R0 '    <Priority>4</Priority>$\r$\n'
  FileWriteUTF16LE $R0 '  </Settings>$\r$\n'
  FileWriteUTF16LE $R0 '  <Actions Context="Kiosk"><Exec>$\r$\n'
  FileWriteUTF16LE $R0 '    <Command>${LAUNCH_EXE}</Command>$\r$\n'
  FileWriteUTF16LE $R0 '    <Arguments>--data-dir "$DataDir" supervise</Arguments>$\r$\n'
  FileWriteUTF16LE $R0 '    <WorkingDirectory>$DataDir</WorkingDirectory>$\r$\n'
  FileWriteUTF16LE $R0 '  </Exec></Actions>$\r$\n'
  FileWriteUTF16LE $R0 '</Task>$\r$\n'
  FileClose $R0
  nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Create /TN "${TASK_NAME}" /XML "$PLUGINSDIR\task.xml" /F'
  Pop $0
FunctionEnd

; ---------------------------------------------------------------- install

Section "!$(SecAppName)" SecApp
  SectionIn RO
  !insertmacro StopTerminal

  ; An install from before versions side by side had the bundle at the top of the folder: it goes (this
  ; version replaces it; there is no state.json yet, so this one becomes the current version).
  ${If} ${FileExists} "$INSTDIR\_internal\*.*"
    Delete "$INSTDIR\${APP_EXE}"
    Delete "$INSTDIR\kiosk-console.exe"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}

  ; This version beside the others, which stay (the supervisor may go back to one). The same version installed
  ; again is written afresh: nothing runs from it now.
  RMDir /r "${VERSION_DIR}"
  SetOutPath "${VERSION_DIR}"
  File /r "${DIST_DIR}\*.*"
  FileOpen $0 "${VERSION_DIR}\VERSION" w
  FileWrite $0 "${VERSION}$\n"
  FileClose $0
  FileOpen $0 "${VERSION_DIR}\.complete" w  ; written last: the folder is whole (kiosk.ops.layout)
  FileWrite $0 "installer$\n"
  FileClose $0
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\${UNINSTALL_EXE}"

  ; Which version runs. First install: this one. Upgrade: this one is staged, and the supervisor switches to it
  ; (keeping it once its health check passes, else going back to the current one, whose database it restores).
  ; The same version again: as it was.
  Call ReadCurrentVersion
  ${If} $Current == ""
    StrCpy $0 "${VERSION}"
    StrCpy $1 ""
    Call WriteInstallState
  ${ElseIf} $Current != "${VERSION}"
    ${If} ${FileExists} "$INSTDIR\versions\$Current\.complete"
      StrCpy $0 $Current
      StrCpy $1 "${VERSION}"
    ${Else}  ; the current version's folder is gone: nothing to go back to
      StrCpy $0 "${VERSION}"
      StrCpy $1 ""
    ${EndIf}
    Call WriteInstallState
  ${EndIf}

  ; The kiosk account (a member of Users) installs updates here (versions\, downloads\, metadata\, state.json);
  ; the uninstaller and the root of trust stay administrators' (ProtectFile).
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$INSTDIR" /grant ${USERS_SID}:(OI)(CI)M /T /C /Q'
  Pop $0
  !insertmacro ProtectFile "$INSTDIR\${UNINSTALL_EXE}"

  ; The fleet's root metadata for signed updates: without it (and none installed before) updates stay off.
  ${If} $UpdateRoot != ""
    ${If} ${FileExists} $UpdateRoot
      Delete "$INSTDIR\${UPDATE_ROOT_FILE}"
      CopyFiles /SILENT $UpdateRoot "$INSTDIR\${UPDATE_ROOT_FILE}"
    ${Else}
      DetailPrint "$(NoUpdateRoot) $UpdateRoot"
    ${EndIf}
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\${UPDATE_ROOT_FILE}"
    !insertmacro ProtectFile "$INSTDIR\${UPDATE_ROOT_FILE}"
    WriteRegExpandStr HKLM "${ENV_KEY}" "${UPDATE_ROOT_ENV}" "$INSTDIR\${UPDATE_ROOT_FILE}"
  ${EndIf}

  ; This version's release archive, when it sits next to the installer (kiosk release add wrote it into the
  ; repository's targets): the base of the first update's patch, which is then all that update downloads.
  ${If} ${FileExists} "$EXEDIR\kiosk-${VERSION}.tar.gz"
    CreateDirectory "$INSTDIR\downloads"
    CopyFiles /SILENT "$EXEDIR\kiosk-${VERSION}.tar.gz" "$INSTDIR\downloads\kiosk-${VERSION}.tar.gz"
  ${EndIf}

  ; Terminal data lives outside the program folder and survives upgrades and (by default) uninstalls.
  CreateDirectory "$DataDir"
  CreateDirectory "$DataDir\logs"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$DataDir" /grant ${USERS_SID}:(OI)(CI)M /T /C /Q'
  Pop $0
  WriteRegExpandStr HKLM "${ENV_KEY}" "${DATA_ENV}" "$DataDir"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000

  WriteRegStr HKLM "${PRODUCT_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${PRODUCT_KEY}" "DataDir" "$DataDir"
  WriteRegStr HKLM "${PRODUCT_KEY}" "Version" "${VERSION}"

  ; Add/Remove Programs
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "$(AppName)"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${UNINSTALL_EXE}"  ; (the program's icon, any version)
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALL_EXE}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALL_EXE}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecStartMenuName)" SecStartMenu
  CreateDirectory "$SMPROGRAMS\$(AppName)"
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(AppName).lnk" "${LAUNCH_EXE}" '${LAUNCH_ARGS}' "${LAUNCH_EXE}" 0
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(UninstallLink).lnk" "$INSTDIR\${UNINSTALL_EXE}"
  ; Remembered so that an uninstaller running in the other language removes the right folder.
  WriteRegStr HKLM "${PRODUCT_KEY}" "StartMenuFolder" "$SMPROGRAMS\$(AppName)"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  CreateShortcut "$DESKTOP\$(AppName).lnk" "${LAUNCH_EXE}" '${LAUNCH_ARGS}' "${LAUNCH_EXE}" 0
  WriteRegStr HKLM "${PRODUCT_KEY}" "DesktopShortcut" "$DESKTOP\$(AppName).lnk"
SectionEnd

Section /o "$(SecAutostartName)" SecAutostart
  ; Whoever logs on (on a terminal: the kiosk account, logged on automatically by Windows, not by this installer)
  ; gets the supervisor, which runs the terminal. The Run value of older versions gives way to the task.
  DeleteRegValue HKLM "${RUN_KEY}" "${PRODUCT_ID}"
  Call WriteSupervisorTask
SectionEnd

Section "-Unselected options"
  ; Re-running the installer with an option unticked removes what an earlier run created.
  ${IfNot} ${SectionIsSelected} ${SecAutostart}
    DeleteRegValue HKLM "${RUN_KEY}" "${PRODUCT_ID}"
    nsExec::Exec '"$SYSDIR\schtasks.exe" /Delete /TN "${TASK_NAME}" /F'
    Pop $0
  ${EndIf}
  ${IfNot} ${SectionIsSelected} ${SecStartMenu}
    ReadRegStr $0 HKLM "${PRODUCT_KEY}" "StartMenuFolder"
    ${If} $0 != ""
      Delete "$0\*.lnk"
      RMDir "$0"
      DeleteRegValue HKLM "${PRODUCT_KEY}" "StartMenuFolder"
    ${EndIf}
  ${EndIf}
  ${IfNot} ${SectionIsSelected} ${SecDesktop}
    ReadRegStr $0 HKLM "${PRODUCT_KEY}" "DesktopShortcut"
    ${If} $0 != ""
      Delete "$0"
      DeleteRegValue HKLM "${PRODUCT_KEY}" "DesktopShortcut"
    ${EndIf}
  ${EndIf}
SectionEnd

Section "-Start again"
  ; A terminal that was running when the installer stopped it (a silent upgrade pushed to it) serves again at
  ; once: its supervisor, started by the logon task in the kiosk account's session.
  ${If} $WasRunning == "1"
  ${AndIf} ${SectionIsSelected} ${SecAutostart}
    nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Run /TN "${TASK_NAME}"'
    Pop $0
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartMenu} "$(SecStartMenuDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "$(SecAutostartDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  !insertmacro CommonInit
  InitPluginsDir
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
  ; The fleet's root metadata: named on the command line, else root.json next to the installer, if there.
  StrCpy $UpdateRoot ""
  ClearErrors
  ${GetOptions} $R0 "/UPDATEROOT=" $R1
  ${IfNot} ${Errors}
    StrCpy $UpdateRoot $R1
  ${ElseIf} ${FileExists} "$EXEDIR\root.json"
    StrCpy $UpdateRoot "$EXEDIR\root.json"
  ${EndIf}
  ; An upgrade keeps the start-at-logon choice of the installed version (its task, or an older version's Run value).
  ReadRegStr $R1 HKLM "${RUN_KEY}" "${PRODUCT_ID}"
  ${If} $R1 != ""
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
  nsExec::Exec '"$SYSDIR\schtasks.exe" /Query /TN "${TASK_NAME}"'
  Pop $R1
  ${If} $R1 == 0
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
FunctionEnd

; ---------------------------------------------------------------- uninstall

Section "!un.$(UnSecAppName)" UnSecApp
  SectionIn RO
  !insertmacro StopTerminal

  DeleteRegValue HKLM "${RUN_KEY}" "${PRODUCT_ID}"
  nsExec::Exec '"$SYSDIR\schtasks.exe" /Delete /TN "${TASK_NAME}" /F'
  Pop $0
  ReadRegStr $0 HKLM "${PRODUCT_KEY}" "DesktopShortcut"
  ${If} $0 != ""
    Delete "$0"
  ${EndIf}
  ReadRegStr $0 HKLM "${PRODUCT_KEY}" "StartMenuFolder"
  ${If} $0 != ""
    Delete "$0\*.lnk"
    RMDir "$0"
  ${EndIf}

  ; Only what the installer and the updates put there: every version, the updates' downloads and metadata, the
  ; install state, the root of trust (and an older version's bundle at the top of the folder).
  RMDir /r "$INSTDIR\versions"
  RMDir /r "$INSTDIR\downloads"
  RMDir /r "$INSTDIR\metadata"
  Delete "$INSTDIR\${STATE_FILE}"
  Delete "$INSTDIR\${UPDATE_ROOT_FILE}"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\kiosk-console.exe"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALL_EXE}"
  RMDir "$INSTDIR"

  DeleteRegValue HKLM "${ENV_KEY}" "${DATA_ENV}"
  DeleteRegValue HKLM "${ENV_KEY}" "${UPDATE_ROOT_ENV}"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegValue HKLM "${PRODUCT_KEY}" "InstallDir"
  DeleteRegValue HKLM "${PRODUCT_KEY}" "Version"
  DeleteRegValue HKLM "${PRODUCT_KEY}" "StartMenuFolder"
  DeleteRegValue HKLM "${PRODUCT_KEY}" "DesktopShortcut"
SectionEnd

Section /o "un.$(UnSecDataName)" UnSecData
  RMDir /r "$DataDir"
  DeleteRegKey HKLM "${PRODUCT_KEY}"
SectionEnd

Section "-un.Report kept data"
  ${If} ${FileExists} "$DataDir\*.*"
    DetailPrint "$(DataKept) $DataDir"
  ${Else}
    DeleteRegKey HKLM "${PRODUCT_KEY}"
  ${EndIf}
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecApp} "$(UnSecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "$(UnSecDataDesc)"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  !insertmacro CommonInit
  ; The data folder recorded at install time wins over the default.
  ReadRegStr $R1 HKLM "${PRODUCT_KEY}" "DataDir"
  ${If} $R1 != ""
    StrCpy $DataDir $R1
  ${EndIf}
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
