import QtQuick
import KioskUi

// One case: its title and state first, then the receipt number, when it was submitted, any note to act on, and
// the steps it went through.
Rectangle {
    id: card
    property string title
    property string receipt
    property string department
    property string state_
    property string stateKind
    property string submittedAt
    property string updatedAt
    property bool pending
    property string note
    property var steps: []

    implicitHeight: column.implicitHeight + Theme.px(56)
    radius: Theme.radius
    color: Theme.surface
    border.width: Theme.borderWidth
    border.color: card.stateKind === "correction" ? Theme.errorText : Theme.divider

    Column {
        id: column
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28) }
        spacing: Theme.px(14)

        Item {
            width: parent.width
            implicitHeight: Math.max(titleText.implicitHeight, badge.height)
            KText {
                id: titleText
                anchors { left: parent.left; right: badge.left; rightMargin: Theme.spacing; top: parent.top }
                text: card.title
                font.pixelSize: Theme.fontHeading
                font.weight: Font.Bold
            }
            ProgressBadge {
                id: badge
                objectName: "progressBadge"
                anchors { right: parent.right; top: parent.top }
                width: implicitWidth
                height: implicitHeight
                state_: card.state_
                kind: card.stateKind
            }
        }

        Detail { label: qsTr("回执编号"); value: card.receipt; strong: true }
        Detail { label: qsTr("提交时间"); value: card.submittedAt }
        Detail { label: qsTr("办理部门"); value: card.department }
        Detail { label: qsTr("最近更新"); value: card.updatedAt; visible: card.updatedAt !== card.submittedAt && !card.pending }

        // 待上传: the form is safe on this terminal and goes to the center by itself.
        KText {
            width: parent.width
            visible: card.pending
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            text: qsTr("本机已收到您的申请，网络恢复后会自动上传，不需要重新办理。")
        }

        // 需补正: what to bring, in the words of the department, where it cannot be missed.
        Rectangle {
            objectName: "progressNote"
            width: parent.width
            visible: card.note !== ""
            height: noteColumn.implicitHeight + Theme.px(32)
            radius: Theme.px(10)
            color: Theme.errorSurface
            Column {
                id: noteColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(16) }
                spacing: Theme.px(6)
                Row {
                    spacing: Theme.px(10)
                    Icon { name: "alert"; color: Theme.errorText; size: Theme.px(36); anchors.verticalCenter: parent.verticalCenter }
                    KText { text: qsTr("需要您补正："); color: Theme.errorText; font.weight: Font.Bold; anchors.verticalCenter: parent.verticalCenter }
                }
                KText { width: parent.width; text: card.note; color: Theme.errorText }
            }
        }

        Column {
            width: parent.width
            visible: card.steps.length > 0
            spacing: Theme.px(10)
            Rectangle { width: parent.width; height: Theme.borderWidth; color: Theme.divider }
            KText { text: qsTr("办理过程"); color: Theme.textSecondary; font.pixelSize: Theme.fontSecondary; font.weight: Font.Bold }
            Repeater {
                model: card.steps
                Row {
                    width: parent.width
                    spacing: Theme.px(14)
                    ProgressBadge {
                        id: stepBadge
                        small: true
                        width: implicitWidth
                        height: implicitHeight
                        state_: modelData.state
                        kind: modelData.stateKind
                    }
                    Column {
                        width: parent.width - stepBadge.width - parent.spacing
                        spacing: Theme.px(2)
                        KText { width: parent.width; text: modelData.at; font.pixelSize: Theme.fontSecondary; color: Theme.textSecondary }
                        KText {
                            width: parent.width
                            visible: modelData.note !== ""
                            text: modelData.note
                            font.pixelSize: Theme.fontSecondary
                        }
                    }
                }
            }
        }
    }

    component Detail: Row {
        property string label
        property string value
        property bool strong: false
        visible: value !== ""
        width: parent.width
        spacing: Theme.px(14)
        KText {
            id: labelText
            text: parent.label
            color: Theme.textSecondary
        }
        KText {
            width: parent.width - labelText.width - parent.spacing
            text: parent.value
            font.weight: parent.strong ? Font.Bold : Font.Normal
            wrapMode: Text.WrapAnywhere
        }
    }
}
