import QtQuick
import QtQuick.Controls.Basic

// A long list with large rows: flick it, or use the page buttons under it. With columns > 1 (landscape) the
// rows form a grid of equal cells; delegates take `paged.cellWidth` (and `paged.cellHeight` when it is > 0).
Item {
    id: paged
    property var model
    property Component delegate
    property int columns: 1
    property real gridCellHeight: Theme.rowHeight
    property Component header: null   // scrolls with the rows, before the first (e.g. 全部)
    property Component footer: null   // scrolls with the rows, after the last (e.g. 再显示 50 个)
    readonly property Flickable view: loader.item
    // Cards in a grid keep Theme.px(12) around them; the inset lines their edges up with the screen margin.
    readonly property real gridInset: columns > 1 ? Theme.margin - Theme.px(12) : 0
    readonly property real cellWidth: columns > 1 ? Math.floor((width - 2 * gridInset) / columns) : width
    readonly property real cellHeight: columns > 1 ? gridCellHeight : 0

    function toTop() { if (view) view.contentY = view.originY }

    Loader {
        id: loader
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: pager.top
                  leftMargin: paged.gridInset; rightMargin: paged.gridInset }
        sourceComponent: paged.columns > 1 ? gridComponent : listComponent
    }

    Component {
        id: listComponent
        ListView {
            objectName: "pagedListView"
            clip: true
            model: paged.model
            delegate: paged.delegate
            header: paged.header
            footer: paged.footer
            boundsBehavior: Flickable.StopAtBounds
            cacheBuffer: Theme.px(600)
            ScrollBar.vertical: ScrollBar {
                policy: parent.contentHeight > parent.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
                interactive: false
                width: Theme.px(10)
                contentItem: Rectangle { implicitWidth: Theme.px(10); radius: width / 2; color: Theme.border }
            }
        }
    }
    Component {
        id: gridComponent
        GridView {
            objectName: "pagedGridView"
            clip: true
            model: paged.model
            delegate: paged.delegate
            header: paged.header
            footer: paged.footer
            cellWidth: paged.cellWidth
            cellHeight: paged.cellHeight
            boundsBehavior: Flickable.StopAtBounds
            cacheBuffer: Theme.px(600)
            ScrollBar.vertical: ScrollBar {
                policy: parent.contentHeight > parent.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
                interactive: false
                width: Theme.px(10)
                contentItem: Rectangle { implicitWidth: Theme.px(10); radius: width / 2; color: Theme.border }
            }
        }
    }

    Pager {
        id: pager
        objectName: "pager"
        target: paged.view
        availableHeight: paged.height
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: implicitHeight
    }
}
