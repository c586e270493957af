import QtQuick
import KioskUi

// A reason for a bad rating on the pad: a large check box and its words, which shrink a little rather than
// leave the box when the space is short (elder mode in portrait); tapping anywhere on it ticks or unticks it.
Item {
    id: control
    property string text: ""
    property bool ticked: false
    readonly property bool down: area.containsPress
    signal clicked()

    Accessible.role: Accessible.CheckBox
    Accessible.name: text
    Accessible.checked: ticked
    Accessible.onToggleAction: if (control.enabled) control.clicked()

    Rectangle {
        anchors.fill: parent
        radius: Theme.radius
        color: control.down ? Theme.surfacePressed : control.ticked ? Theme.primarySoft : Theme.surface
        border.width: control.ticked ? Theme.px(4) : Theme.borderWidth
        border.color: control.ticked ? Theme.primary : Theme.fieldBorder
    }
    Rectangle {
        id: box
        anchors { left: parent.left; leftMargin: Theme.px(18); verticalCenter: parent.verticalCenter }
        width: Theme.px(Theme.elder ? 50 : 44)
        height: width
        radius: Theme.px(8)
        color: control.ticked ? Theme.primary : Theme.surface
        border.width: Theme.px(3)
        border.color: control.ticked ? Theme.primary : Theme.textSecondary
        Icon { anchors.centerIn: parent; visible: control.ticked; name: "check"; color: Theme.textOnPrimary; size: parent.width - Theme.px(8) }
    }
    KText {
        anchors { left: box.right; leftMargin: Theme.px(14); right: parent.right; rightMargin: Theme.px(12)
                  top: parent.top; bottom: parent.bottom; topMargin: Theme.px(6); bottomMargin: Theme.px(6) }
        text: Theme.keepTail(control.text)
        color: control.ticked ? Theme.textOnSoft : Theme.text
        font.pixelSize: Theme.fontBody
        fontSizeMode: Text.Fit
        minimumPixelSize: Math.round(Theme.fontBody * 0.55)
        font.weight: control.ticked ? Font.Bold : Font.Normal
    }
    MouseArea {
        id: area
        anchors.fill: parent
        enabled: control.enabled
        onClicked: control.clicked()
    }
}
