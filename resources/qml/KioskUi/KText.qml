import QtQuick

// Body text: theme size and colour, wraps rather than clips, comfortable line spacing.
Text {
    color: Theme.text
    font.pixelSize: Theme.fontBody
    lineHeight: Theme.lineHeight
    wrapMode: Text.Wrap
    textFormat: Text.PlainText
    verticalAlignment: Text.AlignVCenter
}
