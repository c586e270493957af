import QtQuick
import KioskUi
import "../../features/rating"

// A bad level chosen: what it was, the reasons to tick, 重新选择 (back to the five) and 提交评价. Above the reasons,
// what to do, or in its place (red) what is missing. Portrait: all in a column, the two buttons side by side at
// the bottom; landscape: the reasons on the left, the choice and the buttons on the right. The pad has no
// keyboard, so 其他 (which needs words typed) is left to the phone page of the ticket's QR code.
Item {
    id: reasons
    readonly property RatingWords words: RatingWords {}
    readonly property var options: padRating.reasonOptions.filter(r => r !== padRating.otherReason)
    readonly property bool busy: padRating.state !== "rating"
    readonly property string missing: padRating.problems.reasons || ""
    readonly property real buttonHeight: Theme.px(Theme.landscape ? 96 : 100)

    // The choice: above everything in portrait; at the top of the right-hand column in landscape.
    Column {
        id: choice
        anchors { right: parent.right; top: parent.top; left: Theme.landscape ? undefined : parent.left }
        width: Theme.landscape ? parent.width * 0.32 : undefined
        spacing: Theme.smallSpacing
        KText {
            objectName: "padChosenLevel"
            width: parent.width
            font.pixelSize: Theme.landscape ? Theme.fontBody : Theme.fontHeading
            font.weight: Font.Bold
            // (landscape: on one line, a little smaller if need be; the column has no height to spare)
            wrapMode: Theme.landscape ? Text.NoWrap : Text.Wrap
            fontSizeMode: Theme.landscape ? Text.HorizontalFit : Text.FixedSize
            minimumPixelSize: Math.round(Theme.fontBody * 0.6)
            text: qsTr("您选择了：%1").arg(reasons.words.levelText(padRating.level))
        }
        Loader { active: Theme.landscape; width: parent.width; sourceComponent: buttons }
    }

    // What to do, or what is missing.
    Item {
        id: ask
        anchors { left: parent.left; top: Theme.landscape ? parent.top : choice.bottom
                  topMargin: Theme.landscape ? 0 : Theme.smallSpacing
                  right: Theme.landscape ? choice.left : parent.right; rightMargin: Theme.landscape ? Theme.spacing : 0 }
        height: reasons.missing !== "" ? problem.implicitHeight : askText.implicitHeight
        KText {
            id: askText
            visible: reasons.missing === ""
            width: parent.width
            font.pixelSize: Theme.fontSecondary
            text: qsTr("请选择不满意的原因（可多选）")
        }
        PadProblemLine {
            id: problem
            objectName: "padReasonsProblem"
            width: parent.width
            text: reasons.missing
        }
    }

    Grid {
        id: grid
        anchors { left: parent.left; right: ask.right; top: ask.bottom; topMargin: Theme.smallSpacing }
        columns: 2
        spacing: Theme.px(12)
        readonly property int rows: Math.ceil(reasons.options.length / columns)
        readonly property real room: (Theme.landscape ? reasons.height : bottomRow.y - Theme.smallSpacing) - y
        Repeater {
            model: reasons.options
            PadReasonButton {
                objectName: "padReason_" + modelData
                width: (grid.width - grid.spacing * (grid.columns - 1)) / grid.columns
                height: Math.max(Theme.px(50), Math.min(Theme.px(130), (grid.room - grid.spacing * (grid.rows - 1)) / grid.rows))
                text: reasons.words.reasonText(modelData)
                ticked: padRating.selectedReasons.indexOf(modelData) >= 0
                enabled: !reasons.busy
                onClicked: pad.toggleReason(modelData)
            }
        }
    }

    Loader {
        id: bottomRow
        active: !Theme.landscape
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: active ? reasons.buttonHeight : 0
        sourceComponent: buttons
    }

    // 重新选择 and 提交评价: side by side in portrait, one above the other in landscape.
    Component {
        id: buttons
        Grid {
            id: buttonGrid
            columns: Theme.landscape ? 1 : 2
            spacing: Theme.smallSpacing
            BigButton {
                objectName: "padChooseAgain"
                width: Theme.landscape ? buttonGrid.width : (buttonGrid.width - buttonGrid.spacing) * 0.45
                height: reasons.buttonHeight
                variant: "secondary"
                fontSize: Theme.fontSecondary
                text: qsTr("重新选择")
                enabled: !reasons.busy
                onClicked: pad.chooseAgain()
            }
            BigButton {
                objectName: "padSubmit"
                width: Theme.landscape ? buttonGrid.width : (buttonGrid.width - buttonGrid.spacing) * 0.55
                height: reasons.buttonHeight
                iconName: "check"
                fontSize: Theme.fontBody
                text: qsTr("提交评价")
                enabled: !reasons.busy
                onClicked: pad.submit()
            }
        }
    }
}
