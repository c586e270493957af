import QtQuick
import KioskUi

// The items of one department, category or theme.
Item {
    id: screen
    objectName: "itemsScreen"
    readonly property string kind: catalogBrowser.kind
    property string title: kind === "department" ? qsTr("按部门查找")
                         : kind === "category" ? qsTr("按分类查找") : qsTr("一件事主题")

    ScreenHeading {
        id: heading
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        title: catalogBrowser.selectedLabel
        hint: catalogBrowser.itemsState === "ready" && catalogBrowser.items.count > 0
              ? qsTr("共 %1 个事项，请点击您要办理的事项").arg(catalogBrowser.items.count) : ""
    }

    PagedList {
        id: list
        objectName: "itemList"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: parent.bottom
                  topMargin: Theme.spacing }
        visible: catalogBrowser.itemsState === "ready" && catalogBrowser.items.count > 0
        model: catalogBrowser.items
        columns: Theme.landscape ? 2 : 1
        gridCellHeight: Theme.rowHeight + Theme.px(Theme.elder ? 110 : 80)
        delegate: Item {
            width: list.cellWidth
            height: list.cellHeight > 0 ? list.cellHeight : row.implicitHeight
            ItemRow {
                id: row
                objectName: "itemRow_" + index
                anchors.fill: parent
                anchors.margins: list.columns > 1 ? Theme.px(12) : 0
                card: list.columns > 1
                name: model.name
                detail: screen.kind === "department" ? "" : model.department
                tag: model.handling_type === "即办件" ? qsTr("即办件") : qsTr("承诺件")
                onClicked: guideScreen.show(model.code)
            }
        }
    }

    StatusNotice {
        anchors { left: parent.left; right: parent.right; top: heading.bottom; margins: Theme.margin }
        visible: catalogBrowser.itemsState !== "ready" || catalogBrowser.items.count === 0
        kind: catalogBrowser.itemsState === "error" ? "error"
              : catalogBrowser.itemsState === "loading" ? "loading" : "info"
        title: catalogBrowser.itemsState === "error" ? qsTr("暂时无法读取事项目录")
               : catalogBrowser.itemsState === "loading" ? "" : qsTr("这里暂时没有可以办理的事项")
        message: catalogBrowser.itemsState === "error" ? qsTr("请稍后再试。") : ""
        code: catalogBrowser.itemsState === "error" ? "E-BROWSE" : ""
        actionText: catalogBrowser.itemsState === "error" ? qsTr("再试一次") : ""
        actionIcon: "refresh"
        onAction: catalogBrowser.retryItems()
    }
}
