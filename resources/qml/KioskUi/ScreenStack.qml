import QtQuick
import QtQuick.Controls.Basic

// The stack of screens above the home screen (screens use StackView's attached onActivated/onDeactivating).
// Main.qml loads it just after the first frame, or at the first navigation if that comes sooner, and hands it
// the home screen it has shown until then as `initialItem`: Qt Quick Controls are not part of the first frame.
StackView {
    id: stack
    objectName: "screenStack"

    function pushScreen(url) { push(url, {}, StackView.PushTransition) }
    function replaceScreen(url) { replace(url, {}, StackView.ReplaceTransition) }
    function popScreen() { pop() }
    function popToHome() { popToIndex(0, StackView.Immediate) }

    pushEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: Theme.transitionMs } }
    pushExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: Theme.transitionMs } }
    popEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: Theme.transitionMs } }
    popExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: Theme.transitionMs } }
    replaceEnter: pushEnter
    replaceExit: pushExit
}
