import QtQuick
import KioskUi

// After the rating: thanks (taken, kept for the hall, or given already), or, when none was given, the way to
// rate later with the ticket's QR code. It stands a few seconds, then the counter shows again.
Item {
    id: end
    readonly property bool thanks: pad.phase === "thanks"

    Column {
        objectName: end.thanks ? "padThanks" : "padMissed"
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: Theme.spacing * 1.5

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Theme.px(180); height: width; radius: width / 2
            color: end.thanks ? "#E3F1E7" : Theme.primarySoft
            Icon {
                anchors.centerIn: parent
                name: end.thanks ? "check" : "qrcode"
                color: end.thanks ? Theme.successText : Theme.textOnSoft
                size: Theme.px(110)
            }
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontDisplay
            font.weight: Font.Bold
            text: end.thanks ? qsTr("感谢您的评价！") : qsTr("本次没有评价")
        }
        KText {
            objectName: "padEndMessage"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontHeading
            text: Theme.keepTail(end.thanks ? pad.thanksNote
                                 : qsTr("离开后，您仍可以用手机扫描取号凭条上的二维码，为本次服务评价。"))
            visible: text !== ""
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            text: qsTr("%n 秒后返回", "", pad.endSecondsLeft)
        }
    }
}
