import QtQuick
import KioskUi
import "../../features/rating"

// One of the five levels on the pad: a face and the words, as large as the space given. A row (face beside the
// words) in portrait, a tile (face above them) in landscape. Tapped, it is the rating (a good level) or asks why.
Item {
    id: control
    property int level: 0
    property bool tile: false
    property bool selected: false
    readonly property bool down: area.containsPress
    readonly property RatingWords words: RatingWords {}
    readonly property int faceSize: Math.round(tile ? Math.min(width * 0.5, height - label.height - Theme.px(44), Theme.px(110))
                                                    : Math.min(height * 0.72, Theme.px(84)))
    signal clicked()

    Accessible.role: Accessible.Button
    Accessible.name: words.levelText(level)
    Accessible.onPressAction: if (control.enabled) control.clicked()

    Rectangle {
        anchors.fill: parent
        radius: Theme.radius
        color: control.selected ? (control.down ? Theme.primaryPressed : Theme.primary)
                                : (control.down ? Theme.surfacePressed : Theme.surface)
        border.width: control.selected ? Theme.px(4) : Theme.borderWidth
        border.color: control.selected ? Theme.primaryPressed : Theme.fieldBorder  // the edge marks a choice: ≥ 3:1
    }

    Rectangle {
        id: face
        width: control.faceSize + Theme.px(10)
        height: width
        radius: width / 2
        color: Theme.surface
        x: control.tile ? (control.width - width) / 2 : Theme.px(28)
        y: control.tile ? (control.height - height - label.height - Theme.px(10)) / 2 : (control.height - height) / 2
        Icon {
            anchors.centerIn: parent
            name: "face-level-" + control.level
            color: control.words.levelColor(control.level)
            size: control.faceSize
        }
    }
    KText {
        id: label
        x: control.tile ? Theme.px(8) : face.x + face.width + Theme.px(28)
        y: control.tile ? face.y + face.height + Theme.px(10) : (control.height - height) / 2
        width: control.tile ? control.width - Theme.px(16) : control.width - x - Theme.px(16)
        horizontalAlignment: control.tile ? Text.AlignHCenter : Text.AlignLeft
        text: control.words.levelText(control.level)
        color: control.selected ? Theme.textOnPrimary : Theme.text
        // The same size on every tile: five characters (非常不满意) to a tile's width.
        font.pixelSize: control.tile ? Math.min(Theme.fontTitle, Math.floor((control.width - Theme.px(16)) / 5))
                                     : Math.min(Theme.fontTitle, Math.floor(control.height / 2))
        font.weight: Font.Bold
    }

    MouseArea {
        id: area
        anchors.fill: parent
        enabled: control.enabled
        onClicked: control.clicked()
    }
}
