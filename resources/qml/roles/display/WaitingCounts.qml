import QtQuick
import "style.js" as S

// How many wait for each service (its number letter, its name, the count), in columns.
Item {
    id: counts
    objectName: "waitingCounts"
    property var board: null
    property real u: 1
    property int columns: 2
    readonly property var services: board ? board.waiting : []
    readonly property int rows: Math.max(1, Math.ceil(services.length / columns))
    readonly property real cellHeight: Math.round(80 * u)
    implicitHeight: heading.height + 12 * u + rows * cellHeight

    Text {
        id: heading
        color: S.textDim
        font.pixelSize: Math.round(40 * counts.u)
        font.weight: Font.Bold
        text: counts.board ? qsTr("等候人数（共 %1 人）").arg(counts.board.waitingTotal) : qsTr("等候人数")
    }
    Grid {
        anchors { left: parent.left; right: parent.right; top: heading.bottom; topMargin: 12 * counts.u }
        columns: counts.columns
        columnSpacing: 24 * counts.u
        Repeater {
            model: counts.services
            delegate: Item {
                required property var modelData
                width: (counts.width - (counts.columns - 1) * 24 * counts.u) / counts.columns
                height: counts.cellHeight
                Rectangle {
                    id: letter
                    anchors { left: parent.left; verticalCenter: parent.verticalCenter }
                    width: Math.round(56 * counts.u); height: width
                    radius: 10 * counts.u
                    color: S.divider
                    Text {
                        anchors.centerIn: parent
                        color: S.text
                        font.pixelSize: Math.round(36 * counts.u)
                        font.weight: Font.Bold
                        text: modelData.prefix
                    }
                }
                Text {
                    anchors { left: letter.right; leftMargin: 16 * counts.u; right: count.left; rightMargin: 12 * counts.u
                              verticalCenter: parent.verticalCenter }
                    color: S.text
                    font.pixelSize: Math.round(38 * counts.u)
                    elide: Text.ElideRight
                    text: modelData.name
                }
                Text {
                    id: count
                    objectName: "waitingCount_" + modelData.code
                    anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                    color: S.number
                    font.pixelSize: Math.round(44 * counts.u)
                    font.weight: Font.Bold
                    text: qsTr("%1 人").arg(modelData.waiting)
                }
            }
        }
    }
}
