import QtQuick
import KioskUi

// What the hall refused, or that its answer did not come, in plain words above what the citizen was doing; with
// 再试一次 when the same request may be sent again (it never takes a second ticket), and 知道了.
Rectangle {
    id: problem
    property string text: ""
    property bool canRetry: false
    signal retry()
    signal dismiss()

    height: visible ? column.implicitHeight + Theme.px(48) : 0
    radius: Theme.radius
    color: Theme.errorSurface
    border.width: Theme.borderWidth
    border.color: "#E6A3A9"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    Column {
        id: column
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
        spacing: Theme.spacing
        Row {
            width: parent.width
            spacing: Theme.px(16)
            Icon { id: glyph; name: "alert"; color: Theme.errorText; size: Theme.px(Theme.elder ? 56 : 48) }
            KText {
                objectName: "queueProblemText"
                width: parent.width - glyph.width - parent.spacing
                anchors.verticalCenter: parent.verticalCenter
                text: Theme.keepTail(problem.text)
                color: Theme.errorText
                font.weight: Font.Bold
            }
        }
        Flow {
            width: parent.width
            spacing: Theme.spacing
            BigButton {
                objectName: "queueRetryButton"
                visible: problem.canRetry
                iconName: "refresh"
                text: qsTr("再试一次")
                onClicked: problem.retry()
            }
            BigButton {
                objectName: "queueDismissButton"
                variant: "secondary"
                text: problem.canRetry ? qsTr("不取了") : qsTr("知道了")
                onClicked: problem.dismiss()
            }
        }
    }
}
