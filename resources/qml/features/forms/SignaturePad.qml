import QtQuick
import KioskUi

// The signature: a white box the citizen signs in with a finger (thick dark ink), and 重写 to start again.
// Each stroke is handed on when the finger lifts, as points in the box's own coordinates; `strokes` (the
// view-model's) are drawn as they are, so coming back to this step shows the signature already given.
Column {
    id: pad
    objectName: "signaturePad"
    property var strokes: []
    property bool problem: false
    property var current: []
    readonly property bool empty: strokes.length === 0 && current.length === 0
    readonly property Item area: area
    signal strokeFinished(var points)
    signal cleared()
    spacing: Theme.smallSpacing

    onStrokesChanged: canvas.requestPaint()

    Rectangle {
        id: area
        objectName: "signatureArea"
        width: parent.width
        height: Theme.px(Theme.landscape ? 330 : (Theme.elder ? 440 : 400))
        radius: Theme.radius
        color: "white"
        border.width: Theme.px(3)
        border.color: pad.problem ? Theme.errorText : Theme.primary

        Rectangle {  // the line to sign on
            x: Theme.px(40); width: parent.width - Theme.px(80)
            y: parent.height * 0.74; height: Theme.borderWidth
            color: Theme.border
        }
        KText {
            anchors.centerIn: parent
            visible: pad.empty
            text: qsTr("请在框内签名")
            color: Theme.textDisabled
            font.pixelSize: Theme.fontTitle
        }
        Canvas {
            id: canvas
            anchors.fill: parent
            function trace(ctx, stroke) {
                if (!stroke || stroke.length === 0) return
                ctx.beginPath()
                ctx.moveTo(stroke[0][0], stroke[0][1])
                if (stroke.length === 1) ctx.lineTo(stroke[0][0] + 0.5, stroke[0][1] + 0.5)
                for (let i = 1; i < stroke.length; ++i) ctx.lineTo(stroke[i][0], stroke[i][1])
                ctx.stroke()
            }
            onPaint: {
                const ctx = getContext("2d")
                ctx.reset()
                ctx.lineWidth = Math.max(4, Theme.px(7))
                ctx.lineCap = "round"
                ctx.lineJoin = "round"
                ctx.strokeStyle = "#111111"
                for (let i = 0; i < pad.strokes.length; ++i) trace(ctx, pad.strokes[i])
                trace(ctx, pad.current)
            }
        }
        MouseArea {
            id: ink
            anchors.fill: parent
            preventStealing: true  // a stroke is never taken for a scroll of the page
            function clamp(v, hi) { return Math.round(Math.max(0, Math.min(hi, v)) * 10) / 10 }
            onPressed: (mouse) => {
                pad.current = [[clamp(mouse.x, width), clamp(mouse.y, height)]]
                canvas.requestPaint()
            }
            onPositionChanged: (mouse) => {
                if (pad.current.length === 0) return
                const x = clamp(mouse.x, width), y = clamp(mouse.y, height)
                const last = pad.current[pad.current.length - 1]
                if (Math.abs(x - last[0]) + Math.abs(y - last[1]) < Theme.px(3)) return
                pad.current = pad.current.concat([[x, y]])
                canvas.requestPaint()
            }
            onReleased: (mouse) => {
                let stroke = pad.current
                if (stroke.length === 0) return
                if (stroke.length === 1) stroke = stroke.concat([[stroke[0][0] + 1, stroke[0][1] + 1]])  // a dot
                pad.current = []
                pad.strokeFinished(stroke)
            }
            onCanceled: { pad.current = []; canvas.requestPaint() }
        }
    }

    Item {
        width: parent.width
        height: clearButton.height
        KText {
            anchors { left: parent.left; right: clearButton.left; rightMargin: Theme.spacing; verticalCenter: parent.verticalCenter }
            text: qsTr("请用手指在白框内写下您的姓名。写错了可以点“重写”。")
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
        }
        BigButton {
            id: clearButton
            objectName: "signatureClearButton"
            anchors.right: parent.right
            variant: "secondary"
            iconName: "refresh"
            text: qsTr("重写")
            enabled: !pad.empty
            onClicked: { pad.current = []; pad.cleared(); canvas.requestPaint() }
        }
    }
}
