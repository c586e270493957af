import QtQuick
import KioskUi

// The time left to rate, as a number and a bar; any touch gives the full time again. Over its last seconds it
// says so in words, in the warning colours. 跳过 leaves the rating now. In landscape all stand in one row.
Rectangle {
    id: countdown
    signal skip()
    readonly property var timer: pad.timer
    readonly property bool warning: timer.warning
    readonly property bool compact: Theme.landscape
    objectName: warning ? "padCountdownWarning" : "padCountdown"
    implicitHeight: (compact ? topRow.height : column.implicitHeight) + Theme.px(24)
    height: implicitHeight
    radius: Theme.radius
    color: warning ? Theme.warningSurface : Theme.surface
    border.width: warning ? Theme.px(4) : Theme.borderWidth
    border.color: warning ? Theme.warningText : Theme.border

    Column {
        id: column
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: Theme.px(20); rightMargin: Theme.px(12) }
        spacing: Theme.px(8)
        Item {
            id: topRow
            width: parent.width
            height: Math.max(words.height, skipButton.height)
            // The seconds drawn largest, inside one sentence in either language.
            Row {
                id: words
                objectName: "padSecondsLeft"
                anchors.verticalCenter: parent.verticalCenter
                readonly property var parts: qsTr("还剩 %1 秒").split("%1")
                readonly property color ink: countdown.warning ? Theme.warningText : Theme.text
                spacing: Theme.px(6)
                KText { text: words.parts[0].trim(); color: words.ink; anchors.baseline: seconds.baseline }
                KText {
                    id: seconds
                    text: countdown.timer.secondsLeft
                    color: words.ink
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                }
                KText { text: words.parts.length > 1 ? words.parts[1].trim() : ""; color: words.ink; anchors.baseline: seconds.baseline }
            }
            Loader {  // landscape: the warning's words and the bar between the seconds and 跳过
                active: countdown.compact
                anchors { left: words.right; leftMargin: Theme.spacing; right: skipButton.left
                          rightMargin: Theme.spacing; verticalCenter: parent.verticalCenter }
                sourceComponent: countdown.warning ? warningWords : barComponent
            }
            BigButton {
                id: skipButton
                objectName: "padSkip"
                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                height: Theme.px(84)
                topPadding: 0
                bottomPadding: 0
                variant: "secondary"
                fontSize: Theme.fontSecondary
                text: qsTr("跳过")
                onClicked: countdown.skip()
            }
        }
        // Portrait: the bar below, or, over the last seconds, the warning's words in its place.
        Loader {
            active: !countdown.compact
            width: parent.width - Theme.px(8)
            sourceComponent: countdown.warning ? warningWords : barComponent
        }
    }

    Component {
        id: warningWords
        KText {
            objectName: "padCountdownWarningText"
            color: Theme.warningText
            font.pixelSize: Theme.fontSecondary
            font.weight: Font.Bold
            text: qsTr("轻触屏幕任意处，可以继续评价")
        }
    }
    Component {
        id: barComponent
        Rectangle {
            objectName: "padCountdownBar"
            height: Theme.px(18)
            radius: height / 2
            color: Theme.divider
            Rectangle {
                width: parent.width * countdown.timer.fraction
                height: parent.height
                radius: parent.radius
                color: countdown.warning ? Theme.warningText : Theme.primary
            }
        }
    }
}
