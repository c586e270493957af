import QtQuick
import QtQuick.Controls.Basic

// A large tile on the home screen: icon, name of the way in, one line saying what is behind it.
AbstractButton {
    id: tile
    property string iconName
    property string description
    focusPolicy: Qt.NoFocus
    Accessible.role: Accessible.Button
    Accessible.name: text
    Accessible.description: description

    background: Rectangle {
        radius: Theme.radius * 1.5
        color: tile.down ? Theme.surfacePressed : Theme.surface
        border.width: Theme.borderWidth
        border.color: tile.down ? Theme.primary : Theme.divider
    }

    contentItem: Item {
        Column {
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.px(28); rightMargin: Theme.px(28) }
            spacing: Theme.px(Theme.elder ? 14 : 16)
            Rectangle {
                width: Theme.px(Theme.elder ? 104 : 112); height: width; radius: width / 2
                color: Theme.primary
                anchors.horizontalCenter: parent.horizontalCenter
                Icon { anchors.centerIn: parent; name: tile.iconName; color: Theme.textOnPrimary; size: parent.width * 0.56 }
            }
            KText {
                width: parent.width
                text: tile.text
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
                horizontalAlignment: Text.AlignHCenter
                lineHeight: 1.15
            }
            KText {
                width: parent.width
                text: tile.description
                visible: text !== ""
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
                horizontalAlignment: Text.AlignHCenter
                lineHeight: 1.2
            }
        }
    }
}
