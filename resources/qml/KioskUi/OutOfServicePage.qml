import QtQuick

// 暂停服务: what every role shows while the terminal is out of service (serviceState, kiosk.ops.service_state).
// Plain and large: the apology, where to go instead when the center or an operator said so, the terminal's id
// small at the bottom (for a call to the hotline). It takes every tap, so nothing beneath it can be used.
Rectangle {
    id: page
    objectName: "outOfServicePage"
    property var state: null
    readonly property string where: state ? state.message : ""

    color: Theme.background
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("暂停服务")

    MouseArea { anchors.fill: parent }  // nothing beneath it reacts

    Column {
        id: body
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  verticalCenterOffset: -terminalLine.height / 2
                  leftMargin: Theme.margin * 2; rightMargin: Theme.margin * 2 }
        spacing: Theme.spacing * 1.5
        // A small window (the rating pad, a long message in elder mode) gets it all, a little smaller.
        scale: Math.min(1, (page.height - terminalLine.height - Theme.margin * 3) / Math.max(1, implicitHeight))

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Theme.px(Theme.elder ? 190 : 170); height: width; radius: width / 2
            color: Theme.warningSurface
            border.width: Theme.borderWidth * 2
            border.color: Theme.warningText
            Row {  // the pause sign: two bars, words say the rest
                anchors.centerIn: parent
                spacing: parent.width * 0.14
                Rectangle { width: page.barWidth; height: page.barHeight; radius: Theme.px(6); color: Theme.warningText }
                Rectangle { width: page.barWidth; height: page.barHeight; radius: Theme.px(6); color: Theme.warningText }
            }
        }
        KText {
            objectName: "outOfServiceTitle"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.px(Theme.elder ? 88 : 76)
            font.weight: Font.Bold
            text: qsTr("暂停服务")
        }
        KText {
            objectName: "outOfServiceApology"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontTitle
            text: Theme.keepTail(qsTr("本机暂停服务，给您带来不便，敬请谅解。"))
        }
        Rectangle {
            objectName: "outOfServiceWhere"
            visible: page.where !== ""
            width: parent.width
            height: whereText.implicitHeight + Theme.px(64)
            radius: Theme.radius
            color: Theme.surface
            border.width: Theme.borderWidth
            border.color: Theme.border
            Column {
                id: whereText
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(32) }
                spacing: Theme.smallSpacing
                KText {
                    width: parent.width
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                    color: Theme.textOnSoft
                    text: qsTr("您可以到这里办理：")
                }
                KText {
                    objectName: "outOfServiceMessage"
                    width: parent.width
                    font.pixelSize: Theme.fontHeading
                    text: Theme.keepTail(page.where)
                }
            }
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: Theme.textSecondary
            text: qsTr("如需帮助，请咨询工作人员或拨打 12345 政务服务便民热线。")
        }
    }

    readonly property real barWidth: Theme.px(Theme.elder ? 30 : 26)
    readonly property real barHeight: Theme.px(Theme.elder ? 84 : 74)

    KText {
        id: terminalLine
        objectName: "outOfServiceTerminal"
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: Theme.margin }
        color: Theme.textSecondary
        font.pixelSize: Theme.fontSmall
        text: qsTr("终端编号 %1").arg(page.state ? page.state.terminalId : "")
    }
}
