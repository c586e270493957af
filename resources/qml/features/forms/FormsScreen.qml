import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// The forms this terminal offers (自助填表): one large row each, its department and what it is for.
Item {
    id: screen
    objectName: "formsScreen"
    property string title: qsTr("自助填表")
    readonly property string state_: formFlow.templatesState

    ScreenHeading {
        id: heading
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        title: qsTr("请选择要填写的表单")
        hint: screen.state_ === "ready"
              ? qsTr("共 %1 份表单。填写时会先读取您的身份证，姓名等信息自动填好。").arg(formFlow.templates.count)
              : ""
    }

    PagedList {
        id: list
        objectName: "formList"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: parent.bottom
                  topMargin: Theme.spacing }
        visible: screen.state_ === "ready"
        model: formFlow.templates
        columns: Theme.landscape ? 2 : 1
        gridCellHeight: Theme.px(Theme.elder ? 400 : 330)
        delegate: Item {
            width: list.cellWidth
            height: list.cellHeight > 0 ? list.cellHeight : row.implicitHeight
            AbstractButton {
                id: row
                objectName: "formRow_" + index
                anchors.fill: parent
                anchors.margins: list.columns > 1 ? Theme.px(12) : 0
                focusPolicy: Qt.NoFocus
                readonly property bool card: list.columns > 1
                readonly property bool draft: !!formFlow && formFlow.draftCode === model.code
                implicitHeight: Math.max(Theme.rowHeight, column.implicitHeight + Theme.px(48))
                Accessible.role: Accessible.Button
                Accessible.name: model.title
                onClicked: formFlow.choose(model.code)

                background: Rectangle {
                    color: row.down ? Theme.surfacePressed : Theme.surface
                    radius: row.card ? Theme.radius : 0
                    border.width: row.card ? Theme.borderWidth : 0
                    border.color: Theme.divider
                    Rectangle {
                        visible: !row.card
                        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                        height: Theme.borderWidth
                        color: Theme.divider
                    }
                }
                contentItem: Item {
                    Column {
                        id: column
                        anchors { left: parent.left; right: chevron.left; verticalCenter: parent.verticalCenter
                                  leftMargin: row.card ? Theme.px(28) : Theme.margin; rightMargin: Theme.px(16) }
                        spacing: Theme.px(8)
                        KText {
                            width: parent.width
                            text: model.title
                            font.pixelSize: Theme.fontHeading
                            font.weight: Font.Bold
                        }
                        Row {
                            width: parent.width
                            spacing: Theme.px(10)
                            Icon { id: deptIcon; name: "department"; color: Theme.textSecondary; size: Theme.px(34)
                                   anchors.verticalCenter: parent.verticalCenter }
                            KText {
                                width: parent.width - deptIcon.width - parent.spacing
                                text: model.department
                                color: Theme.textSecondary
                                font.pixelSize: Theme.fontSecondary
                            }
                        }
                        KText {
                            width: parent.width
                            text: model.intro
                            visible: text !== ""
                            maximumLineCount: row.card ? 2 : 3
                            elide: Text.ElideRight
                        }
                        Rectangle {
                            visible: row.draft
                            radius: Theme.px(8)
                            color: Theme.primarySoft
                            width: draftText.implicitWidth + Theme.px(24)
                            height: draftText.implicitHeight + Theme.px(8)
                            KText {
                                id: draftText
                                anchors.centerIn: parent
                                text: qsTr("已填写一部分，点击继续填写")
                                color: Theme.textOnSoft
                                font.pixelSize: Theme.fontSecondary
                                font.weight: Font.Bold
                            }
                        }
                    }
                    Icon {
                        id: chevron
                        anchors { right: parent.right; rightMargin: row.card ? Theme.px(20) : Theme.margin - Theme.px(8)
                                  verticalCenter: parent.verticalCenter }
                        name: "chevron-right"
                        color: Theme.primary
                        size: Theme.px(40)
                    }
                }
            }
        }
    }

    StatusNotice {
        objectName: "formsNotice"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; margins: Theme.margin }
        visible: screen.state_ !== "ready"
        kind: screen.state_ === "error" ? "error" : screen.state_ === "empty" ? "info" : "loading"
        title: screen.state_ === "error" ? qsTr("暂时无法读取表单")
               : screen.state_ === "empty" ? qsTr("本机暂时没有可填写的表单，请到服务窗口办理") : ""
        message: screen.state_ === "error" ? qsTr("请稍后再试，或到服务窗口办理。") : ""
        code: screen.state_ === "error" ? "E-FORMS" : ""
        actionText: screen.state_ === "error" ? qsTr("再试一次") : ""
        actionIcon: "refresh"
        onAction: formFlow.retryTemplates()
    }
}
