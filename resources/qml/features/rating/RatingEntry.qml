import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// How to rate: scan the code on a receipt or queue ticket, rate this visit, or key in the receipt number.
Item {
    id: entry

    // Bring ``target`` into view, its top first, once the layout has settled (a section that just appeared
    // has no height yet on this turn).
    function reveal(target) {
        if (!target) return
        revealTimer.target = target
        revealTimer.restart()
    }
    Timer {
        id: revealTimer
        property Item target: null
        interval: 80
        onTriggered: {
            if (!target || !target.visible) return
            const top = target.mapToItem(body, 0, 0).y + body.y - Theme.smallSpacing
            const bottom = top + target.height + Theme.smallSpacing
            if (top >= flick.contentY && bottom <= flick.contentY + flick.height) return
            flick.contentY = Math.max(0, Math.min(top, Math.max(0, flick.contentHeight - flick.height)))
        }
    }

    Flickable {
        id: flick
        objectName: "ratingEntryFlickable"
        anchors.fill: parent
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds
        onHeightChanged: if (receiptPad.typing) entry.reveal(receiptCard)

        Column {
            id: body
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.spacing * 1.5

            ScreenHeading {
                width: parent.width
                title: qsTr("服务评价")
                hint: qsTr("您的评价会帮助我们改进服务。请选择下面一种方式开始：")
            }

            Grid {
                id: options
                width: parent.width
                columns: width > Theme.px(1400) ? 2 : 1
                columnSpacing: Theme.margin
                rowSpacing: Theme.spacing * 1.5
                readonly property real cell: (width - columnSpacing * (columns - 1)) / columns

                Option {
                    objectName: "ratingScanOption"
                    width: options.cell
                    number: 1
                    title: qsTr("扫描二维码评价")
                    Row {
                        width: parent.width
                        spacing: Theme.spacing
                        Rectangle {
                            id: illustration
                            width: Theme.px(Theme.elder ? 190 : 170)
                            height: width
                            radius: Theme.radius
                            color: Theme.primarySoft
                            Icon { anchors.centerIn: parent; name: "scan-code"; color: Theme.primary; size: parent.width - Theme.px(40) }
                        }
                        KText {
                            width: parent.width - illustration.width - parent.spacing
                            anchors.verticalCenter: parent.verticalCenter
                            text: qsTr("把回执或取号凭条上的二维码对准扫码窗口，扫到后会自动打开评价。")
                        }
                    }
                    RatingProblem {
                        objectName: "ratingScanProblem"
                        width: parent.width
                        text: ratingScreen.entryProblemAt === "scan" ? ratingScreen.entryProblem : ""
                    }
                }

                Column {
                    width: options.cell
                    spacing: Theme.spacing * 1.5

                    Option {
                        objectName: "ratingVisitOption"
                        width: parent.width
                        number: 2
                        title: qsTr("评价本次自助服务")
                        KText {
                            width: parent.width
                            text: qsTr("没有回执或取号凭条，也可以评价您这次使用自助终端的感受。")
                        }
                        BigButton {
                            objectName: "rateVisitButton"
                            variant: "soft"
                            iconName: "device"
                            text: qsTr("评价本次服务")
                            onClicked: { Qt.inputMethod.hide(); ratingScreen.rateThisVisit() }
                        }
                        RatingProblem {
                            width: parent.width
                            text: ratingScreen.entryProblemAt === "visit" ? ratingScreen.entryProblem : ""
                        }
                    }
                    Option {
                        id: receiptCard
                        objectName: "ratingReceiptOption"
                        width: parent.width
                        number: 3
                        title: qsTr("输入回执编号评价")
                        KText {
                            width: parent.width
                            color: Theme.textSecondary
                            font.pixelSize: Theme.fontSecondary
                            text: qsTr("回执编号印在回执上方，共17位数字，按数字键输入即可，不用输入空格。")
                        }
                        ReceiptNumberPad {
                            id: receiptPad
                            width: parent.width
                            onEditing: entry.reveal(receiptCard)
                        }
                    }
                }
            }
        }
    }

    // One way to rate: a numbered white card.
    component Option: Rectangle {
        id: option
        property int number
        property string title
        default property alias content: inner.data
        implicitHeight: inner.implicitHeight + Theme.px(56)
        height: implicitHeight
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.borderWidth
        border.color: Theme.divider
        Column {
            id: inner
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28) }
            spacing: Theme.spacing
            Row {
                width: parent.width
                spacing: Theme.px(16)
                Rectangle {
                    id: badge
                    width: Theme.px(Theme.elder ? 56 : 50)
                    height: width
                    radius: width / 2
                    color: Theme.primary
                    anchors.verticalCenter: parent.verticalCenter
                    KText {
                        anchors.centerIn: parent
                        text: option.number
                        color: Theme.textOnPrimary
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.Bold
                    }
                }
                KText {
                    width: parent.width - badge.width - parent.spacing
                    anchors.verticalCenter: parent.verticalCenter
                    text: option.title
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                }
            }
        }
    }
}
