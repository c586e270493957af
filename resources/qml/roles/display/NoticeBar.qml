import QtQuick
import KioskUi
import "style.js" as S

// The center's notices showing now (warnings first), one at a time; without any, a plain line about listening for
// the call. Nobody touches a display, so nothing is cut off for good: a notice longer than the bar holds is shown
// a page of lines at a time (never elided), and with several notices each page stands 12 s, then a calm fade to
// the next page or notice (no ticker).
Rectangle {
    id: bar
    objectName: "noticeBar"
    property var board: null
    property real u: 1
    readonly property var notices: board ? board.notices : []
    property int index: 0
    property int page: 0
    readonly property var shown: notices.length > 0 ? notices[index % notices.length] : null
    // The notice's lines, a bar's worth at a time.
    readonly property real linePixels: noticeText.lineCount > 0 ? noticeText.contentHeight / noticeText.lineCount
                                                                 : noticeText.font.pixelSize * 1.45 * Theme.lineHeight
    readonly property int linesPerPage: Math.max(1, Math.floor((bar.height - 16 * bar.u) / linePixels))
    readonly property int pages: Math.max(1, Math.ceil(noticeText.lineCount / linesPerPage))

    color: S.header
    onNoticesChanged: if (index >= notices.length) { index = 0; page = 0 }

    function advance() {
        if (page + 1 < pages) {
            page += 1
        } else {
            page = 0
            index = (index + 1) % Math.max(1, notices.length)
        }
    }

    Timer {
        objectName: "noticeTimer"
        interval: 12000
        repeat: true
        running: bar.notices.length > 1 || bar.pages > 1
        onTriggered: fade.restart()
    }
    SequentialAnimation {
        id: fade
        NumberAnimation { target: content; property: "opacity"; to: 0; duration: 400 }
        ScriptAction { script: bar.advance() }
        NumberAnimation { target: content; property: "opacity"; to: 1; duration: 400 }
    }

    Row {
        id: content
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: 48 * bar.u; rightMargin: 48 * bar.u }
        spacing: 24 * bar.u
        Rectangle {
            id: badge
            anchors.verticalCenter: parent.verticalCenter
            width: badgeText.implicitWidth + 28 * bar.u
            height: badgeText.implicitHeight + 12 * bar.u
            radius: 8 * bar.u
            color: bar.shown && bar.shown.level === "warning" ? S.warning : S.divider
            Text {
                id: badgeText
                anchors.centerIn: parent
                color: bar.shown && bar.shown.level === "warning" ? S.bannerText : S.text
                font.pixelSize: Math.round(32 * bar.u)
                font.weight: Font.Bold
                text: !bar.shown ? qsTr("提示") : bar.shown.level === "warning" ? qsTr("重要通知") : qsTr("通知")
            }
        }
        Column {
            anchors.verticalCenter: parent.verticalCenter
            width: content.width - badge.width - content.spacing
            spacing: 4 * bar.u
            Item {
                id: viewport
                width: parent.width
                height: Math.min(noticeText.contentHeight, bar.linesPerPage * bar.linePixels)
                clip: true
                Text {
                    id: noticeText
                    objectName: "noticeText"
                    width: parent.width
                    y: -bar.page * bar.linesPerPage * bar.linePixels
                    color: S.text
                    font.pixelSize: Math.round(34 * bar.u)
                    wrapMode: Text.Wrap
                    lineHeight: Theme.lineHeight
                    textFormat: Text.PlainText
                    text: Theme.keepTail(bar.shown ? bar.shown.title + "：" + bar.shown.body
                                                    : qsTr("请留意屏幕和语音叫号。过号的，请到服务台咨询。"))
                    onTextChanged: bar.page = 0
                }
            }
        }
    }

    // Where a long notice is: "2/3" at the bar's corner, so the hall knows more of it comes.
    Text {
        objectName: "noticePage"
        visible: bar.pages > 1
        anchors { right: parent.right; bottom: parent.bottom; rightMargin: 16 * bar.u; bottomMargin: 6 * bar.u }
        color: S.textDim
        font.pixelSize: Math.round(24 * bar.u)
        text: (bar.page + 1) + "/" + bar.pages
    }
}
