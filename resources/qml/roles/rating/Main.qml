import KioskUi

// The rating pad role (评价器), not built yet: says so plainly.
RoleNotConfigured { roleName: qsTr("评价器") }
