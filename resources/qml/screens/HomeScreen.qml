import QtQuick
import KioskUi

// The home screen: the ways into the catalog that exist today, and a search box. Nothing else competes.
Item {
    id: home
    objectName: "homeScreen"
    property string title: ""
    // The ways in show from the first frame: the cache opens just after it, and almost always holds a catalog.
    // Only a cache found empty or unreadable replaces them with a notice.
    readonly property bool catalogReady: appState.catalogState === "ready" || appState.catalogState === "loading"
    readonly property bool countsKnown: appState.catalogState === "ready"

    Flickable {
        anchors.fill: parent
        contentHeight: page.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        interactive: contentHeight > height

        Item {
            id: page
            width: parent.width
            implicitHeight: Math.max(home.height, layout.implicitHeight + footer.implicitHeight + Theme.margin * 3)

            Grid {
                id: layout
                x: Theme.margin
                y: Theme.margin
                width: page.width - Theme.margin * 2
                columns: Theme.landscape ? 2 : 1
                columnSpacing: Theme.margin
                rowSpacing: Theme.spacing * 1.5
                readonly property real columnWidth: Theme.landscape ? (width - columnSpacing) / 2 : width

                Column {
                    width: layout.columnWidth
                    spacing: Theme.spacing * 1.5

                    ScreenHeading {
                        width: parent.width
                        title: qsTr("您好！请问您要办理什么事？")
                        hint: home.catalogReady ? qsTr("请点击下面的按钮，或直接搜索事项名称。") : ""
                    }

                    // The search box: one tap opens the search screen with the keyboard ready.
                    Rectangle {
                        id: searchEntry
                        objectName: "homeSearchEntry"
                        visible: home.catalogReady
                        width: parent.width
                        height: Theme.buttonHeight + Theme.px(28)
                        radius: Theme.radius
                        color: entryTap.pressed ? Theme.surfacePressed : Theme.surface
                        border.width: Theme.px(3)
                        border.color: Theme.primary
                        Accessible.role: Accessible.Button
                        Accessible.name: qsTr("搜索事项")

                        Icon {
                            id: entryIcon
                            anchors { left: parent.left; leftMargin: Theme.px(28); verticalCenter: parent.verticalCenter }
                            name: "search"
                            color: Theme.textSecondary
                            size: Theme.px(Theme.elder ? 52 : 46)
                        }
                        KText {
                            anchors { left: entryIcon.right; right: entryButton.left; leftMargin: Theme.px(18)
                                      rightMargin: Theme.px(12); verticalCenter: parent.verticalCenter }
                            text: qsTr("输入事项名称，如“社保卡”或“sbk”")
                            color: Theme.textSecondary
                            maximumLineCount: 2
                            elide: Text.ElideRight
                            lineHeight: 1.2
                        }
                        BigButton {
                            id: entryButton
                            anchors { right: parent.right; rightMargin: Theme.px(14); verticalCenter: parent.verticalCenter }
                            text: qsTr("搜索")
                            onClicked: searchScreen.show()
                        }
                        MouseArea {
                            id: entryTap
                            anchors { fill: parent; rightMargin: entryButton.width + Theme.px(14) }
                            onClicked: searchScreen.show()
                        }
                    }

                    StatusNotice {
                        width: parent.width
                        visible: appState.catalogState === "empty" || appState.catalogState === "error"
                        kind: appState.catalogState === "error" ? "error" : "info"
                        title: appState.catalogState === "error" ? qsTr("暂时无法读取事项目录")
                                                                  : qsTr("事项目录暂未加载，请联系工作人员")
                        message: qsTr("本机暂时不能查询办事指南。请到服务窗口咨询，给您带来不便，敬请谅解。")
                        code: appState.catalogState === "error" ? "E-CATALOG" : ""
                    }

                    StatusNotice {
                        width: parent.width
                        visible: home.catalogReady && appState.catalogStale && !syncState.recentlySynced
                        kind: "info"
                        title: qsTr("事项信息可能不是最新")
                        message: qsTr("本机的事项目录已有一段时间没有更新，办理前请以服务窗口的要求为准。")
                    }

                    // Tips belong beside the tiles in landscape, below them in portrait.
                    Loader {
                        active: Theme.landscape && home.catalogReady
                        visible: active
                        width: parent.width
                        sourceComponent: tipsComponent
                    }
                }

                Grid {
                    id: tiles
                    visible: home.catalogReady
                    width: layout.columnWidth
                    columns: 2
                    spacing: Theme.spacing
                    readonly property real tileWidth: (width - spacing) / 2
                    readonly property real tileHeight: Theme.px(Theme.landscape ? (Theme.elder ? 390 : 360)
                                                                                  : (Theme.elder ? 420 : 410))

                    HomeTile {
                        objectName: "departmentsTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "department"
                        text: qsTr("按部门查找")
                        description: home.countsKnown ? qsTr("共 %1 个部门").arg(appState.departmentCount) : "\u3000"
                        onClicked: catalogBrowser.showFacets("department")
                    }
                    HomeTile {
                        objectName: "categoriesTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "category"
                        text: qsTr("按分类查找")
                        description: home.countsKnown ? qsTr("共 %1 个分类").arg(appState.categoryCount) : "\u3000"
                        onClicked: catalogBrowser.showFacets("category")
                    }
                    HomeTile {
                        objectName: "themesTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "theme"
                        text: qsTr("一件事主题")
                        description: home.countsKnown ? qsTr("一件事一次办，共 %1 个主题").arg(appState.themeCount)
                                                      : qsTr("一件事一次办")
                        onClicked: catalogBrowser.showFacets("theme")
                    }
                    HomeTile {
                        objectName: "searchTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "search"
                        text: qsTr("搜索事项")
                        description: qsTr("可输入汉字或拼音首字母")
                        onClicked: searchScreen.show()
                    }
                }

                Loader {
                    active: !Theme.landscape && home.catalogReady
                    visible: active
                    width: layout.columnWidth
                    sourceComponent: tipsComponent
                }
            }

            Column {
                id: footer
                anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: Theme.margin }
                spacing: Theme.px(4)
                Rectangle { width: parent.width; height: Theme.borderWidth; color: Theme.divider }
                Item { width: 1; height: Theme.px(8) }
                KText {
                    width: parent.width
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSmall
                    text: appState.catalogUpdatedOn !== ""
                          ? qsTr("终端编号 %1　·　事项更新于 %2　·　版本 %3")
                                .arg(appState.terminalId).arg(appState.catalogUpdatedOn).arg(appState.version)
                          : qsTr("终端编号 %1　·　版本 %2").arg(appState.terminalId).arg(appState.version)
                }
            }
        }
    }

    Component {
        id: tipsComponent
        Rectangle {
            implicitHeight: tips.implicitHeight + Theme.px(56)
            radius: Theme.radius
            color: Theme.primarySoft
            Row {
                id: tips
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28) }
                spacing: Theme.px(18)
                Icon { id: tipIcon; name: "info"; color: Theme.textOnSoft; size: Theme.px(48) }
                Column {
                    width: parent.width - tipIcon.width - parent.spacing
                    spacing: Theme.px(6)
                    KText {
                        width: parent.width
                        text: qsTr("温馨提示")
                        color: Theme.textOnSoft
                        font.weight: Font.Bold
                    }
                    KText {
                        width: parent.width
                        color: Theme.textOnSoft
                        text: qsTr("字看不清，可以点右上角的“长辈模式”放大。办完后请点“首页”，以免他人看到您查询的内容。")
                    }
                }
            }
        }
    }
}
