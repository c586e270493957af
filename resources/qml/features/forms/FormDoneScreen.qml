import QtQuick
import KioskUi

// The form is taken in: its receipt number (回执编号) large and in pieces, whether it is on its way to the
// department, and the printout — printed, failed (the printer's own words, 重新打印 or finish without it), or no
// printer on this terminal. 完成 ends the form and offers the rating of its case.
Item {
    id: screen
    objectName: "formDoneScreen"
    property string title: qsTr("表单已提交")
    readonly property string printState: formFlow.printState
    // A failed print needs the citizen: its message and buttons come into view.
    onPrintStateChanged: if (printState === "failed") Qt.callLater(showPrintCard)
    Component.onCompleted: if (printState === "failed") Qt.callLater(showPrintCard)
    // 返回 from here cannot go back into the form (it is taken in): it ends the form like 完成, so the rating of
    // the new case is offered either way (the citizen may skip it).
    function goBack() { formFlow.done() }
    function showPrintCard() {
        body.forceLayout()
        const bottom = printCard.y + printCard.height + Theme.spacing
        if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(bottom - flick.height, Math.max(0, flick.contentHeight - flick.height))
    }

    Flickable {
        id: flick
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

            Row {
                spacing: Theme.spacing
                Rectangle {
                    width: Theme.px(Theme.elder ? 104 : 92); height: width; radius: width / 2
                    color: Theme.successText
                    anchors.verticalCenter: parent.verticalCenter
                    Icon { anchors.centerIn: parent; name: "check"; color: Theme.textOnPrimary; size: parent.width * 0.62 }
                }
                Column {
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: Theme.px(4)
                    KText {
                        objectName: "formDoneHeading"
                        text: qsTr("表单已提交")
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.Bold
                        color: Theme.successText
                    }
                    KText { text: formFlow.title; color: Theme.textSecondary; width: body.width - Theme.px(140) }
                }
            }

            Rectangle {
                objectName: "formReceiptCard"
                width: parent.width
                height: receiptColumn.implicitHeight + Theme.px(56)
                radius: Theme.radius
                color: Theme.surface
                border.width: Theme.px(3)
                border.color: Theme.primary
                Column {
                    id: receiptColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28) }
                    spacing: Theme.smallSpacing
                    KText { text: qsTr("回执编号"); font.weight: Font.Bold; color: Theme.textOnSoft }
                    Flow {
                        objectName: "formReceipt"
                        width: parent.width
                        spacing: Theme.px(10)
                        Accessible.role: Accessible.StaticText
                        Accessible.name: formFlow.receiptParts.join(" ")
                        Repeater {
                            model: formFlow.receiptParts
                            Row {
                                spacing: Theme.px(10)
                                Rectangle {
                                    width: part.implicitWidth + Theme.px(24)
                                    height: part.implicitHeight + Theme.px(8)
                                    radius: Theme.px(8)
                                    color: Theme.primarySoft
                                    KText {
                                        id: part
                                        objectName: "formReceiptPart_" + index
                                        anchors.centerIn: parent
                                        text: modelData
                                        color: Theme.text
                                        font.pixelSize: Theme.px(Theme.elder ? 66 : 58)
                                        font.weight: Font.Bold
                                        font.letterSpacing: Theme.px(2)
                                    }
                                }
                            }
                        }
                    }
                    KText {
                        width: parent.width
                        text: qsTr("凭回执编号可以查询办理进度，请妥善保管。")
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontSecondary
                    }
                }
            }

            Rectangle {
                id: printCard
                objectName: "formPrintCard"
                width: parent.width
                height: printColumn.implicitHeight + Theme.px(48)
                radius: Theme.radius
                color: screen.printState === "failed" ? Theme.errorSurface
                     : screen.printState === "printed" ? "#E6F4EA"
                     : screen.printState === "noPrinter" ? Theme.warningSurface : Theme.surface
                border.width: Theme.borderWidth
                border.color: screen.printState === "failed" ? "#E6A3A9" : Theme.divider
                Column {
                    id: printColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                    spacing: Theme.spacing
                    Row {
                        width: parent.width
                        spacing: Theme.px(16)
                        Icon {
                            id: printIcon
                            name: screen.printState === "failed" || screen.printState === "noPrinter" ? "alert" : "print"
                            color: screen.printState === "failed" ? Theme.errorText
                                 : screen.printState === "noPrinter" ? Theme.warningText
                                 : screen.printState === "printed" ? Theme.successText : Theme.primary
                            size: Theme.px(48)
                        }
                        KText {
                            objectName: "formPrintStatus"
                            width: parent.width - printIcon.width - parent.spacing
                            anchors.verticalCenter: parent.verticalCenter
                            font.weight: Font.Bold
                            color: screen.printState === "failed" ? Theme.errorText
                                 : screen.printState === "noPrinter" ? Theme.warningText
                                 : screen.printState === "printed" ? Theme.successText : Theme.text
                            text: screen.printState === "printed" ? qsTr("已打印，请从出纸口取走您的表单。")
                                : screen.printState === "failed" ? qsTr("没有打印成功：%1").arg(formFlow.printMessage)
                                : screen.printState === "noPrinter" ? qsTr("本机没有连接打印机，请记下回执编号")
                                : qsTr("正在打印您的表单，请稍候…")
                        }
                    }
                    KText {
                        width: parent.width
                        visible: screen.printState === "failed"
                        text: qsTr("您填写的内容已经提交，不需要重新填写。")
                    }
                    Flow {
                        width: parent.width
                        spacing: Theme.spacing
                        visible: screen.printState === "failed"
                        BigButton {
                            objectName: "formPrintAgainButton"
                            iconName: "refresh"
                            text: qsTr("重新打印")
                            onClicked: formFlow.printAgain()
                        }
                        BigButton {
                            objectName: "formSkipPrintButton"
                            variant: "secondary"
                            text: qsTr("不打印，直接完成")
                            onClicked: formFlow.done()
                        }
                    }
                }
            }

            Row {
                width: parent.width
                spacing: Theme.px(16)
                Icon { id: uploadIcon; name: syncState.online ? "refresh" : "clock"; color: Theme.textOnSoft; size: Theme.px(44) }
                KText {
                    objectName: "formUploadStatus"
                    width: parent.width - uploadIcon.width - parent.spacing
                    text: syncState.online ? qsTr("表单正在上传给受理部门，您不需要再做什么。")
                                           : qsTr("表单已保存在本机，网络恢复后自动上传，您不需要再做什么。")
                }
            }
        }
    }

    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: doneButton.height + Theme.px(28)
        color: Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.divider }
        BigButton {
            id: doneButton
            objectName: "formDoneButton"
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.margin; rightMargin: Theme.margin }
            iconName: "check"
            fontSize: Theme.fontHeading
            text: qsTr("完成")
            onClicked: formFlow.done()
        }
    }
}
