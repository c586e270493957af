import QtQuick
import KioskUi

// The counter between ratings: who serves here (photo, name, staff number) and, while a ticket is served,
// "正在为 A012 号办理". Portrait: the photo above the words; landscape: beside them.
Item {
    id: view
    readonly property bool staffed: pad.counterState !== "closed" && pad.staffName !== ""
    readonly property bool serving: pad.phase === "serving" && pad.servingNumber !== ""
    // One sentence in both languages, its number drawn largest: the words before and after it.
    readonly property var servingWords: qsTr("正在为 %1 号办理").split("%1")

    Item {
        id: staffArea
        anchors { left: parent.left; right: Theme.landscape ? undefined : parent.right; top: parent.top
                  bottom: Theme.landscape ? parent.bottom : band.top; margins: Theme.margin }
        width: Theme.landscape ? parent.width * 0.42 : undefined

        // The photo above the words; beside them in portrait while a ticket is served (the band needs the room).
        Grid {
            id: staffGrid
            readonly property bool compact: !Theme.landscape && view.serving
            anchors.centerIn: parent
            visible: view.staffed
            columns: compact ? 2 : 1
            columnSpacing: Theme.spacing
            rowSpacing: Theme.spacing
            horizontalItemAlignment: compact ? Grid.AlignLeft : Grid.AlignHCenter
            verticalItemAlignment: Grid.AlignVCenter
            PadPhoto {
                width: staffGrid.compact ? staffArea.width * 0.3
                       : Math.min(staffArea.width * 0.62, (staffArea.height - staffWords.height - Theme.spacing) * 0.75)
                source: pad.photoSource
            }
            Column {
                id: staffWords
                width: staffGrid.compact ? staffArea.width * 0.7 - Theme.spacing : staffArea.width
                spacing: Theme.px(4)
                KText {
                    objectName: "padStaffName"
                    width: parent.width
                    horizontalAlignment: staffGrid.compact ? Text.AlignLeft : Text.AlignHCenter
                    font.pixelSize: Theme.fontDisplay
                    font.weight: Font.Bold
                    text: pad.staffName
                }
                KText {
                    objectName: "padStaffNo"
                    width: parent.width
                    horizontalAlignment: staffGrid.compact ? Text.AlignLeft : Text.AlignHCenter
                    font.pixelSize: Theme.fontHeading
                    color: Theme.textSecondary
                    text: qsTr("工号 %1").arg(pad.staffNo)
                }
                KText {
                    width: parent.width
                    visible: !Theme.landscape
                    horizontalAlignment: staffGrid.compact ? Text.AlignLeft : Text.AlignHCenter
                    font.pixelSize: Theme.fontSecondary
                    color: Theme.textSecondary
                    text: pad.counterName
                }
            }
        }
        Column {
            anchors.centerIn: parent
            width: parent.width
            spacing: Theme.spacing
            visible: !view.staffed && !view.serving
            Icon { anchors.horizontalCenter: parent.horizontalCenter; name: "clock"; color: Theme.textSecondary; size: Theme.px(120) }
            KText {
                objectName: "padClosed"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
                text: qsTr("本窗口暂停服务")
            }
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textSecondary
                text: qsTr("请留意叫号屏，或到其他窗口办理")
            }
        }
    }

    // What is going on at the counter, in the largest words on the pad.
    Rectangle {
        id: band
        objectName: view.serving ? "padServing" : "padWelcome"
        anchors { left: Theme.landscape ? staffArea.right : parent.left; right: parent.right
                  bottom: parent.bottom; top: Theme.landscape ? parent.top : undefined; margins: Theme.margin }
        height: Theme.landscape ? undefined : bandContent.implicitHeight + Theme.px(56)
        visible: view.staffed || view.serving  // a ticket being served is said even when nobody signed in here
        radius: Theme.radius * 1.5
        color: view.serving ? Theme.primary : Theme.surface
        border.width: view.serving ? 0 : Theme.borderWidth
        border.color: Theme.border

        Column {
            id: bandContent
            anchors.centerIn: parent
            width: parent.width - Theme.margin
            spacing: Theme.px(6)
            KText {
                visible: Theme.landscape && !view.serving
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: view.serving ? Theme.textOnPrimary : Theme.textSecondary
                font.pixelSize: Theme.fontHeading
                text: pad.counterName
            }
            KText {
                objectName: "padStatus"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: view.serving ? Theme.textOnPrimary : Theme.text
                font.pixelSize: view.serving ? Theme.fontTitle : Theme.fontDisplay
                font.weight: Font.Bold
                text: view.serving ? view.servingWords[0].trim()
                      : pad.counterState === "paused" ? qsTr("暂停服务，请稍候")
                      : qsTr("您好，欢迎办理")
            }
            KText {
                objectName: "padServingNumber"
                visible: view.serving
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textOnPrimary
                font.pixelSize: Theme.px(Theme.landscape ? 116 : Theme.elder ? 150 : 132)
                font.weight: Font.Black
                wrapMode: Text.NoWrap
                text: pad.servingNumber
            }
            KText {
                visible: view.serving && text !== ""
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textOnPrimary
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
                text: view.servingWords.length > 1 ? view.servingWords[1].trim() : ""
            }
            KText {
                visible: !view.serving
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textSecondary
                text: qsTr("办完后，请在这里为本次服务评价")
            }
        }
    }

    // For staff: ratings kept on the pad while the hall was away, not yet delivered.
    KText {
        objectName: "padPending"
        visible: pad.pending > 0
        anchors { right: parent.right; bottom: parent.bottom; rightMargin: Theme.margin; bottomMargin: Theme.px(6) }
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
        text: qsTr("%n 条评价待提交", "", pad.pending)
    }
}
