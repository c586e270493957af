import QtQuick
import KioskUi

// A take or a check-in on its way (a few seconds at most: then the screen says what happened). The screen under
// it takes no taps meanwhile, so one tap gives one ticket.
Rectangle {
    id: busy
    property string text: ""
    color: "#99EEF2F7"

    MouseArea { anchors.fill: parent; hoverEnabled: true }  // taps stop here

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.margin * 2, row.implicitWidth + Theme.px(96))
        height: row.implicitHeight + Theme.px(80)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.borderWidth
        border.color: Theme.divider
        Row {
            id: row
            anchors.centerIn: parent
            spacing: Theme.px(24)
            Icon {
                id: glyph
                name: "refresh"
                color: Theme.primary
                size: Theme.px(64)
                anchors.verticalCenter: parent.verticalCenter
                RotationAnimator on rotation {
                    from: 0; to: 360; duration: 1200
                    loops: Animation.Infinite
                    running: busy.visible
                }
            }
            KText {
                objectName: "queueBusyText"
                anchors.verticalCenter: parent.verticalCenter
                text: busy.text
                font.pixelSize: Theme.fontHeading
                font.weight: Font.Bold
            }
        }
    }
}
