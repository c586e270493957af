import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// 办件进度查询: whose cases these are (masked), then each case with its state in words and colour. Offline, the
// terminal says the list holds only what it has not uploaded yet. In landscape the person and 刷新 stand on the left.
Item {
    id: screen
    objectName: "progressScreenView"
    property string title: qsTr("办件进度")
    readonly property string state_: progressScreen.state
    readonly property bool listed: state_ === "ready" || state_ === "offline"
    readonly property int count: progressScreen.items.count

    Column {
        id: side
        anchors { left: parent.left; top: parent.top; margins: Theme.margin }
        width: Theme.landscape ? Theme.px(620) : parent.width - Theme.margin * 2
        spacing: Theme.spacing

        Rectangle {
            objectName: "progressPerson"
            width: parent.width
            height: personLayout.implicitHeight + Theme.px(40)
            radius: Theme.radius
            color: Theme.primarySoft
            Grid {
                id: personLayout
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                          leftMargin: Theme.px(24); rightMargin: Theme.px(24) }
                columns: Theme.landscape ? 1 : 2
                columnSpacing: Theme.spacing
                rowSpacing: Theme.spacing
                Row {
                    width: Theme.landscape ? personLayout.width : personLayout.width - refresh.width - personLayout.columnSpacing
                    spacing: Theme.px(16)
                    Icon { id: personIcon; name: "person"; color: Theme.textOnSoft; size: Theme.px(Theme.elder ? 64 : 56); anchors.verticalCenter: parent.verticalCenter }
                    Column {
                        width: parent.width - personIcon.width - parent.spacing
                        anchors.verticalCenter: parent.verticalCenter
                        KText {
                            objectName: "progressName"
                            width: parent.width
                            text: progressScreen.maskedName
                            color: Theme.textOnSoft
                            font.pixelSize: Theme.fontHeading
                            font.weight: Font.Bold
                        }
                        KText {
                            objectName: "progressIdNumber"
                            width: parent.width
                            visible: progressScreen.maskedIdNumber !== ""
                            text: qsTr("证件号码 %1").arg(progressScreen.maskedIdNumber)
                            color: Theme.textOnSoft
                            font.pixelSize: Theme.fontSecondary
                        }
                    }
                }
                BigButton {
                    id: refresh
                    objectName: "progressRefreshButton"
                    variant: "secondary"
                    iconName: "refresh"
                    text: qsTr("刷新")
                    enabled: screen.state_ !== "loading"
                    onClicked: progressScreen.refresh()
                }
            }
        }

        KText {
            objectName: "progressCount"
            width: parent.width
            visible: screen.state_ === "ready"
            color: Theme.textSecondary
            text: qsTr("共查到 %1 件办件，最近办理的在最前面。").arg(screen.count)
        }

        // The center could not be asked: say what the list leaves out, above it.
        Rectangle {
            objectName: "progressOffline"
            width: parent.width
            visible: screen.state_ === "offline"
            height: visible ? offlineColumn.implicitHeight + Theme.px(40) : 0
            radius: Theme.radius
            color: Theme.warningSurface
            border.width: Theme.borderWidth
            border.color: Theme.warningText
            Column {
                id: offlineColumn
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(20) }
                spacing: Theme.px(8)
                Row {
                    spacing: Theme.px(12)
                    Icon { name: "alert"; color: Theme.warningText; size: Theme.px(44); anchors.verticalCenter: parent.verticalCenter }
                    KText { text: qsTr("暂时只能显示本机的记录"); color: Theme.warningText; font.pixelSize: Theme.fontHeading; font.weight: Font.Bold; anchors.verticalCenter: parent.verticalCenter }
                }
                KText {
                    objectName: "progressOfflineMessage"
                    width: parent.width
                    text: progressScreen.message
                    color: Theme.warningText
                }
                KText {
                    width: parent.width
                    visible: screen.count === 0
                    text: qsTr("本机没有您尚未上传的办件。")
                    color: Theme.warningText
                    font.weight: Font.Bold
                }
            }
        }
    }

    readonly property real contentLeft: Theme.landscape ? side.x + side.width + Theme.margin : 0
    readonly property real contentTop: Theme.landscape ? Theme.margin : side.y + side.height + Theme.spacing

    PagedList {
        id: list
        objectName: "progressList"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: parent.bottom
                  leftMargin: screen.contentLeft; topMargin: screen.contentTop }
        visible: screen.listed && screen.count > 0
        model: progressScreen.items
        delegate: Item {
            width: list.cellWidth
            height: caseCard.implicitHeight + Theme.spacing
            ProgressCaseCard {
                id: caseCard
                objectName: "progressCase_" + index
                anchors { left: parent.left; right: parent.right; top: parent.top
                          leftMargin: Theme.landscape ? 0 : Theme.margin; rightMargin: Theme.margin }
                height: implicitHeight
                title: model.title
                receipt: model.receiptShown
                department: model.department
                state_: model.state
                stateKind: model.stateKind
                submittedAt: model.submittedAt
                updatedAt: model.updatedAt
                pending: model.pending
                note: model.note
                steps: model.steps
            }
        }
    }

    // 正在查询…: a turning mark, so nobody thinks the screen froze while the center answers.
    Rectangle {
        objectName: "progressLoading"
        anchors { left: parent.left; right: parent.right; top: parent.top
                  leftMargin: screen.contentLeft + Theme.margin; rightMargin: Theme.margin
                  topMargin: screen.contentTop }
        visible: screen.state_ === "loading"
        height: loadingRow.implicitHeight + Theme.px(64)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.borderWidth
        border.color: Theme.divider
        Row {
            id: loadingRow
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(32) }
            spacing: Theme.px(24)
            Icon {
                id: spinner
                name: "refresh"
                color: Theme.primary
                size: Theme.px(72)
                anchors.verticalCenter: parent.verticalCenter
                RotationAnimator on rotation {
                    from: 0; to: 360; duration: 1200
                    loops: Animation.Infinite
                    running: screen.state_ === "loading"
                }
            }
            Column {
                width: parent.width - spinner.width - parent.spacing
                anchors.verticalCenter: parent.verticalCenter
                spacing: Theme.px(6)
                KText { text: qsTr("正在查询…"); font.pixelSize: Theme.fontTitle; font.weight: Font.Bold }
                KText { width: parent.width; text: qsTr("正在查询您的办件进度，请稍候。"); color: Theme.textSecondary }
            }
        }
    }

    StatusNotice {
        objectName: "progressNotice"
        anchors { left: parent.left; right: parent.right; top: parent.top
                  leftMargin: screen.contentLeft + Theme.margin; rightMargin: Theme.margin
                  topMargin: screen.contentTop }
        visible: screen.state_ === "empty" || screen.state_ === "error"
        kind: screen.state_ === "error" ? "error" : "empty"
        title: screen.state_ === "error" ? qsTr("暂时查不到办件进度") : qsTr("没有查到您的办件")
        message: screen.state_ === "error" ? qsTr("请稍后再试，或到服务窗口查询。")
                 : qsTr("在本机或服务窗口提交的申请，受理后会显示在这里。如有疑问，请咨询工作人员。")
        code: screen.state_ === "error" ? "E-PROGRESS" : ""
        actionText: screen.state_ === "error" ? qsTr("重试") : ""
        actionIcon: "refresh"
        onAction: progressScreen.retry()
    }
}
