import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// One of the five levels: a face and the words, very large. The chosen one is filled and carries a check mark
// and 已选择, so the choice never rests on colour alone.
AbstractButton {
    id: control
    property int level: 0
    property bool selected: false
    property bool tile: false   // face above the words (a row of five); else face beside the words (a column)
    readonly property RatingWords words: RatingWords {}
    readonly property color ink: selected ? Theme.textOnPrimary : Theme.text
    readonly property int faceSize: Theme.px(tile ? (Theme.elder ? 96 : 84) : (Theme.elder ? 84 : 72))

    focusPolicy: Qt.NoFocus
    implicitHeight: tile ? Math.max(Theme.px(Theme.elder ? 220 : 190), tileContent.implicitHeight + Theme.px(48))
                         : Math.max(Theme.buttonHeight + Theme.px(20), rowContent.implicitHeight + Theme.px(24))
    Accessible.role: Accessible.Button
    Accessible.name: words.levelText(level)
    text: words.levelText(level)

    background: Rectangle {
        radius: Theme.radius
        color: control.selected ? (control.down ? Theme.primaryPressed : Theme.primary)
                                : (control.down ? Theme.surfacePressed : Theme.surface)
        border.width: control.selected ? Theme.px(4) : Theme.borderWidth
        border.color: control.selected ? Theme.primaryPressed : Theme.fieldBorder  // the edge marks the choice: ≥ 3:1
    }

    contentItem: Item {
        Column {
            id: tileContent
            visible: control.tile
            anchors.centerIn: parent
            width: parent.width
            spacing: Theme.px(12)
            Rectangle {
                anchors.horizontalCenter: parent.horizontalCenter
                width: control.faceSize + Theme.px(16)
                height: width
                radius: width / 2
                color: Theme.surface
                Icon {
                    anchors.centerIn: parent
                    name: "face-level-" + control.level
                    color: control.words.levelColor(control.level)
                    size: control.faceSize
                }
            }
            KText {
                width: parent.width - Theme.px(12)
                anchors.horizontalCenter: parent.horizontalCenter
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: control.text
                color: control.ink
                font.pixelSize: Theme.fontButton
                font.weight: Font.Bold
            }
        }
        // Chosen: a tick and 已选择 in the corner, so the choice never rests on the fill colour alone.
        Row {
            visible: control.tile && control.selected
            anchors { right: parent.right; top: parent.top; rightMargin: Theme.px(14); topMargin: Theme.px(10) }
            spacing: Theme.px(4)
            Icon { name: "check"; color: control.ink; size: Theme.px(30); anchors.verticalCenter: parent.verticalCenter }
            KText {
                text: qsTr("已选择")
                color: control.ink
                font.pixelSize: Theme.fontSecondary
                anchors.verticalCenter: parent.verticalCenter
            }
        }
        Item {
            id: rowContent
            visible: !control.tile
            anchors.fill: parent
            implicitHeight: Math.max(face.height, rowLabel.implicitHeight)
            Rectangle {
                id: face
                anchors { left: parent.left; leftMargin: Theme.px(24); verticalCenter: parent.verticalCenter }
                width: control.faceSize + Theme.px(12)
                height: width
                radius: width / 2
                color: Theme.surface
                Icon {
                    anchors.centerIn: parent
                    name: "face-level-" + control.level
                    color: control.words.levelColor(control.level)
                    size: control.faceSize
                }
            }
            KText {
                id: rowLabel
                anchors { left: face.right; leftMargin: Theme.px(24); right: mark.left; rightMargin: Theme.px(12)
                          verticalCenter: parent.verticalCenter }
                wrapMode: Text.Wrap
                text: control.text
                color: control.ink
                font.pixelSize: Theme.fontButton + Theme.px(4)
                font.weight: Font.Bold
            }
            Row {
                id: mark
                anchors { right: parent.right; rightMargin: Theme.px(28); verticalCenter: parent.verticalCenter }
                spacing: Theme.px(8)
                visible: control.selected
                Icon { name: "check"; color: control.ink; size: Theme.px(40); anchors.verticalCenter: parent.verticalCenter }
                KText {
                    text: qsTr("已选择")
                    color: control.ink
                    font.pixelSize: Theme.fontBody
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
        }
    }
}
