import QtQuick
import KioskUi

// The items of one department, category or theme.
Item {
    id: screen
    objectName: "itemsScreen"
    readonly property string kind: catalogBrowser.kind
    property string title: kind === "department" ? qsTr("按部门查找")
                         : kind === "category" ? qsTr("按分类查找") : qsTr("一件事主题")

    readonly property bool narrowed: catalogBrowser.partLabel !== ""
    // Landscape: the heading and the ways to narrow stand in a column on the left, so the list keeps the screen's
    // whole height (a landscape screen is short: in elder mode, above the list, they left it one row).
    readonly property bool aside: Theme.landscape
    readonly property real asideWidth: aside ? Math.round(width * 0.32) : width

    ScreenHeading {
        id: heading
        anchors { left: parent.left; top: parent.top; margins: Theme.margin }
        width: screen.asideWidth - 2 * Theme.margin
        title: catalogBrowser.selectedLabel
        hint: catalogBrowser.itemsState !== "ready" || catalogBrowser.items.count === 0 ? ""
              : screen.narrowed ? qsTr("%1：%2 个事项（全部 %3 个）").arg(catalogBrowser.partLabel)
                                      .arg(catalogBrowser.items.count).arg(catalogBrowser.itemsTotal)
              : qsTr("共 %1 个事项，请点击您要办理的事项").arg(catalogBrowser.items.count)
    }

    // A long list narrows: by department (or category) from big rows, no typing needed; or by a search within it.
    Flow {
        id: tools
        objectName: "itemTools"
        anchors { left: parent.left; top: heading.bottom; margins: Theme.margin; topMargin: Theme.spacing }
        width: screen.asideWidth - 2 * Theme.margin
        spacing: Theme.px(16)
        visible: catalogBrowser.longList && catalogBrowser.itemsState !== "error"
        height: visible ? implicitHeight : 0
        BigButton {
            objectName: "narrowButton"
            visible: catalogBrowser.partKind !== ""
            variant: "soft"
            iconName: catalogBrowser.partKind === "category" ? "category" : "department"
            text: screen.narrowed ? (catalogBrowser.partKind === "category" ? qsTr("换一个分类") : qsTr("换一个部门"))
                  : catalogBrowser.partKind === "category" ? qsTr("按分类缩小范围") : qsTr("按部门缩小范围")
            onClicked: catalogBrowser.showParts()
        }
        BigButton {
            objectName: "showAllButton"
            visible: screen.narrowed
            variant: "secondary"
            iconName: "list"
            text: qsTr("显示全部 %1 个").arg(catalogBrowser.itemsTotal)
            onClicked: catalogBrowser.narrowTo("", "")
        }
        BigButton {
            objectName: "searchWithinButton"
            variant: "soft"
            iconName: "search"
            text: qsTr("在这些事项里搜索")
            onClicked: searchScreen.showWithin(catalogBrowser.kind, catalogBrowser.selectedKey,
                                               catalogBrowser.selectedLabel)
        }
    }

    Connections {
        target: catalogBrowser
        function onNarrowingChanged() { list.toTop() }
    }

    PagedList {
        id: list
        objectName: "itemList"
        anchors { right: parent.right; bottom: parent.bottom
                  top: screen.aside ? parent.top : tools.bottom
                  topMargin: screen.aside ? Theme.margin : tools.visible ? Theme.spacing : 0 }
        width: screen.aside ? screen.width - screen.asideWidth : screen.width
        visible: catalogBrowser.itemsState === "ready" && catalogBrowser.items.count > 0
        model: catalogBrowser.items
        columns: Theme.landscape && !Theme.elder ? 2 : 1
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
        anchors { right: parent.right; top: screen.aside ? parent.top : tools.bottom; margins: Theme.margin }
        width: (screen.aside ? screen.width - screen.asideWidth : screen.width) - 2 * Theme.margin
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
