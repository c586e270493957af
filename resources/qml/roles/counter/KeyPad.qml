import QtQuick
import KioskUi

// Keys for a small touch screen: the letters given (the hall's number prefixes) and digits, 删除 and an extra
// key. Each tap types into `target` (a TextInput) without taking its focus.
Grid {
    id: pad
    property var target: null
    property var letters: []
    property string extraText: ""
    signal extraClicked()
    columns: 3
    spacing: Theme.px(10)
    property real key: Theme.px(96)

    function type(text) {
        if (!target) return
        target.insert(target.cursorPosition, text)
    }

    Repeater {
        model: pad.letters
        delegate: PadKey { required property string modelData; text: modelData; onClicked: pad.type(modelData) }
    }
    Repeater {
        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
        delegate: PadKey { required property string modelData; text: modelData; onClicked: pad.type(modelData) }
    }
    PadKey {
        text: qsTr("删除")
        small: true
        onClicked: if (pad.target && pad.target.cursorPosition > 0)
                       pad.target.remove(pad.target.cursorPosition - 1, pad.target.cursorPosition)
    }
    PadKey { text: "0"; onClicked: pad.type("0") }
    PadKey { text: pad.extraText; small: true; visible: pad.extraText !== ""; onClicked: pad.extraClicked() }

    component PadKey: Rectangle {
        id: key
        property string text: ""
        property bool small: false
        signal clicked()
        width: pad.key * 1.3
        height: pad.key
        radius: Theme.px(10)
        color: keyArea.containsPress ? Theme.surfacePressed : Theme.surface
        border.width: 1
        border.color: Theme.fieldBorder
        Accessible.role: Accessible.Button
        Accessible.name: text
        KText {
            anchors.centerIn: parent
            text: key.text
            font.pixelSize: key.small ? Theme.px(28) : Theme.px(38)
            font.weight: Font.Medium
            color: Theme.textOnSoft
            wrapMode: Text.NoWrap
        }
        MouseArea { id: keyArea; anchors.fill: parent; onClicked: key.clicked() }
    }
}
