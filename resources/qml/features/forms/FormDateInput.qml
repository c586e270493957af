import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// A date as three large boxes, 年 月 日, typed on the digit pad; the next box takes over when one is full.
// The view-model receives YYYY-M-D (or nothing while all three are empty) and checks it. A birth date read
// from the card shows its month and day masked (as the masked ID number hides them) until the citizen taps in.
Item {
    id: box
    property var field
    property bool problem: false
    readonly property string key: field ? field.key : ""
    readonly property string modelValue: field ? field.value : ""
    readonly property bool showsMasked: !!field && field.maskedText !== ""
                                        && !(year.editing || month.editing || day.editing)
    implicitHeight: column.implicitHeight

    function parts(value) {
        const m = /^(\d{0,4})-(\d{0,2})-(\d{0,2})$/.exec(value)
        return m ? [m[1], m[2], m[3]] : ["", "", ""]
    }
    function send() {
        const y = year.text, m = month.text, d = day.text
        formFlow.setValue(box.key, (y + m + d) === "" ? "" : y + "-" + m + "-" + d)
    }
    function anyFocus() { return year.editing || month.editing || day.editing }
    onModelValueChanged: {
        if (anyFocus()) return
        const p = parts(modelValue)
        year.text = p[0]; month.text = p[1]; day.text = p[2]
    }
    Component.onCompleted: {
        const p = parts(modelValue)
        year.text = p[0]; month.text = p[1]; day.text = p[2]
    }

    Timer {  // leaving one box for the next of the same date is not leaving the field
        id: leftTimer
        interval: 50
        onTriggered: if (!box.anyFocus() && box.field) formFlow.touch(box.key)
    }

    Column {
        id: column
        width: parent.width
        spacing: Theme.px(8)
        Row {
            spacing: Theme.px(14)
            DatePart { id: year; name: "formInput_" + box.key + "_year"; digits: 4; next: month; boxWidth: Theme.px(Theme.elder ? 200 : 170) }
            DateUnit { text: qsTr("年"); part: year; name: "formUnit_" + box.key + "_year" }
            DatePart { id: month; name: "formInput_" + box.key + "_month"; digits: 2; next: day; boxWidth: Theme.px(Theme.elder ? 130 : 110); masked: box.showsMasked }
            DateUnit { text: qsTr("月"); part: month; name: "formUnit_" + box.key + "_month" }
            DatePart { id: day; name: "formInput_" + box.key + "_day"; digits: 2; boxWidth: Theme.px(Theme.elder ? 130 : 110); masked: box.showsMasked }
            DateUnit { text: qsTr("日"); part: day; name: "formUnit_" + box.key + "_day" }
        }
        KText {
            width: parent.width
            text: qsTr("例如 1956 年 3 月 8 日：年填 1956，月填 3，日填 8")
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
        }
    }

    // 年, 月, 日: large words, and a target as tall as the box that puts the finger into the box before it.
    component DateUnit: Item {
        id: unit
        property alias text: unitText.text
        property Item part: null
        property string name: ""
        objectName: name
        width: Math.max(Theme.px(64), unitText.implicitWidth)
        height: Theme.buttonHeight + Theme.px(8)
        Text {
            id: unitText
            anchors.centerIn: parent
            color: Theme.text
            font.pixelSize: Theme.fontHeading
            font.weight: Font.Bold
        }
        MouseArea {
            anchors.fill: parent
            onClicked: if (unit.part) unit.part.takeFocus()
        }
    }

    component DatePart: Rectangle {
        id: part
        property int digits: 2
        property Item next: null
        property real boxWidth: Theme.px(110)
        property string name: ""
        property bool masked: false
        property alias text: editor.text
        readonly property bool editing: editor.activeFocus
        width: boxWidth
        height: Theme.buttonHeight + Theme.px(8)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: box.problem ? Theme.errorText : editor.activeFocus ? Theme.primary : Theme.fieldBorder
        function takeFocus() { editor.forceActiveFocus(); editor.selectAll() }
        TextField {
            id: editor
            objectName: part.name
            anchors { fill: parent; margins: Theme.px(6) }
            horizontalAlignment: TextInput.AlignHCenter
            font.pixelSize: Theme.fontBody + Theme.px(6)
            color: part.masked ? "transparent" : Theme.text
            background: Item {}
            maximumLength: part.digits
            inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText
            validator: RegularExpressionValidator { regularExpression: /\d*/ }
            onTextEdited: {
                box.send()
                if (text.length === part.digits && part.next) part.next.takeFocus()
            }
            onActiveFocusChanged: if (!activeFocus) leftTimer.restart()
        }
        Text {
            anchors.centerIn: parent
            visible: part.masked
            text: "**"
            color: Theme.text
            font.pixelSize: Theme.fontBody + Theme.px(6)
        }
    }
}
