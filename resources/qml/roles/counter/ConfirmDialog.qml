import QtQuick
import KioskUi

// Asked once before what loses something: 过号, and signing out with a ticket still being served.
DialogFrame {
    id: dialog
    readonly property bool signingOut: desk.dialog === "signOut"
    readonly property string number: desk.hasCurrent ? desk.current.number : ""
    title: signingOut ? qsTr("退出登录") : qsTr("过号")
    cardWidth: Theme.px(1000)

    Keys.onReturnPressed: desk.confirm()
    Keys.onEnterPressed: desk.confirm()

    Column {
        width: parent.width
        spacing: Theme.px(28)
        KText {
            objectName: "confirmText"
            width: parent.width
            font.pixelSize: Theme.px(32)
            text: dialog.signingOut
                  ? qsTr("%1 号还在办理。退出前先把它办结吗？").arg(dialog.number)
                    + (desk.held.length > 0 ? "\n" + qsTr("本窗口还有 %n 个挂起的号，退出后仍留在本窗口。", "", desk.held.length) : "")
                  : qsTr("确认 %1 号过号？本人来了可以用“过号归队”让其重新排队。").arg(dialog.number)
        }
        DialogButtons {
            okText: dialog.signingOut ? qsTr("办结并退出（Enter）") : qsTr("确认过号（Enter）")
            danger: true
            onOk: desk.confirm()
            onCancel: desk.closeDialog()
        }
    }
}
