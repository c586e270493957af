import QtQuick
import KioskUi

// The bare 暂停服务 window the supervisor starts when the program keeps crashing (kiosk _out-of-service): only the
// page every role shows while out of service, and, once the terminal is back in service, a word that it is
// starting again (the supervisor then starts the role).
Window {
    id: root
    width: 1080
    height: 1920
    color: Theme.background
    title: qsTr("暂停服务")
    flags: Qt.Window | Qt.FramelessWindowHint
    property bool elder: false

    Binding { target: Theme; property: "elder"; value: root.elder }
    Binding { target: Theme; property: "windowWidth"; value: root.width }
    Binding { target: Theme; property: "windowHeight"; value: root.height }

    OutOfServicePage {
        anchors.fill: parent
        visible: serviceState.outOfService
        state: serviceState
    }

    KText {
        objectName: "resuming"
        visible: !serviceState.outOfService
        anchors.centerIn: parent
        font.pixelSize: Theme.fontTitle
        text: qsTr("正在恢复服务，请稍候…")
    }
}
