import QtQuick
import KioskUi
import "style.js" as S

// The hall's display (叫号屏), landscape 1920×1080 or portrait 1080×1920 (the orientation setting): the hall's name,
// date and clock; the current call large ("请 A012 号 到 3 号窗口"), briefly highlighted when it changes; the calls
// before it; how many wait for each service; the center's notices. Nothing on it is to be touched. displayBoard is
// made just after the first frame (null until then). Not enrolled with a hall, it says how to enrol it; before the
// hall first answers, that it is connecting; when the link is lost, that it is reconnecting, over the last board.
Window {
    id: root
    width: 1920
    height: 1080
    color: S.background
    title: qsTr("叫号屏")

    property bool frameless: false
    flags: frameless ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    property bool allowClose: false
    property bool screensWanted: false    // (the shell's; the display has no stack of screens)
    property bool keyboardWanted: false   // (the shell's; nobody types here)
    readonly property var theme: Theme
    readonly property var board: displayBoard
    readonly property bool landscape: width >= height
    // The unit every size is made of: 1/1080 of the short side, so both orientations read alike.
    readonly property real u: Math.min(width, height) / 1080
    readonly property string link: board ? board.linkState : "connecting"

    onClosing: (close) => { close.accepted = root.allowClose }

    Binding { target: Theme; property: "windowWidth"; value: root.width }
    Binding { target: Theme; property: "windowHeight"; value: root.height }

    Rectangle {
        id: header
        objectName: "displayHeader"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Math.round((root.landscape ? 112 : 150) * root.u)
        color: S.header
        Column {
            anchors { left: parent.left; leftMargin: 48 * root.u; verticalCenter: parent.verticalCenter
                      right: root.landscape ? sideDate.left : clock.left; rightMargin: 32 * root.u }
            spacing: 4 * root.u
            Text {
                objectName: "hallName"
                width: parent.width
                color: S.text
                font.pixelSize: Math.round(46 * root.u)
                font.weight: Font.Bold
                elide: Text.ElideRight
                text: root.board && root.board.hallName ? root.board.hallName : qsTr("叫号屏")
            }
            Text {  // portrait: the date under the hall's name
                visible: !root.landscape
                color: S.textDim
                font.pixelSize: Math.round(34 * root.u)
                text: root.board ? root.board.date : ""
            }
        }
        Text {  // landscape: the date beside the clock
            id: sideDate
            objectName: "date"
            visible: root.landscape
            anchors { right: clock.left; rightMargin: 28 * root.u; baseline: clock.baseline }
            color: S.textDim
            font.pixelSize: Math.round(34 * root.u)
            text: root.board ? root.board.date : ""
        }
        Text {
            id: clock
            objectName: "clock"
            anchors { right: parent.right; rightMargin: 48 * root.u; verticalCenter: parent.verticalCenter }
            color: S.text
            font.pixelSize: Math.round(60 * root.u)
            font.weight: Font.Bold
            text: root.board ? root.board.clock : ""
        }
    }

    // The board: the hall as the display last knew it (kept on screen while the link is lost).
    Loader {
        id: boardLoader
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                  top: banner.visible ? banner.bottom : header.bottom }
        active: root.board !== null && (root.link === "live" || root.link === "reconnecting")
        sourceComponent: root.landscape ? landscapeBoard : portraitBoard
    }

    Component {
        id: landscapeBoard
        Item {
            readonly property real gap: 32 * root.u
            CallPanel {
                id: call
                board: root.board
                u: root.u
                x: parent.gap; y: parent.gap
                width: Math.round(parent.width * 0.58) - parent.gap
                height: notices.y - 2 * parent.gap
            }
            RecentCalls {
                id: recent
                board: root.board
                u: root.u
                anchors { left: call.right; leftMargin: parent.gap; right: parent.right; rightMargin: parent.gap
                          top: call.top; bottom: waiting.top; bottomMargin: parent.gap / 2 }
            }
            WaitingCounts {
                id: waiting
                board: root.board
                u: root.u
                columns: 2
                anchors { left: recent.left; right: recent.right; bottom: call.bottom }
                height: implicitHeight
            }
            NoticeBar {
                id: notices
                board: root.board
                u: root.u
                anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                height: Math.round(170 * root.u)
            }
        }
    }

    Component {
        id: portraitBoard
        Item {
            readonly property real gap: 32 * root.u
            CallPanel {
                id: call
                board: root.board
                u: root.u
                portrait: true
                x: parent.gap; y: parent.gap
                width: parent.width - 2 * parent.gap
                height: Math.round(parent.height * 0.40)
            }
            RecentCalls {
                id: recent
                board: root.board
                u: root.u
                anchors { left: call.left; right: call.right; top: call.bottom; topMargin: parent.gap }
                height: Math.round(parent.height * 0.25)
            }
            WaitingCounts {
                board: root.board
                u: root.u
                columns: 2
                anchors { left: call.left; right: call.right; top: recent.bottom; topMargin: parent.gap / 2 }
                height: implicitHeight
            }
            NoticeBar {
                id: notices
                board: root.board
                u: root.u
                anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                height: Math.round(240 * root.u)
            }
        }
    }

    // The link is lost: said at once, above the board kept as it was.
    Rectangle {
        id: banner
        objectName: "reconnectingBanner"
        visible: root.link === "reconnecting"
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        height: bannerText.implicitHeight + 28 * root.u
        color: S.banner
        Text {
            id: bannerText
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      margins: 48 * root.u }
            color: S.bannerText
            font.pixelSize: Math.round(38 * root.u)
            font.weight: Font.Bold
            wrapMode: Text.Wrap
            text: root.board && root.board.lostAt
                  ? qsTr("正在重新连接… 下面是 %1 时的叫号情况").arg(root.board.lostAt)
                  : qsTr("正在重新连接…")
        }
    }

    // Before the hall first answered.
    Column {
        objectName: "connecting"
        visible: root.board !== null && root.link === "connecting"
        anchors.centerIn: parent
        width: parent.width - 160 * root.u
        spacing: 32 * root.u
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: S.text
            font.pixelSize: Math.round(56 * root.u)
            font.weight: Font.Bold
            wrapMode: Text.Wrap
            text: qsTr("正在连接排队叫号系统…")
        }
        Text {
            id: slowHint
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: S.textDim
            font.pixelSize: Math.round(36 * root.u)
            wrapMode: Text.Wrap
            lineHeight: Theme.lineHeight
            visible: false
            text: qsTr("还没有连上。请检查本机的网络，以及大厅的排队叫号服务是否开着；连上后会自动显示。")
            Timer {
                interval: 10000
                running: root.link === "connecting"
                onRunningChanged: if (!running) slowHint.visible = false
                onTriggered: slowHint.visible = true
            }
        }
    }

    NotEnrolled {
        objectName: "notEnrolled"
        visible: root.link === "not_enrolled"
        u: root.u
        anchors { left: parent.left; right: parent.right; top: header.bottom; bottom: parent.bottom }
    }

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
