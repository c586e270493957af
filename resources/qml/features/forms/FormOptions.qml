import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// The options of a choice (one, round marks) or a multi_choice (several, square marks with a tick): large
// buttons, two or three to a row when the labels are short.
Grid {
    id: grid
    property var field
    readonly property bool multi: !!field && field.fieldType === "multi_choice"
    readonly property var options: field ? field.options : []
    readonly property int longest: {
        let n = 0
        for (let i = 0; i < options.length; ++i) n = Math.max(n, options[i].label.length)
        return n
    }
    columns: longest <= 6 ? (Theme.landscape ? 3 : 2) : longest <= 10 && !Theme.elder ? 2 : 1
    spacing: Theme.px(16)
    readonly property real cellWidth: (width - spacing * (columns - 1)) / columns

    Repeater {
        model: grid.options
        AbstractButton {
            id: option
            objectName: "formOption_" + (grid.field ? grid.field.key : "") + "_" + modelData.value
            readonly property bool chosen: grid.field ? grid.field.chosen.indexOf(modelData.value) >= 0 : false
            width: grid.cellWidth
            implicitHeight: Math.max(Theme.buttonHeight, optionLabel.implicitHeight + Theme.px(28))
            focusPolicy: Qt.NoFocus
            checkable: false
            Accessible.role: grid.multi ? Accessible.CheckBox : Accessible.RadioButton
            Accessible.name: modelData.label
            Accessible.checked: chosen
            onClicked: formFlow.toggle(grid.field.key, modelData.value)

            background: Rectangle {
                radius: Theme.radius
                color: option.down ? Theme.surfacePressed : option.chosen ? Theme.primarySoft : Theme.surface
                border.width: option.chosen ? Theme.px(4) : Theme.borderWidth
                border.color: option.chosen ? Theme.primary : Theme.fieldBorder
            }
            contentItem: Item {
                Rectangle {
                    id: mark
                    anchors { left: parent.left; leftMargin: Theme.px(22); verticalCenter: parent.verticalCenter }
                    width: Theme.px(Theme.elder ? 48 : 42)
                    height: width
                    radius: grid.multi ? Theme.px(6) : width / 2
                    color: option.chosen && grid.multi ? Theme.primary : Theme.surface
                    border.width: Theme.px(3)
                    border.color: option.chosen ? Theme.primary : Theme.textSecondary
                    Rectangle {  // the dot of a chosen radio option
                        visible: option.chosen && !grid.multi
                        anchors.centerIn: parent
                        width: parent.width * 0.5
                        height: width
                        radius: width / 2
                        color: Theme.primary
                    }
                    Icon {
                        visible: option.chosen && grid.multi
                        anchors.centerIn: parent
                        name: "check"
                        color: Theme.textOnPrimary
                        size: parent.width * 0.8
                    }
                }
                KText {
                    id: optionLabel
                    anchors { left: mark.right; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: Theme.px(18); rightMargin: Theme.px(16) }
                    text: modelData.label
                    font.weight: option.chosen ? Font.Bold : Font.Normal
                    font.pixelSize: Theme.fontBody
                }
            }
        }
    }
}
