import QtQuick
import QtQuick.Controls.Basic

// One service item in a list: its name in full (wrapped, never cut), then the department and how it is handled.
AbstractButton {
    id: row
    property string name
    property string detail
    property string tag
    property bool card: false   // a bordered card (grid cells in landscape) instead of a divided row
    focusPolicy: Qt.NoFocus
    implicitHeight: Math.max(Theme.rowHeight, column.implicitHeight + Theme.px(40))
    Accessible.role: Accessible.Button
    Accessible.name: name

    background: Rectangle {
        color: row.down ? Theme.surfacePressed : Theme.surface
        radius: row.card ? Theme.radius : 0
        border.width: row.card ? Theme.borderWidth : 0
        border.color: Theme.divider
        Rectangle {
            visible: !row.card
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            height: Theme.borderWidth
            color: Theme.divider
        }
    }

    contentItem: Item {
        Column {
            id: column
            anchors { left: parent.left; right: chevron.left; verticalCenter: parent.verticalCenter
                      leftMargin: row.card ? Theme.px(28) : Theme.margin; rightMargin: Theme.px(16) }
            spacing: Theme.px(8)
            KText {
                width: parent.width
                text: row.name
                font.weight: Font.Medium
            }
            Row {
                width: parent.width
                spacing: Theme.px(14)
                Rectangle {
                    visible: row.tag !== ""
                    anchors.verticalCenter: parent.verticalCenter
                    radius: Theme.px(8)
                    color: Theme.primarySoft
                    width: tagText.implicitWidth + Theme.px(20)
                    height: tagText.implicitHeight + Theme.px(4)
                    KText {
                        id: tagText
                        anchors.centerIn: parent
                        text: row.tag
                        color: Theme.textOnSoft
                        font.pixelSize: Theme.fontSecondary - Theme.px(2)
                    }
                }
                KText {
                    width: parent.width - (row.tag !== "" ? tagText.implicitWidth + Theme.px(34) : 0)
                    text: row.detail
                    visible: text !== ""
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSecondary
                }
            }
        }
        Icon {
            id: chevron
            anchors { right: parent.right; rightMargin: row.card ? Theme.px(20) : Theme.margin - Theme.px(8); verticalCenter: parent.verticalCenter }
            name: "chevron-right"
            color: Theme.primary
            size: Theme.px(40)
        }
    }
}
