import QtQuick
import KioskUi
import "style.js" as S

// The center's notices showing now, one at a time (a calm fade every 12 s when there are several; no ticker);
// without any, a plain line about listening for the call.
Rectangle {
    id: bar
    objectName: "noticeBar"
    property var board: null
    property real u: 1
    readonly property var notices: board ? board.notices : []
    property int index: 0
    readonly property var shown: notices.length > 0 ? notices[index % notices.length] : null

    color: S.header
    onNoticesChanged: if (index >= notices.length) index = 0

    Timer {
        interval: 12000
        repeat: true
        running: bar.notices.length > 1
        onTriggered: fade.restart()
    }
    SequentialAnimation {
        id: fade
        NumberAnimation { target: content; property: "opacity"; to: 0; duration: 400 }
        ScriptAction { script: bar.index = (bar.index + 1) % Math.max(1, bar.notices.length) }
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
        Text {
            objectName: "noticeText"
            anchors.verticalCenter: parent.verticalCenter
            width: content.width - badge.width - content.spacing
            color: S.text
            font.pixelSize: Math.round(34 * bar.u)
            wrapMode: Text.Wrap
            lineHeight: Theme.lineHeight
            // (the font's own line spacing is 1.45 of its size: as many lines as the bar holds)
            maximumLineCount: Math.max(1, Math.floor((bar.height - 16 * bar.u)
                                                     / (font.pixelSize * 1.45 * Theme.lineHeight)))
            elide: Text.ElideRight
            textFormat: Text.PlainText
            text: Theme.keepTail(bar.shown ? bar.shown.title + "：" + bar.shown.body
                                            : qsTr("请留意屏幕和语音叫号。过号的，请到服务台咨询。"))
        }
    }
}
