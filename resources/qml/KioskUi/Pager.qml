import QtQuick

// 上一页 / 下一页 for any list or page that scrolls: for people who do not flick, and to show there is more.
Rectangle {
    id: pager
    property Flickable target
    readonly property real overlap: target ? Math.min(Theme.px(80), target.height / 4) : 0
    readonly property real step: target ? Math.max(1, target.height - overlap) : 1
    readonly property real scrollable: target ? Math.max(0, target.contentHeight - target.height) : 0
    // The height the target has without this bar (set it where the bar takes its room from the target, so
    // showing the bar cannot decide whether the bar is needed).
    property real availableHeight: 0
    readonly property bool needed: target !== null && target.contentHeight
                                   > (availableHeight > 0 ? availableHeight : target.height) + Theme.px(4)
    readonly property real offset: target ? target.contentY - target.originY : 0
    readonly property int pages: needed ? Math.ceil(scrollable / step) + 1 : 1
    // The nearest page start: a list of rows of different heights re-estimates its origin as it scrolls, so the
    // offset of a page start drifts by a few pixels; rounding keeps the number in step with the buttons.
    readonly property int page: !needed ? 1 : (offset >= scrollable - Theme.px(4) ? pages
                                                : Math.min(pages, Math.round(offset / step) + 1))

    property Component middle: null   // shown between the buttons instead of the page number (e.g. 打印)
    // Set from a handler, not bound: a list's content height depends on its height, which the bar takes from.
    property bool shown: false
    function syncShown() { shown = needed }
    onNeededChanged: Qt.callLater(syncShown)
    Component.onCompleted: shown = needed
    // From what the bar shows, not from `visible`: a screen under another one is hidden, and its list must keep
    // its height (and so its position) until the citizen comes back to it.
    readonly property bool showing: shown || middle !== null
    implicitHeight: showing ? Theme.buttonHeight + Theme.px(24) : 0
    visible: showing
    color: Theme.surface

    Rectangle {
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Theme.borderWidth
        color: Theme.divider
    }

    function scrollTo(y) {
        if (!target) return
        scroll.stop()
        scroll.to = Math.max(target.originY, Math.min(target.originY + scrollable, y))
        scroll.start()
    }
    function pageUp() { scrollTo(target.contentY - step) }
    function pageDown() { scrollTo(target.contentY + step) }

    NumberAnimation { id: scroll; target: pager.target; property: "contentY"; duration: 220; easing.type: Easing.OutCubic }

    BigButton {
        id: up
        objectName: "pageUpButton"
        anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        variant: "soft"
        iconName: "chevron-up"
        text: qsTr("上一页")
        enabled: pager.page > 1
        visible: pager.shown
        onClicked: pager.pageUp()
    }
    KText {
        anchors.centerIn: parent
        visible: pager.middle === null
        text: qsTr("第 %1 / %2 页").arg(pager.page).arg(pager.pages)
        color: Theme.textSecondary
        font.pixelSize: Theme.fontSecondary
    }
    Loader {
        anchors.centerIn: parent
        sourceComponent: pager.middle
    }
    BigButton {
        objectName: "pageDownButton"
        anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        variant: "soft"
        iconName: "chevron-down"
        text: qsTr("下一页")
        enabled: pager.page < pager.pages
        visible: pager.shown
        onClicked: pager.pageDown()
    }
}
