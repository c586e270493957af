import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// A reason for a bad rating: a large check box and its words; tapping anywhere on it ticks or unticks it.
AbstractButton {
    id: control
    property bool ticked: false

    focusPolicy: Qt.NoFocus
    implicitHeight: Math.max(Theme.buttonHeight, label.implicitHeight + Theme.px(24))
    Accessible.role: Accessible.CheckBox
    Accessible.name: text
    Accessible.checked: ticked

    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Theme.surfacePressed : control.ticked ? Theme.primarySoft : Theme.surface
        border.width: control.ticked ? Theme.px(4) : Theme.borderWidth
        border.color: control.ticked ? Theme.primary : Theme.border
    }

    contentItem: Item {
        Rectangle {
            id: box
            anchors { left: parent.left; leftMargin: Theme.px(20); verticalCenter: parent.verticalCenter }
            width: Theme.px(Theme.elder ? 52 : 46)
            height: width
            radius: Theme.px(8)
            color: control.ticked ? Theme.primary : Theme.surface
            border.width: Theme.px(3)
            border.color: control.ticked ? Theme.primary : Theme.textSecondary
            Icon { anchors.centerIn: parent; visible: control.ticked; name: "check"; color: Theme.textOnPrimary; size: parent.width - Theme.px(8) }
        }
        KText {
            id: label
            anchors { left: box.right; leftMargin: Theme.px(18); right: parent.right; rightMargin: Theme.px(16)
                      verticalCenter: parent.verticalCenter }
            text: control.text
            wrapMode: Text.Wrap
            color: control.ticked ? Theme.textOnSoft : Theme.text
            font.pixelSize: Theme.fontBody
            font.weight: control.ticked ? Font.Bold : Font.Normal
        }
    }
}
