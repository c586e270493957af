import QtQuick
import KioskUi

// 窗口登录: the counter's number (filled in from the counter_number setting), the staff number and the PIN. Enter
// goes to the next entry and signs in from the last; the PIN is never shown and is cleared after each try.
Item {
    id: panel
    required property var desk

    function focusFirst() {
        if (counterField.text === "") counterField.input.forceActiveFocus()
        else if (staffField.text === "") staffField.input.forceActiveFocus()
        else pinField.input.forceActiveFocus()
    }
    function submit() {
        desk.signIn(counterField.text, staffField.text, pinField.text)
        pinField.text = ""
        pinField.input.forceActiveFocus()
    }
    readonly property var chosen: {
        const n = parseInt(counterField.text)
        const list = desk.counterChoices
        for (let i = 0; i < list.length; ++i)
            if (list[i].number === n) return list[i]
        return null
    }
    readonly property var focusedInput: counterField.input.activeFocus ? counterField.input
                                      : staffField.input.activeFocus ? staffField.input
                                      : pinField.input.activeFocus ? pinField.input : null

    Component.onCompleted: {
        if (desk.defaultCounter > 0) counterField.text = String(desk.defaultCounter)
        focusFirst()
    }
    Connections {
        target: panel.desk
        function onSignedOut() { staffField.text = ""; pinField.text = ""; panel.focusFirst() }
    }

    Rectangle {
        objectName: "signInCard"
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.px(48), Theme.px(1380))
        height: Math.min(parent.height - Theme.px(48), Theme.px(760))
        radius: Theme.radius
        color: Theme.surface
        border.width: 1
        border.color: Theme.divider

        Column {
            id: form
            anchors { left: parent.left; top: parent.top; margins: Theme.px(40) }
            width: parent.width - pad.width - Theme.px(120)
            spacing: Theme.px(22)
            KText {
                text: qsTr("窗口登录")
                font.pixelSize: Theme.px(48)
                font.weight: Font.Bold
            }
            KText {
                width: parent.width
                text: qsTr("请输入窗口号、工号和密码。按 Enter 到下一项，最后一项按 Enter 登录。")
                color: Theme.textSecondary
                font.pixelSize: Theme.px(26)
            }
            Field {
                id: counterField
                objectName: "counterField"
                width: parent.width
                label: qsTr("窗口号")
                maximumLength: 3
                validator: IntValidator { bottom: 1; top: 999 }
                hint: panel.chosen === null ? ""
                      : panel.chosen.staffNo !== "" ? qsTr("%1（工号 %2 已登录）").arg(panel.chosen.name).arg(panel.chosen.staffNo)
                      : panel.chosen.name
                onAccepted: staffField.input.forceActiveFocus()
            }
            Field {
                id: staffField
                objectName: "staffField"
                width: parent.width
                label: qsTr("工号")
                maximumLength: 16
                validator: RegularExpressionValidator { regularExpression: /[A-Za-z0-9_-]{0,16}/ }
                onAccepted: pinField.input.forceActiveFocus()
            }
            Field {
                id: pinField
                objectName: "pinField"
                width: parent.width
                label: qsTr("密码")
                secret: true
                maximumLength: 12
                validator: RegularExpressionValidator { regularExpression: /[0-9]{0,12}/ }
                onAccepted: panel.submit()
            }
            BigButton {
                objectName: "signInButton"
                width: parent.width
                height: Theme.px(96)
                fontSize: Theme.px(34)
                text: panel.desk.busy ? qsTr("正在登录…") : qsTr("登录（Enter）")
                enabled: !panel.desk.busy
                onClicked: panel.submit()
            }
            KText {
                objectName: "signInMessage"
                width: parent.width
                text: panel.desk.message
                visible: text !== ""
                font.pixelSize: Theme.px(28)
                color: panel.desk.messageKind === "refused" ? Theme.errorText
                     : panel.desk.messageKind === "done" ? Theme.successText : Theme.textOnSoft
            }
        }
        KeyPad {
            id: pad
            anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: Theme.px(40) }
            target: panel.focusedInput
            extraText: qsTr("下一项")
            onExtraClicked: {
                if (counterField.input.activeFocus) staffField.input.forceActiveFocus()
                else if (staffField.input.activeFocus) pinField.input.forceActiveFocus()
                else panel.submit()
            }
        }
    }
}
