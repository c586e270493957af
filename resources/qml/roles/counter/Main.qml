import QtQuick
import KioskUi

// The counter's window (窗口叫号), landscape, for staff: a header (hall, counter, staff, state, link, clock,
// language), the link's state when it is down, then the sign-in form or the desk, and the desk's dialogs over it.
// Every action is a key (F1 … F12, on its button: counterDesk.shortcuts) and a click; keys do nothing while a
// dialog has the keyboard. counterDesk is made just after the first frame (null until then).
Window {
    id: root
    width: 1366
    height: 768
    minimumWidth: 1024
    minimumHeight: 600
    color: Theme.background
    title: qsTr("窗口叫号")

    property bool frameless: false
    flags: frameless ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    property bool allowClose: false
    property bool screensWanted: false    // (the shell's; the counter has no stack of screens)
    property bool keyboardWanted: false   // (the shell's; staff type on the PC's keyboard or the keys on screen)
    readonly property var theme: Theme
    readonly property var desk: counterDesk
    readonly property string phase: desk ? desk.phase : "starting"
    readonly property string link: desk ? desk.link : "connecting"
    property string numberPreset: ""
    property date now: new Date()

    Binding { target: Theme; property: "windowWidth"; value: root.width }
    Binding { target: Theme; property: "windowHeight"; value: root.height }

    // Closing the window while signed in would leave the counter open in the hall with nobody at it.
    onClosing: (close) => {
        if (root.allowClose) return
        if (root.phase === "desk") {
            close.accepted = false
            root.desk.closeWanted()
            return
        }
        Qt.quit()
    }

    Timer { interval: 10000; running: true; repeat: true; onTriggered: root.now = new Date() }

    component Key: Shortcut {
        property string key: ""
        sequence: key
        enabled: root.phase === "desk"
        onActivated: root.desk.press(key)
    }
    Key { key: "F1" } Key { key: "F2" } Key { key: "F3" } Key { key: "F4" }
    Key { key: "F5" } Key { key: "F6" } Key { key: "F7" } Key { key: "F8" }
    Key { key: "F9" } Key { key: "F10" } Key { key: "F11" } Key { key: "F12" }

    Rectangle {
        id: header
        objectName: "counterHeader"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Theme.px(96)
        color: Theme.primary
        Row {
            anchors { left: parent.left; leftMargin: Theme.px(28); verticalCenter: parent.verticalCenter }
            spacing: Theme.px(24)
            KText {
                text: root.phase === "desk" && root.desk.counterName !== "" ? root.desk.counterName : qsTr("窗口叫号")
                color: Theme.textOnPrimary
                font.pixelSize: Theme.px(38)
                font.weight: Font.Bold
                wrapMode: Text.NoWrap
                anchors.verticalCenter: parent.verticalCenter
            }
            KText {
                visible: root.phase === "desk"
                text: root.desk && root.desk.staffName !== "" ? qsTr("%1（工号 %2）").arg(root.desk.staffName).arg(root.desk.staffNo)
                      : root.desk ? qsTr("工号 %1").arg(root.desk.staffNo) : ""
                color: "#E8EEF7"
                font.pixelSize: Theme.px(30)
                wrapMode: Text.NoWrap
                anchors.verticalCenter: parent.verticalCenter
            }
            Rectangle {
                objectName: "counterStateChip"
                visible: root.phase === "desk"
                readonly property bool paused: !!root.desk && root.desk.counterState === "paused"
                width: stateText.implicitWidth + Theme.px(28)
                height: Theme.px(52)
                radius: Theme.px(26)
                color: paused ? Theme.warningSurface : "#E3F4E8"
                anchors.verticalCenter: parent.verticalCenter
                KText {
                    id: stateText
                    anchors.centerIn: parent
                    text: parent.paused ? qsTr("暂停服务") : qsTr("服务中")
                    color: parent.paused ? Theme.warningText : Theme.successText
                    font.pixelSize: Theme.px(28)
                    font.weight: Font.Bold
                    wrapMode: Text.NoWrap
                }
            }
        }
        Row {
            anchors { right: parent.right; rightMargin: Theme.px(28); verticalCenter: parent.verticalCenter }
            spacing: Theme.px(24)
            KText {
                visible: !!root.desk && root.desk.hallName !== ""
                text: root.desk ? root.desk.hallName : ""
                color: "#E8EEF7"
                font.pixelSize: Theme.px(26)
                wrapMode: Text.NoWrap
                anchors.verticalCenter: parent.verticalCenter
            }
            Row {
                objectName: "linkIndicator"
                spacing: Theme.px(8)
                anchors.verticalCenter: parent.verticalCenter
                Rectangle {
                    width: Theme.px(16); height: width; radius: width / 2
                    color: root.link === "online" ? "#7BE495" : "#FFC46B"
                    anchors.verticalCenter: parent.verticalCenter
                }
                KText {
                    text: root.link === "online" ? qsTr("已连接") : qsTr("未连接")
                    color: "#E8EEF7"
                    font.pixelSize: Theme.px(26)
                    wrapMode: Text.NoWrap
                }
            }
            KText {
                text: Qt.formatTime(root.now, "HH:mm")
                color: Theme.textOnPrimary
                font.pixelSize: Theme.px(32)
                font.weight: Font.Medium
                anchors.verticalCenter: parent.verticalCenter
            }
            Rectangle {
                objectName: "languageToggle"
                width: languageText.implicitWidth + Theme.px(32)
                height: Theme.px(60)
                radius: Theme.px(10)
                color: languageArea.containsPress ? Theme.primaryPressed : "transparent"
                border.width: Theme.borderWidth
                border.color: Theme.textOnPrimary
                anchors.verticalCenter: parent.verticalCenter
                Accessible.role: Accessible.Button
                Accessible.name: languageText.text
                KText {
                    id: languageText
                    anchors.centerIn: parent
                    text: appState.language === "en" ? "中文" : "English"
                    color: Theme.textOnPrimary
                    font.pixelSize: Theme.px(26)
                    wrapMode: Text.NoWrap
                }
                MouseArea { id: languageArea; anchors.fill: parent; onClicked: appState.toggleLanguage() }
            }
        }
    }

    // The link to the hall, when it is not up: said at once, in words; actions are not sent meanwhile.
    Rectangle {
        id: banner
        objectName: "linkBanner"
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        visible: root.link !== "online" && root.phase !== "unenrolled" && root.phase !== "starting"
        height: visible ? Theme.px(68) : 0
        color: Theme.warningSurface
        Row {
            anchors { left: parent.left; leftMargin: Theme.px(28); verticalCenter: parent.verticalCenter }
            spacing: Theme.px(14)
            Icon { name: "alert"; color: Theme.warningText; size: Theme.px(36); anchors.verticalCenter: parent.verticalCenter }
            KText {
                objectName: "linkBannerText"
                text: root.link === "reconnecting"
                      ? qsTr("正在重新连接… 与排队服务的连接断开了，恢复前操作不会执行")
                      : qsTr("正在连接排队服务…")
                color: Theme.warningText
                font.pixelSize: Theme.px(30)
                font.weight: Font.Medium
                wrapMode: Text.NoWrap
            }
        }
    }

    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: banner.bottom; bottom: parent.bottom }

        KText {
            objectName: "startingText"
            visible: root.phase === "starting"
            anchors.centerIn: parent
            text: qsTr("正在连接排队服务…")
            font.pixelSize: Theme.px(36)
            color: Theme.textSecondary
        }
        Column {
            objectName: "notEnrolled"
            visible: root.phase === "unenrolled"
            anchors.centerIn: parent
            width: Math.min(parent.width - Theme.px(96), Theme.px(1300))
            spacing: Theme.px(20)
            Icon { name: "alert"; color: Theme.errorText; size: Theme.px(72); anchors.horizontalCenter: parent.horizontalCenter }
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: root.desk ? root.desk.message : ""
                font.pixelSize: Theme.px(38)
            }
        }
        Loader {
            id: signIn
            anchors.fill: parent
            active: root.phase === "signIn"
            sourceComponent: SignInPanel { desk: root.desk }
        }
        Loader {
            id: deskLoader
            anchors.fill: parent
            active: root.phase === "desk"
            sourceComponent: DeskPanel {
                desk: root.desk
                onCallNumberWanted: (number) => {
                    root.numberPreset = number
                    root.desk.openDialog("callNumber")
                }
            }
        }
    }

    // The desk's dialogs: which one is open is the desk's (counterDesk.dialog).
    Loader {
        id: dialogLoader
        objectName: "dialog"
        anchors.fill: parent
        z: 20
        readonly property string which: root.desk && root.phase === "desk" ? root.desk.dialog : ""
        active: which !== ""
        focus: active
        sourceComponent: which === "transfer" ? transferDialog
                       : which === "noShow" || which === "signOut" ? confirmDialog : numberDialog
        onLoaded: item.forceActiveFocus()
        onActiveChanged: if (!active) { root.numberPreset = ""; root.contentItem.forceActiveFocus() }
    }
    Component { id: confirmDialog; ConfirmDialog { desk: root.desk } }
    Component { id: transferDialog; TransferDialog { desk: root.desk } }
    Component { id: numberDialog; NumberDialog { desk: root.desk; preset: root.numberPreset } }

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
