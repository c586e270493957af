import QtQuick
import KioskUi

// 预约签到: with the card booked with, or the appointment code on the digit pad. A check-in gives a ticket in the
// appointment lane (called first within its window). Too early or too late, or an unknown code, is said plainly
// above, with the window where the hall gave one. Portrait stacks the card and the code; landscape puts the card
// (and what the code is) on the left and the digit pad on the right, so both fit the screen.
Item {
    id: screen
    objectName: "queueCheckinScreen"
    property string title: qsTr("预约签到")

    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentHeight: Math.max(left.y + left.height, codeCard.y + codeCard.height) + Theme.margin
        boundsBehavior: Flickable.StopAtBounds

        readonly property real columnWidth: Theme.landscape ? (width - Theme.margin * 3) / 2 : width - Theme.margin * 2

        Column {
            id: left
            x: Theme.margin
            y: Theme.margin
            width: flick.columnWidth
            spacing: Theme.spacing

            // (the navigation bar names the screen: no heading of its own, so the digit pad fits)
            KText {
                width: parent.width
                text: Theme.keepTail(qsTr("已在网上或电话预约的，请在这里签到。签到后在预约时段内优先叫号。"))
                color: Theme.textSecondary
            }

            QueueProblem {
                objectName: "queueCheckinProblem"
                width: parent.width
                visible: queueScreen.checkinProblem !== ""
                text: queueScreen.checkinProblem
                canRetry: queueScreen.canRetry
                onRetry: queueScreen.retryTake()
                onDismiss: queueScreen.dismissProblem()
            }

            // By card: the one booked with.
            Rectangle {
                objectName: "queueCheckinCard"
                width: parent.width
                height: cardColumn.implicitHeight + Theme.px(48)
                radius: Theme.radius
                color: Theme.surface
                border.width: Theme.borderWidth
                border.color: Theme.divider
                Column {
                    id: cardColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                    spacing: Theme.spacing
                    Row {
                        width: parent.width
                        spacing: Theme.px(18)
                        Icon { id: cardIcon; name: "idcard"; color: Theme.primary; size: Theme.px(Theme.elder ? 64 : 56) }
                        Column {
                            width: parent.width - cardIcon.width - parent.spacing
                            anchors.verticalCenter: parent.verticalCenter
                            KText {
                                width: parent.width
                                text: qsTr("用身份证签到")
                                font.pixelSize: Theme.fontHeading
                                font.weight: Font.Bold
                            }
                            KText {
                                width: parent.width
                                text: identitySession.active
                                      ? qsTr("已读取 %1 的证件。").arg(identitySession.maskedName)
                                      : Theme.keepTail(qsTr("请用预约时登记的身份证。"))
                                color: Theme.textSecondary
                            }
                        }
                    }
                    BigButton {
                        objectName: "queueCheckinCardButton"
                        width: parent.width
                        iconName: "idcard"
                        text: identitySession.active ? qsTr("用这张证件签到") : qsTr("刷身份证签到")
                        onClicked: queueScreen.checkInWithCard()
                    }
                }
            }

            // Landscape: what the code is, beside the pad.
            Rectangle {
                visible: Theme.landscape
                width: parent.width
                height: codeInfo.implicitHeight + Theme.px(48)
                radius: Theme.radius
                color: Theme.surface
                border.width: Theme.borderWidth
                border.color: Theme.divider
                Column {
                    id: codeInfo
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                    spacing: Theme.spacing
                    QueueCodeHeading { width: parent.width; arrow: true }
                    BigButton {
                        width: parent.width
                        variant: "soft"
                        fontSize: Theme.fontSecondary
                        text: pad.withLetters ? qsTr("回到数字键输入") : qsTr("预约码里有字母？用键盘输入")
                        onClicked: pad.toggleLetters()
                    }
                }
            }
        }

        // By the appointment code.
        Rectangle {
            id: codeCard
            objectName: "queueCheckinCode"
            x: Theme.landscape ? Theme.margin * 2 + flick.columnWidth : Theme.margin
            y: Theme.landscape ? Theme.margin : left.y + left.height + Theme.spacing
            width: flick.columnWidth
            height: codeColumn.implicitHeight + Theme.px(48)
            radius: Theme.radius
            color: Theme.surface
            border.width: Theme.borderWidth
            border.color: Theme.divider
            Column {
                id: codeColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                spacing: Theme.spacing
                QueueCodeHeading { width: parent.width; visible: !Theme.landscape }
                QueueCodePad { id: pad; width: parent.width; lettersButtonShown: !Theme.landscape }
            }
        }
    }

    QueueBusy {
        objectName: "queueCheckingIn"
        anchors.fill: parent
        visible: queueScreen.busy
        text: qsTr("正在签到，请稍候…")
    }
}
