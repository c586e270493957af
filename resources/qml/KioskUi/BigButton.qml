import QtQuick
import QtQuick.Controls.Basic

// The one button of the UI: at least Theme.buttonHeight tall, icon and words (never colour alone), clear press.
// variant: "primary" (blue), "secondary" (white, blue outline), "soft" (light blue), "danger" (red).
AbstractButton {
    id: control
    property string iconName: ""
    property string variant: "primary"
    property int fontSize: Theme.fontButton
    property bool iconRight: false

    readonly property color fillColor: !enabled ? Theme.divider
                                     : variant === "primary" ? (down ? Theme.primaryPressed : Theme.primary)
                                     : variant === "danger" ? (down ? "#951826" : Theme.accent)
                                     : variant === "soft" ? (down ? Theme.surfacePressed : Theme.primarySoft)
                                     : (down ? Theme.surfacePressed : Theme.surface)
    readonly property color inkColor: !enabled ? Theme.textDisabled
                                    : (variant === "primary" || variant === "danger") ? Theme.textOnPrimary
                                    : Theme.textOnSoft

    readonly property int glyphSize: Math.round(fontSize * 1.15)
    readonly property int gap: Theme.px(14)
    implicitHeight: Math.max(Theme.buttonHeight, label.implicitHeight + topPadding + bottomPadding)
    implicitWidth: Math.max(Theme.buttonHeight * 1.6, leftPadding + rightPadding + label.implicitWidth
                            + (iconName !== "" ? glyphSize + gap : 0))
    leftPadding: Theme.px(28)
    rightPadding: Theme.px(28)
    topPadding: Theme.px(10)
    bottomPadding: Theme.px(10)
    focusPolicy: Qt.NoFocus  // tapping a button never takes the focus (and the keyboard) from a text field

    Accessible.role: Accessible.Button
    Accessible.name: text

    background: Rectangle {
        radius: Theme.radius
        color: control.fillColor
        border.width: control.variant === "secondary" ? Theme.borderWidth : 0
        border.color: control.enabled ? Theme.primary : Theme.border
    }

    contentItem: Item {
        Row {
            id: content
            anchors.centerIn: parent
            spacing: control.gap
            layoutDirection: control.iconRight ? Qt.RightToLeft : Qt.LeftToRight
            Icon {
                id: glyph
                visible: control.iconName !== ""
                name: control.iconName
                color: control.inkColor
                size: control.glyphSize
                anchors.verticalCenter: parent.verticalCenter
            }
            Text {
                id: label
                text: control.text
                color: control.inkColor
                font.pixelSize: control.fontSize
                font.weight: Font.Medium
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                lineHeight: 1.2
                width: Math.min(implicitWidth, control.availableWidth - (glyph.visible ? control.glyphSize + control.gap : 0))
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
