import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import KioskUi

// A receipt number keyed on big digit keys (no on-screen keyboard, no letters, no symbol page): the digits in
// the groups of the printout as they are typed, how many of the 17 there are, 删除 and 清空, and 确定. The
// rating view-model keeps the digits and checks them. A number from before the digits-only format (it has
// letters) is typed on the keyboard instead, after 回执编号里有字母.
Column {
    id: pad
    objectName: "receiptNumberPad"
    spacing: Theme.spacing
    property bool withLetters: false
    readonly property bool typing: lettersField.activeFocus || keys.activeFocus
    readonly property bool wrong: ratingScreen.entryProblemAt === "receipt"
    signal editing()
    onWrongChanged: if (wrong) editing()  // bring the number and what is wrong with it into view

    // The digits typed so far; a physical keyboard's digits, ⌫ and Enter work here too.
    Rectangle {
        id: display
        objectName: "ratingReceiptDisplay"
        visible: !pad.withLetters
        width: parent.width
        height: Math.max(Theme.buttonHeight + Theme.px(16), typed.implicitHeight + Theme.px(28))
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: pad.wrong ? Theme.errorText : Theme.primary
        Accessible.role: Accessible.EditableText
        Accessible.name: qsTr("回执编号")
        Accessible.description: ratingScreen.receiptTyped

        Item {
            id: keys
            anchors.fill: parent
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_Backspace) ratingScreen.pressReceiptKey("delete")
                else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) ratingScreen.rateTypedReceipt()
                else if (event.text !== "") ratingScreen.pressReceiptKey(event.text)
                else return
                event.accepted = true
            }
        }
        MouseArea {
            anchors.fill: parent
            onPressed: { keys.forceActiveFocus(); pad.editing() }
        }
        Text {
            id: typed
            objectName: "ratingReceiptTyped"
            anchors { left: parent.left; right: count.left; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.px(24); rightMargin: Theme.px(12) }
            readonly property bool empty: ratingScreen.receiptTypedCount === 0
            text: empty ? qsTr("请按下面的数字键输入") : ratingScreen.receiptTyped
            color: empty ? Theme.textSecondary : Theme.text
            font.pixelSize: empty ? Theme.fontBody : Theme.px(Theme.elder ? 54 : 46)
            font.weight: empty ? Font.Normal : Font.Bold
            font.letterSpacing: empty ? 0 : Theme.px(2)
            wrapMode: Text.WrapAnywhere
            lineHeight: Theme.lineHeight
        }
        Text {
            id: count
            objectName: "ratingReceiptCount"
            anchors { right: parent.right; rightMargin: Theme.px(24); verticalCenter: parent.verticalCenter }
            text: qsTr("%1/%2位").arg(ratingScreen.receiptTypedCount).arg(ratingScreen.receiptLength)
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
        }
    }

    // An earlier number with letters, on the keyboard.
    Rectangle {
        visible: pad.withLetters
        width: parent.width
        height: Theme.buttonHeight + Theme.px(16)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: pad.wrong ? Theme.errorText : lettersField.activeFocus ? Theme.primary : Theme.fieldBorder
        TextField {
            id: lettersField
            objectName: "ratingReceiptField"
            anchors { left: parent.left; right: lettersGo.left; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.px(16); rightMargin: Theme.px(12) }
            font.pixelSize: Theme.fontBody + Theme.px(2)
            font.letterSpacing: Theme.px(1)
            color: Theme.text
            placeholderText: qsTr("点这里输入回执编号")
            placeholderTextColor: Theme.textSecondary
            background: Item {}
            maximumLength: 48
            inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText | Qt.ImhLatinOnly
            onActiveFocusChanged: if (activeFocus) pad.editing()
            onAccepted: ratingScreen.rateReceipt(text)
            Accessible.name: qsTr("回执编号")
        }
        BigButton {
            id: lettersGo
            objectName: "ratingReceiptButton"
            anchors { right: parent.right; rightMargin: Theme.px(8); verticalCenter: parent.verticalCenter }
            iconName: "chevron-right"
            iconRight: true
            text: qsTr("确定")
            onClicked: ratingScreen.rateReceipt(lettersField.text)
        }
    }

    // What is wrong, right under the number (which part: the length, the date, the check digit).
    RatingProblem {
        objectName: "ratingReceiptProblem"
        width: parent.width
        text: pad.wrong ? ratingScreen.entryProblem : ""
    }

    GridLayout {
        visible: !pad.withLetters
        width: parent.width
        columns: 3
        rowSpacing: Theme.px(14)
        columnSpacing: Theme.px(14)
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete"]
            BigButton {
                objectName: "ratingReceiptKey_" + modelData
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.buttonHeight
                variant: modelData.length === 1 ? "secondary" : "soft"
                fontSize: modelData.length === 1 ? Theme.px(Theme.elder ? 56 : 48) : Theme.fontButton
                iconName: modelData === "delete" ? "backspace" : ""
                text: modelData === "clear" ? qsTr("清空") : modelData === "delete" ? qsTr("删除") : modelData
                onClicked: ratingScreen.pressReceiptKey(modelData)
            }
        }
    }

    BigButton {
        objectName: "ratingReceiptOk"
        visible: !pad.withLetters
        width: parent.width
        iconName: "chevron-right"
        iconRight: true
        text: qsTr("确定")
        onClicked: ratingScreen.rateTypedReceipt()
    }

    BigButton {
        objectName: "ratingReceiptLettersButton"
        width: parent.width
        variant: "soft"
        fontSize: Theme.fontSecondary
        text: pad.withLetters ? qsTr("回到数字键输入") : qsTr("回执编号里有字母？用键盘输入")
        onClicked: {
            pad.withLetters = !pad.withLetters
            lettersField.text = ""
            if (pad.withLetters) lettersField.forceActiveFocus()
            else { lettersField.focus = false; Qt.inputMethod.hide() }
        }
    }
}
