; Inno Setup 6 script: packs the PyInstaller folder dist\wudu into a setup program for the office PC.
;   1. python installer\build.py          (builds dist\wudu and checks the frozen programs)
;   2. iscc installer\wudu.iss            (writes dist\wudu-setup-<version>.exe)
; Installs for the current user without administrator rights (office PCs are often locked down), into
; %LOCALAPPDATA%\Programs\WuduWorkbench, with a Start-menu shortcut and, if ticked, one on the desktop.
; The data never lives here: it is in %APPDATA%\wudu, and uninstalling leaves it untouched.
; For a Chinese setup wizard, put ChineseSimplified.isl (Inno Setup's unofficial translations) into the
; compiler's Languages folder; without it the wizard is in English and the program itself is unchanged.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{5D8C2F4E-7B1A-4C3E-9F60-2A7D1E0B9C41}
AppName=无毒社区工作台
AppVersion={#AppVersion}
AppPublisher=乡镇禁毒办
DefaultDirName={autopf}\WuduWorkbench
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=wudu-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\wudu.exe
SetupIconFile=resources\icons\wudu.ico
CloseApplications=yes

[Languages]
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "dist\wudu\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\无毒社区工作台"; Filename: "{app}\wudu.exe"
Name: "{autodesktop}\无毒社区工作台"; Filename: "{app}\wudu.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\wudu.exe"; Description: "{cm:LaunchProgram,无毒社区工作台}"; Flags: nowait postinstall skipifsilent
