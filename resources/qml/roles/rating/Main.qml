import QtQuick
import KioskUi

// The rating pad (评价器) facing the citizen at one counter: who serves there, the ticket being served, the five
// levels at 办结 with the reasons of a bad one and a countdown, the thanks, and the link to the hall.
// The pad (`pad`) and its rating flow (`padRating`) are made just after the first frame: null until then.
Window {
    id: root
    width: 800
    height: 1280
    color: Theme.background
    title: qsTr("服务评价器")

    property bool frameless: false
    flags: frameless ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    property bool allowClose: false
    property bool screensWanted: false   // (set by the shell once the first frame is up; the pad has one screen)
    property bool keyboardWanted: false  // (the pad has no keyboard)
    readonly property bool transitioning: false
    readonly property var theme: Theme
    readonly property bool ready: !!pad && !!padRating
    // A tablet's pixels are about 1.8 times as dense as a kiosk's: the theme's sizes, drawn as large.
    readonly property real density: 1.8

    signal viewModelsWanted()
    onClosing: (close) => { close.accepted = root.allowClose }

    Binding { target: Theme; property: "elder"; value: appState.elderMode }
    Binding { target: Theme; property: "windowWidth"; value: root.width * root.density }
    Binding { target: Theme; property: "windowHeight"; value: root.height * root.density }

    PadHeader {
        id: header
        z: 10
        anchors { left: parent.left; right: parent.right; top: parent.top }
    }

    // The link to the hall: said plainly within seconds of losing it, never a spinner.
    Rectangle {
        id: linkBanner
        objectName: "linkBanner"
        z: 10
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        visible: root.ready && pad.problem === "" && pad.link !== "online"
        height: visible ? linkRow.implicitHeight + Theme.px(24) : 0
        color: Theme.warningSurface
        Rectangle { anchors { left: parent.left; right: parent.right; bottom: parent.bottom } height: Theme.borderWidth; color: Theme.border }
        Row {
            id: linkRow
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.margin; rightMargin: Theme.margin }
            spacing: Theme.px(14)
            Icon { id: linkIcon; name: "alert"; color: Theme.warningText; size: Theme.px(40); anchors.verticalCenter: parent.verticalCenter }
            KText {
                objectName: "linkText"
                width: parent.width - linkIcon.width - parent.spacing
                color: Theme.warningText
                font.weight: Font.Bold
                text: !root.ready ? ""
                      : pad.link === "connecting" ? qsTr("正在连接排队服务…")
                      : pad.phase === "rating" ? qsTr("正在重新连接… 您的评价会先保存在本机，连上后自动提交。")
                      : qsTr("正在重新连接…")
            }
        }
    }

    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: linkBanner.bottom; bottom: parent.bottom }

        PadProblem {
            anchors.fill: parent
            visible: root.ready && pad.problem !== ""
        }
        Loader {
            anchors.fill: parent
            active: root.ready && pad.problem === ""
            sourceComponent: {
                if (!root.ready) return null
                switch (pad.phase) {
                case "rating": return rateComponent
                case "thanks":
                case "missed": return endComponent
                }
                return counterComponent
            }
        }
    }

    Component { id: counterComponent; PadCounter {} }
    Component { id: rateComponent; PadRate {} }
    Component { id: endComponent; PadEnd {} }

    // 暂停服务: the whole window while the terminal is out of service (serviceState; kiosk.ops.service_state).
    Loader {
        objectName: "outOfService"
        z: 1000
        anchors.fill: parent
        active: serviceState.outOfService
        visible: active
        sourceComponent: OutOfServicePage { state: serviceState }
    }
}
