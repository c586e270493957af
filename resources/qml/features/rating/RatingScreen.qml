import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// 服务评价 (好差评): how to rate, the rating itself, and what became of it. Each part loads while it shows, so
// what was typed on one (a receipt number, a comment) is gone once it is left.
Item {
    id: screen
    objectName: "ratingScreenView"
    property string title: qsTr("服务评价")
    readonly property string state_: ratingScreen.state

    StackView.onDeactivating: Qt.inputMethod.hide()

    Loader {
        objectName: "ratingPart"
        anchors.fill: parent
        sourceComponent: screen.state_ === "entry" ? entryPart
                       : (screen.state_ === "rating" || screen.state_ === "submitting") ? formPart
                       : (screen.state_ === "done" || screen.state_ === "refused" || screen.state_ === "error") ? outcomePart
                       : null
        onSourceComponentChanged: Qt.inputMethod.hide()
    }
    Component { id: entryPart; RatingEntry {} }
    Component { id: formPart; RatingForm {} }
    Component { id: outcomePart; RatingOutcome {} }

    StatusNotice {
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        visible: screen.state_ === "checking"
        kind: "loading"
        title: qsTr("正在打开评价…")
    }
}
