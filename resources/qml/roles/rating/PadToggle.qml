import QtQuick
import KioskUi

// A display choice in the pad's header (长辈模式, the other language): a pill of icon and words, ticked when on.
Item {
    id: toggle
    property string text: ""
    property string iconName: ""
    property bool checked: false
    readonly property bool down: toggleArea.containsPress
    signal clicked()
    height: Theme.px(84)  // (the same in elder mode: the counter's number keeps its room; ≥ 60 px besides)
    implicitWidth: row.implicitWidth + Theme.px(34)
    width: implicitWidth
    Accessible.role: Accessible.Button
    Accessible.name: text
    Accessible.onPressAction: toggle.clicked()
    Rectangle {
        anchors.fill: parent
        radius: height / 2
        color: toggle.checked ? Theme.textOnPrimary : (toggle.down ? Theme.primaryPressed : "transparent")
        border.width: Theme.px(3)
        border.color: Theme.textOnPrimary
    }
    Row {
        id: row
        anchors.centerIn: parent
        spacing: Theme.px(8)
        Icon {
            name: toggle.iconName
            color: toggle.checked ? Theme.primary : Theme.textOnPrimary
            size: Theme.px(34)
            anchors.verticalCenter: parent.verticalCenter
        }
        KText {
            text: toggle.text
            color: toggle.checked ? Theme.primary : Theme.textOnPrimary
            font.pixelSize: Theme.px(28)
            font.weight: Font.Bold
            wrapMode: Text.NoWrap
            anchors.verticalCenter: parent.verticalCenter
        }
    }
    MouseArea {
        id: toggleArea
        anchors.fill: parent
        onClicked: toggle.clicked()
    }
}
