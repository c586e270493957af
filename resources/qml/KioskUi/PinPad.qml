import QtQuick
import QtQuick.Layouts

// The maintenance PIN pad (staff only), opened by five taps in the top-left corner.
Rectangle {
    id: pad
    color: Theme.scrim
    MouseArea { anchors.fill: parent }  // modal

    readonly property string state_: maintenance.pinState

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.margin * 2, Theme.px(760))
        height: content.implicitHeight + Theme.px(80)
        radius: Theme.radius * 1.5
        color: Theme.surface

        Column {
            id: content
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(40) }
            spacing: Theme.px(24)

            Row {
                spacing: Theme.px(16)
                Icon { name: "lock"; color: Theme.primary; size: Theme.px(52); anchors.verticalCenter: parent.verticalCenter }
                KText {
                    text: qsTr("维护登录")
                    font.pixelSize: Theme.fontTitle
                    font.weight: Font.Bold
                    anchors.verticalCenter: parent.verticalCenter
                }
            }

            KText {
                objectName: "pinMessage"
                width: parent.width
                color: pad.state_ === "wrong" || pad.state_ === "locked" || pad.state_ === "unset"
                       ? Theme.errorText : Theme.textSecondary
                text: {
                    switch (pad.state_) {
                    case "unset":
                        return qsTr("未设置维护密码，请运维人员使用 kiosk maintenance set-pin 设置")
                    case "locked":
                        return qsTr("密码错误次数过多，已锁定。请 %1 分 %2 秒后再试。")
                                   .arg(Math.floor(maintenance.lockSecondsLeft / 60))
                                   .arg(maintenance.lockSecondsLeft % 60)
                    case "wrong":
                        return qsTr("密码不正确，还可以再试 %1 次。").arg(maintenance.attemptsLeft)
                    case "checking":
                        return qsTr("正在验证…")
                    default:
                        return qsTr("仅限运维人员使用。请输入维护密码。")
                    }
                }
            }

            Rectangle {  // the PIN as dots: how many digits were typed, never which
                visible: pad.state_ !== "unset"
                width: parent.width
                height: Theme.px(96)
                radius: Theme.radius
                color: Theme.background
                border.width: Theme.borderWidth
                border.color: Theme.fieldBorder
                Row {
                    anchors.centerIn: parent
                    spacing: Theme.px(18)
                    Repeater {
                        model: Math.max(maintenance.pinLength, 4)
                        Rectangle {
                            width: Theme.px(28); height: width; radius: width / 2
                            color: index < maintenance.pinLength ? Theme.text : "transparent"
                            border.width: Theme.px(3)
                            border.color: Theme.textSecondary
                        }
                    }
                }
            }

            GridLayout {
                visible: pad.state_ !== "unset"
                width: parent.width
                columns: 3
                rowSpacing: Theme.px(14)
                columnSpacing: Theme.px(14)
                enabled: pad.state_ !== "locked" && pad.state_ !== "checking"
                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete"]
                    BigButton {
                        objectName: "pinKey_" + modelData
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.px(112)
                        variant: modelData.length === 1 ? "secondary" : "soft"
                        fontSize: modelData.length === 1 ? Theme.px(48) : Theme.fontButton
                        text: modelData === "clear" ? qsTr("清除") : modelData === "delete" ? qsTr("删除") : modelData
                        onClicked: {
                            if (modelData === "clear") maintenance.clearPin()
                            else if (modelData === "delete") maintenance.deleteDigit()
                            else maintenance.pressDigit(modelData)
                        }
                    }
                }
            }

            RowLayout {
                width: parent.width
                spacing: Theme.px(14)
                BigButton {
                    objectName: "pinCancel"
                    Layout.fillWidth: true
                    variant: "secondary"
                    text: pad.state_ === "unset" ? qsTr("知道了") : qsTr("取消")
                    onClicked: maintenance.closePinPad()
                }
                BigButton {
                    objectName: "pinSubmit"
                    visible: pad.state_ !== "unset"
                    Layout.fillWidth: true
                    text: qsTr("确定")
                    enabled: maintenance.pinLength >= 4 && pad.state_ !== "locked" && pad.state_ !== "checking"
                    onClicked: maintenance.submitPin()
                }
            }
        }
    }
}
