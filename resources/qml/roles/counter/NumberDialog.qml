import QtQuick
import KioskUi

// A ticket by its number: 呼叫指定号 (from the queue), 过号归队 (a no-show who turned up), 绿色通道 (a waiting
// ticket, with the reason) and 恢复挂起 (which held ticket). Type the number (a12 is A012) or pick it: ↑↓ go
// through the list beside, a click takes a row; Enter does it, Esc closes. The keys on the right are for touch.
DialogFrame {
    id: dialog
    property string preset: ""          // a number to start with (a row clicked in the queue)
    readonly property string mode: desk.dialog
    readonly property var rows: mode === "putBack" ? desk.noShows : mode === "resume" ? desk.held : desk.queue
    property int index: -1
    property string reason: ""          // 绿色通道: disability, pregnancy or age
    readonly property var reasons: [["disability", qsTr("残疾")], ["pregnancy", qsTr("孕妇")], ["age", qsTr("高龄")]]
    cardWidth: Theme.px(1500)
    title: mode === "callNumber" ? qsTr("呼叫指定号") : mode === "putBack" ? qsTr("过号归队")
         : mode === "green" ? qsTr("绿色通道") : qsTr("恢复挂起的号")

    Component.onCompleted: {
        numberInput.text = preset
        if (preset === "" && rows.length > 0 && mode !== "green") pick(0)
        numberInput.forceActiveFocus()
    }
    function pick(i) {
        if (i < 0 || i >= rows.length) return
        index = i
        numberInput.text = rows[i].number
    }
    function go() {
        const text = numberInput.text
        if (mode === "callNumber") desk.callNumber(text)
        else if (mode === "putBack") desk.putBack(text)
        else if (mode === "resume") desk.resume(text)
        else if (mode === "green") {
            if (reason === "") { reasonRow.forceActiveFocus(); return }
            desk.markGreen(text, reason)
        }
    }
    readonly property string okText: mode === "callNumber" ? qsTr("呼叫（Enter）") : mode === "putBack" ? qsTr("归队（Enter）")
                                   : mode === "green" ? qsTr("标记绿色通道（Enter）") : qsTr("恢复办理（Enter）")

    Row {
        width: parent.width
        spacing: Theme.px(28)
        Column {
            id: entry
            width: parent.width - pad.width - parent.spacing
            spacing: Theme.px(18)
            KText {
                width: parent.width
                font.pixelSize: Theme.px(26)
                color: Theme.textSecondary
                text: dialog.mode === "green"
                      ? qsTr("输入或选择号码，再选原因（1 残疾、2 孕妇、3 高龄），按 Enter。")
                      : qsTr("输入号码（如 A012，输入 a12 也可），或用 ↑↓ 在下面选择，按 Enter。")
            }
            Rectangle {
                width: parent.width
                height: Theme.px(96)
                radius: Theme.px(10)
                color: Theme.surface
                border.width: numberInput.activeFocus ? Theme.px(4) : Theme.borderWidth
                border.color: numberInput.activeFocus ? Theme.primary : Theme.fieldBorder
                TextInput {
                    id: numberInput
                    objectName: "numberInput"
                    anchors { fill: parent; leftMargin: Theme.px(20); rightMargin: Theme.px(20) }
                    verticalAlignment: TextInput.AlignVCenter
                    font.pixelSize: Theme.px(48)
                    font.weight: Font.Bold
                    color: Theme.primary
                    maximumLength: 6
                    selectByMouse: true
                    validator: RegularExpressionValidator { regularExpression: /[A-Za-z]?[0-9]{0,4}/ }
                    Accessible.name: qsTr("号码")
                    Keys.onUpPressed: dialog.pick(Math.max(0, dialog.index - 1))
                    Keys.onDownPressed: dialog.pick(Math.min(dialog.rows.length - 1, dialog.index + 1))
                    Keys.onReturnPressed: dialog.go()
                    Keys.onEnterPressed: dialog.go()
                }
                MouseArea { anchors.fill: parent; onClicked: numberInput.forceActiveFocus(); cursorShape: Qt.IBeamCursor }
            }
            // 绿色通道: why (keys 1, 2, 3 or ←→ once the reasons have the keyboard; a click chooses).
            FocusScope {
                id: reasonRow
                visible: dialog.mode === "green"
                width: parent.width
                height: visible ? Theme.px(92) : 0
                Keys.onPressed: (event) => {
                    const i = ["1", "2", "3"].indexOf(event.text)
                    if (i >= 0) { dialog.reason = dialog.reasons[i][0]; event.accepted = true }
                }
                Keys.onLeftPressed: dialog.reason = dialog.reasons[Math.max(0, dialog.reasons.findIndex(r => r[0] === dialog.reason) - 1)][0]
                Keys.onRightPressed: dialog.reason = dialog.reasons[Math.min(2, dialog.reasons.findIndex(r => r[0] === dialog.reason) + 1)][0]
                Keys.onReturnPressed: dialog.go()
                Keys.onEnterPressed: dialog.go()
                Row {
                    spacing: Theme.px(16)
                    Repeater {
                        model: dialog.reasons
                        delegate: Rectangle {
                            id: choice
                            required property var modelData
                            required property int index
                            readonly property bool selected: dialog.reason === modelData[0]
                            objectName: "reason_" + modelData[0]
                            width: Theme.px(230)
                            height: Theme.px(88)
                            radius: Theme.px(10)
                            color: selected ? Theme.primarySoft : Theme.surface
                            border.width: selected || reasonRow.activeFocus ? Theme.px(4) : Theme.borderWidth
                            border.color: selected ? Theme.primary : Theme.fieldBorder
                            Accessible.role: Accessible.RadioButton
                            Accessible.name: modelData[1]
                            Accessible.checked: selected
                            Row {
                                anchors.centerIn: parent
                                spacing: Theme.px(8)
                                Icon { name: "check"; size: Theme.px(30); color: Theme.primary; visible: choice.selected; anchors.verticalCenter: parent.verticalCenter }
                                KText {
                                    text: (choice.index + 1) + " " + choice.modelData[1]
                                    font.pixelSize: Theme.px(32)
                                    font.weight: choice.selected ? Font.Bold : Font.Normal
                                    wrapMode: Text.NoWrap
                                }
                            }
                            MouseArea { anchors.fill: parent; onClicked: dialog.reason = choice.modelData[0] }
                        }
                    }
                }
            }
            TicketList {
                objectName: "numberChoices"
                width: parent.width
                height: Theme.px(dialog.mode === "green" ? 300 : 392)
                title: dialog.mode === "putBack" ? qsTr("本窗口最近的过号") : dialog.mode === "resume" ? qsTr("本窗口挂起的号")
                     : qsTr("等候（按叫号顺序）")
                emptyText: dialog.mode === "putBack" ? qsTr("本窗口今天没有过号；更早的号请直接输入")
                         : dialog.mode === "resume" ? qsTr("没有挂起的号") : qsTr("现在没有人在等候")
                rows: dialog.rows
                chosenNumber: numberInput.text.toUpperCase()
                onRowClicked: (number) => {
                    for (let i = 0; i < dialog.rows.length; ++i)
                        if (dialog.rows[i].number === number) dialog.pick(i)
                    numberInput.forceActiveFocus()
                }
            }
            DialogButtons {
                okText: dialog.okText
                onOk: dialog.go()
                onCancel: desk.closeDialog()
            }
        }
        KeyPad {
            id: pad
            target: numberInput
            key: Theme.px(84)
            letters: desk.prefixes
            extraText: qsTr("清空")
            onExtraClicked: numberInput.text = ""
        }
    }
}
