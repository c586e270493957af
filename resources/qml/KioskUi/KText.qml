import QtQuick

// All text on the screens: theme size and colour, wraps rather than clips, the theme's line height. Centred
// vertically: Qt then centres a line in its line box, so a one-line label stays level with its icon.
Text {
    color: Theme.text
    font.pixelSize: Theme.fontBody
    lineHeight: Theme.lineHeight
    wrapMode: Text.Wrap
    textFormat: Text.PlainText
    verticalAlignment: Text.AlignVCenter
}
