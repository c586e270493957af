import QtQuick
import KioskUi

// What every dialog of the counter shares: the dimmed window behind, a card with a title, the counter's message
// at the bottom (a typing mistake is said here, the dialog stays), Esc and 取消 to close it. The dialog's own
// content goes in its body; it has the keyboard while it is open.
FocusScope {
    id: frame
    required property var desk
    property string title: ""
    property real cardWidth: Theme.px(1100)
    default property alias body: content.data
    anchors.fill: parent
    focus: true

    Keys.onEscapePressed: desk.closeDialog()

    Rectangle { anchors.fill: parent; color: Theme.scrim }
    MouseArea { anchors.fill: parent }  // nothing behind the dialog takes a click

    Rectangle {
        id: card
        objectName: "dialogCard"
        anchors.centerIn: parent
        width: Math.min(frame.width - Theme.px(48), frame.cardWidth)
        height: Math.min(frame.height - Theme.px(48), column.implicitHeight + Theme.px(64))
        radius: Theme.radius
        color: Theme.surface
        Column {
            id: column
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(32) }
            spacing: Theme.px(18)
            KText {
                objectName: "dialogTitle"
                width: parent.width
                text: frame.title
                font.pixelSize: Theme.px(42)
                font.weight: Font.Bold
            }
            Item {
                id: content
                width: parent.width
                implicitHeight: childrenRect.height
                height: implicitHeight
            }
            KText {
                objectName: "dialogMessage"
                width: parent.width
                visible: frame.desk.message !== "" && frame.desk.messageKind === "refused"
                text: frame.desk.message
                color: Theme.errorText
                font.pixelSize: Theme.px(28)
            }
        }
    }
}
