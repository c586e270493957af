import QtQuick
import KioskUi

// 办结: the five levels (a good one is the whole rating: one tap), then for a bad one the reasons; the countdown
// always in view, and the way to rate later. The rating flow (padRating) keeps the rules.
Item {
    id: rate
    readonly property string state: padRating.state
    readonly property bool busy: state === "checking" || state === "submitting"
    readonly property bool askingWhy: padRating.bad && state !== "error"

    // What is rated (the reasons below have their own heading).
    // (one above the other in portrait; side by side in landscape, where the levels need the height)
    Grid {
        id: heading
        visible: !rate.askingWhy
        anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: Theme.spacing }
        width: Theme.landscape ? implicitWidth : parent.width - 2 * Theme.margin
        height: visible ? implicitHeight : 0
        columns: Theme.landscape ? 2 : 1
        columnSpacing: Theme.spacing
        rowSpacing: Theme.px(2)
        verticalItemAlignment: Grid.AlignVCenter
        KText {
            objectName: "padRateTitle"
            width: Theme.landscape ? implicitWidth : heading.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontTitle
            font.weight: Font.Bold
            text: qsTr("请您为本次服务评价")
        }
        KText {
            objectName: "padRateSubject"
            visible: Theme.landscape || !Theme.elder  // (elder mode in portrait needs the height for the levels)
            width: Theme.landscape ? Math.min(implicitWidth, rate.width - 2 * Theme.margin - 400) : heading.width
            horizontalAlignment: Text.AlignHCenter
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            text: pad.staffName === "" ? qsTr("%1 号").arg(pad.ticketNumber)
                  : Theme.elder ? qsTr("%1 号 · %2").arg(pad.ticketNumber).arg(pad.staffName)
                  : qsTr("%1 号 · 工作人员 %2（工号 %3）").arg(pad.ticketNumber).arg(pad.staffName).arg(pad.staffNo)
        }
    }

    Item {
        id: middle
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: footer.top
                  leftMargin: Theme.margin; rightMargin: Theme.margin; topMargin: Theme.spacing
                  bottomMargin: Theme.spacing }

        // The five levels: rows in portrait, tiles side by side in landscape.
        Grid {
            id: levels
            visible: !rate.askingWhy && rate.state !== "error"
            anchors.fill: parent
            columns: Theme.landscape ? 5 : 1
            spacing: Theme.px(14)
            readonly property real cellWidth: Theme.landscape ? (width - spacing * 4) / 5 : width
            readonly property real cellHeight: Theme.landscape ? Math.min(height, Theme.px(320))
                                                               : Math.min(Theme.px(150), (height - spacing * 4) / 5)
            Repeater {
                model: padRating.levels
                PadLevelButton {
                    objectName: "padLevel" + modelData
                    level: modelData
                    tile: Theme.landscape
                    selected: padRating.level === modelData
                    enabled: rate.state === "rating"
                    width: levels.cellWidth
                    height: levels.cellHeight
                    onClicked: pad.chooseLevel(modelData)
                }
            }
        }

        PadReasons {
            anchors.fill: parent
            visible: rate.askingWhy
        }

        // It could not be saved (nothing was): say so, offer it again, and the other way to rate.
        Column {
            objectName: "padRateError"
            visible: rate.state === "error"
            anchors.centerIn: parent
            width: parent.width
            spacing: Theme.spacing
            Icon { anchors.horizontalCenter: parent.horizontalCenter; name: "alert"; color: Theme.errorText; size: Theme.px(96) }
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: Theme.errorText
                font.weight: Font.Bold
                text: padRating.message
            }
            BigButton {
                objectName: "padRetry"
                anchors.horizontalCenter: parent.horizontalCenter
                iconName: "refresh"
                text: qsTr("再试一次")
                onClicked: pad.retry()
            }
        }

        // Saving: a plain sentence over the levels, which wait.
        Rectangle {
            visible: rate.state === "submitting"
            anchors.fill: parent
            color: "#E6EEF2F7"
            KText {
                objectName: "padSubmitting"
                anchors.centerIn: parent
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
                text: qsTr("正在提交您的评价…")
            }
        }
    }

    Column {
        id: footer
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: Theme.margin }
        spacing: Theme.smallSpacing
        PadCountdown {
            width: parent.width
            onSkip: pad.skip()
        }
        KText {
            objectName: "padLaterHint"
            visible: !rate.askingWhy && !Theme.elder  // (elder mode needs the room; 跳过 and the end say it too)
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSmall
            text: qsTr("也可以离开后扫描取号凭条上的二维码，用手机评价")
        }
    }
}
