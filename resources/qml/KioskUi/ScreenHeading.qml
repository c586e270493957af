import QtQuick

// The first words of a screen: what it is, and (smaller) what to do here.
Column {
    property string title
    property string hint
    spacing: Theme.px(6)
    KText {
        width: parent.width
        text: parent.title
        visible: text !== ""
        font.pixelSize: Theme.fontTitle
        font.weight: Font.Bold
    }
    KText {
        width: parent.width
        text: parent.hint
        visible: text !== ""
        color: Theme.textSecondary
    }
}
