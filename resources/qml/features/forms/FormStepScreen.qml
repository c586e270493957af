import QtQuick
import QtQuick.Window
import QtQuick.Controls.Basic
import KioskUi

// One step of the form being filled: where the citizen is (第 2 步，共 4 步), the step's questions, and 上一步 /
// 下一步 always in view at the bottom. The page scrolls so that the field being typed in is never under the
// keyboard (the window already ends the screen at the keyboard's edge), and 下一步 on a step with problems
// scrolls to the first one.
Item {
    id: screen
    objectName: "formStepScreen"
    property string title: formFlow.title
    readonly property int step: formFlow.stepIndex
    readonly property bool lastStep: formFlow.stepIndex + 1 >= formFlow.stepCount
    readonly property Item focusedItem: Window.activeFocusItem

    // Scroll so that `target` shows whole (or its top, when it is taller than the page).
    function reveal(target, margin) {
        if (!target) return
        // Messages that just appeared are laid out at the next frame: lay out now, to measure the real places.
        for (let p = target; p && p !== flick.contentItem; p = p.parent) if (p.forceLayout) p.forceLayout()
        const pos = target.mapToItem(flick.contentItem, 0, 0)
        const room = flick.height
        let y = flick.contentY
        if (pos.y - margin < y || target.height + 2 * margin > room) y = pos.y - margin
        else if (pos.y + target.height + margin > y + room) y = pos.y + target.height + margin - room
        flick.contentY = Math.max(0, Math.min(y, Math.max(0, flick.contentHeight - room)))
    }
    function isOnPage(target) {
        for (let p = target; p; p = p.parent) if (p === body) return true
        return false
    }
    function revealFocus() {
        const target = screen.focusedItem
        if (!target || !isOnPage(target)) return
        // The whole question (label and field) when it fits, else the field itself.
        let question = target
        for (let p = target; p && p !== body; p = p.parent) question = p
        if (question !== target && question.height + Theme.px(48) <= flick.height) reveal(question, Theme.px(24))
        else reveal(target, Theme.px(24))
    }
    property int problemRow: -1
    function revealRow(row) {
        const question = fieldRepeater.itemAt(row)
        if (question) reveal(question, Theme.px(24))
    }
    Timer {  // once more after the next frame, when everything that appeared has its final size
        id: revealAgain
        interval: 60
        onTriggered: screen.revealRow(screen.problemRow)
    }

    onFocusedItemChanged: Qt.callLater(screen.revealFocus)
    onStepChanged: { Qt.inputMethod.hide(); flick.contentY = 0 }
    StackView.onDeactivating: { screen.forceActiveFocus(); Qt.inputMethod.hide() }

    Connections {
        target: formFlow
        function onProblemsShown(row) {
            screen.problemRow = row
            Qt.callLater(screen.revealRow, row)
            revealAgain.restart()
        }
    }

    Rectangle {
        id: header
        objectName: "formStepHeader"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: headerColumn.implicitHeight + Theme.px(28)
        color: Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; bottom: parent.bottom } height: Theme.borderWidth; color: Theme.divider }
        Column {
            id: headerColumn
            anchors { left: parent.left; right: parent.right; top: parent.top
                      leftMargin: Theme.margin; rightMargin: Theme.margin; topMargin: Theme.px(14) }
            spacing: Theme.px(8)
            Row {
                width: parent.width
                spacing: Theme.spacing
                KText {
                    id: stepNumber
                    objectName: "formStepNumber"
                    text: qsTr("第 %1 步，共 %2 步").arg(formFlow.stepIndex + 1).arg(formFlow.stepCount)
                    color: Theme.textOnSoft
                    font.weight: Font.Bold
                }
                KText {
                    objectName: "formStepTitle"
                    width: parent.width - stepNumber.width - parent.spacing
                    text: formFlow.stepTitle
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                }
            }
            Row {  // how far along: one bar per step
                width: parent.width
                spacing: Theme.px(8)
                Repeater {
                    model: formFlow.stepCount
                    Rectangle {
                        width: (headerColumn.width - Theme.px(8) * (formFlow.stepCount - 1)) / Math.max(1, formFlow.stepCount)
                        height: Theme.px(10)
                        radius: height / 2
                        color: index <= formFlow.stepIndex ? Theme.primary : Theme.divider
                    }
                }
            }
        }
    }

    Flickable {
        id: flick
        objectName: "formStepFlickable"
        anchors { left: parent.left; right: parent.right; top: header.bottom; bottom: bar.top }
        clip: true
        contentWidth: width
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds
        onHeightChanged: Qt.callLater(screen.revealFocus)

        MouseArea {  // a tap beside the fields puts the keyboard away (and counts as leaving the field)
            width: flick.width
            height: Math.max(flick.height, flick.contentHeight)
            onClicked: { screen.forceActiveFocus(); Qt.inputMethod.hide() }
        }

        Column {
            id: body
            x: (flick.width - width) / 2
            y: Theme.margin
            width: Math.min(flick.width - Theme.margin * 2, Theme.px(1400))
            spacing: Theme.spacing * 1.5

            Rectangle {
                objectName: "formIntro"
                visible: formFlow.stepIndex === 0 && formFlow.intro !== ""
                width: parent.width
                height: visible ? introRow.implicitHeight + Theme.px(40) : 0
                radius: Theme.radius
                color: Theme.primarySoft
                Row {
                    id: introRow
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(24) }
                    spacing: Theme.px(16)
                    Icon { id: introIcon; name: "info"; color: Theme.textOnSoft; size: Theme.px(48) }
                    Column {
                        width: parent.width - introIcon.width - parent.spacing
                        spacing: Theme.px(6)
                        KText { width: parent.width; text: formFlow.intro; color: Theme.textOnSoft }
                        KText {
                            width: parent.width
                            text: qsTr("受理部门：%1").arg(formFlow.department)
                            color: Theme.textOnSoft
                            font.pixelSize: Theme.fontSecondary
                        }
                    }
                }
            }

            Repeater {
                id: fieldRepeater
                model: formFlow.fields
                delegate: FormFieldItem {
                    width: body.width
                    field: model
                }
            }
        }
    }

    Rectangle {
        id: bar
        objectName: "formStepBar"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Math.max(prevButton.height, nextButton.height) + Theme.px(28)
        color: Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.divider }

        BigButton {
            id: prevButton
            objectName: "formPrevButton"
            anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
            variant: "secondary"
            iconName: "back"
            text: formFlow.stepIndex === 0 ? qsTr("返回") : qsTr("上一步")
            onClicked: { Qt.inputMethod.commit(); formFlow.previous() }
        }
        BigButton {
            objectName: "formBackToReviewButton"
            visible: formFlow.editing
            anchors { horizontalCenter: parent.horizontalCenter; verticalCenter: parent.verticalCenter }
            variant: "secondary"
            iconName: "list"
            text: qsTr("回到核对页")
            onClicked: { Qt.inputMethod.commit(); formFlow.review() }
        }
        BigButton {
            id: nextButton
            objectName: "formNextButton"
            anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
            // Looks waiting while the step has problems, but still answers a tap: it shows them all.
            variant: formFlow.stepOk ? "primary" : "soft"
            iconName: "chevron-right"
            iconRight: true
            text: screen.lastStep ? qsTr("下一步：核对") : qsTr("下一步")
            onClicked: { Qt.inputMethod.commit(); formFlow.next() }
        }
    }
}
