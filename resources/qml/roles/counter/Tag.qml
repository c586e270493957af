import QtQuick
import KioskUi

// A small mark on a ticket (绿色通道 · 孕妇, 预约, 转给本窗口, 下一位): words on a tinted ground, never colour alone.
Rectangle {
    id: tag
    property string text: ""
    property string kind: "info"   // green, appointment, info, next
    visible: text !== ""
    implicitWidth: label.implicitWidth + Theme.px(20)
    implicitHeight: label.implicitHeight + Theme.px(4)
    radius: Theme.px(8)
    color: kind === "green" ? "#E3F4E8" : kind === "appointment" ? Theme.warningSurface
         : kind === "next" ? Theme.primary : Theme.primarySoft
    KText {
        id: label
        anchors.centerIn: parent
        text: tag.text
        font.pixelSize: Theme.px(24)
        font.weight: Font.Medium
        wrapMode: Text.NoWrap
        color: tag.kind === "green" ? Theme.successText : tag.kind === "appointment" ? Theme.warningText
             : tag.kind === "next" ? Theme.textOnPrimary : Theme.textOnSoft
    }
}
