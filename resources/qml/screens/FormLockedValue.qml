import QtQuick
import KioskUi

// An answer taken from the citizen's card that the form does not let them change: shown, not editable.
Rectangle {
    id: box
    property var field
    objectName: "formLocked_" + (field ? field.key : "")
    implicitHeight: Math.max(Theme.buttonHeight, content.implicitHeight + Theme.px(28))
    radius: Theme.radius
    color: Theme.primarySoft
    border.width: Theme.borderWidth
    border.color: Theme.border
    Accessible.role: Accessible.StaticText
    Accessible.name: (field ? field.label + " " + field.displayText + " " : "") + qsTr("来自身份证")

    Row {
        id: content
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: Theme.px(24); rightMargin: Theme.px(24) }
        spacing: Theme.px(16)
        Icon { id: lockIcon; name: "lock"; color: Theme.textOnSoft; size: Theme.px(44); anchors.verticalCenter: parent.verticalCenter }
        KText {
            id: value
            width: parent.width - lockIcon.width - note.width - parent.spacing * 2
            anchors.verticalCenter: parent.verticalCenter
            text: box.field ? box.field.displayText : ""
            font.pixelSize: Theme.fontBody + Theme.px(4)
            font.weight: Font.Medium
            wrapMode: Text.WrapAnywhere
        }
        Text {
            id: note
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("来自身份证")
            color: Theme.textOnSoft
            font.pixelSize: Theme.fontSecondary
        }
    }
}
