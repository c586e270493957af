import QtQuick
import KioskUi

// The kiosk window: header, navigation bar, the stack of screens, the on-screen keyboard and the overlays.
// Python's Navigator decides which screens are open; the StackView mirrors it, loading each screen on first use
// from the file the screen registry names (screenFiles: navigator name → URL, from the role's features).
// The first frame holds only what the home screen shows: no Qt Quick Controls (the StackView comes just after
// it, see screens()), and the parts that are hidden at home (navigation bar, session bar, offline banner,
// overlays) are made when they first show. View-models made after the first frame (maintenance …) are null
// until then, so bindings here check for them, and handlers call needViewModels() first.
Window {
    id: root
    width: 1080
    height: 1920
    color: Theme.background
    title: qsTr("政务服务自助终端")

    property bool frameless: false    // the full-screen kiosk window has no frame
    flags: frameless ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    property bool allowClose: false   // only the maintenance screen's 退出到桌面 sets it
    property bool keyboardWanted: false  // set once the first frame is on screen: the home screen needs none
    property bool screensWanted: false   // set once the first frame is on screen: the StackView loads then
    readonly property var theme: Theme
    readonly property bool keyboardVisible: keyboardLoader.item !== null && keyboardLoader.item.active
    readonly property bool keyboardReady: keyboardLoader.status === Loader.Ready
    readonly property bool transitioning: screenLoader.item !== null && screenLoader.item.busy
    readonly property var currentScreen: screenLoader.item !== null ? screenLoader.item.currentItem : homeScreen
    property bool navigated: false       // the navigation bar is made at the first navigation, then kept

    onScreensWantedChanged: if (screensWanted) screens()

    // A tap that comes before the view-models made after the first frame (tests; a very quick finger) asks for
    // them first: Python makes them at once, before the handler goes on to use them.
    signal viewModelsWanted()
    function needViewModels() {
        if (!catalogBrowser || !maintenance || !formFlow)
            viewModelsWanted()
    }

    // The StackView (KioskUi/ScreenStack.qml), made on first need; it takes over the home screen shown so far.
    function screens() {
        if (screenLoader.item === null)
            screenLoader.setSource(Qt.resolvedUrl("../../KioskUi/ScreenStack.qml"), { "initialItem": homeScreen })
        return screenLoader.item
    }

    onClosing: (close) => { close.accepted = root.allowClose }

    Binding { target: Theme; property: "elder"; value: appState.elderMode }
    Binding { target: Theme; property: "windowWidth"; value: root.width }
    Binding { target: Theme; property: "windowHeight"; value: root.height }

    Connections {
        target: navigator
        function onPushed(screen) {
            root.navigated = true
            root.screens().pushScreen(screenFiles[screen])
        }
        function onReplaced(screen) {
            root.navigated = true
            root.screens().replaceScreen(screenFiles[screen])
        }
        function onPopped() { root.screens().popScreen() }
        function onReturnedHome() {
            Qt.inputMethod.hide()
            root.screens().popToHome()
        }
    }

    HeaderBar {
        id: header
        z: 10
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: implicitHeight
    }

    // The citizen whose card was read: greeted by the masked name, with the way to end and take the card.
    Loader {
        id: sessionBar
        z: 10
        anchors { left: parent.left; right: parent.right; top: header.bottom }
        active: identitySession.active
        visible: active
        height: item !== null ? item.implicitHeight : 0
        sourceComponent: Rectangle {
            objectName: "sessionBar"
            implicitHeight: Math.max(sessionGreeting.implicitHeight, sessionEnd.implicitHeight) + Theme.px(24)
            color: Theme.primarySoft
            Rectangle { anchors { left: parent.left; right: parent.right; bottom: parent.bottom } height: Theme.borderWidth; color: Theme.border }
            Row {
                anchors { left: parent.left; leftMargin: Theme.margin; right: sessionEnd.left; rightMargin: Theme.spacing
                          verticalCenter: parent.verticalCenter }
                spacing: Theme.px(14)
                Icon { id: sessionIcon; name: "person"; color: Theme.textOnSoft; size: Theme.px(44); anchors.verticalCenter: parent.verticalCenter }
                KText {
                    id: sessionGreeting
                    objectName: "sessionGreeting"
                    width: parent.width - sessionIcon.width - parent.spacing
                    anchors.verticalCenter: parent.verticalCenter
                    color: Theme.textOnSoft
                    font.weight: Font.Bold
                    text: qsTr("您好，%1").arg(identitySession.maskedName)
                }
            }
            BigButton {
                id: sessionEnd
                objectName: "sessionEndButton"
                anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
                variant: "secondary"
                iconName: "exit"
                fontSize: Theme.fontSecondary
                text: qsTr("结束办理")
                onClicked: identitySession.end()
            }
        }
    }

    // While the center cannot be reached the terminal keeps serving from its cache, and says so.
    Loader {
        id: offlineBanner
        z: 10
        objectName: "offlineBanner"
        anchors { left: parent.left; right: parent.right; top: sessionBar.bottom }
        visible: !!syncState && syncState.offline
        active: visible
        height: item !== null ? item.implicitHeight : 0
        sourceComponent: Rectangle {
            implicitHeight: offlineText.implicitHeight + Theme.px(24)
            color: Theme.warningSurface
            Rectangle { anchors { left: parent.left; right: parent.right; bottom: parent.bottom } height: Theme.borderWidth; color: Theme.border }
            Row {
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                          leftMargin: Theme.margin; rightMargin: Theme.margin }
                spacing: Theme.px(14)
                Icon { id: offlineIcon; name: "alert"; color: Theme.warningText; size: Theme.px(40); anchors.verticalCenter: parent.verticalCenter }
                KText {
                    id: offlineText
                    width: parent.width - offlineIcon.width - parent.spacing
                    color: Theme.warningText
                    font.pixelSize: Theme.fontSecondary
                    text: qsTr("离线服务中：网络暂时不通，仍可查询办事指南；您办理的事项会在网络恢复后自动上传。")
                }
            }
        }
    }

    // The center's notices on every screen but home (which has its banner): one unobtrusive line, a tap opens
    // the whole text.
    Loader {
        id: noticeStrip
        objectName: "noticeStrip"
        z: 10
        anchors { left: parent.left; right: parent.right; top: offlineBanner.bottom }
        visible: !!noticesFeed && noticesFeed.count > 0 && !navigator.atHome
        active: visible
        height: item !== null ? item.implicitHeight : 0
        sourceComponent: NoticeBanner { compact: true; feed: noticesFeed }
    }

    Loader {
        id: navBar
        z: 10
        anchors { left: parent.left; right: parent.right; top: noticeStrip.bottom }
        active: root.navigated
        visible: navigator.depth > 1
        height: visible && item !== null ? item.implicitHeight : 0
        sourceComponent: NavBar {
            title: root.currentScreen && root.currentScreen.title !== undefined ? root.currentScreen.title : ""
            // A screen may say what 返回 means on it (goBack()); elsewhere it is one step back.
            onBackClicked: {
                if (root.currentScreen && typeof root.currentScreen.goBack === "function")
                    root.currentScreen.goBack()
                else
                    navigator.back()
            }
            onHomeClicked: navigator.home()
        }
    }

    // The screens. Until the StackView exists (just after the first frame) the home screen stands here alone.
    // It clips: whatever a screen scrolls ends at the bars above it, on screen and for taps (an item outside a
    // clipping parent gets no pointer events), and the bars stand above it besides (z).
    Item {
        id: screenArea
        objectName: "screenArea"
        clip: true
        anchors {
            left: parent.left; top: navBar.bottom
            right: root.keyboardVisible && Theme.landscape ? keyboardLoader.left : parent.right
            bottom: root.keyboardVisible && !Theme.landscape ? keyboardLoader.top : parent.bottom
        }
        // Sized by bindings to its parent (not anchors), so it follows when the StackView adopts it.
        HomeScreen {
            id: homeScreen
            width: parent ? parent.width : 0
            height: parent ? parent.height : 0
        }
        Loader {
            id: screenLoader
            anchors.fill: parent
        }
    }

    // The keyboard is part of the scene. It loads just after the first frame (the home screen needs none).
    // While it is up the screens end at its edge (its top in portrait; its left in landscape, where it docks
    // bottom right), so it never covers the field being typed or the results.
    Loader {
        id: keyboardLoader
        objectName: "keyboardLoader"
        z: 50
        active: root.keyboardWanted
        asynchronous: true
        width: Theme.landscape ? Theme.px(1000) : root.width
        x: root.width - width
        y: item && item.active ? root.height - item.height : root.height
        source: "../../KioskUi/Keyboard.qml"
        onLoaded: item.width = Qt.binding(() => keyboardLoader.width)
    }

    // 暂停服务: over every screen but the header (the citizen's language and elder mode stay in reach) and the
    // maintenance corner; not over the maintenance screen, where an operator puts the terminal back in service.
    Loader {
        objectName: "outOfService"
        z: 55
        anchors { left: parent.left; right: parent.right; top: header.bottom; bottom: parent.bottom }
        active: serviceState.outOfService && navigator.current !== "maintenance"
        visible: active
        sourceComponent: OutOfServicePage { state: serviceState }
    }

    // The whole text of the notices, over the screen (opened from the home banner or the strip).
    Loader {
        objectName: "noticeSheetLoader"
        anchors.fill: parent
        z: 80
        active: !!noticesFeed && noticesFeed.opened !== ""
        sourceComponent: NoticeSheet {
            feed: noticesFeed
            onClosed: noticesFeed.closeNotice()
        }
    }

    // Five taps here within three seconds open the maintenance PIN pad (there is no visible control).
    MouseArea {
        objectName: "maintenanceCorner"
        z: 60
        x: 0
        y: 0
        width: Math.min(Theme.cornerTapSize, header.height)
        height: width
        onPressed: {
            root.needViewModels()
            maintenance.cornerTapped()
        }
    }

    // The countdown before the idle reset, made when it is first needed (not part of the first frame).
    Loader {
        anchors.fill: parent
        z: 100
        active: idleGuard.warning
        sourceComponent: IdleWarning {
            objectName: "idleWarning"
            secondsLeft: idleGuard.secondsLeft
            onKeepUsing: idleGuard.poke()
            onGoHome: idleGuard.endNow()
        }
    }

    Loader {
        objectName: "pinPad"
        anchors.fill: parent
        z: 90
        active: !!maintenance && maintenance.pinPadOpen
        sourceComponent: PinPad {}
    }
}
