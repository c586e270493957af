import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// One score of an indicator: a small face and the level's words; the chosen one is filled and ticked.
AbstractButton {
    id: control
    property int level: 0
    property bool selected: false
    readonly property RatingWords words: RatingWords {}
    readonly property color ink: selected ? Theme.textOnPrimary : Theme.text

    focusPolicy: Qt.NoFocus
    implicitHeight: Math.max(Theme.buttonHeight + Theme.px(16), content.implicitHeight + Theme.px(20))
    text: words.levelText(level)
    Accessible.role: Accessible.Button
    Accessible.name: text

    background: Rectangle {
        radius: Theme.radius
        color: control.selected ? (control.down ? Theme.primaryPressed : Theme.primary)
                                : (control.down ? Theme.surfacePressed : Theme.surface)
        border.width: control.selected ? Theme.px(4) : Theme.borderWidth
        border.color: control.selected ? Theme.primaryPressed : Theme.fieldBorder  // the edge marks the choice: ≥ 3:1
    }

    contentItem: Item {
        Column {
            id: content
            anchors.centerIn: parent
            width: parent.width
            spacing: Theme.px(4)
            Item {
                anchors.horizontalCenter: parent.horizontalCenter
                width: face.width
                height: face.height
                Rectangle {
                    anchors.fill: parent
                    anchors.margins: -Theme.px(4)
                    radius: width / 2
                    color: Theme.surface
                }
                Icon {
                    id: face
                    name: "face-level-" + control.level
                    color: control.words.levelColor(control.level)
                    size: Theme.px(Theme.elder ? 48 : 42)
                }
                Rectangle {
                    // The tick says "chosen" without relying on the fill colour.
                    visible: control.selected
                    anchors { right: parent.right; top: parent.top; rightMargin: -Theme.px(20); topMargin: -Theme.px(8) }
                    width: Theme.px(30); height: width; radius: width / 2
                    color: Theme.surface
                    Icon { anchors.centerIn: parent; name: "check"; color: Theme.primary; size: Theme.px(24) }
                }
            }
            KText {
                width: parent.width - Theme.px(8)
                anchors.horizontalCenter: parent.horizontalCenter
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: control.text
                color: control.ink
                font.pixelSize: Theme.fontSecondary
                font.weight: control.selected ? Font.Bold : Font.Normal
            }
        }
    }
}
