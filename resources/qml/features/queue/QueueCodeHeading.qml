import QtQuick
import KioskUi

// 输入预约码, and where the code is found.
Row {
    id: heading
    property bool arrow: false  // landscape: the pad is to the right
    spacing: Theme.px(18)
    Icon { id: codeIcon; name: "mobile"; color: Theme.primary; size: Theme.px(Theme.elder ? 64 : 56) }
    Column {
        width: heading.width - codeIcon.width - heading.spacing
        anchors.verticalCenter: parent.verticalCenter
        KText {
            width: parent.width
            text: heading.arrow ? qsTr("输入预约码（右边的数字键）") : qsTr("输入预约码")
            font.pixelSize: Theme.fontHeading
            font.weight: Font.Bold
        }
        KText {
            width: parent.width
            text: Theme.keepTail(qsTr("预约码在预约成功的短信里。"))
            color: Theme.textSecondary
        }
    }
}
