import QtQuick
import KioskUi

// The counter signed in: the ticket being served and the actions on the left, today's counts, the queue, the held
// tickets and the no-shows on the right. Every action is a key (F1 … F12, on its button) and a click.
Item {
    id: panel
    required property var desk
    signal callNumberWanted(string number)

    readonly property var current: desk.current
    readonly property bool serving: desk.hasCurrent
    readonly property bool online: desk.link === "online"
    readonly property bool paused: desk.counterState === "paused"
    readonly property var keys: desk.shortcuts

    Column {
        id: left
        anchors { left: parent.left; top: parent.top; bottom: parent.bottom; margins: Theme.px(24) }
        width: Theme.px(800)
        spacing: Theme.px(16)

        // The ticket being served (or how to call the next one).
        Rectangle {
            id: currentCard
            objectName: "currentTicket"
            width: parent.width
            height: parent.height - actions.height - messageBox.height - 2 * parent.spacing
            radius: Theme.radius
            color: Theme.surface
            border.width: panel.serving ? Theme.borderWidth : 1
            border.color: panel.serving ? Theme.primary : Theme.divider

            Column {
                visible: panel.serving
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                spacing: Theme.px(6)
                Row {
                    spacing: Theme.px(16)
                    KText {
                        text: qsTr("正在办理")
                        font.pixelSize: Theme.px(28)
                        color: Theme.textSecondary
                        anchors.verticalCenter: parent.verticalCenter
                    }
                    Tag {
                        anchors.verticalCenter: parent.verticalCenter
                        text: panel.serving && panel.current.callCount > 1 ? qsTr("已叫 %n 次", "", panel.current.callCount || 0) : ""
                    }
                }
                Row {
                    spacing: Theme.px(28)
                    KText {
                        objectName: "currentNumber"
                        text: panel.serving ? (panel.current.number || "") : ""
                        font.pixelSize: Theme.px(132)
                        font.weight: Font.Bold
                        color: Theme.primary
                        wrapMode: Text.NoWrap
                    }
                    Column {
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: Theme.px(8)
                        KText {
                            text: panel.serving ? (panel.current.serviceName || "") : ""
                            font.pixelSize: Theme.px(40)
                            font.weight: Font.Medium
                            wrapMode: Text.NoWrap
                        }
                        Row {
                            spacing: Theme.px(10)
                            Tag {
                                text: !panel.serving ? ""
                                    : panel.current.priority === "green" ? qsTr("绿色通道 · %1").arg(panel.current.priorityReason || "")
                                    : panel.current.priority === "appointment" ? (panel.current.priorityReason || "") : ""
                                kind: panel.serving && panel.current.priority === "green" ? "green" : "appointment"
                            }
                            Tag { text: panel.serving && panel.current.maskedName ? qsTr("实名：%1").arg(panel.current.maskedName) : "" }
                        }
                    }
                }
                KText {
                    objectName: "currentTimes"
                    text: panel.serving
                          ? qsTr("已等 %n 分钟", "", panel.current.waitedMin || 0) + "  ·  " + qsTr("已办理 %n 分钟", "", panel.current.servingMin || 0)
                          : ""
                    font.pixelSize: Theme.px(30)
                    color: Theme.textSecondary
                }
            }
            Column {
                visible: !panel.serving
                anchors.centerIn: parent
                width: parent.width - Theme.px(48)
                spacing: Theme.px(10)
                KText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: panel.paused ? qsTr("已暂停服务") : qsTr("当前没有正在办理的号")
                    font.pixelSize: Theme.px(40)
                    font.weight: Font.Medium
                }
                KText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    color: Theme.textSecondary
                    font.pixelSize: Theme.px(30)
                    text: panel.paused ? qsTr("按 %1 恢复服务").arg(panel.keys.pause)
                        : desk.queue.length > 0 ? qsTr("按 %1 叫下一位（等候 %2 人）").arg(panel.keys.call).arg(desk.queue.length)
                        : qsTr("现在没有人在等候")
                }
            }
        }

        // The twelve actions, each with its key.
        Grid {
            id: actions
            objectName: "actions"
            width: parent.width
            columns: 4
            spacing: Theme.px(12)
            readonly property real cell: (width - 3 * spacing) / 4
            ActionButton { objectName: "action_call"; width: actions.cell; text: qsTr("叫号"); keyName: panel.keys.call; strong: true
                           available: panel.online && !panel.serving && !panel.paused; onClicked: desk.press(panel.keys.call) }
            ActionButton { objectName: "action_recall"; width: actions.cell; text: qsTr("重呼"); keyName: panel.keys.recall
                           available: panel.online && panel.serving; onClicked: desk.press(panel.keys.recall) }
            ActionButton { objectName: "action_finish"; width: actions.cell; text: qsTr("办结"); keyName: panel.keys.finish; strong: true
                           available: panel.online && panel.serving; onClicked: desk.press(panel.keys.finish) }
            ActionButton { objectName: "action_noShow"; width: actions.cell; text: qsTr("过号"); keyName: panel.keys.noShow
                           available: panel.online && panel.serving; onClicked: desk.press(panel.keys.noShow) }
            ActionButton { objectName: "action_hold"; width: actions.cell; text: qsTr("挂起"); keyName: panel.keys.hold
                           available: panel.online && panel.serving; onClicked: desk.press(panel.keys.hold) }
            ActionButton { objectName: "action_resume"; width: actions.cell; text: qsTr("恢复挂起"); keyName: panel.keys.resume
                           available: panel.online && !panel.serving && desk.held.length > 0; onClicked: desk.press(panel.keys.resume) }
            ActionButton { objectName: "action_transfer"; width: actions.cell; text: qsTr("转移"); keyName: panel.keys.transfer
                           available: panel.online && panel.serving; onClicked: desk.press(panel.keys.transfer) }
            ActionButton { objectName: "action_callNumber"; width: actions.cell; text: qsTr("呼叫指定号"); keyName: panel.keys.callNumber
                           available: panel.online && !panel.serving && !panel.paused; onClicked: desk.press(panel.keys.callNumber) }
            ActionButton { objectName: "action_putBack"; width: actions.cell; text: qsTr("过号归队"); keyName: panel.keys.putBack
                           available: panel.online; onClicked: desk.press(panel.keys.putBack) }
            ActionButton { objectName: "action_green"; width: actions.cell; text: qsTr("绿色通道"); keyName: panel.keys.green
                           available: panel.online; onClicked: desk.press(panel.keys.green) }
            ActionButton { objectName: "action_pause"; width: actions.cell; text: panel.paused ? qsTr("恢复服务") : qsTr("暂停服务")
                           keyName: panel.keys.pause; available: panel.online; onClicked: desk.press(panel.keys.pause) }
            ActionButton { objectName: "action_signOut"; width: actions.cell; text: qsTr("退出登录"); keyName: panel.keys.signOut
                           available: panel.online; onClicked: desk.press(panel.keys.signOut) }
        }

        // What the last action did, or why it was not done.
        Rectangle {
            id: messageBox
            objectName: "messageBox"
            width: parent.width
            height: Theme.px(84)
            radius: Theme.radius
            visible: true
            color: desk.message === "" ? "transparent"
                 : desk.messageKind === "refused" ? Theme.errorSurface
                 : desk.messageKind === "done" ? "#E3F4E8" : Theme.primarySoft
            KText {
                objectName: "deskMessage"
                anchors { fill: parent; leftMargin: Theme.px(20); rightMargin: Theme.px(20) }
                text: desk.busy ? qsTr("正在处理…") : desk.message
                font.pixelSize: Theme.px(28)
                maximumLineCount: 2
                elide: Text.ElideRight
                color: desk.busy ? Theme.textSecondary
                     : desk.messageKind === "refused" ? Theme.errorText
                     : desk.messageKind === "done" ? Theme.successText : Theme.textOnSoft
            }
        }
    }

    Item {
        id: right
        anchors { left: left.right; right: parent.right; top: parent.top; bottom: parent.bottom
                  leftMargin: Theme.px(24); rightMargin: Theme.px(24); topMargin: Theme.px(24); bottomMargin: Theme.px(24) }

        // Today at this counter.
        Row {
            id: counts
            objectName: "todayCounts"
            anchors { left: parent.left; right: parent.right; top: parent.top }
            height: Theme.px(64)
            spacing: Theme.px(28)
            KText { text: qsTr("今日本窗口"); font.pixelSize: Theme.px(28); color: Theme.textSecondary; anchors.verticalCenter: parent.verticalCenter }
            KText { objectName: "countServed"; text: qsTr("办结 %1").arg(desk.served); font.pixelSize: Theme.px(30); font.weight: Font.Medium; anchors.verticalCenter: parent.verticalCenter }
            KText { objectName: "countNoShows"; text: qsTr("过号 %1").arg(desk.noShowCount); font.pixelSize: Theme.px(30); font.weight: Font.Medium; anchors.verticalCenter: parent.verticalCenter }
            KText {
                objectName: "countMean"
                text: desk.meanServiceMin < 0 ? qsTr("平均办理 —")
                      : qsTr("平均办理 %1 分钟").arg(Number(desk.meanServiceMin).toLocaleString(Qt.locale(), "f", 1))
                font.pixelSize: Theme.px(30)
                font.weight: Font.Medium
                anchors.verticalCenter: parent.verticalCenter
            }
        }

        TicketList {
            id: queue
            objectName: "queue"
            anchors { left: parent.left; right: parent.right; top: counts.bottom; topMargin: Theme.px(12) }
            height: (parent.height - counts.height - Theme.px(24)) * 0.58
            title: qsTr("等候（按叫号顺序）%n 人", "", desk.queue.length)
            emptyText: qsTr("现在没有人在等候")
            rows: desk.queue
            showNext: true
            onRowClicked: (number) => panel.callNumberWanted(number)
        }
        Row {
            anchors { left: parent.left; right: parent.right; top: queue.bottom; bottom: parent.bottom; topMargin: Theme.px(12) }
            spacing: Theme.px(12)
            TicketList {
                objectName: "held"
                width: (parent.width - parent.spacing) / 2
                height: parent.height
                title: qsTr("挂起（补材料）%n 个", "", desk.held.length)
                emptyText: qsTr("没有挂起的号")
                rows: desk.held
                buttonText: qsTr("恢复")
                compact: true
                onButtonClicked: (number) => desk.resume(number)
                onRowClicked: (number) => desk.resume(number)
            }
            TicketList {
                objectName: "noShows"
                width: (parent.width - parent.spacing) / 2
                height: parent.height
                title: qsTr("过号 %n 个", "", desk.noShows.length)
                emptyText: qsTr("今天没有过号")
                rows: desk.noShows
                buttonText: qsTr("归队")
                compact: true
                onButtonClicked: (number) => desk.putBack(number)
                onRowClicked: (number) => desk.putBack(number)
            }
        }
    }
}
