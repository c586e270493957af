import QtQuick
import KioskUi

// 请出示身份证件: opened by a screen that needs the citizen's identity. A card placed on the reader, a social
// security card inserted, or an identity code scanned opens the session, and the screen that asked takes this
// one's place. A card left on the reader by an earlier session is read only when the citizen asks for it here.
// The three ways are information, not buttons: the card readers and the scanner act on their own.
// 返回 goes back to where the citizen was.
Item {
    id: screen
    objectName: "identifyScreen"
    property string title: qsTr("核验身份")
    readonly property bool hasPanel: typeof devicePanel !== "undefined" && devicePanel !== null
    readonly property string readProblem: hasPanel ? devicePanel.readProblem : ""
    readonly property bool reading: hasPanel && devicePanel.reading
    readonly property bool cardLeft: hasPanel && devicePanel.cardLeft
    readonly property var demoCards: hasPanel ? devicePanel.demoCards : []
    readonly property bool codeAvailable: !syncState.offline

    Flickable {
        anchors.fill: parent
        contentHeight: page.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds
        interactive: contentHeight > height

        Column {
            id: page
            x: Theme.margin
            y: Theme.margin
            width: screen.width - Theme.margin * 2
            spacing: Theme.spacing

            ScreenHeading {
                width: parent.width
                title: qsTr("请出示您的身份证件")
                hint: identityPrompt.purpose !== "" ? identityPrompt.purpose
                                                    : qsTr("以下三种方式任选一种即可。")
            }

            StatusNotice {
                objectName: "identifyBusy"
                width: parent.width
                visible: identityPrompt.busy || screen.reading
                kind: "info"
                title: screen.reading ? qsTr("正在读卡，请不要移动证件…") : qsTr("正在核验身份码，请稍候…")
            }

            StatusNotice {
                objectName: "identifyProblem"
                width: parent.width
                visible: !identityPrompt.busy && !screen.reading
                         && (identityPrompt.problem !== "" || screen.readProblem !== "")
                kind: "error"
                title: qsTr("没有核验成功")
                message: identityPrompt.problem !== "" ? identityPrompt.problem : screen.readProblem
            }

            // A card left on the reader by someone before: read when the citizen says it is theirs.
            StatusNotice {
                objectName: "identifyCardLeft"
                width: parent.width
                visible: screen.cardLeft && !screen.reading && !identityPrompt.busy
                kind: "info"
                title: qsTr("读卡器上已经放着一张证件")
                message: qsTr("如果是您本人的证件，请点“读取这张证件”。如果不是，请把它交给工作人员，再放上您自己的证件。")
                actionText: qsTr("读取这张证件")
                actionIcon: "idcard"
                onAction: devicePanel.readLeftCard()
            }

            // The ways to show who one is, as one panel of information (nothing here is tapped).
            Rectangle {
                id: waysPanel
                objectName: "identifyWays"
                width: parent.width
                implicitHeight: ways.implicitHeight
                height: implicitHeight
                radius: Theme.radius
                color: Theme.surface
                border.width: Theme.borderWidth
                border.color: Theme.divider

                Grid {
                    id: ways
                    width: parent.width
                    columns: Theme.landscape ? 3 : 1
                    readonly property real cellWidth: Theme.landscape ? width / 3 : width

                    Repeater {
                        id: wayList
                        model: [
                            { icon: "idcard", title: qsTr("居民身份证"), text: qsTr("请把身份证平放在读卡区，听到提示音后稍等片刻。"), on: true },
                            { icon: "sscard", title: qsTr("社会保障卡"), text: qsTr("请把社保卡芯片朝里插入读卡口。"), on: true },
                            { icon: "qrcode", title: qsTr("粤省事身份码"),
                              text: screen.codeAvailable ? qsTr("打开手机上的粤省事，出示身份码，对准扫码口。")
                                                         : qsTr("网络暂时不通，现在不能扫码核验，请使用身份证或社保卡。"),
                              on: screen.codeAvailable }
                        ]
                        delegate: Item {
                            required property var modelData
                            required property int index
                            objectName: "identifyWay_" + modelData.icon
                            width: ways.cellWidth
                            implicitHeight: wayRow.implicitHeight + Theme.px(56)
                            height: implicitHeight

                            // A line between two ways (across in portrait; the landscape lines are below).
                            Rectangle {
                                visible: index > 0 && !Theme.landscape
                                anchors { left: parent.left; right: parent.right; top: parent.top
                                          leftMargin: Theme.px(28); rightMargin: Theme.px(28) }
                                height: Theme.borderWidth
                                color: Theme.divider
                            }
                            Row {
                                id: wayRow
                                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                          margins: Theme.px(28) }
                                spacing: Theme.px(24)
                                Icon {
                                    id: wayIcon
                                    name: modelData.icon
                                    size: Theme.px(Theme.elder ? 88 : 76)
                                    color: modelData.on ? Theme.primary : Theme.textDisabled
                                    anchors.verticalCenter: parent.verticalCenter
                                }
                                Column {
                                    width: parent.width - wayIcon.width - parent.spacing
                                    spacing: Theme.px(8)
                                    anchors.verticalCenter: parent.verticalCenter
                                    KText {
                                        width: parent.width
                                        text: modelData.title
                                        font.pixelSize: Theme.fontHeading
                                        font.weight: Font.Bold
                                        color: modelData.on ? Theme.text : Theme.textDisabled
                                    }
                                    KText {
                                        width: parent.width
                                        text: modelData.text
                                        color: modelData.on ? Theme.textSecondary : Theme.textDisabled
                                    }
                                }
                            }
                        }
                    }
                }

                Repeater {
                    model: Theme.landscape ? 2 : 0
                    delegate: Rectangle {
                        required property int index
                        x: ways.cellWidth * (index + 1)
                        y: Theme.px(28)
                        width: Theme.borderWidth
                        height: waysPanel.height - Theme.px(56)
                        color: Theme.divider
                    }
                }
            }

            Rectangle {
                width: parent.width
                implicitHeight: privacy.implicitHeight + Theme.px(40)
                radius: Theme.radius
                color: Theme.primarySoft
                Row {
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              margins: Theme.px(24) }
                    spacing: Theme.px(16)
                    Icon { id: lockIcon; name: "lock"; color: Theme.textOnSoft; size: Theme.px(44) }
                    KText {
                        id: privacy
                        width: parent.width - lockIcon.width - parent.spacing
                        color: Theme.textOnSoft
                        text: qsTr("您的身份信息只用于本次办理，不在本机保存；点“结束办理”或离开后自动清除。")
                    }
                }
            }

            // The demo has no card reader: sample cards are placed on the simulated one from here.
            Column {
                objectName: "identifyDemoCards"
                visible: screen.demoCards.length > 0
                width: parent.width
                spacing: Theme.smallSpacing
                KText {
                    width: parent.width
                    text: qsTr("演示：放一张示例身份证")
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSecondary
                }
                Flow {
                    width: parent.width
                    spacing: Theme.smallSpacing
                    Repeater {
                        model: screen.demoCards.slice(0, 3)
                        delegate: BigButton {
                            required property var modelData
                            variant: "soft"
                            iconName: "idcard"
                            fontSize: Theme.fontSecondary
                            text: modelData.name
                            onClicked: devicePanel.placeCard(modelData.key)
                        }
                    }
                }
            }
        }
    }
}
