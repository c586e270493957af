import QtQuick

// The one button of the UI: at least Theme.buttonHeight tall, icon and words (never colour alone), clear press.
// variant: "primary" (blue), "secondary" (white, blue outline), "soft" (light blue), "danger" (red).
// Plain Qt Quick, not a Controls button: buttons are on the first frame, and Controls would cost it ~10 ms.
// Tapping never takes the focus (and the keyboard) from a text field.
Item {
    id: control
    property string text: ""
    property string iconName: ""
    property string variant: "primary"
    property int fontSize: Theme.fontButton
    property bool iconRight: false
    property real leftPadding: Theme.px(28)
    property real rightPadding: Theme.px(28)
    property real topPadding: Theme.px(10)
    property real bottomPadding: Theme.px(10)
    readonly property real availableWidth: Math.max(0, width - leftPadding - rightPadding)
    readonly property real availableHeight: Math.max(0, height - topPadding - bottomPadding)
    // Pressed while the finger is down on the button (sliding off it lets go without a click).
    readonly property bool pressed: area.containsPress
    readonly property bool down: pressed
    signal clicked()

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

    Accessible.role: Accessible.Button
    Accessible.name: text
    Accessible.onPressAction: if (control.enabled) control.clicked()

    Rectangle {
        anchors.fill: parent
        radius: Theme.radius
        color: control.fillColor
        border.width: control.variant === "secondary" ? Theme.borderWidth : 0
        border.color: control.enabled ? Theme.primary : Theme.border
    }

    Row {
        anchors.centerIn: parent
        anchors.horizontalCenterOffset: (control.leftPadding - control.rightPadding) / 2
        anchors.verticalCenterOffset: (control.topPadding - control.bottomPadding) / 2
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
        KText {
            id: label
            text: control.text
            color: control.inkColor
            font.pixelSize: control.fontSize
            font.weight: Font.Medium
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            width: Math.min(implicitWidth, control.availableWidth - (glyph.visible ? control.glyphSize + control.gap : 0))
            anchors.verticalCenter: parent.verticalCenter
        }
    }

    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: control.clicked()
    }
}
