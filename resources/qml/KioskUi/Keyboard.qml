import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

// The on-screen keyboard: Chinese pinyin (default) and English. Main.qml loads it after the first frame.
// Its look is the terminal's own style, resources/qml/QtQuick/VirtualKeyboard/Styles/kiosk/style.qml: keys,
// their words and the candidates follow Theme and grow in elder mode.
InputPanel {
    id: panel
    objectName: "inputPanel"

    Component.onCompleted: {
        VirtualKeyboardSettings.styleName = "kiosk"
        VirtualKeyboardSettings.userDataPath = keyboardDataPath
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = appState.language === "en" ? "en_US" : "zh_CN"
        VirtualKeyboardSettings.closeOnReturn = true
    }

    Connections {
        target: appState
        function onSessionEnded() {
            // Forget what the pinyin keyboard learned from this citizen's typing.
            VirtualKeyboardSettings.userDataReset()
            VirtualKeyboardSettings.locale = "zh_CN"
        }
        function onLanguageChanged() {
            VirtualKeyboardSettings.locale = appState.language === "en" ? "en_US" : "zh_CN"
        }
    }
}
