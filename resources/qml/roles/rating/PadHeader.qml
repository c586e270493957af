import QtQuick
import KioskUi

// The band at the top of the pad: which counter this is, and the citizen's two display choices.
Rectangle {
    id: header
    implicitHeight: Theme.px(112)
    height: implicitHeight
    color: Theme.primary
    readonly property bool ready: !!pad

    Rectangle {  // a thin red rule under the blue band, as on official signage
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.px(6)
        color: Theme.accent
    }

    KText {
        objectName: "padCounterTitle"
        anchors { left: parent.left; leftMargin: Theme.margin; right: toggles.left; rightMargin: Theme.spacing
                  verticalCenter: parent.verticalCenter }
        color: Theme.textOnPrimary
        font.pixelSize: Theme.px(46)
        fontSizeMode: Text.HorizontalFit  // the counter's number whole, a little smaller if need be
        minimumPixelSize: Theme.px(30)
        font.weight: Font.Bold
        elide: Text.ElideRight
        wrapMode: Text.NoWrap
        text: header.ready && pad.counterNumber > 0 ? qsTr("%1号窗口").arg(pad.counterNumber) : qsTr("服务评价")
    }

    Row {
        id: toggles
        anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        spacing: Theme.px(14)
        PadToggle {
            objectName: "elderToggle"
            iconName: appState.elderMode ? "check" : "elder"
            text: qsTr("长辈模式")
            checked: appState.elderMode
            Accessible.description: appState.elderMode ? qsTr("已开启，点击关闭") : qsTr("已关闭，点击开启")
            onClicked: appState.toggleElderMode()
        }
        PadToggle {
            objectName: "languageToggle"
            iconName: "language"
            // The button names the language it switches to, in that language.
            text: appState.language === "zh_CN" ? "English" : "中文"
            onClicked: appState.toggleLanguage()
        }
    }
}
