import QtQuick
import KioskUi

// A labelled one-line entry of the counter's forms: keyboard first (Tab, Enter), a clear edge (≥ 3:1).
Item {
    id: field
    property string label: ""
    property alias text: input.text
    property alias input: input
    property bool secret: false
    property string hint: ""
    property int maximumLength: 16
    property var validator: null
    signal accepted()
    implicitHeight: box.height + (hintText.visible ? hintText.implicitHeight + Theme.px(4) : 0)

    KText {
        id: caption
        anchors { left: parent.left; verticalCenter: box.verticalCenter }
        width: Theme.px(150)
        text: field.label
        font.pixelSize: Theme.px(30)
        wrapMode: Text.NoWrap
    }
    Rectangle {
        id: box
        anchors { left: caption.right; right: parent.right; top: parent.top }
        height: Theme.px(84)
        radius: Theme.px(10)
        color: Theme.surface
        border.width: input.activeFocus ? Theme.px(4) : Theme.borderWidth
        border.color: input.activeFocus ? Theme.primary : Theme.fieldBorder
        TextInput {
            id: input
            objectName: field.objectName + "Input"
            anchors { fill: parent; leftMargin: Theme.px(18); rightMargin: Theme.px(18) }
            verticalAlignment: TextInput.AlignVCenter
            font.pixelSize: Theme.px(36)
            color: Theme.text
            echoMode: field.secret ? TextInput.Password : TextInput.Normal
            passwordCharacter: "●"
            maximumLength: field.maximumLength
            validator: field.validator
            activeFocusOnTab: true
            selectByMouse: true
            inputMethodHints: Qt.ImhNoPredictiveText | (field.secret ? Qt.ImhSensitiveData | Qt.ImhDigitsOnly : 0)
            Accessible.name: field.label
            onAccepted: field.accepted()
        }
        MouseArea { anchors.fill: parent; onClicked: input.forceActiveFocus(); cursorShape: Qt.IBeamCursor }
    }
    KText {
        id: hintText
        visible: text !== ""
        anchors { left: box.left; right: box.right; top: box.bottom; topMargin: Theme.px(4) }
        text: field.hint
        font.pixelSize: Theme.px(24)
        color: Theme.textSecondary
        elide: Text.ElideRight
        wrapMode: Text.NoWrap
    }
}
