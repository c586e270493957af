import QtQuick
import "style.js" as S

// The calls before the current one, latest first, each ticket once: as many as fit.
Item {
    id: recent
    objectName: "recentCalls"
    property var board: null
    property real u: 1
    readonly property real rowHeight: Math.round(74 * u)
    readonly property int rows: Math.max(0, Math.floor((height - heading.height - 12 * u) / rowHeight))
    readonly property var calls: board ? board.recentCalls.slice(0, rows) : []

    Text {
        id: heading
        color: S.textDim
        font.pixelSize: Math.round(40 * recent.u)
        font.weight: Font.Bold
        text: qsTr("最近呼叫")
    }
    Column {
        anchors { left: parent.left; right: parent.right; top: heading.bottom; topMargin: 12 * recent.u }
        Repeater {
            model: recent.calls
            delegate: Item {
                required property var modelData
                required property int index
                width: parent.width
                height: recent.rowHeight
                Rectangle {
                    anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                    height: Math.max(1, Math.round(2 * recent.u))
                    color: S.divider
                }
                Text {
                    objectName: "recentNumber"
                    anchors { left: parent.left; verticalCenter: parent.verticalCenter }
                    width: parent.width * 0.32
                    color: S.number
                    font.pixelSize: Math.round(54 * recent.u)
                    font.weight: Font.Bold
                    text: modelData.number
                }
                Text {
                    anchors { left: parent.left; leftMargin: parent.width * 0.32; verticalCenter: parent.verticalCenter }
                    width: parent.width * 0.34
                    color: S.text
                    font.pixelSize: Math.round(44 * recent.u)
                    text: qsTr("%1号窗口").arg(modelData.counter)
                }
                Text {
                    anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                    width: parent.width * 0.34
                    horizontalAlignment: Text.AlignRight
                    color: S.textDim
                    font.pixelSize: Math.round(34 * recent.u)
                    elide: Text.ElideRight
                    text: modelData.service
                }
            }
        }
    }
    Text {
        visible: recent.board !== null && recent.board.recentCalls.length === 0
        anchors { left: parent.left; top: heading.bottom; topMargin: 24 * recent.u }
        color: S.textDim
        font.pixelSize: Math.round(36 * recent.u)
        text: qsTr("今天还没有更早的呼叫")
    }
}
