import QtQuick
import KioskUi
import "style.js" as S

// A display not enrolled with the hall's queue service: what it is, and how the operator enrols it.
Item {
    id: page
    property real u: 1

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width - 160 * page.u, 1500 * page.u)
        spacing: 30 * page.u
        Text {
            width: parent.width
            color: S.text
            font.pixelSize: Math.round(50 * page.u)
            font.weight: Font.Bold
            wrapMode: Text.Wrap
            lineHeight: Theme.lineHeight
            text: Theme.keepTail(qsTr("本叫号屏还没有接入大厅的排队叫号系统"))
        }
        Text {
            width: parent.width
            color: S.textDim
            font.pixelSize: Math.round(38 * page.u)
            wrapMode: Text.Wrap
            lineHeight: Theme.lineHeight
            text: Theme.keepTail(qsTr("请运维人员按以下步骤接入，接入后重新启动本机程序："))
        }
        Repeater {
            model: [
                { "step": qsTr("1. 在排队叫号服务器上为本机开通终端（记下 terminal_id 和密钥）："),
                  "command": "kiosk hall terminal add \"" + qsTr("叫号屏") + "\" --json" },
                { "step": qsTr("2. 在本机保存服务器地址和密钥："),
                  "command": "kiosk hall enroll --hall http://<" + qsTr("服务器地址") + ">:8710 --terminal-id Q-… --secret-file secret.txt" },
                { "step": qsTr("3. 重新启动本机程序。"), "command": "" }
            ]
            delegate: Column {
                required property var modelData
                width: parent.width
                spacing: 10 * page.u
                Text {
                    width: parent.width
                    color: S.text
                    font.pixelSize: Math.round(38 * page.u)
                    wrapMode: Text.Wrap
                    lineHeight: Theme.lineHeight
                    text: Theme.keepTail(modelData.step)
                }
                Rectangle {
                    visible: modelData.command !== ""
                    width: parent.width
                    height: command.implicitHeight + 24 * page.u
                    radius: 10 * page.u
                    color: S.panel
                    Text {
                        id: command
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                  margins: 24 * page.u }
                        color: S.number
                        font.pixelSize: Math.round(34 * page.u)
                        wrapMode: Text.WrapAnywhere
                        textFormat: Text.PlainText
                        text: modelData.command
                    }
                }
            }
        }
        Text {
            width: parent.width
            color: S.textDim
            font.pixelSize: Math.round(32 * page.u)
            wrapMode: Text.Wrap
            lineHeight: Theme.lineHeight
            text: qsTr("详见 docs/display.md。")
        }
    }
}
