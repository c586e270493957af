import QtQuick
import KioskUi

// What became of the rating: thanks, already rated (the refusal, with where to go instead), or not saved.
Item {
    id: outcome
    readonly property string kind: ratingScreen.state   // done | refused | error
    readonly property color ink: kind === "done" ? Theme.successText : kind === "error" ? Theme.errorText : Theme.primary

    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentHeight: card.height + card.y + Theme.margin
        boundsBehavior: Flickable.StopAtBounds

        Rectangle {
            id: card
            objectName: "ratingOutcome"
            x: Theme.margin
            y: Theme.landscape ? Theme.margin : Theme.margin * 2
            width: flick.width - Theme.margin * 2
            height: column.implicitHeight + Theme.px(Theme.landscape ? 64 : 96)
            radius: Theme.radius
            color: outcome.kind === "error" ? Theme.errorSurface : Theme.surface
            border.width: Theme.borderWidth
            border.color: outcome.kind === "error" ? "#E6A3A9" : Theme.divider

            Column {
                id: column
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(Theme.landscape ? 32 : 48) }
                spacing: Theme.landscape ? Theme.spacing : Theme.spacing * 1.5

                Rectangle {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: Theme.px(Theme.landscape ? (Theme.elder ? 120 : 110) : (Theme.elder ? 180 : 160))
                    height: width
                    radius: width / 2
                    color: outcome.kind === "done" ? "#E3F1E7" : outcome.kind === "error" ? Theme.surface : Theme.primarySoft
                    Icon {
                        anchors.centerIn: parent
                        name: outcome.kind === "done" ? "check" : outcome.kind === "error" ? "alert" : "info"
                        color: outcome.ink
                        size: parent.width * 0.6
                    }
                }
                KText {
                    objectName: "ratingOutcomeTitle"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: Theme.fontTitle
                    font.weight: Font.Bold
                    color: outcome.kind === "error" ? Theme.errorText : Theme.text
                    text: outcome.kind === "done" ? qsTr("评价已提交")
                          : outcome.kind === "refused" ? qsTr("这项服务已经评价过了")
                          : qsTr("评价没有保存成功")
                }
                KText {
                    objectName: "ratingOutcomeMessage"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: Theme.fontHeading
                    text: ratingScreen.message
                }
                KText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    visible: outcome.kind === "error"
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSecondary
                    text: qsTr("如需帮助，请联系工作人员，并告知代码 %1").arg("E-RATING")
                }
                Flow {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: Math.min(parent.width, implicitWidth)
                    spacing: Theme.spacing
                    BigButton {
                        objectName: "ratingRetryButton"
                        visible: outcome.kind === "error"
                        iconName: "refresh"
                        text: qsTr("再试一次")
                        onClicked: ratingScreen.retry()
                    }
                    BigButton {
                        objectName: "ratingHomeButton"
                        variant: outcome.kind === "error" ? "secondary" : "primary"
                        iconName: "home"
                        text: qsTr("返回首页")
                        onClicked: ratingScreen.goHome()
                    }
                }
            }
        }
    }
}
