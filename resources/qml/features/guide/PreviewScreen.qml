import QtQuick
import KioskUi

// The guide as it will be printed on A4, page by page.
Item {
    id: screen
    objectName: "previewScreen"
    property string title: qsTr("打印预览")
    readonly property bool ready: printPreview.state === "ready"

    Rectangle {
        id: note
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        height: noteRow.implicitHeight + Theme.px(40)
        radius: Theme.radius
        color: Theme.warningSurface
        border.width: Theme.borderWidth
        border.color: "#E9C98F"
        Row {
            id: noteRow
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(24) }
            spacing: Theme.px(16)
            Icon { id: noteIcon; name: "print"; color: Theme.warningText; size: Theme.px(48) }
            KText {
                width: parent.width - noteIcon.width - parent.spacing
                color: Theme.warningText
                text: printPreview.canPrint
                      ? qsTr("这是办事指南的 A4 打印样式。确认无误后，请点下面的“打印”。")
                      : qsTr("这是办事指南的 A4 打印样式。本机接上打印机后即可打印；现在您可以用手机拍下需要的内容。")
            }
        }
    }

    ListView {
        id: pages
        objectName: "previewPages"
        anchors { left: parent.left; right: parent.right; top: note.bottom; bottom: printBar.top
                  topMargin: Theme.spacing }
        visible: screen.ready
        clip: true
        spacing: Theme.spacing
        boundsBehavior: Flickable.StopAtBounds
        model: printPreview.pageCount
        readonly property real pageWidth: Math.min(width - Theme.margin * 2, Theme.px(Theme.landscape ? 900 : 940))
        delegate: Column {
            width: pages.width
            spacing: Theme.px(8)
            Rectangle {  // the sheet, with a soft edge so white paper stands out from the background
                anchors.horizontalCenter: parent.horizontalCenter
                width: pages.pageWidth + Theme.px(4)
                height: pageImage.height + Theme.px(4)
                color: Theme.border
                Image {
                    id: pageImage
                    objectName: "previewPage_" + index
                    readonly property bool loaded: status === Image.Ready
                    x: Theme.px(2); y: Theme.px(2)
                    width: pages.pageWidth
                    height: status === Image.Ready && implicitWidth > 0
                            ? width * implicitHeight / implicitWidth : width * 297 / 210
                    source: "image://preview/" + index + "?v=" + printPreview.revision
                    sourceSize.width: width
                    asynchronous: true
                    cache: false
                    fillMode: Image.PreserveAspectFit
                    Rectangle { anchors.fill: parent; color: "white"; visible: pageImage.status !== Image.Ready; z: -1 }
                }
            }
            KText {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("第 %1 页，共 %2 页").arg(index + 1).arg(printPreview.pageCount)
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSecondary
            }
        }
    }

    // Print, and what became of it: printed (take it), or failed with the printer's own words and a retry that
    // prints the same document again.
    Rectangle {
        id: printBar
        objectName: "printBar"
        anchors { left: parent.left; right: parent.right; bottom: pager.top }
        visible: screen.ready && printPreview.canPrint
        height: visible ? printColumn.implicitHeight + Theme.px(32) : 0
        color: printPreview.printState === "failed" ? Theme.errorSurface
             : printPreview.printState === "printed" ? "#E6F4EA" : Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.divider }
        Column {
            id: printColumn
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      leftMargin: Theme.margin; rightMargin: Theme.margin }
            spacing: Theme.smallSpacing
            KText {
                objectName: "printStatus"
                width: parent.width
                visible: text !== ""
                horizontalAlignment: Text.AlignHCenter
                color: printPreview.printState === "failed" ? Theme.errorText : Theme.successText
                font.weight: Font.Bold
                text: printPreview.printState === "printing" ? qsTr("正在打印，请稍候…")
                    : printPreview.printState === "printed" ? qsTr("已打印，请从出纸口取走打印的办事指南。")
                    : printPreview.printState === "failed" ? qsTr("没有打印成功：%1").arg(printPreview.printMessage)
                    : ""
            }
            BigButton {
                objectName: "printButton"
                anchors.horizontalCenter: parent.horizontalCenter
                iconName: printPreview.printState === "failed" ? "refresh" : "print"
                enabled: printPreview.printState !== "printing"
                text: printPreview.printState === "failed" ? qsTr("重新打印")
                    : printPreview.printState === "printed" ? qsTr("再打印一份") : qsTr("打印")
                onClicked: printPreview.printState === "failed" && printPreview.canRetryPrint
                           ? printPreview.printAgain() : printPreview.print()
            }
        }
    }

    Pager {
        id: pager
        target: pages
        availableHeight: screen.height - pages.y
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: implicitHeight
        visible: screen.ready && shown
    }

    StatusNotice {
        anchors { left: parent.left; right: parent.right; top: note.bottom; margins: Theme.margin }
        visible: !screen.ready
        kind: printPreview.state === "error" ? "error" : "loading"
        title: printPreview.state === "error" ? qsTr("暂时无法生成打印样式") : qsTr("正在生成打印样式，请稍候…")
        message: printPreview.state === "error" ? qsTr("请稍后再试，或者直接查看办事指南。") : ""
        code: printPreview.state === "error" ? "E-PRINT" : ""
        actionText: printPreview.state === "error" ? qsTr("再试一次") : ""
        actionIcon: "refresh"
        onAction: printPreview.retry()
    }
}
