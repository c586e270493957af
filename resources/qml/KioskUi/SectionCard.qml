import QtQuick

// One part of a guide: a heading with an icon and a white card holding the content.
Column {
    id: section
    property string title
    property string iconName
    default property alias content: inner.data
    spacing: Theme.smallSpacing

    Row {
        spacing: Theme.px(14)
        Icon { name: section.iconName; color: Theme.primary; size: Theme.px(Theme.elder ? 50 : 44); anchors.verticalCenter: parent.verticalCenter }
        KText {
            text: section.title
            font.pixelSize: Theme.fontHeading
            font.weight: Font.Bold
            anchors.verticalCenter: parent.verticalCenter
        }
    }
    Rectangle {
        width: parent.width
        implicitHeight: inner.implicitHeight + Theme.px(56)
        height: implicitHeight
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.borderWidth
        border.color: Theme.divider
        Column {
            id: inner
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28) }
            spacing: Theme.spacing
        }
    }
}
