import QtQuick
import KioskUi

// The ticket: the number very large, the service, how many are ahead and about how long, the counters, the time,
// and the QR code of the ticket's phone page (follow the queue, rate later). Printed: take it from the slot. Not
// printed (no paper, a printer fault, no printer): the ticket is valid all the same; the screen says so plainly,
// shows the QR code large, and asks the citizen to photograph the screen or remember the number. Everything fits
// one screen (one photograph): portrait puts the QR code in the ticket beside its details; landscape puts the
// ticket on the left and what happened, the QR code and the buttons on the right.
Item {
    id: screen
    objectName: "queueTicketScreen"
    readonly property string printState: queueScreen.printState
    readonly property bool onScreenOnly: printState === "failed" || printState === "none"
    property string title: onScreenOnly ? qsTr("您的号码") : qsTr("取号成功")
    readonly property real qrSize: Theme.px(onScreenOnly ? (Theme.landscape ? 290 : Theme.elder ? 360 : 330)
                                                         : (Theme.elder ? 260 : 230))

    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds

        Grid {
            id: body
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            columns: Theme.landscape ? 2 : 1
            spacing: Theme.spacing
            readonly property real cellWidth: Theme.landscape ? (width - spacing) / 2 : width

            // Portrait: what happened to the printout comes first.
            Loader {
                active: !Theme.landscape
                visible: active
                width: body.cellWidth
                sourceComponent: printCardComponent
            }

            // The ticket as printed, large.
            Column {
                width: body.cellWidth
                spacing: Theme.spacing
            Rectangle {
                objectName: "queueTicketCard"
                width: parent.width
                height: ticketColumn.implicitHeight + Theme.px(48)
                radius: Theme.radius
                color: Theme.surface
                border.width: Theme.px(3)
                border.color: Theme.primary
                Column {
                    id: ticketColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                    spacing: Theme.px(4)
                    KText {
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: queueScreen.ticketHall
                        color: Theme.textSecondary
                    }
                    KText {
                        objectName: "queueTicketService"
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: queueScreen.ticketService
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.Bold
                    }
                    Text {
                        objectName: "queueTicketNumber"
                        width: parent.width
                        height: Theme.px(Theme.elder ? 250 : 220)
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        text: queueScreen.ticketNumber
                        color: Theme.primary
                        font.pixelSize: Theme.px(Theme.elder ? 230 : 200)
                        font.weight: Font.Bold
                        fontSizeMode: Text.HorizontalFit
                        minimumPixelSize: Theme.px(100)
                        Accessible.role: Accessible.StaticText
                        Accessible.name: qsTr("您的号码 %1").arg(text)
                    }
                    KText {
                        objectName: "queueTicketAhead"
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: queueScreen.ticketAhead > 0 ? qsTr("前面还有 %n 人等候", "", queueScreen.ticketAhead)
                                                          : qsTr("前面没有人等候，请留意叫号")
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.Bold
                    }
                    KText {
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        visible: queueScreen.ticketAhead > 0 && queueScreen.ticketWaitMinutes > 0
                        text: qsTr("预计等候约 %n 分钟", "", queueScreen.ticketWaitMinutes)
                    }
                    Item { width: 1; height: Theme.px(6) }
                    Rectangle { width: parent.width; height: Theme.borderWidth; color: Theme.divider }
                    Item { width: 1; height: Theme.px(6) }
                    Row {
                        width: parent.width
                        spacing: Theme.spacing
                        Column {
                            id: details
                            width: parent.width - (portraitQr.active ? portraitQr.width + parent.spacing : 0)
                            anchors.verticalCenter: parent.verticalCenter
                            spacing: Theme.px(6)
                            KText {
                                objectName: "queueTicketCounters"
                                width: parent.width
                                visible: queueScreen.ticketCounters !== ""
                                text: qsTr("办理窗口：%1 号窗口").arg(queueScreen.ticketCounters)
                            }
                            KText {
                                objectName: "queueTicketLane"
                                width: parent.width
                                visible: queueScreen.ticketLane !== ""
                                text: queueScreen.ticketLane
                                color: Theme.successText
                                font.weight: Font.Bold
                            }
                            KText {
                                width: parent.width
                                text: qsTr("取号时间：%1").arg(queueScreen.ticketTakenAt)
                                color: Theme.textSecondary
                            }
                            KText {
                                width: parent.width
                                visible: portraitQr.active
                                text: Theme.keepTail(qsTr("用手机扫右边的二维码，可以随时查看排队进度，办完后还可以评价。"))
                                color: Theme.textSecondary
                                font.pixelSize: Theme.fontSecondary
                            }
                        }
                        Loader {
                            id: portraitQr
                            active: !Theme.landscape && queueScreen.ticketQr !== ""
                            visible: active
                            width: screen.qrSize
                            height: width
                            sourceComponent: qrComponent
                        }
                    }
                }
            }
            KText {
                width: parent.width
                visible: Theme.landscape
                text: Theme.keepTail(qsTr("请留意叫号屏和广播。过号了请到服务台咨询。"))
                color: Theme.textSecondary
            }
            }

            // Landscape: what happened, the QR code and the buttons beside the ticket.
            Column {
                width: body.cellWidth
                spacing: Theme.spacing
                Loader {
                    active: Theme.landscape
                    visible: active
                    width: parent.width
                    sourceComponent: printCardComponent
                }
                Row {
                    visible: Theme.landscape && queueScreen.ticketQr !== ""
                    width: parent.width
                    spacing: Theme.spacing
                    Loader {
                        active: parent.visible
                        width: screen.qrSize
                        height: width
                        sourceComponent: qrComponent
                    }
                    KText {
                        width: parent.width - screen.qrSize - parent.spacing
                        anchors.verticalCenter: parent.verticalCenter
                        text: Theme.keepTail(qsTr("用手机扫左边的二维码，可以随时查看排队进度，办完后还可以评价。"))
                    }
                }
                KText {
                    width: parent.width
                    visible: !Theme.landscape
                    text: Theme.keepTail(qsTr("请留意叫号屏和广播。过号了请到服务台咨询。"))
                    color: Theme.textSecondary
                }
                Flow {
                    width: parent.width
                    spacing: Theme.spacing
                    BigButton {
                        objectName: "queuePrintAgainButton"
                        visible: queueScreen.printState === "failed"
                        variant: "secondary"
                        iconName: "print"
                        text: qsTr("重新打印")
                        onClicked: queueScreen.printAgain()
                    }
                    BigButton {
                        objectName: "queueDoneButton"
                        iconName: "check"
                        text: qsTr("完成")
                        onClicked: queueScreen.finish()
                    }
                }
            }
        }
    }

    Component {
        id: printCardComponent
        Rectangle {
            objectName: "queuePrintCard"
            height: printColumn.implicitHeight + Theme.px(40)
            radius: Theme.radius
            color: screen.onScreenOnly ? Theme.warningSurface : screen.printState === "printed" ? "#E6F4EA" : Theme.surface
            border.width: Theme.borderWidth
            border.color: screen.onScreenOnly ? Theme.warningText : Theme.divider
            Column {
                id: printColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(20) }
                spacing: Theme.px(6)
                Row {
                    width: parent.width
                    spacing: Theme.px(16)
                    Icon {
                        id: printIcon
                        name: screen.onScreenOnly ? "alert" : screen.printState === "printed" ? "check" : "print"
                        color: screen.onScreenOnly ? Theme.warningText
                             : screen.printState === "printed" ? Theme.successText : Theme.primary
                        size: Theme.px(Theme.elder ? 60 : 52)
                    }
                    KText {
                        objectName: "queuePrintStatus"
                        width: parent.width - printIcon.width - parent.spacing
                        anchors.verticalCenter: parent.verticalCenter
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.Bold
                        color: screen.onScreenOnly ? Theme.warningText
                             : screen.printState === "printed" ? Theme.successText : Theme.text
                        text: screen.onScreenOnly ? qsTr("号票没有打印出来，但您的号码有效")
                            : screen.printState === "printed" ? qsTr("号票已打印，请从出纸口取走")
                            : qsTr("正在打印号票，请稍候…")
                    }
                }
                KText {
                    objectName: "queueKeepNumber"
                    visible: screen.onScreenOnly
                    width: parent.width
                    text: Theme.keepTail(qsTr("请用手机拍下这个屏幕，或记住您的号码，叫到号时到窗口办理即可。"))
                    color: Theme.warningText
                }
                KText {
                    objectName: "queuePrintProblem"
                    visible: screen.onScreenOnly && queueScreen.printProblem !== ""
                    width: parent.width
                    text: queueScreen.printProblem
                    color: Theme.warningText
                    font.pixelSize: Theme.fontSecondary
                }
            }
        }
    }

    Component {
        id: qrComponent
        Rectangle {
            color: "white"
            border.width: Theme.borderWidth
            border.color: Theme.divider
            Image {
                objectName: "onlineQr"  // (the screenshot tool waits for it to load)
                readonly property bool loaded: status === Image.Ready
                anchors.fill: parent
                anchors.margins: Theme.px(6)
                source: queueScreen.ticketQr !== "" ? "image://qr/" + encodeURIComponent(queueScreen.ticketQr) : ""
                sourceSize.width: width
                sourceSize.height: height
                fillMode: Image.PreserveAspectFit
                smooth: false
                cache: false
            }
        }
    }
}
