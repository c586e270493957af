import QtQuick
import KioskUi

// One action of the counter: its name and its key (F1 …), both on the button. A click does what the key does.
// `available` only dims it (the action does not fit now); a click still goes through and the counter says why.
Item {
    id: control
    property string text: ""
    property string keyName: ""
    property bool available: true
    property bool strong: false       // the actions used most (叫号, 办结): filled
    signal clicked()
    readonly property bool down: area.containsPress

    implicitHeight: Theme.px(112)
    Accessible.role: Accessible.Button
    Accessible.name: text + " " + keyName
    Accessible.onPressAction: control.clicked()

    Rectangle {
        anchors.fill: parent
        radius: Theme.radius
        color: !control.available ? Theme.divider
             : control.strong ? (control.down ? Theme.primaryPressed : Theme.primary)
             : (control.down ? Theme.surfacePressed : Theme.surface)
        border.width: control.strong && control.available ? 0 : Theme.borderWidth
        border.color: control.available ? Theme.primary : Theme.border
    }
    Column {
        anchors.centerIn: parent
        width: parent.width - Theme.px(16)
        spacing: Theme.px(2)
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: control.text
            font.pixelSize: Theme.px(32)
            font.weight: Font.Medium
            fontSizeMode: Text.HorizontalFit   // a long English word shrinks a little rather than being cut
            minimumPixelSize: Theme.px(22)
            elide: Text.ElideRight
            wrapMode: Text.NoWrap
            color: !control.available ? Theme.textDisabled
                 : control.strong ? Theme.textOnPrimary : Theme.textOnSoft
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: control.keyName
            font.pixelSize: Theme.px(24)
            font.weight: Font.Bold
            color: !control.available ? Theme.textDisabled
                 : control.strong ? "#DCE8F8" : Theme.textSecondary
        }
    }
    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: control.clicked()
    }
}
