import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// A typed answer: one large line (a few lines for an address) with the keyboard that suits it — pinyin for
// words, digits for numbers and ID numbers (with an X key beside the field), a dial pad for phone numbers.
// The field owns its text while it is typed in; the view-model hears every change and checks it.
// A personal answer read from the card (name, ID number, address) shows masked until the citizen taps in to
// change it; what they type stays visible. A tap anywhere in the box, on any line, puts the cursor there.
Item {
    id: box
    property var field
    property bool problem: false
    readonly property string key: field ? field.key : ""
    readonly property string kind: field ? field.fieldType : "text"
    readonly property bool multiline: kind === "address"
    readonly property string modelValue: field ? field.value : ""
    readonly property Item editor: multiline ? areaLoader.item : lineLoader.item
    readonly property string masked: field ? field.maskedText : ""
    readonly property bool showsMasked: masked !== "" && !(editor && editor.activeFocus)
    implicitHeight: frame.height

    function hints() {
        if (kind === "phone") return Qt.ImhDialableCharactersOnly | Qt.ImhNoPredictiveText
        if (kind === "id_number") return Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText
        if (kind === "number") return (field && field.decimals > 0 ? Qt.ImhFormattedNumbersOnly : Qt.ImhDigitsOnly)
                                      | Qt.ImhNoPredictiveText
        if (kind === "address") return Qt.ImhMultiLine
        if (field && field.digitsOnly) return Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText  // a postcode, an account
        return Qt.ImhNone
    }
    function pattern() {
        if (kind === "phone") return /[0-9+\- ]{0,20}/
        if (kind === "id_number") return /[0-9Xx]{0,18}/
        if (kind === "number") return /[-0-9.,]{0,20}/
        return /[\s\S]*/
    }

    onModelValueChanged: {
        // Only an outside change (another card, a cleared form) is copied in; typing is never interrupted.
        if (editor && !editor.activeFocus && editor.text !== modelValue) editor.text = modelValue
    }

    Rectangle {
        id: frame
        width: parent.width - (xButton.visible ? xButton.width + Theme.px(16) : 0)
        height: box.multiline ? Math.max(Theme.buttonHeight * 2, (areaLoader.item ? areaLoader.item.implicitHeight : 0) + Theme.px(24))
                              : Theme.buttonHeight + Theme.px(8)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: box.problem ? Theme.errorText
                      : box.editor && box.editor.activeFocus ? Theme.primary : Theme.fieldBorder

        Loader {
            id: lineLoader
            active: !box.multiline
            anchors { left: parent.left; right: unit.left; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.px(20); rightMargin: Theme.px(12) }
            sourceComponent: TextField {
                objectName: "formInput_" + box.key
                height: frame.height - Theme.px(8)
                font.pixelSize: Theme.fontBody + Theme.px(6)
                font.capitalization: box.kind === "id_number" ? Font.AllUppercase : Font.MixedCase
                color: box.showsMasked ? "transparent" : Theme.text
                background: Item {}
                maximumLength: box.field && box.field.maxLength > 0 ? box.field.maxLength : 32767
                inputMethodHints: box.hints()
                validator: RegularExpressionValidator { regularExpression: box.pattern() }
                placeholderText: box.kind === "phone" ? qsTr("例如 13812345678") : ""
                placeholderTextColor: Theme.textSecondary
                Accessible.name: box.field ? box.field.label : ""
                Component.onCompleted: text = box.modelValue
                onTextChanged: if (box.field) formFlow.setValue(box.key, text)
                onActiveFocusChanged: if (!activeFocus && box.field) formFlow.touch(box.key)
                onAccepted: focus = false
            }
        }
        Loader {
            id: areaLoader
            active: box.multiline
            // The editor fills the whole box: a tap on a lower line, or below the text, lands in it.
            anchors { fill: parent; leftMargin: Theme.px(20); rightMargin: Theme.px(20)
                      topMargin: Theme.px(12); bottomMargin: Theme.px(12) }
            sourceComponent: TextArea {
                objectName: "formInput_" + box.key
                font.pixelSize: Theme.fontBody + Theme.px(4)
                color: box.showsMasked ? "transparent" : Theme.text
                topPadding: 0
                bottomPadding: 0
                wrapMode: TextEdit.Wrap
                background: Item {}
                inputMethodHints: box.hints()
                Accessible.name: box.field ? box.field.label : ""
                Component.onCompleted: text = box.modelValue
                onTextChanged: {
                    if (box.field && text.length > box.field.maxLength && box.field.maxLength > 0)
                        remove(box.field.maxLength, text.length)
                    else if (box.field) formFlow.setValue(box.key, text)
                }
                onActiveFocusChanged: if (!activeFocus && box.field) formFlow.touch(box.key)
            }
        }
        // The card's value, masked, over the editor that holds it in full.
        KText {
            objectName: "formMasked_" + box.key
            visible: box.showsMasked
            anchors { left: parent.left; right: parent.right; leftMargin: Theme.px(20); rightMargin: Theme.px(20) }
            y: box.multiline ? Theme.px(12) : (parent.height - height) / 2
            text: box.masked
            color: Theme.text
            font.pixelSize: box.multiline ? Theme.fontBody + Theme.px(4) : Theme.fontBody + Theme.px(6)
            wrapMode: Text.WrapAnywhere
        }
        KText {
            id: unit
            anchors { right: parent.right; rightMargin: visible ? Theme.px(20) : 0; verticalCenter: parent.verticalCenter }
            visible: !box.multiline && !!box.field && box.field.unit !== ""
            width: visible ? implicitWidth : 0
            text: box.field ? box.field.unit : ""
            color: Theme.textSecondary
            font.pixelSize: Theme.fontBody
        }
    }

    // The digit pad has no X: the last character of an ID number may be one.
    BigButton {
        id: xButton
        objectName: "formXButton_" + box.key
        visible: box.kind === "id_number"
        anchors { right: parent.right; verticalCenter: frame.verticalCenter }
        variant: "soft"
        text: qsTr("输入 X")
        onClicked: {
            if (!box.editor) return
            box.editor.forceActiveFocus()
            box.editor.insert(box.editor.cursorPosition, "X")
        }
    }
}
