import QtQuick
import KioskUi

// One question of a form: its label (必填 said in words), the help text, the answer, and the domain's message
// once the citizen has left the field or pressed 下一步. `field` is the row of formFlow.fields.
Column {
    id: question
    property var field
    readonly property string key: field ? field.key : ""
    readonly property string fieldType: field ? field.fieldType : ""
    readonly property bool showsProblem: field !== undefined && field !== null && field.message !== ""
    objectName: "formField_" + key
    spacing: Theme.smallSpacing

    Row {
        width: parent.width
        spacing: Theme.px(14)
        KText {
            id: label
            objectName: "formLabel_" + question.key
            width: Math.min(implicitWidth, parent.width - mark.width - parent.spacing)
            anchors.verticalCenter: parent.verticalCenter
            text: question.field ? question.field.label : ""
            font.pixelSize: Theme.fontHeading
            font.weight: Font.Bold
        }
        Rectangle {
            id: mark
            readonly property bool required_: !!(question.field && question.field.mandatory)
            visible: !!(question.field && !question.field.locked)
            anchors.verticalCenter: parent.verticalCenter
            radius: Theme.px(8)
            color: required_ ? Theme.errorSurface : "transparent"
            width: visible ? markText.implicitWidth + (required_ ? Theme.px(20) : 0) : 0
            height: markText.implicitHeight + Theme.px(4)
            KText {
                id: markText
                anchors.centerIn: parent
                text: mark.required_ ? qsTr("必填") : qsTr("（选填）")
                color: mark.required_ ? Theme.errorText : Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
                font.weight: mark.required_ ? Font.Bold : Font.Normal
            }
        }
    }

    KText {
        width: parent.width
        visible: text !== ""
        text: question.field && !question.field.locked ? question.field.help : ""
        color: Theme.textSecondary
        font.pixelSize: Theme.fontSecondary
    }

    Loader {
        id: input
        width: parent.width
        sourceComponent: !question.field ? null
                         : question.field.locked ? lockedComponent
                         : question.fieldType === "choice" || question.fieldType === "multi_choice" ? optionsComponent
                         : question.fieldType === "signature" ? signatureComponent
                         : question.fieldType === "date" ? dateComponent
                         : textComponent
    }

    Item {  // not a Row: its height must be known at once, so the page can scroll to a message just shown
        width: parent.width
        visible: question.showsProblem
        implicitHeight: Math.max(alertIcon.height, messageText.implicitHeight)
        Icon { id: alertIcon; name: "alert"; color: Theme.errorText; size: Theme.px(40); y: Theme.px(4) }
        KText {
            id: messageText
            objectName: "formMessage_" + question.key
            x: alertIcon.width + Theme.px(12)
            width: parent.width - x
            text: question.field ? question.field.message : ""
            color: Theme.errorText
            font.weight: Font.Bold
        }
    }
    KText {
        width: parent.width
        visible: question.showsProblem && !!question.field.locked
        text: qsTr("这一项来自您的证件，在这里不能修改。请到服务窗口，请工作人员帮您核对。")
        color: Theme.errorText
    }

    Component {
        id: lockedComponent
        FormLockedValue { field: question.field }
    }
    Component {
        id: textComponent
        FormTextInput { field: question.field; problem: question.showsProblem }
    }
    Component {
        id: dateComponent
        FormDateInput { field: question.field; problem: question.showsProblem }
    }
    Component {
        id: optionsComponent
        FormOptions { field: question.field }
    }
    Component {
        id: signatureComponent
        SignaturePad {
            problem: question.showsProblem
            strokes: formFlow.signatureStrokes
            onStrokeFinished: (points) => formFlow.addStroke(points)
            onCleared: formFlow.clearSignature()
        }
    }
}
