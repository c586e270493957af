import QtQuick

// A large tile on the home screen: icon, name of the way in, one line saying what is behind it.
// Plain Qt Quick (no Controls), like BigButton: the tiles are the home screen's first frame.
Item {
    id: tile
    property string text: ""
    property string iconName: ""
    property string description: ""
    readonly property bool pressed: area.containsPress
    readonly property bool down: pressed
    signal clicked()

    // What the content needs; the home screen makes its tiles at least this tall, so long words never overflow.
    implicitHeight: content.implicitHeight + Theme.px(40)

    Accessible.role: Accessible.Button
    Accessible.name: text
    Accessible.description: description
    Accessible.onPressAction: if (tile.enabled) tile.clicked()

    Rectangle {
        anchors.fill: parent
        radius: Theme.radius * 1.5
        color: tile.down ? Theme.surfacePressed : Theme.surface
        border.width: Theme.borderWidth
        border.color: tile.down ? Theme.primary : Theme.divider
    }

    Column {
        id: content
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: Theme.px(28); rightMargin: Theme.px(28) }
        spacing: Theme.px(12)
        Rectangle {
            width: Theme.px(Theme.landscape ? (Theme.elder ? 88 : 84) : (Theme.elder ? 100 : 96)); height: width
            radius: width / 2
            color: Theme.primary
            anchors.horizontalCenter: parent.horizontalCenter
            Icon { anchors.centerIn: parent; name: tile.iconName; color: Theme.textOnPrimary; size: parent.width * 0.56 }
        }
        KText {
            width: parent.width
            text: tile.text
            font.pixelSize: Theme.landscape ? Theme.fontHeading : Theme.fontTitle
            font.weight: Font.Bold
            horizontalAlignment: Text.AlignHCenter
        }
        KText {
            width: parent.width
            text: tile.description
            visible: text !== ""
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            horizontalAlignment: Text.AlignHCenter
        }
    }

    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: tile.clicked()
    }
}
