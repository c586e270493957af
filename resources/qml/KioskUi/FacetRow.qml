import QtQuick
import QtQuick.Controls.Basic

// One department, category or theme: its name and how many items it holds.
AbstractButton {
    id: row
    property string label
    property int count
    property bool card: false   // a bordered card (grid cells in landscape) instead of a divided row
    focusPolicy: Qt.NoFocus
    implicitHeight: Math.max(Theme.rowHeight, name.implicitHeight + Theme.px(36))
    Accessible.role: Accessible.Button
    Accessible.name: label

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
        KText {
            id: name
            anchors { left: parent.left; right: countBox.left; verticalCenter: parent.verticalCenter
                      leftMargin: row.card ? Theme.px(28) : Theme.margin; rightMargin: Theme.px(16) }
            text: row.label
            font.pixelSize: Theme.fontBody + Theme.px(2)
            font.weight: Font.Medium
        }
        Row {
            id: countBox
            anchors { right: parent.right; rightMargin: row.card ? Theme.px(20) : Theme.margin - Theme.px(8); verticalCenter: parent.verticalCenter }
            spacing: Theme.px(10)
            KText {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("%1 项").arg(row.count)
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
            }
            Icon { anchors.verticalCenter: parent.verticalCenter; name: "chevron-right"; color: Theme.primary; size: Theme.px(40) }
        }
    }
}
