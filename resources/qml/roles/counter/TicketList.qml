import QtQuick
import KioskUi

// A titled list of tickets (the queue, held tickets, no-shows). Each row: the number, the service, how long it
// has waited and its marks; a row may have a button (恢复, 归队), and a click on the row itself.
Rectangle {
    id: section
    property string title: ""
    property string emptyText: ""
    property var rows: []
    property string buttonText: ""       // a button on each row ("": none)
    property bool showNext: false        // mark the first row 下一位 (the queue)
    property bool compact: false         // a narrow list: the number, the service and the button only
    property string chosenNumber: ""     // the row chosen in a dialog (framed and ticked)
    signal rowClicked(string number)
    signal buttonClicked(string number)

    // The rows are kept in a ListModel changed in place (a row updated, moved, added or removed), so a list
    // that was scrolled keeps its place when the hall's events or the minutes change what it shows.
    onRowsChanged: sync()
    Component.onCompleted: sync()
    function sync() {
        const rows = section.rows || []
        for (let i = 0; i < rows.length; ++i) {
            let at = -1
            for (let j = i; j < shown.count; ++j)
                if (shown.get(j).number === rows[i].number) { at = j; break }
            if (at < 0) shown.insert(i, rows[i])
            else {
                if (at !== i) shown.move(at, i, 1)
                shown.set(i, rows[i])
            }
        }
        if (shown.count > rows.length) shown.remove(rows.length, shown.count - rows.length)
    }
    ListModel { id: shown }

    color: Theme.surface
    radius: Theme.radius
    border.width: 1
    border.color: Theme.divider
    clip: true

    KText {
        id: heading
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(18) }
        text: section.title
        font.pixelSize: Theme.px(28)
        font.weight: Font.Bold
        wrapMode: Text.NoWrap
        elide: Text.ElideRight
    }
    KText {
        anchors { left: parent.left; right: parent.right; top: heading.bottom; margins: Theme.px(18) }
        visible: section.rows.length === 0
        text: section.emptyText
        color: Theme.textSecondary
        font.pixelSize: Theme.px(26)
    }
    ListView {
        id: list
        objectName: section.objectName + "List"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: parent.bottom
                  topMargin: Theme.px(8); leftMargin: Theme.px(8); rightMargin: Theme.px(8); bottomMargin: Theme.px(8) }
        clip: true
        model: shown
        boundsBehavior: Flickable.StopAtBounds
        delegate: Rectangle {
            id: row
            required property var model
            required property int index
            width: ListView.view.width
            height: Theme.px(80)
            readonly property bool chosen: section.chosenNumber !== "" && model.number === section.chosenNumber
            color: chosen ? Theme.primarySoft : rowArea.containsPress ? Theme.surfacePressed : (index % 2 ? "#F6F8FB" : Theme.surface)
            radius: Theme.px(8)
            border.width: chosen ? Theme.borderWidth : 0
            border.color: Theme.primary
            Accessible.selected: chosen
            Accessible.role: Accessible.ListItem
            Accessible.name: model.number + " " + model.serviceName
            MouseArea {
                id: rowArea
                anchors.fill: parent
                onClicked: section.rowClicked(row.model.number)
            }
            Row {
                anchors { left: parent.left; leftMargin: Theme.px(12); verticalCenter: parent.verticalCenter }
                spacing: Theme.px(14)
                KText {
                    text: row.model.number
                    font.pixelSize: Theme.px(34)
                    font.weight: Font.Bold
                    color: Theme.primary
                    width: Theme.px(108)
                    wrapMode: Text.NoWrap
                }
                KText {
                    text: row.model.serviceName
                    font.pixelSize: Theme.px(26)
                    width: Theme.px(170)
                    elide: Text.ElideRight
                    wrapMode: Text.NoWrap
                    anchors.verticalCenter: parent.verticalCenter
                }
                KText {
                    visible: !section.compact
                    text: qsTr("已等 %n 分钟", "", row.model.waitedMin)
                    font.pixelSize: Theme.px(26)
                    color: Theme.textSecondary
                    wrapMode: Text.NoWrap
                    anchors.verticalCenter: parent.verticalCenter
                }
                Tag {
                    anchors.verticalCenter: parent.verticalCenter
                    text: section.showNext && row.model.next ? qsTr("下一位") : ""
                    kind: "next"
                }
                Tag {
                    anchors.verticalCenter: parent.verticalCenter
                    text: section.compact ? ""
                        : row.model.priority === "green" ? qsTr("绿色通道 · %1").arg(row.model.priorityReason)
                        : row.model.priority === "appointment" ? row.model.priorityReason : ""
                    kind: row.model.priority === "green" ? "green" : "appointment"
                }
                Tag {
                    anchors.verticalCenter: parent.verticalCenter
                    text: row.model.toMe && !section.compact ? qsTr("转给本窗口") : ""
                }
            }
            Rectangle {
                visible: section.buttonText !== ""
                anchors { right: parent.right; rightMargin: Theme.px(8); verticalCenter: parent.verticalCenter }
                width: Math.max(Theme.px(110), buttonLabel.implicitWidth + Theme.px(28))
                height: Theme.px(66)
                radius: Theme.px(10)
                color: buttonArea.containsPress ? Theme.surfacePressed : Theme.primarySoft
                border.width: Theme.borderWidth
                border.color: Theme.primary
                Accessible.role: Accessible.Button
                Accessible.name: section.buttonText + " " + row.model.number
                KText {
                    id: buttonLabel
                    anchors.centerIn: parent
                    text: section.buttonText
                    font.pixelSize: Theme.px(26)
                    font.weight: Font.Medium
                    color: Theme.textOnSoft
                    wrapMode: Text.NoWrap
                }
                MouseArea {
                    id: buttonArea
                    anchors.fill: parent
                    onClicked: section.buttonClicked(row.model.number)
                }
            }
        }
    }
}
