import KioskUi

// The counter role (窗口), not built yet: says so plainly.
RoleNotConfigured { roleName: qsTr("窗口叫号") }
