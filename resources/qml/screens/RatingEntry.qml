import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// How to rate: scan the code on a receipt or queue ticket, type the receipt number, or rate this visit.
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
        onHeightChanged: if (receiptField.activeFocus) entry.reveal(receiptCard)

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
                        id: receiptCard
                        objectName: "ratingReceiptOption"
                        width: parent.width
                        number: 2
                        title: qsTr("输入回执编号评价")
                        KText {
                            width: parent.width
                            color: Theme.textSecondary
                            font.pixelSize: Theme.fontSecondary
                            text: qsTr("回执编号印在您拿到的回执上，请连同短横线“-”一起输入。")
                        }
                        Rectangle {
                            width: parent.width
                            height: Theme.buttonHeight + Theme.px(16)
                            radius: Theme.radius
                            color: Theme.surface
                            border.width: Theme.px(3)
                            border.color: ratingScreen.entryProblemAt === "receipt" ? Theme.errorText
                                          : receiptField.activeFocus ? Theme.primary : Theme.border
                            TextField {
                                id: receiptField
                                objectName: "ratingReceiptField"
                                anchors { left: parent.left; right: receiptGo.left; verticalCenter: parent.verticalCenter
                                          leftMargin: Theme.px(16); rightMargin: Theme.px(12) }
                                font.pixelSize: Theme.fontBody + Theme.px(2)
                                font.letterSpacing: Theme.px(1)
                                color: Theme.text
                                placeholderText: qsTr("点这里输入回执编号")
                                placeholderTextColor: Theme.textSecondary
                                background: Item {}
                                maximumLength: 48
                                inputMethodHints: Qt.ImhLatinOnly | Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                                onActiveFocusChanged: if (activeFocus) entry.reveal(receiptCard)
                                onAccepted: ratingScreen.rateReceipt(text)
                                Accessible.name: qsTr("回执编号")
                            }
                            BigButton {
                                id: receiptGo
                                objectName: "ratingReceiptButton"
                                anchors { right: parent.right; rightMargin: Theme.px(8); verticalCenter: parent.verticalCenter }
                                iconName: "chevron-right"
                                iconRight: true
                                text: qsTr("确定")
                                onClicked: ratingScreen.rateReceipt(receiptField.text)
                            }
                        }
                        RatingProblem {
                            objectName: "ratingReceiptProblem"
                            width: parent.width
                            text: ratingScreen.entryProblemAt === "receipt" ? ratingScreen.entryProblem : ""
                        }
                    }

                    Option {
                        objectName: "ratingVisitOption"
                        width: parent.width
                        number: 3
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
                    Text {
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
