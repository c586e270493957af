import QtQuick
import KioskUi
import "style.js" as S

// The current call, large enough to read from 10 m: the ticket's number is at least 12% of the screen's height
// (tests/test_display.py measures the drawn glyphs). A new call stands out for a few seconds (a lighter panel and
// a bright edge), then the panel is calm again; a recall says so.
Rectangle {
    id: panel
    objectName: "displayCall"
    property var board: null
    property real u: 1
    property bool portrait: false
    readonly property bool highlight: board !== null && board.highlight
    // "请 %1 号" / "到 %1 号窗口": the words around the number and the counter, in the screen's language.
    readonly property var numberLine: qsTr("请 %1 号").split("%1")
    readonly property var counterLine: qsTr("到 %1 号窗口").split("%1")
    readonly property real wordSize: Math.round((portrait ? 70 : 76) * u)

    radius: 20 * u
    color: highlight ? S.panelHighlight : S.panel
    border.width: Math.round(6 * u)
    border.color: highlight ? S.number : S.panel
    Behavior on color { ColorAnimation { duration: 600 } }
    Behavior on border.color { ColorAnimation { duration: 600 } }

    Text {
        id: heading
        objectName: "callHeading"
        anchors { top: parent.top; topMargin: 28 * panel.u; horizontalCenter: parent.horizontalCenter }
        color: S.textDim
        font.pixelSize: Math.round(40 * panel.u)
        text: panel.board && panel.board.currentRecall ? qsTr("再次呼叫") : qsTr("正在呼叫")
        visible: panel.board !== null && panel.board.hasCall
    }

    // The number and the counter, each line placed by its baseline (the digits' drawn height is about 0.73 of the
    // font size): the number 0.28 of the screen's height in landscape, 0.17 in portrait, so its digits are about
    // 20% and 12.4% of the screen high. A number too long for the panel gets a smaller size only down to what fits;
    // the words beside it shrink first, and go when even then there is no room (the line below still says where).
    Item {
        id: call
        anchors.fill: parent
        visible: panel.board !== null && panel.board.hasCall
        readonly property real margin: 36 * panel.u
        readonly property real avail: width - 2 * margin
        readonly property real numberTarget: Math.round((panel.portrait ? 326 : 302) * panel.u)
        readonly property real numberSize: Math.min(numberTarget,
            Math.floor(numberTarget * avail / Math.max(1, numberAtTarget.advanceWidth)))
        readonly property real counterSize: Math.round(190 * panel.u)
        readonly property real wordRoom: avail - numberAtTarget.advanceWidth * numberSize / numberTarget - 2 * 16 * panel.u
        readonly property real wordScale: Math.min(1, wordRoom / Math.max(1, wordsAtBase.advanceWidth))
        readonly property bool wordsShown: wordScale >= 0.45
        readonly property real blockTop: heading.y + heading.height + 20 * panel.u
        readonly property real block: numberSize * 0.73 + 72 * panel.u + counterSize * 0.73 + 84 * panel.u
        readonly property real numberBaseline: blockTop
            + Math.max(0, (panel.height - blockTop - 24 * panel.u - block) / 2) + numberSize * 0.73
        readonly property real counterBaseline: numberBaseline + 72 * panel.u + counterSize * 0.73
        readonly property real serviceBaseline: counterBaseline + 76 * panel.u

        TextMetrics { id: numberAtTarget; font.family: number.font.family; font.weight: Font.Bold
                      font.pixelSize: call.numberTarget; text: number.text }
        TextMetrics { id: wordsAtBase; font.family: number.font.family; font.pixelSize: panel.wordSize
                      text: panel.numberLine.join("").trim() }

        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            y: call.numberBaseline - number.baselineOffset
            spacing: 16 * panel.u
            Text {
                anchors.baseline: number.baseline
                color: S.text
                font.pixelSize: Math.round(panel.wordSize * call.wordScale)
                text: panel.numberLine[0].trim()
                visible: call.wordsShown && text.length > 0
            }
            Text {
                id: number
                objectName: "currentNumber"
                color: S.number
                font.pixelSize: call.numberSize
                font.weight: Font.Bold
                text: panel.board ? panel.board.currentNumber : ""
            }
            Text {
                anchors.baseline: number.baseline
                color: S.text
                font.pixelSize: Math.round(panel.wordSize * call.wordScale)
                text: panel.numberLine.length > 1 ? panel.numberLine[1].trim() : ""
                visible: call.wordsShown && text.length > 0
            }
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            y: call.counterBaseline - counter.baselineOffset
            spacing: 16 * panel.u
            Text {
                anchors.baseline: counter.baseline
                color: S.text
                font.pixelSize: panel.wordSize
                text: panel.counterLine[0].trim()
                visible: text.length > 0
            }
            Text {
                id: counter
                objectName: "currentCounter"
                color: S.text
                font.pixelSize: call.counterSize
                font.weight: Font.Bold
                text: panel.board ? String(panel.board.currentCounter) : ""
            }
            Text {
                anchors.baseline: counter.baseline
                color: S.text
                font.pixelSize: panel.wordSize
                text: panel.counterLine.length > 1 ? panel.counterLine[1].trim() : ""
                visible: text.length > 0
            }
        }
        Text {
            objectName: "currentService"
            anchors.horizontalCenter: parent.horizontalCenter
            y: call.serviceBaseline - baselineOffset
            color: S.textDim
            font.pixelSize: Math.round(40 * panel.u)
            text: panel.board ? panel.board.currentService : ""
        }
    }

    // Nobody called yet today.
    Column {
        objectName: "noCall"
        visible: panel.board !== null && !panel.board.hasCall
        anchors.centerIn: parent
        width: parent.width - 96 * panel.u
        spacing: 28 * panel.u
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: S.text
            font.pixelSize: Math.round(80 * panel.u)
            font.weight: Font.Bold
            text: qsTr("暂无叫号")
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: S.textDim
            font.pixelSize: Math.round(42 * panel.u)
            wrapMode: Text.Wrap
            lineHeight: Theme.lineHeight
            text: qsTr("取号后请留意屏幕和语音叫号")
        }
    }
}
