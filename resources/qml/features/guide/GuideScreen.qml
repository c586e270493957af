import QtQuick
import KioskUi

// The guide (办事指南) of one item: what it takes, what to bring, where and when, and how to do it online.
Item {
    id: screen
    objectName: "guideScreen"
    property string title: qsTr("办事指南")
    readonly property bool ready: guideScreen.state === "ready"

    function daysText(days) {
        return days === 0 ? qsTr("当场办结") : qsTr("%n 个工作日", "", days)
    }

    Flickable {
        id: flick
        objectName: "guideFlickable"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: bar.top }
        visible: screen.ready
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds

        Column {
            id: body
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.spacing * 1.5

            KText {
                objectName: "guideTitle"
                width: parent.width
                text: Theme.keepTail(guideScreen.name)
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
            }

            // The four facts people ask first, as large tiles.
            Grid {
                id: facts
                width: parent.width
                columns: Theme.landscape ? 4 : 2
                spacing: Theme.px(16)
                readonly property real cell: (width - spacing * (columns - 1)) / columns
                Fact { width: facts.cell; iconName: "department"; label: qsTr("办理部门"); value: guideScreen.department }
                Fact {
                    width: facts.cell; iconName: "clock"; label: qsTr("办件类型")
                    value: guideScreen.onTheSpot ? qsTr("即办件（当场办理）") : qsTr("承诺件（限时办结）")
                }
                Fact { width: facts.cell; iconName: "calendar"; label: qsTr("办理时限"); value: screen.daysText(guideScreen.timeLimitDays) }
                Fact { width: facts.cell; iconName: "fee"; label: qsTr("收费"); value: guideScreen.fee !== "" ? guideScreen.fee : qsTr("未注明") }
            }

            Grid {
                id: sections
                width: parent.width
                columns: Theme.landscape ? 2 : 1
                columnSpacing: Theme.margin
                rowSpacing: Theme.spacing * 1.5
                readonly property real columnWidth: Theme.landscape ? (width - columnSpacing) / 2 : width

                Column {
                    width: sections.columnWidth
                    spacing: Theme.spacing * 1.5

                    SectionCard {
                        width: parent.width
                        title: qsTr("办理条件")
                        iconName: "check"
                        KText {
                            width: parent.width
                            visible: guideScreen.conditions.length === 0
                            text: Theme.keepTail(qsTr("没有特别条件。"))
                        }
                        Repeater {
                            model: guideScreen.conditions
                            Bullet { width: parent.width; text: modelData }
                        }
                    }

                    SectionCard {
                        objectName: "materialsSection"
                        width: parent.width
                        title: qsTr("需要带的材料")
                        iconName: "document"
                        KText {
                            width: parent.width
                            visible: guideScreen.materials.length === 0
                            text: Theme.keepTail(qsTr("不需要提交材料。"))
                        }
                        Repeater {
                            model: guideScreen.materials
                            Column {
                                width: parent.width
                                spacing: Theme.px(8)
                                KText {
                                    width: parent.width
                                    text: Theme.keepTail((index + 1) + ". " + modelData.name)
                                    font.weight: Font.Medium
                                }
                                Flow {
                                    width: parent.width
                                    spacing: Theme.px(12)
                                    Tag {
                                        // Required or not is said in words; the colour only repeats it.
                                        text: modelData.required ? qsTr("必须提供") : qsTr("按需提供")
                                        strong: modelData.required
                                    }
                                    Tag { text: qsTr("%1 份").arg(modelData.copies); visible: modelData.copies > 0 }
                                }
                                KText {
                                    width: parent.width
                                    visible: modelData.note !== ""
                                    text: Theme.keepTail(modelData.note)
                                    color: Theme.textSecondary
                                    font.pixelSize: Theme.fontSecondary
                                }
                            }
                        }
                    }
                }

                Column {
                    width: sections.columnWidth
                    spacing: Theme.spacing * 1.5

                    SectionCard {
                        width: parent.width
                        title: qsTr("在哪里办、什么时间办")
                        iconName: "location"
                        KText {
                            width: parent.width
                            visible: guideScreen.locations.length === 0
                            text: Theme.keepTail(qsTr("请到就近的政务服务中心办理。"))
                        }
                        Repeater {
                            model: guideScreen.locations
                            Column {
                                width: parent.width
                                spacing: Theme.px(8)
                                KText { width: parent.width; text: Theme.keepTail(modelData.name); font.weight: Font.Bold }
                                Detail { width: parent.width; iconName: "location"; text: modelData.address }
                                Detail { width: parent.width; iconName: "clock"; text: modelData.hours }
                                Detail { width: parent.width; iconName: "phone"; text: modelData.phone }
                            }
                        }
                    }

                    SectionCard {
                        objectName: "onlineSection"
                        width: parent.width
                        title: qsTr("网上办理")
                        iconName: "mobile"
                        Row {
                            width: parent.width
                            spacing: Theme.spacing
                            visible: guideScreen.qrSource !== ""
                            Rectangle {
                                id: qrFrame
                                width: Theme.px(Theme.elder ? 300 : 260)
                                height: width
                                color: "white"
                                border.width: Theme.borderWidth
                                border.color: Theme.divider
                                Image {
                                    objectName: "onlineQr"
                                    readonly property bool loaded: status === Image.Ready
                                    anchors.fill: parent
                                    anchors.margins: Theme.px(6)
                                    source: guideScreen.qrSource
                                    sourceSize.width: width
                                    sourceSize.height: height
                                    fillMode: Image.PreserveAspectFit
                                    smooth: false
                                    cache: false
                                }
                            }
                            Column {
                                width: parent.width - qrFrame.width - parent.spacing
                                spacing: Theme.px(10)
                                anchors.verticalCenter: parent.verticalCenter
                                KText {
                                    width: parent.width
                                    text: Theme.keepTail(qsTr("用手机扫描左边的二维码，可以在网上办理。"))
                                }
                                KText {
                                    width: parent.width
                                    text: guideScreen.onlineUrl
                                    color: Theme.textSecondary
                                    font.pixelSize: Theme.fontSmall
                                    wrapMode: Text.WrapAnywhere
                                }
                            }
                        }
                        KText {
                            width: parent.width
                            visible: guideScreen.qrSource === ""
                            text: Theme.keepTail(qsTr("本事项暂时不能在网上办理，请带齐材料到上面的地点办理。"))
                        }
                    }
                }
            }

            SectionCard {
                width: parent.width
                title: qsTr("办理依据")
                iconName: "list"
                visible: guideScreen.legalBasis.length > 0
                Repeater {
                    model: guideScreen.legalBasis
                    Bullet { width: parent.width; text: modelData; small: true }
                }
            }

            KText {
                width: parent.width
                text: Theme.keepTail(qsTr("以上内容仅供参考，请以服务窗口的最新要求为准。"))
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
            }
        }
    }

    Pager {
        id: bar
        target: flick
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: implicitHeight
        visible: screen.ready
        middle: Component {
            BigButton {
                objectName: "printPreviewButton"
                iconName: "print"
                text: qsTr("打印预览")
                onClicked: printPreview.show()
            }
        }
    }

    StatusNotice {
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        visible: !screen.ready
        kind: guideScreen.state === "error" ? "error" : guideScreen.state === "missing" ? "info" : "loading"
        title: guideScreen.state === "error" ? qsTr("暂时无法打开办事指南")
               : guideScreen.state === "missing" ? qsTr("这个事项已经调整，暂时查不到它的办事指南") : ""
        message: guideScreen.state === "error" ? qsTr("请稍后再试。")
                 : guideScreen.state === "missing" ? qsTr("请返回重新查找，或到服务窗口咨询。") : ""
        code: guideScreen.state === "error" ? "E-GUIDE" : ""
        actionText: guideScreen.state === "error" ? qsTr("再试一次") : ""
        actionIcon: "refresh"
        onAction: guideScreen.retry()
    }

    component Fact: Rectangle {
        property string iconName
        property string label
        property string value
        height: factColumn.implicitHeight + Theme.px(40)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.borderWidth
        border.color: Theme.divider
        Column {
            id: factColumn
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(20) }
            spacing: Theme.px(6)
            Row {
                spacing: Theme.px(10)
                Icon { name: iconName; color: Theme.primary; size: Theme.px(36); anchors.verticalCenter: parent.verticalCenter }
                KText { text: label; color: Theme.textSecondary; font.pixelSize: Theme.fontSecondary; anchors.verticalCenter: parent.verticalCenter }
            }
            KText { width: parent.width; text: Theme.keepTail(value); font.weight: Font.Bold }
        }
    }

    component Bullet: Row {
        property string text
        property bool small: false
        spacing: Theme.px(14)
        Rectangle {
            width: Theme.px(12); height: width; radius: width / 2
            color: Theme.primary
            y: (small ? Theme.fontSecondary : Theme.fontBody) * 0.55
        }
        KText {
            id: bulletText
            text: Theme.keepTail(parent.text)
            width: parent.width - Theme.px(26)
            font.pixelSize: small ? Theme.fontSecondary : Theme.fontBody
            verticalAlignment: Text.AlignTop
        }
    }

    component Detail: Row {
        property string iconName
        property string text
        visible: detailText.text !== ""
        spacing: Theme.px(12)
        Icon { name: iconName; color: Theme.textSecondary; size: Theme.px(34); y: Theme.px(4) }
        KText {
            id: detailText
            text: Theme.keepTail(parent.text)
            width: parent.width - Theme.px(46)
            color: Theme.text
            font.pixelSize: Theme.fontSecondary
            verticalAlignment: Text.AlignTop
        }
    }

    component Tag: Rectangle {
        property alias text: tagText.text
        property bool strong: false
        width: tagText.implicitWidth + Theme.px(24)
        height: tagText.implicitHeight + Theme.px(8)
        radius: Theme.px(8)
        color: strong ? Theme.errorSurface : Theme.background
        border.width: Theme.borderWidth
        border.color: strong ? "#E6A3A9" : Theme.border
        KText {
            id: tagText
            anchors.centerIn: parent
            color: strong ? Theme.errorText : Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            font.weight: strong ? Font.Bold : Font.Normal
        }
    }
}
