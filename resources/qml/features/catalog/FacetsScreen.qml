import QtQuick
import KioskUi

// Departments, categories or 一件事 themes, with how many items each holds.
Item {
    id: screen
    objectName: "facetsScreen"
    readonly property string kind: catalogBrowser.kind
    property string title: kind === "department" ? qsTr("按部门查找")
                         : kind === "category" ? qsTr("按分类查找") : qsTr("一件事主题")

    ScreenHeading {
        id: heading
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        title: screen.kind === "department" ? qsTr("请点击您要查找的部门")
             : screen.kind === "category" ? qsTr("请点击您要查找的分类") : qsTr("请点击您要办理的一件事")
        hint: catalogBrowser.facetsState !== "ready" ? ""
              : screen.kind === "theme" ? qsTr("共 %n 个主题。“一件事”把相关的几个事项合在一起，一次办好。", "",
                                                 catalogBrowser.facets.count)
              : screen.kind === "department" ? qsTr("共 %n 个部门", "", catalogBrowser.facets.count)
              : qsTr("共 %n 个分类", "", catalogBrowser.facets.count)
    }

    PagedList {
        id: list
        objectName: "facetList"
        anchors { left: parent.left; right: parent.right; top: heading.bottom; bottom: parent.bottom
                  topMargin: Theme.spacing }
        visible: catalogBrowser.facetsState === "ready" && catalogBrowser.facets.count > 0
        model: catalogBrowser.facets
        columns: Theme.landscape ? 2 : 1
        gridCellHeight: Theme.rowHeight + Theme.px(Theme.elder ? 56 : 40)
        delegate: Item {
            width: list.cellWidth
            height: list.cellHeight > 0 ? list.cellHeight : row.implicitHeight
            FacetRow {
                id: row
                objectName: "facetRow_" + index
                anchors.fill: parent
                anchors.margins: list.columns > 1 ? Theme.px(12) : 0
                card: list.columns > 1
                label: model.label
                count: model.count
                onClicked: catalogBrowser.showItems(model.key, model.label)
            }
        }
    }

    StatusNotice {
        anchors { left: parent.left; right: parent.right; top: heading.bottom; margins: Theme.margin }
        visible: catalogBrowser.facetsState !== "ready" || catalogBrowser.facets.count === 0
        kind: catalogBrowser.facetsState === "error" ? "error"
              : catalogBrowser.facetsState === "loading" ? "loading" : "info"
        title: catalogBrowser.facetsState === "error" ? qsTr("暂时无法读取事项目录")
               : catalogBrowser.facetsState === "loading" ? "" : qsTr("这里暂时没有内容")
        message: catalogBrowser.facetsState === "error" ? qsTr("请稍后再试。") : ""
        code: catalogBrowser.facetsState === "error" ? "E-BROWSE" : ""
        actionText: catalogBrowser.facetsState === "error" ? qsTr("再试一次") : ""
        actionIcon: "refresh"
        onAction: catalogBrowser.retryFacets()
    }
}
