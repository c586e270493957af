import QtQuick
import KioskUi

// 请出示身份证件: opened by a screen that needs the citizen's identity. A card placed on the reader, a social
// security card inserted, or an identity code scanned opens the session, and the screen that asked takes this
// one's place. 返回 goes back to where the citizen was.
Item {
    id: screen
    objectName: "identifyScreen"
    property string title: qsTr("核验身份")
    readonly property string readProblem: typeof devicePanel !== "undefined" && devicePanel ? devicePanel.readProblem : ""
    readonly property bool reading: false
    readonly property var demoCards: typeof devicePanel !== "undefined" && devicePanel ? devicePanel.demoCards : []
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

            Grid {
                id: ways
                width: parent.width
                columns: Theme.landscape ? 3 : 1
                spacing: Theme.spacing
                readonly property real cellWidth: Theme.landscape ? (width - spacing * 2) / 3 : width

                Repeater {
                    model: [
                        { icon: "idcard", title: qsTr("居民身份证"), text: qsTr("请把身份证平放在读卡区，听到提示音后稍等片刻。"), on: true },
                        { icon: "sscard", title: qsTr("社会保障卡"), text: qsTr("请把社保卡芯片朝里插入读卡口。"), on: true },
                        { icon: "qrcode", title: qsTr("粤省事身份码"),
                          text: screen.codeAvailable ? qsTr("打开手机上的粤省事，出示身份码，对准扫码口。")
                                                     : qsTr("网络暂时不通，现在不能扫码核验，请使用身份证或社保卡。"),
                          on: screen.codeAvailable }
                    ]
                    delegate: Rectangle {
                        required property var modelData
                        width: ways.cellWidth
                        implicitHeight: wayRow.implicitHeight + Theme.px(56)
                        height: implicitHeight
                        radius: Theme.radius
                        color: modelData.on ? Theme.surface : Theme.background
                        border.width: Theme.borderWidth
                        border.color: modelData.on ? Theme.primary : Theme.border
                        Row {
                            id: wayRow
                            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                      margins: Theme.px(28) }
                            spacing: Theme.px(24)
                            Icon {
                                id: wayIcon
                                name: modelData.icon
                                size: Theme.px(Theme.elder ? 110 : 96)
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
