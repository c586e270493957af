import QtQuick
import KioskUi

// One column of the transfer dialog: services or counters to choose from, the chosen one marked (not by colour
// alone: a tick and a frame). Up and Down move while it has the keyboard; a click chooses.
Rectangle {
    id: box
    property string title: ""
    property var places: []
    property int current: 0
    property bool active: false
    property var detailText: function(place) { return place.detail }
    signal chosen(int index)
    color: Theme.background
    radius: Theme.radius
    border.width: active ? Theme.px(4) : 1
    border.color: active ? Theme.primary : Theme.divider

    KText {
        id: heading
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(16) }
        text: box.title
        font.pixelSize: Theme.px(30)
        font.weight: Font.Bold
    }
    ListView {
        id: list
        objectName: box.objectName + "List"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: parent.bottom; margins: Theme.px(10) }
        clip: true
        model: box.places
        currentIndex: box.current
        boundsBehavior: Flickable.StopAtBounds
        onCurrentIndexChanged: positionViewAtIndex(currentIndex, ListView.Contain)
        delegate: Rectangle {
            id: row
            required property var modelData
            required property int index
            readonly property bool selected: index === box.current
            width: ListView.view.width
            height: Theme.px(70)
            radius: Theme.px(8)
            color: selected ? Theme.primarySoft : (rowArea.containsPress ? Theme.surfacePressed : Theme.surface)
            border.width: selected ? Theme.borderWidth : 0
            border.color: Theme.primary
            Accessible.role: Accessible.ListItem
            Accessible.name: modelData.name
            Accessible.selected: selected
            Row {
                anchors { left: parent.left; leftMargin: Theme.px(14); verticalCenter: parent.verticalCenter }
                spacing: Theme.px(12)
                Icon { name: "check"; size: Theme.px(30); color: Theme.primary; opacity: row.selected ? 1 : 0; anchors.verticalCenter: parent.verticalCenter }
                KText {
                    text: row.modelData.name
                    font.pixelSize: Theme.px(30)
                    font.weight: row.selected ? Font.Bold : Font.Normal
                    wrapMode: Text.NoWrap
                    anchors.verticalCenter: parent.verticalCenter
                }
                KText {
                    text: box.detailText(row.modelData)
                    font.pixelSize: Theme.px(26)
                    color: Theme.textSecondary
                    wrapMode: Text.NoWrap
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
            MouseArea { id: rowArea; anchors.fill: parent; onClicked: box.chosen(row.index) }
        }
    }
}
