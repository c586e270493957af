import QtQuick

// What a screen shows instead of its content: loading (after a short pause, so fast answers never flash),
// an error a citizen can act on (with a code for support), or an empty result with a way forward.
Item {
    id: notice
    property string kind: "loading"   // loading | error | empty | info
    property string title: ""
    property string message: ""
    property string code: ""
    property string actionText: ""
    property string actionIcon: ""
    signal action()

    implicitHeight: card.implicitHeight
    visible: kind !== "loading" || delay.passed

    Timer {
        id: delay
        property bool passed: false
        interval: 350
        running: notice.kind === "loading"
        onTriggered: passed = true
        onRunningChanged: if (running) passed = false
    }

    Rectangle {
        id: card
        anchors { left: parent.left; right: parent.right }
        implicitHeight: body.implicitHeight + Theme.px(64)
        radius: Theme.radius
        color: notice.kind === "error" ? Theme.errorSurface : Theme.surface
        border.width: Theme.borderWidth
        border.color: notice.kind === "error" ? "#E6A3A9" : Theme.divider

        Column {
            id: body
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(32) }
            spacing: Theme.spacing
            Row {
                width: parent.width
                spacing: Theme.px(18)
                Icon {
                    id: glyph
                    name: notice.kind === "error" ? "alert" : notice.kind === "loading" ? "clock" : "info"
                    color: notice.kind === "error" ? Theme.errorText : Theme.primary
                    size: Theme.px(56)
                }
                KText {
                    width: parent.width - glyph.width - parent.spacing
                    text: notice.kind === "loading" && notice.title === "" ? qsTr("正在加载，请稍候…") : notice.title
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                    color: notice.kind === "error" ? Theme.errorText : Theme.text
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
            KText {
                width: parent.width
                text: notice.message
                visible: text !== ""
            }
            KText {
                width: parent.width
                visible: notice.code !== ""
                text: qsTr("如需帮助，请联系工作人员，并告知代码 %1").arg(notice.code)
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
            }
            BigButton {
                visible: notice.actionText !== ""
                text: notice.actionText
                iconName: notice.actionIcon
                onClicked: notice.action()
            }
        }
    }
}
