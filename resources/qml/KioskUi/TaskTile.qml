import QtQuick

// A transaction on the home screen (办理业务): a wide card with the icon on the left, then the name and one line
// saying what it does. Lower than a HomeTile, so the catalog's ways in and the transactions fit one screen.
Item {
    id: tile
    property string text: ""
    property string iconName: ""
    property string description: ""
    readonly property bool pressed: area.containsPress
    readonly property bool down: pressed
    signal clicked()

    // The line height already leaves air above and below the two lines: little padding is needed.
    implicitHeight: Math.max(Theme.buttonHeight + Theme.px(12), texts.implicitHeight + Theme.px(4))

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

    Rectangle {
        id: badge
        anchors { left: parent.left; leftMargin: Theme.px(24); verticalCenter: parent.verticalCenter }
        width: Theme.px(Theme.elder ? 84 : 76); height: width; radius: width / 2
        color: Theme.primary
        Icon { anchors.centerIn: parent; name: tile.iconName; color: Theme.textOnPrimary; size: parent.width * 0.58 }
    }

    Column {
        id: texts
        anchors { left: badge.right; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: Theme.px(22); rightMargin: Theme.px(20) }
        spacing: 0
        KText {
            width: parent.width
            text: tile.text
            font.pixelSize: Theme.fontHeading
            font.weight: Font.Bold
        }
        KText {
            width: parent.width
            text: tile.description
            visible: text !== ""
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
        }
    }

    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: tile.clicked()
    }
}
