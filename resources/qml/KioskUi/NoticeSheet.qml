import QtQuick

// The whole text of the center's notices, over the screen: every notice showing now (warnings first), in large
// type, scrolling when long; it opens at the notice that was tapped. 关闭 (or a tap beside the card) closes it.
Rectangle {
    id: sheet
    objectName: "noticeSheet"
    property var feed: null
    readonly property var notices: feed ? feed.notices : []
    signal closed()

    color: Theme.scrim
    MouseArea { anchors.fill: parent; onClicked: sheet.closed() }  // beside the card: close; nothing beneath reacts

    function scrollToOpened() {
        for (var i = 0; i < list.count; ++i) {
            var entry = list.itemAt(i)
            if (entry && sheet.notices[i].key === sheet.feed.opened) {
                flick.contentY = Math.max(0, Math.min(entry.y, flick.contentHeight - flick.height))
                return
            }
        }
    }
    Component.onCompleted: Qt.callLater(scrollToOpened)

    Rectangle {
        id: card
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.margin * 2, Theme.px(Theme.landscape ? 1300 : 980))
        height: Math.min(parent.height - Theme.margin * 4, heading.implicitHeight + flick.contentHeight + closeButton.height
                                                            + Theme.px(120) + Theme.spacing * 2)
        radius: Theme.radius * 1.5
        color: Theme.surface
        MouseArea { anchors.fill: parent }  // a tap on the card is not a tap beside it

        KText {
            id: heading
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(40) }
            font.pixelSize: Theme.fontTitle
            font.weight: Font.Bold
            text: qsTr("通知公告")
        }

        Flickable {
            id: flick
            objectName: "noticeSheetText"
            anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: closeButton.top
                      leftMargin: Theme.px(40); rightMargin: Theme.px(40); topMargin: Theme.spacing
                      bottomMargin: Theme.spacing }
            clip: true
            contentHeight: column.implicitHeight
            boundsBehavior: Flickable.StopAtBounds

            Column {
                id: column
                width: flick.width
                spacing: Theme.spacing * 1.5
                Repeater {
                    id: list
                    model: sheet.notices
                    delegate: Column {
                        width: column.width
                        spacing: Theme.smallSpacing
                        readonly property bool warning: modelData.level === "warning"
                        Row {
                            width: parent.width
                            spacing: Theme.px(14)
                            Rectangle {
                                id: badge
                                anchors.verticalCenter: parent.verticalCenter
                                width: badgeText.implicitWidth + Theme.px(24)
                                height: badgeText.implicitHeight + Theme.px(8)
                                radius: Theme.px(8)
                                color: warning ? Theme.warningSurface : Theme.primarySoft
                                border.width: Theme.borderWidth
                                border.color: warning ? Theme.warningText : Theme.border
                                KText {
                                    id: badgeText
                                    anchors.centerIn: parent
                                    color: warning ? Theme.warningText : Theme.textOnSoft
                                    font.pixelSize: Theme.fontSecondary
                                    font.weight: Font.Bold
                                    text: warning ? qsTr("重要通知") : qsTr("通知")
                                }
                            }
                            KText {
                                width: parent.width - badge.width - parent.spacing
                                anchors.verticalCenter: parent.verticalCenter
                                font.pixelSize: Theme.fontHeading
                                font.weight: Font.Bold
                                text: Theme.keepTail(modelData.title)
                            }
                        }
                        KText {
                            width: parent.width
                            text: Theme.keepTail(modelData.body)
                        }
                        Rectangle {
                            visible: index < sheet.notices.length - 1
                            width: parent.width; height: Theme.borderWidth; color: Theme.divider
                        }
                    }
                }
            }
        }

        BigButton {
            id: closeButton
            objectName: "noticeSheetClose"
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: Theme.px(40) }
            iconName: "close"
            text: qsTr("关闭")
            onClicked: sheet.closed()
        }
    }
}
