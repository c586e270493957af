import QtQuick
import KioskUi

// Every answer before the form is taken in, step by step, each step with 修改; then 确认提交并打印.
// What the citizen typed is shown in full, to be checked; personal answers read from the card (name, ID
// number, address) are masked, with 来自证件: they need no checking, and the printout has them whole.
Item {
    id: screen
    objectName: "formReviewScreen"
    property string title: qsTr("核对填写内容")
    readonly property bool submitting: formFlow.state === "submitting"

    Flickable {
        id: flick
        objectName: "formReviewFlickable"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: bar.top }
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds

        Column {
            id: body
            x: (flick.width - width) / 2
            y: Theme.margin
            width: Math.min(flick.width - Theme.margin * 2, Theme.px(1400))
            spacing: Theme.spacing * 1.5

            ScreenHeading {
                width: parent.width
                title: formFlow.title
                hint: qsTr("请仔细核对下面的内容。需要改动的，点该部分右边的“修改”。")
            }

            Repeater {
                model: formFlow.reviewSteps
                Rectangle {
                    id: card
                    objectName: "formReviewStep_" + index
                    width: body.width
                    height: cardColumn.implicitHeight + Theme.px(48)
                    radius: Theme.radius
                    color: Theme.surface
                    border.width: Theme.borderWidth
                    border.color: Theme.divider
                    readonly property var step: modelData

                    Column {
                        id: cardColumn
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                        spacing: Theme.smallSpacing
                        Item {
                            width: parent.width
                            height: Math.max(stepTitle.implicitHeight, editButton.height)
                            KText {
                                id: stepTitle
                                anchors { left: parent.left; right: editButton.left; rightMargin: Theme.spacing
                                          verticalCenter: parent.verticalCenter }
                                text: qsTr("第 %1 步　%2").arg(card.step.index + 1).arg(card.step.title)
                                font.pixelSize: Theme.fontHeading
                                font.weight: Font.Bold
                            }
                            BigButton {
                                id: editButton
                                objectName: "formReviewEdit_" + card.step.index
                                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                                variant: "secondary"
                                iconName: "edit"
                                text: qsTr("修改")
                                enabled: !screen.submitting
                                onClicked: formFlow.editStep(card.step.index)
                            }
                        }
                        Rectangle { width: parent.width; height: Theme.borderWidth; color: Theme.divider }
                        Repeater {
                            model: card.step.answers
                            Item {
                                width: cardColumn.width
                                height: Math.max(answerLabel.implicitHeight, answerValue.implicitHeight,
                                                 signature.visible ? signature.height : 0) + Theme.px(12)
                                KText {
                                    id: answerLabel
                                    width: parent.width * (Theme.landscape ? 0.28 : 0.34)
                                    text: modelData.label
                                    color: Theme.textSecondary
                                }
                                KText {
                                    id: answerValue
                                    objectName: "formReviewValue_" + modelData.key
                                    x: answerLabel.width + Theme.spacing
                                    width: parent.width - x
                                    visible: modelData.fieldType !== "signature"
                                    text: modelData.fromCard ? qsTr("%1（来自证件）").arg(modelData.text) : modelData.text
                                    font.weight: Font.Medium
                                    wrapMode: Text.WrapAnywhere
                                }
                                SignatureView {
                                    id: signature
                                    objectName: "formReviewSignature"
                                    x: answerLabel.width + Theme.spacing
                                    visible: modelData.fieldType === "signature"
                                    width: Math.min(parent.width - x, Theme.px(420))
                                    height: Theme.px(150)
                                    strokes: visible ? formFlow.signatureStrokes : []
                                }
                            }
                        }
                    }
                }
            }

            KText {
                width: parent.width
                text: formFlow.canPrint
                      ? qsTr("点“确认提交并打印”后，表单交给受理部门，并打印一份带回执编号的表单给您。")
                      : qsTr("点“确认提交”后，表单交给受理部门，屏幕上会显示回执编号。")
                color: Theme.textSecondary
            }
        }
    }

    Rectangle {
        id: bar
        objectName: "formReviewBar"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: barColumn.implicitHeight + Theme.px(28)
        color: Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.divider }
        Column {
            id: barColumn
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.margin; rightMargin: Theme.margin }
            spacing: Theme.smallSpacing
            Row {
                width: parent.width
                spacing: Theme.px(12)
                visible: formFlow.submitMessage !== ""
                Icon { id: problemIcon; name: "alert"; color: Theme.errorText; size: Theme.px(40) }
                KText {
                    objectName: "formSubmitMessage"
                    width: parent.width - problemIcon.width - parent.spacing
                    text: formFlow.submitMessage
                    color: Theme.errorText
                    font.weight: Font.Bold
                }
            }
            BigButton {
                objectName: "formSubmitButton"
                width: parent.width
                enabled: !screen.submitting
                iconName: screen.submitting ? "clock" : "check"
                fontSize: Theme.fontHeading
                text: screen.submitting ? qsTr("正在提交，请稍候…")
                      : formFlow.canPrint ? qsTr("确认提交并打印") : qsTr("确认提交")
                onClicked: formFlow.submit()
            }
        }
    }
}
