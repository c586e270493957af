import QtQuick
import QtQuick.Layouts
import QtQuick.Controls.Basic
import KioskUi

// The appointment code (预约码) on big digit keys, as the booking's text message gives it: the digits as they are
// typed, how many, 删除 and 清空, and 签到. A code with letters (from another booking system) is typed on the
// keyboard instead, after 预约码里有字母.
Column {
    id: pad
    objectName: "queueCodePad"
    spacing: Theme.spacing
    property bool withLetters: false
    property bool lettersButtonShown: true  // (landscape: the screen shows it beside the pad)

    Rectangle {
        objectName: "queueCodeDisplay"
        visible: !pad.withLetters
        width: parent.width
        height: Math.max(Theme.buttonHeight + Theme.px(16), typed.implicitHeight + Theme.px(28))
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: Theme.primary
        Accessible.role: Accessible.EditableText
        Accessible.name: qsTr("预约码")
        Accessible.description: queueScreen.codeTyped

        Item {
            id: keys
            anchors.fill: parent
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_Backspace) queueScreen.pressCodeKey("delete")
                else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) queueScreen.submitCode()
                else if (event.text !== "") queueScreen.pressCodeKey(event.text)
                else return
                event.accepted = true
            }
        }
        MouseArea { anchors.fill: parent; onPressed: keys.forceActiveFocus() }
        Text {
            id: typed
            objectName: "queueCodeTyped"
            anchors { left: parent.left; right: count.left; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.px(24); rightMargin: Theme.px(12) }
            readonly property bool empty: queueScreen.codeCount === 0
            text: empty ? qsTr("请按下面的数字键输入预约码") : queueScreen.codeTyped
            color: empty ? Theme.textSecondary : Theme.text
            font.pixelSize: empty ? Theme.fontBody : Theme.px(Theme.elder ? 58 : 50)
            font.weight: empty ? Font.Normal : Font.Bold
            font.letterSpacing: empty ? 0 : Theme.px(6)
            wrapMode: Text.WrapAnywhere
            lineHeight: Theme.lineHeight
        }
        Text {
            id: count
            anchors { right: parent.right; rightMargin: Theme.px(24); verticalCenter: parent.verticalCenter }
            visible: queueScreen.codeCount > 0
            text: qsTr("%n 位", "", queueScreen.codeCount)
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
        }
    }

    Rectangle {
        visible: pad.withLetters
        width: parent.width
        height: Theme.buttonHeight + Theme.px(16)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: lettersField.activeFocus ? Theme.primary : Theme.fieldBorder
        TextField {
            id: lettersField
            objectName: "queueCodeField"
            anchors { left: parent.left; right: lettersGo.left; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.px(16); rightMargin: Theme.px(12) }
            font.pixelSize: Theme.fontBody + Theme.px(2)
            font.letterSpacing: Theme.px(2)
            color: Theme.text
            placeholderText: qsTr("点这里输入预约码")
            placeholderTextColor: Theme.textSecondary
            background: Item {}
            maximumLength: queueScreen.codeMax
            inputMethodHints: Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText | Qt.ImhLatinOnly
            onAccepted: queueScreen.submitCodeText(text)
            Accessible.name: qsTr("预约码")
        }
        BigButton {
            id: lettersGo
            objectName: "queueCodeFieldButton"
            anchors { right: parent.right; rightMargin: Theme.px(8); verticalCenter: parent.verticalCenter }
            iconName: "chevron-right"
            iconRight: true
            text: qsTr("签到")
            onClicked: queueScreen.submitCodeText(lettersField.text)
        }
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
                objectName: "queueCodeKey_" + modelData
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.buttonHeight
                variant: modelData.length === 1 ? "secondary" : "soft"
                fontSize: modelData.length === 1 ? Theme.px(Theme.elder ? 56 : 48) : Theme.fontButton
                iconName: modelData === "delete" ? "backspace" : ""
                text: modelData === "clear" ? qsTr("清空") : modelData === "delete" ? qsTr("删除") : modelData
                onClicked: queueScreen.pressCodeKey(modelData)
            }
        }
    }

    BigButton {
        objectName: "queueCodeSubmit"
        visible: !pad.withLetters
        width: parent.width
        iconName: "chevron-right"
        iconRight: true
        text: qsTr("签到")
        onClicked: queueScreen.submitCode()
    }

    BigButton {
        objectName: "queueCodeLettersButton"
        visible: pad.lettersButtonShown
        width: parent.width
        variant: "soft"
        fontSize: Theme.fontSecondary
        text: pad.withLetters ? qsTr("回到数字键输入") : qsTr("预约码里有字母？用键盘输入")
        onClicked: pad.toggleLetters()
    }

    function toggleLetters() {
        pad.withLetters = !pad.withLetters
        lettersField.text = ""
        if (pad.withLetters) lettersField.forceActiveFocus()
        else { lettersField.focus = false; Qt.inputMethod.hide() }
    }
}
