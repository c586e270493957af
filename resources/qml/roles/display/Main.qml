import KioskUi

// The display role (叫号屏), not built yet: says so plainly.
RoleNotConfigured { roleName: qsTr("叫号屏") }
