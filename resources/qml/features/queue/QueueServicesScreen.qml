import QtQuick
import KioskUi

// 取号排队: the hall's services as large buttons (two columns, three in landscape) with the number waiting and
// the estimated wait, 预约签到 above them. What the hall refused, or that its answer did not come (再试一次 sends
// the same request again: never a second ticket), shows above the services. A hall that cannot be reached is a
// plain message to ask the staff, not a spinner. The list follows the hall (queueScreen reads it again when the
// shell says the queue changed).
Item {
    id: screen
    objectName: "queueServicesScreen"
    property string title: qsTr("取号排队")
    readonly property string state_: queueScreen.state
    readonly property bool listed: state_ === "ready"

    Flickable {
        id: flick
        objectName: "queueServicesFlickable"
        anchors.fill: parent
        visible: screen.listed
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds

        Column {
            id: body
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.spacing

            Item {
                width: parent.width
                height: Math.max(heading.implicitHeight, Theme.landscape ? checkinButton.height : 0)
                Column {
                    id: heading
                    width: Theme.landscape ? parent.width - checkinButton.width - Theme.spacing : parent.width
                    spacing: Theme.px(6)
                    KText {
                        objectName: "queueHallName"
                        width: parent.width
                        text: queueScreen.hallName
                        font.pixelSize: Theme.fontTitle
                        font.weight: Font.Bold
                    }
                    KText {
                        width: parent.width
                        text: Theme.keepTail(qsTr("请点您要办理的业务，取一个号。"))
                        color: Theme.textSecondary
                    }
                }
                BigButton {
                    id: checkinButton
                    objectName: "queueCheckinButton"
                    visible: Theme.landscape
                    anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                    variant: "soft"
                    iconName: "calendar"
                    text: qsTr("预约签到")
                    onClicked: queueScreen.showCheckin()
                }
            }

            // In portrait the check-in is a card of its own under the heading, with what it is for.
            TaskTile {
                objectName: "queueCheckinTile"
                visible: !Theme.landscape
                width: parent.width
                iconName: "calendar"
                text: qsTr("预约签到")
                description: qsTr("已在网上或电话预约的，请点这里签到")
                onClicked: queueScreen.showCheckin()
            }

            QueueProblem {
                objectName: "queueTakeProblem"
                width: parent.width
                visible: queueScreen.takeProblem !== ""
                text: queueScreen.takeProblem
                canRetry: queueScreen.canRetry
                onRetry: queueScreen.retryTake()
                onDismiss: queueScreen.dismissProblem()
            }

            Grid {
                id: grid
                objectName: "queueServices"
                width: parent.width
                columns: Theme.landscape ? 3 : 2
                spacing: Theme.spacing
                readonly property real cellWidth: (width - spacing * (columns - 1)) / columns
                // Every button as tall as the tallest (long names, English, elder mode).
                property real tallest: 0
                function measure() {
                    let tallest = 0
                    for (let i = 0; i < services.count; ++i) {
                        const button = services.itemAt(i)
                        if (button !== null)
                            tallest = Math.max(tallest, button.implicitHeight)
                    }
                    grid.tallest = tallest
                }
                Repeater {
                    id: services
                    model: queueScreen.services
                    onCountChanged: grid.measure()
                    QueueServiceButton {
                        objectName: "queueServiceButton_" + modelData.code
                        width: grid.cellWidth
                        height: Math.max(implicitHeight, grid.tallest)
                        onImplicitHeightChanged: grid.measure()
                        Component.onCompleted: grid.measure()
                        code: modelData.code
                        name: modelData.name
                        prefix: modelData.prefix
                        waiting: modelData.waiting
                        waitMinutes: modelData.waitMinutes
                        open: modelData.open
                        hours: modelData.hours
                        realName: modelData.realName
                        onClicked: queueScreen.take(modelData.code)
                    }
                }
            }

            KText {
                width: parent.width
                text: Theme.keepTail(qsTr("等候时间是按今天的办理速度估算的，仅供参考。取号后请留意叫号屏和广播。"))
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
            }
        }
    }

    Column {
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        visible: !screen.listed
        spacing: Theme.spacing

        // A take whose answer did not come, while the hall is away: 再试一次 stays at hand.
        QueueProblem {
            objectName: "queueTakeProblemAway"
            width: parent.width
            visible: queueScreen.takeProblem !== ""
            text: queueScreen.takeProblem
            canRetry: queueScreen.canRetry
            onRetry: queueScreen.retryTake()
            onDismiss: queueScreen.dismissProblem()
        }

        StatusNotice {
            objectName: "queueLoading"
            width: parent.width
            visible: screen.state_ === "loading"
            kind: "loading"
            title: qsTr("正在读取排队信息…")
        }

        // The hall cannot be reached: say so plainly and who helps; the rest of the terminal works.
        StatusNotice {
            objectName: "queueUnreachable"
            width: parent.width
            visible: screen.state_ === "unreachable"
            kind: "error"
            title: qsTr("暂时不能取号，请咨询工作人员")
            message: queueScreen.problem
            code: "E-QUEUE"
            actionText: qsTr("重试")
            actionIcon: "refresh"
            onAction: queueScreen.reload()
        }
    }

    QueueBusy {
        objectName: "queueTaking"
        anchors.fill: parent
        visible: queueScreen.busy
        text: qsTr("正在为您取号，请稍候…")
    }
}
