import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles
import KioskUi

// The terminal's own keyboard style (VirtualKeyboardSettings.styleName "kiosk", found by Qt under
// <QML import path>/QtQuick/VirtualKeyboard/Styles/kiosk/kbd.qml): the look of the screens, sizes from Theme so
// the keys, their words and the pinyin candidates grow in elder mode, every label dark on light (or white on the
// primary blue) at 4.5:1 or more, and Chinese words on the function keys.
KeyboardStyle {
    id: kbd  // not "style": a Text has a property of that name
    objectName: "kioskKeyboardStyle"

    // The keyboard is as wide as the screen (1000 px docked in landscape); its height follows this ratio, so
    // elder mode makes every row taller: 4 rows of about 86 px (elder 108 px) at 1080 wide.
    keyboardDesignWidth: 2560
    keyboardDesignHeight: Theme.elder ? 1020 : 820
    keyboardRelativeLeftMargin: 8 / keyboardDesignWidth
    keyboardRelativeRightMargin: 8 / keyboardDesignWidth
    keyboardRelativeTopMargin: 8 / keyboardDesignHeight
    keyboardRelativeBottomMargin: 8 / keyboardDesignHeight

    // Sizes in screen pixels (Theme.px follows the window), not the keyboard's own scale.
    readonly property int keyText: Theme.px(Theme.elder ? 44 : 34)
    readonly property int keyWords: Theme.px(Theme.elder ? 32 : 26)
    readonly property int candidateText: Theme.px(Theme.elder ? 42 : 32)
    readonly property int gap: Theme.px(5)
    readonly property int keyRadius: Theme.px(10)

    // Colours: 16:1 for letters on keys, 8:1 for function keys and the enter key.
    readonly property color backgroundColor: "#C9D2DD"
    readonly property color keyColor: Theme.surface
    readonly property color keyPressedColor: Theme.surfacePressed
    readonly property color functionKeyColor: Theme.primarySoft
    readonly property color functionKeyPressedColor: "#C6D7EE"
    readonly property color inkColor: Theme.text
    readonly property color functionInkColor: Theme.textOnSoft

    keyboardBackground: Rectangle { color: kbd.backgroundColor }

    component KeyFace: Rectangle {
        property Item key: null
        property bool function_: false
        property bool accent: false
        anchors { fill: parent; margins: kbd.gap }
        radius: kbd.keyRadius
        color: accent ? (key && key.pressed ? Theme.primaryPressed : Theme.primary)
             : function_ ? (key && key.pressed ? kbd.functionKeyPressedColor : kbd.functionKeyColor)
             : (key && key.pressed ? kbd.keyPressedColor : kbd.keyColor)
        border.width: key && key.pressed ? Theme.px(3) : 0
        border.color: Theme.primary
    }
    component KeyLabel: Text {
        anchors.centerIn: parent
        width: parent.width - Theme.px(8)
        horizontalAlignment: Text.AlignHCenter
        elide: Text.ElideRight
        color: kbd.inkColor
        font.pixelSize: kbd.keyText
    }

    keyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: control.highlighted
            KeyLabel {
                text: control.displayText
                color: control.enabled ? kbd.inkColor : Theme.textDisabled
                font.capitalization: control.uppercased ? Font.AllUppercase : Font.MixedCase
            }
            Text {
                anchors { right: parent.right; top: parent.top; margins: Theme.px(6) }
                visible: control.smallTextVisible && control.smallText !== "\u2699"
                text: control.smallText
                color: Theme.textSecondary
                font.pixelSize: Math.round(kbd.keyWords * 0.8)
            }
        }
    }

    backspaceKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: true
            Icon { anchors.centerIn: parent; name: "backspace"; color: kbd.functionInkColor; size: kbd.keyText }
        }
    }

    languageKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: true
            KeyLabel {
                text: InputContext.locale.indexOf("zh") === 0 ? qsTr("中/英") : qsTr("英/中")
                color: kbd.functionInkColor
                font.pixelSize: kbd.keyWords
                font.weight: Font.Bold
            }
        }
    }

    enterKeyPanel: KeyPanel {
        KeyFace {
            key: control
            accent: true
            KeyLabel {
                text: control.actionId === EnterKeyAction.Next ? qsTr("下一项")
                    : control.actionId === EnterKeyAction.Search ? qsTr("搜索")
                    : control.actionId === EnterKeyAction.Go || control.actionId === EnterKeyAction.Send ? qsTr("前往")
                    : InputContext.inputMethodHints & Qt.ImhMultiLine ? qsTr("换行")
                    : qsTr("确定")
                color: Theme.textOnPrimary
                font.pixelSize: kbd.keyWords
                font.weight: Font.Bold
            }
        }
    }

    hideKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: true
            Column {
                anchors.centerIn: parent
                Icon { anchors.horizontalCenter: parent.horizontalCenter; name: "chevron-down"; color: kbd.functionInkColor; size: Math.round(kbd.keyText * 0.8) }
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: qsTr("收起")
                    color: kbd.functionInkColor
                    font.pixelSize: Math.round(kbd.keyWords * 0.85)
                }
            }
        }
    }

    shiftKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: true
            color: InputContext.capsLockActive || InputContext.shiftActive ? Theme.primary : kbd.functionKeyColor
            Column {
                anchors.centerIn: parent
                Icon {
                    anchors.horizontalCenter: parent.horizontalCenter
                    name: "chevron-up"
                    color: InputContext.capsLockActive || InputContext.shiftActive ? Theme.textOnPrimary : kbd.functionInkColor
                    size: Math.round(kbd.keyText * 0.8)
                }
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: InputContext.capsLockActive ? qsTr("大写锁定") : qsTr("大写")
                    color: InputContext.capsLockActive || InputContext.shiftActive ? Theme.textOnPrimary : kbd.functionInkColor
                    font.pixelSize: Math.round(kbd.keyWords * 0.85)
                }
            }
        }
    }

    spaceKeyPanel: KeyPanel {
        KeyFace {
            key: control
            KeyLabel {
                // Which language the keys type, at full contrast (it does not fade).
                text: InputContext.locale.indexOf("zh") === 0 ? qsTr("空格（拼音）") : qsTr("空格（English）")
                font.pixelSize: kbd.keyWords
            }
        }
    }

    symbolKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: true
            KeyLabel {
                text: control.displayText
                color: kbd.functionInkColor
                font.pixelSize: kbd.keyWords
                font.weight: Font.Bold
            }
        }
    }

    modeKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: !control.mode
            accent: control.mode
            KeyLabel {
                text: control.displayText
                color: control.mode ? Theme.textOnPrimary : kbd.functionInkColor
                font.pixelSize: kbd.keyWords
                font.weight: Font.Bold
            }
        }
    }

    handwritingKeyPanel: KeyPanel {
        KeyFace {
            key: control
            function_: true
            KeyLabel { text: qsTr("手写"); color: kbd.functionInkColor; font.pixelSize: kbd.keyWords }
        }
    }

    // The key under the finger, shown above it in large type.
    characterPreviewMargin: 0
    characterPreviewDelegate: Item {
        id: preview
        property string text
        Rectangle {
            anchors.fill: parent
            radius: kbd.keyRadius
            color: Theme.primary
            Text {
                anchors.centerIn: parent
                text: preview.text
                color: Theme.textOnPrimary
                font.pixelSize: Math.round(kbd.keyText * 1.4)
            }
        }
    }

    // Letters with accents (long press).
    alternateKeysListItemWidth: Theme.px(Theme.elder ? 96 : 80)
    alternateKeysListItemHeight: Theme.px(Theme.elder ? 120 : 100)
    alternateKeysListDelegate: Item {
        id: alternate
        width: kbd.alternateKeysListItemWidth
        height: kbd.alternateKeysListItemHeight
        Text {
            anchors.centerIn: parent
            text: model.text
            color: alternate.ListView.isCurrentItem ? Theme.textOnPrimary : kbd.inkColor
            font.pixelSize: kbd.keyText
        }
    }
    alternateKeysListHighlight: Rectangle { color: Theme.primary; radius: kbd.keyRadius }
    alternateKeysListBackground: Rectangle {
        color: kbd.keyColor
        radius: kbd.keyRadius
        border { width: Theme.borderWidth; color: Theme.fieldBorder }
    }

    // The pinyin candidates: a strip as tall as a target, words as large as body text (elder: larger).
    selectionListHeight: Theme.px(Theme.elder ? 100 : 80)
    selectionListDelegate: SelectionListItem {
        id: candidate
        width: Math.max(Theme.px(Theme.elder ? 96 : 80), label.implicitWidth + Theme.px(48))
        Text {
            id: label
            anchors.centerIn: parent
            text: display
            color: kbd.inkColor
            font.pixelSize: kbd.candidateText
            font.weight: candidate.ListView.isCurrentItem ? Font.Bold : Font.Normal
        }
        Rectangle {
            width: Theme.px(2)
            height: parent.height * 0.5
            anchors { right: parent.right; verticalCenter: parent.verticalCenter }
            color: Theme.fieldBorder
        }
    }
    selectionListHighlight: Rectangle { color: Theme.primarySoft }
    selectionListBackground: Rectangle { color: Theme.surface }
    selectionListAdd: Transition {
        NumberAnimation { property: "opacity"; from: 0; to: 1; duration: 120 }
    }
    selectionListRemove: Transition {
        NumberAnimation { property: "opacity"; to: 0; duration: 120 }
    }

    navigationHighlight: Rectangle {
        color: "transparent"
        border { width: Theme.px(4); color: Theme.primary }
    }

    popupListDelegate: SelectionListItem {
        id: popupItem
        property real cursorAnchor: popupLabel.x + popupLabel.width
        width: popupLabel.implicitWidth + Theme.px(40)
        height: Math.max(Theme.px(Theme.elder ? 72 : 60), popupLabel.implicitHeight + Theme.px(16))
        Text {
            id: popupLabel
            anchors.centerIn: parent
            text: display
            color: kbd.inkColor
            font.pixelSize: kbd.candidateText
            font.weight: popupItem.ListView.isCurrentItem ? Font.Bold : Font.Normal
        }
    }
    popupListBackground: Rectangle { color: kbd.keyColor; border { width: Theme.borderWidth; color: Theme.fieldBorder } }
    popupListHighlight: Rectangle { color: Theme.primarySoft }

    languagePopupListEnabled: false  // two languages: the key switches between them
    languageListDelegate: SelectionListItem {
        id: languageItem
        width: Theme.px(360)
        height: Theme.px(Theme.elder ? 84 : 68)
        Text {
            anchors { left: parent.left; leftMargin: Theme.px(20); verticalCenter: parent.verticalCenter }
            text: displayName
            color: kbd.inkColor
            font.pixelSize: kbd.keyWords
        }
    }
    languageListHighlight: Rectangle { color: Theme.primarySoft }
    languageListBackground: Rectangle { color: kbd.keyColor; border { width: Theme.borderWidth; color: Theme.fieldBorder } }

    selectionHandle: Rectangle {
        width: Theme.px(28)
        height: width
        radius: width / 2
        color: Theme.primary
    }

    fullScreenInputContainerBackground: Rectangle { color: Theme.surface }
    fullScreenInputBackground: Item {}
    fullScreenInputMargins: Theme.px(12)
    fullScreenInputPadding: 0
    fullScreenInputCursor: Rectangle { width: Theme.px(3); color: kbd.inkColor; visible: parent.blinkStatus }
    fullScreenInputColor: kbd.inkColor
    fullScreenInputFont.pixelSize: kbd.keyText

    functionPopupListDelegate: Item {
        width: Theme.px(120)
        height: Theme.px(120)
        Icon {
            anchors.centerIn: parent
            name: keyboardFunction === QtVirtualKeyboard.KeyboardFunction.HideInputPanel ? "chevron-down" : "language"
            color: kbd.functionInkColor
            size: kbd.keyText
        }
    }
    functionPopupListBackground: Rectangle { color: kbd.keyColor; radius: kbd.keyRadius; border { width: Theme.borderWidth; color: Theme.fieldBorder } }
    functionPopupListHighlight: Rectangle { color: Theme.primarySoft; radius: kbd.keyRadius }
}
