import QtQuick
import KioskUi

// What stops the rating, said where the citizen looks (an alert icon and the words, on the error surface), in the
// secondary size: the pad's reasons have no height to spare.
Rectangle {
    id: problem
    property string text: ""
    visible: text !== ""
    implicitHeight: visible ? problemText.implicitHeight + Theme.px(16) : 0
    radius: Theme.px(10)
    color: Theme.errorSurface
    border.width: Theme.borderWidth
    border.color: "#E6A3A9"
    Icon {
        id: problemIcon
        anchors { left: parent.left; leftMargin: Theme.px(14); verticalCenter: parent.verticalCenter }
        name: "alert"
        color: Theme.errorText
        size: Theme.px(34)
    }
    KText {
        id: problemText
        anchors { left: problemIcon.right; leftMargin: Theme.px(10); right: parent.right; rightMargin: Theme.px(14)
                  verticalCenter: parent.verticalCenter }
        text: problem.text
        color: Theme.errorText
        font.pixelSize: Theme.fontSecondary
        font.weight: Font.Bold
    }
}
