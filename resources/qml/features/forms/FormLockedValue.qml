import QtQuick
import KioskUi

// An answer taken from the citizen's card that the form does not let them change: shown, not editable, and
// masked where it is personal (陈*英, 441************621): the screen is public, the printout has it whole.
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
    readonly property string shown: field ? (field.maskedText !== "" ? field.maskedText : field.displayText) : ""
    Accessible.name: (field ? field.label + " " + shown + " " : "") + qsTr("来自身份证")

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
            objectName: "formLockedText_" + (box.field ? box.field.key : "")
            text: box.shown
            font.pixelSize: Theme.fontBody + Theme.px(4)
            font.weight: Font.Medium
            wrapMode: Text.WrapAnywhere
        }
        KText {
            id: note
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("来自身份证")
            color: Theme.textOnSoft
            font.pixelSize: Theme.fontSecondary
        }
    }
}
