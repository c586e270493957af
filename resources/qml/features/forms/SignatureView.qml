import QtQuick
import KioskUi

// A given signature drawn small (the review): the strokes fitted into the box, keeping their proportions.
Rectangle {
    id: view
    property var strokes: []
    color: "white"
    radius: Theme.px(8)
    border.width: Theme.borderWidth
    border.color: Theme.divider
    onStrokesChanged: canvas.requestPaint()
    onWidthChanged: canvas.requestPaint()
    onHeightChanged: canvas.requestPaint()

    Canvas {
        id: canvas
        anchors { fill: parent; margins: Theme.px(12) }
        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            const s = view.strokes
            let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
            for (let i = 0; i < s.length; ++i)
                for (let j = 0; j < s[i].length; ++j) {
                    minX = Math.min(minX, s[i][j][0]); maxX = Math.max(maxX, s[i][j][0])
                    minY = Math.min(minY, s[i][j][1]); maxY = Math.max(maxY, s[i][j][1])
                }
            if (minX === Infinity) return
            const scale = Math.min(width / Math.max(1, maxX - minX), height / Math.max(1, maxY - minY), 1)
            const dx = (width - (maxX - minX) * scale) / 2, dy = (height - (maxY - minY) * scale) / 2
            ctx.lineWidth = Math.max(2, Theme.px(4))
            ctx.lineCap = "round"
            ctx.lineJoin = "round"
            ctx.strokeStyle = "#111111"
            for (let i = 0; i < s.length; ++i) {
                ctx.beginPath()
                ctx.moveTo(dx + (s[i][0][0] - minX) * scale, dy + (s[i][0][1] - minY) * scale)
                for (let j = 1; j < s[i].length; ++j)
                    ctx.lineTo(dx + (s[i][j][0] - minX) * scale, dy + (s[i][j][1] - minY) * scale)
                ctx.stroke()
            }
        }
    }
}
