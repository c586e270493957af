import QtQuick
import KioskUi

// A long list narrowed without typing: the departments among a category's (or theme's) items, or the categories
// among a department's, each with how many items it holds; the first row goes back to the whole list.
Item {
    id: screen
    objectName: "narrowScreen"
    readonly property bool byDepartment: catalogBrowser.partKind !== "category"
    property string title: byDepartment ? qsTr("选择部门") : qsTr("选择分类")

    ScreenHeading {
        id: heading
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        title: catalogBrowser.selectedLabel
        hint: screen.byDepartment ? qsTr("这 %n 个事项由下面这些部门办理。请点击一个部门，只看它的事项。", "",
                                             catalogBrowser.itemsTotal)
                                  : qsTr("这 %n 个事项分属下面这些分类。请点击一个分类，只看它的事项。", "",
                                             catalogBrowser.itemsTotal)
    }

    PagedList {
        id: list
        objectName: "partList"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: parent.bottom
                  topMargin: Theme.spacing }
        model: catalogBrowser.parts
        columns: Theme.landscape ? 2 : 1
        gridCellHeight: Theme.rowHeight + Theme.px(Theme.elder ? 56 : 40)
        header: Item {
            width: list.width - 2 * list.gridInset
            height: allRow.implicitHeight + (list.columns > 1 ? Theme.px(24) : 0)
            FacetRow {
                id: allRow
                objectName: "partRow_all"
                anchors { fill: parent; margins: list.columns > 1 ? Theme.px(12) : 0 }
                card: list.columns > 1
                label: screen.byDepartment ? qsTr("全部部门") : qsTr("全部分类")
                count: catalogBrowser.itemsTotal
                onClicked: catalogBrowser.narrowTo("", "")
            }
        }
        delegate: Item {
            width: list.cellWidth
            height: list.cellHeight > 0 ? list.cellHeight : row.implicitHeight
            FacetRow {
                id: row
                objectName: "partRow_" + index
                anchors.fill: parent
                anchors.margins: list.columns > 1 ? Theme.px(12) : 0
                card: list.columns > 1
                label: model.label
                count: model.count
                onClicked: catalogBrowser.narrowTo(model.key, model.label)
            }
        }
    }
}
