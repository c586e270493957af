pragma Singleton
import QtQuick

// Sizes, colours and type of every screen. Main.qml binds `elder` to appState.elderMode and the window size;
// sizes are designed for 1080×1920 (portrait) or 1920×1080 (landscape) and scale with the window.
QtObject {
    property bool elder: false
    property real windowWidth: 1080
    property real windowHeight: 1920

    readonly property bool landscape: windowWidth > windowHeight
    readonly property real scale: landscape ? Math.min(windowWidth / 1920, windowHeight / 1080)
                                            : Math.min(windowWidth / 1080, windowHeight / 1920)
    function px(value) { return Math.round(value * scale) }

    // Colours: dark text on light surfaces, government blue for actions, red only with words or icons.
    readonly property color background: "#EEF2F7"
    readonly property color surface: "#FFFFFF"
    readonly property color surfacePressed: "#DCE6F3"
    readonly property color primary: "#0B4EA2"
    readonly property color primaryPressed: "#083B7A"
    readonly property color primarySoft: "#E3ECF8"
    readonly property color textOnPrimary: "#FFFFFF"
    readonly property color textOnSoft: "#0A3F85"
    readonly property color accent: "#C21F30"
    readonly property color text: "#1B1F24"
    readonly property color textSecondary: "#4A5361"
    readonly property color textDisabled: "#6B7280"
    readonly property color border: "#B7C2D0"
    // The edge of an input field, empty or not: 4.4:1 on white, 3.9:1 on the background (≥ 3:1 for controls).
    readonly property color fieldBorder: "#6E7A8C"
    readonly property color divider: "#DCE2EA"
    readonly property color successText: "#1E6B35"
    readonly property color warningSurface: "#FFF4E0"
    readonly property color warningText: "#7A4A00"
    readonly property color errorSurface: "#FDECEE"
    readonly property color errorText: "#A4161A"
    readonly property color scrim: "#B3000000"

    // Type: normal body 28 px, elder 36 px at 1080 wide; line height ≥ 1.3 everywhere.
    readonly property int fontBody: px(elder ? 36 : 28)
    readonly property int fontSecondary: px(elder ? 32 : 25)
    readonly property int fontButton: px(elder ? 38 : 30)
    readonly property int fontHeading: px(elder ? 42 : 34)
    readonly property int fontTitle: px(elder ? 50 : 42)
    readonly property int fontDisplay: px(elder ? 60 : 52)
    readonly property int fontSmall: px(elder ? 28 : 22)   // footer and maintenance details only
    readonly property real lineHeight: 1.35

    // Chinese text breaks between any two characters, so a paragraph can end with one character alone on its
    // last line (…保障 / 局). A word joiner (U+2060, never drawn) ties the last two characters together; closing
    // punctuation already stays with the character before it.
    function keepTail(text) {
        const s = String(text)
        let end = s.length
        while (end > 0 && "。，、；：！？）」』”’.,;:!?)".indexOf(s[end - 1]) >= 0)
            end--
        if (end < 3 || !/[\u3400-\u9fff]/.test(s[end - 1]) || !/[\u3400-\u9fff]/.test(s[end - 2]))
            return s
        return s.slice(0, end - 1) + "\u2060" + s.slice(end - 1)
    }

    // Touch targets (≥ 60 dp in both modes) and spacing.
    readonly property int buttonHeight: px(elder ? 124 : 100)
    readonly property int rowHeight: px(elder ? 160 : 124)
    readonly property int iconSize: px(elder ? 52 : 44)
    readonly property int headerHeight: px(elder ? 152 : 136)
    readonly property int margin: px(landscape ? 48 : 40)
    readonly property int spacing: px(elder ? 28 : 24)
    readonly property int smallSpacing: px(elder ? 16 : 12)
    readonly property int radius: px(16)
    readonly property int borderWidth: Math.max(2, px(2))
    readonly property int cornerTapSize: px(140)
    readonly property int transitionMs: 140
}
