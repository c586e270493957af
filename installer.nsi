; Windows installer for the self-service terminal client (NSIS 3, Modern UI 2).
;
;   makensis installer.nsi                                   (after `python build/build.py` on Windows)
;   makensis -DVERSION=0.2.0 -DDIST_DIR=D:\kiosk -DOUT_FILE=D:\out\setup.exe installer.nsi
;
; Defines (all optional):
;   VERSION     product version shown to users              default 0.1.0
;   VI_VERSION  four-part file version                      default major.minor.patch.0 of VERSION
;   DIST_DIR    the PyInstaller one-dir bundle to install   default build\dist\kiosk
;   OUT_FILE    the installer to write                      default build\dist\GovKiosk-Setup-VERSION.exe
;   APP_ARGS    subcommand the shortcuts and auto-start run default run
;
; Installer command line (also for silent installs with /S):
;   /AUTOSTART      also select "start at logon"
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
  !define APP_ARGS "run"
!endif

!define PRODUCT_ID "GovKiosk"                   ; folder, registry and Run-value name (never translated)
!define PUBLISHER "GovKiosk"
!define APP_EXE "kiosk.exe"
!define DATA_ENV "KIOSK_DATA_DIR"               ; read by the terminal (see kiosk/config.py)
!define UNINSTALL_EXE "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_ID}"
!define PRODUCT_KEY "Software\${PRODUCT_ID}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define USERS_SID "*S-1-5-32-545"                ; BUILTIN\Users, whatever the Windows language

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include FileFunc.nsh
!include Sections.nsh
!include WinMessages.nsh

Name "$(AppName)"
OutFile "${OUT_FILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT_ID}"
InstallDirRegKey HKLM "${PRODUCT_KEY}" "InstallDir"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${PRODUCT_ID} ${VERSION}"

Var DataDir

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
  ; A running terminal holds its files open; stop it before replacing or removing them.
  nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${APP_EXE}'
  Pop $0
  Sleep 500
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

; ---------------------------------------------------------------- install

Section "!$(SecAppName)" SecApp
  SectionIn RO
  !insertmacro StopTerminal

  ; A previous version's libraries must not linger next to the new ones.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST_DIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALL_EXE}"

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
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
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
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(AppName).lnk" "$INSTDIR\${APP_EXE}" '${LAUNCH_ARGS}' \
      "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(UninstallLink).lnk" "$INSTDIR\${UNINSTALL_EXE}"
  ; Remembered so that an uninstaller running in the other language removes the right folder.
  WriteRegStr HKLM "${PRODUCT_KEY}" "StartMenuFolder" "$SMPROGRAMS\$(AppName)"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  CreateShortcut "$DESKTOP\$(AppName).lnk" "$INSTDIR\${APP_EXE}" '${LAUNCH_ARGS}' "$INSTDIR\${APP_EXE}" 0
  WriteRegStr HKLM "${PRODUCT_KEY}" "DesktopShortcut" "$DESKTOP\$(AppName).lnk"
SectionEnd

Section /o "$(SecAutostartName)" SecAutostart
  ; HKLM Run starts the terminal for whoever logs on: on a terminal that is the kiosk account
  ; (automatic logon is configured in Windows, not here).
  WriteRegStr HKLM "${RUN_KEY}" "${PRODUCT_ID}" '"$INSTDIR\${APP_EXE}" ${LAUNCH_ARGS}'
SectionEnd

Section "-Unselected options"
  ; Re-running the installer with an option unticked removes what an earlier run created.
  ${IfNot} ${SectionIsSelected} ${SecAutostart}
    DeleteRegValue HKLM "${RUN_KEY}" "${PRODUCT_ID}"
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

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartMenu} "$(SecStartMenuDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "$(SecAutostartDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  !insertmacro CommonInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
  ; An upgrade keeps the start-at-logon choice of the installed version.
  ReadRegStr $R1 HKLM "${RUN_KEY}" "${PRODUCT_ID}"
  ${If} $R1 != ""
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
FunctionEnd

; ---------------------------------------------------------------- uninstall

Section "!un.$(UnSecAppName)" UnSecApp
  SectionIn RO
  !insertmacro StopTerminal

  DeleteRegValue HKLM "${RUN_KEY}" "${PRODUCT_ID}"
  ReadRegStr $0 HKLM "${PRODUCT_KEY}" "DesktopShortcut"
  ${If} $0 != ""
    Delete "$0"
  ${EndIf}
  ReadRegStr $0 HKLM "${PRODUCT_KEY}" "StartMenuFolder"
  ${If} $0 != ""
    Delete "$0\*.lnk"
    RMDir "$0"
  ${EndIf}

  ; Only what the installer put there: the bundle's executables and its _internal folder.
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\kiosk-console.exe"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALL_EXE}"
  RMDir "$INSTDIR"

  DeleteRegValue HKLM "${ENV_KEY}" "${DATA_ENV}"
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
