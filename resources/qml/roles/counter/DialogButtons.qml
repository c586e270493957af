import QtQuick
import KioskUi

// The two buttons at the foot of a dialog: do it (Enter) and 取消 (Esc).
Row {
    id: buttons
    property string okText: ""
    property bool danger: false
    property bool okEnabled: true
    signal ok()
    signal cancel()
    spacing: Theme.px(20)
    BigButton {
        objectName: "dialogOk"
        height: Theme.px(92)
        width: Math.max(implicitWidth, Theme.px(360))
        fontSize: Theme.px(32)
        text: buttons.okText
        variant: buttons.danger ? "danger" : "primary"
        enabled: buttons.okEnabled
        onClicked: buttons.ok()
    }
    BigButton {
        objectName: "dialogCancel"
        height: Theme.px(92)
        width: Math.max(implicitWidth, Theme.px(240))
        fontSize: Theme.px(32)
        text: qsTr("取消（Esc）")
        variant: "secondary"
        onClicked: buttons.cancel()
    }
}
