import QtQuick
import KioskUi

// A pad that cannot work yet says why, for the operator, and what the citizen may do meanwhile.
Item {
    Column {
        objectName: "padProblem"
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: Theme.spacing
        Icon { anchors.horizontalCenter: parent.horizontalCenter; name: "alert"; color: Theme.warningText; size: Theme.px(96) }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontTitle
            font.weight: Font.Bold
            text: qsTr("评价器暂时不能使用")
        }
        KText {
            objectName: "padProblemText"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: !!pad ? Theme.keepTail(pad.problem) : ""
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: Theme.textSecondary
            text: Theme.keepTail(qsTr("您可以扫描取号凭条上的二维码，用手机评价本次服务。"))
        }
    }
}
