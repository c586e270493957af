import QtQuick

// The countdown before the session ends. Any touch keeps the session; 继续使用 says so in words.
Rectangle {
    id: overlay
    property int secondsLeft: 0
    signal keepUsing()
    signal goHome()

    color: Theme.scrim
    MouseArea { anchors.fill: parent; onClicked: overlay.keepUsing() }  // nothing underneath reacts

    Rectangle {
        id: card
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.margin * 2, Theme.px(860))
        height: content.implicitHeight + Theme.px(96)
        radius: Theme.radius * 1.5
        color: Theme.surface

        Column {
            id: content
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(48) }
            spacing: Theme.px(32)

            Rectangle {
                anchors.horizontalCenter: parent.horizontalCenter
                width: Theme.px(220); height: width; radius: width / 2
                color: Theme.primarySoft
                border.width: Theme.px(8)
                border.color: Theme.primary
                KText {
                    objectName: "idleCountdown"
                    anchors.centerIn: parent
                    text: overlay.secondsLeft
                    color: Theme.primary
                    font.pixelSize: Theme.px(110)
                    font.weight: Font.Bold
                }
            }
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("还剩 %1 秒将返回首页").arg(overlay.secondsLeft)
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
            }
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("您有一段时间没有操作了。为保护您的信息，稍后将自动返回首页。")
                color: Theme.textSecondary
            }
            BigButton {
                objectName: "keepUsingButton"
                width: parent.width
                height: Theme.buttonHeight + Theme.px(20)
                fontSize: Theme.fontTitle
                iconName: "check"
                text: qsTr("继续使用")
                onClicked: overlay.keepUsing()
            }
            BigButton {
                width: parent.width
                variant: "secondary"
                iconName: "home"
                text: qsTr("结束并返回首页")
                onClicked: overlay.goHome()
            }
        }
    }
}
