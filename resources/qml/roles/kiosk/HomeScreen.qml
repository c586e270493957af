import QtQuick
import KioskUi

// The home screen: the ways into the catalog and a search box, then the transactions (办理业务): take a queue
// number where the terminal has a hall, fill in a form, look up a case, rate the service. Portrait stacks them;
// landscape puts the transactions beside the catalog tiles. Both fit the screen without scrolling (elder mode may
// scroll).
Item {
    id: home
    objectName: "homeScreen"
    property string title: ""
    // The ways in show from the first frame: the cache opens just after it, and almost always holds a catalog.
    // Only a cache found empty or unreadable replaces them with a notice.
    readonly property bool catalogReady: appState.catalogState === "ready" || appState.catalogState === "loading"
    readonly property bool countsKnown: appState.catalogState === "ready"
    // 取号排队 only where the terminal has a hall (known just after the first frame, with the queue feature).
    readonly property bool hasHall: !!queueScreen && queueScreen.available

    // The view-models these handlers use are made just after the first frame; a tap before it asks for them.
    function needViewModels() {
        if (Window.window && Window.window.needViewModels)
            Window.window.needViewModels()
    }

    Flickable {
        objectName: "homeFlickable"
        anchors.fill: parent
        contentHeight: page.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        interactive: contentHeight > height

        Item {
            id: page
            width: parent.width
            implicitHeight: Math.max(home.height,
                                     layout.implicitHeight + footer.implicitHeight + Theme.margin * 2 + Theme.spacing)

            // Placed by hand: portrait is one column (heading and search, catalog tiles, transactions, tips);
            // landscape is two (heading, search and transactions | catalog tiles and tips).
            Item {
                id: layout
                x: Theme.margin
                y: Theme.margin
                width: page.width - Theme.margin * 2
                implicitHeight: Math.max(intro.y + intro.height, tiles.y + tiles.shownHeight, tasks.y + tasks.height,
                                         tips.y + tips.shownHeight)
                readonly property real gap: Theme.spacing
                readonly property real columnWidth: Theme.landscape ? (width - Theme.margin) / 2 : width
                readonly property real rightX: Theme.landscape ? columnWidth + Theme.margin : 0

                Column {
                    id: intro
                    objectName: "homeIntro"
                    width: layout.columnWidth
                    spacing: layout.gap

                    ScreenHeading {
                        width: parent.width
                        title: qsTr("您好！请问您要办理什么事？")
                        hint: home.catalogReady ? qsTr("请点击下面的按钮，或直接搜索事项名称。") : ""
                    }

                    // The center's notices (made when there are some: not part of the usual first frame).
                    Loader {
                        objectName: "noticeBanner"
                        width: parent.width
                        active: !!noticesFeed && noticesFeed.count > 0
                        visible: active
                        sourceComponent: NoticeBanner { feed: noticesFeed }
                    }

                    // The search box: one tap opens the search screen with the keyboard ready.
                    Rectangle {
                        id: searchEntry
                        objectName: "homeSearchEntry"
                        visible: home.catalogReady
                        width: parent.width
                        height: Theme.buttonHeight + Theme.px(Theme.landscape ? 12 : 28)
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
                        }
                        BigButton {
                            id: entryButton
                            anchors { right: parent.right; rightMargin: Theme.px(14); verticalCenter: parent.verticalCenter }
                            text: qsTr("搜索")
                            onClicked: { home.needViewModels(); searchScreen.show() }
                        }
                        MouseArea {
                            id: entryTap
                            anchors { fill: parent; rightMargin: entryButton.width + Theme.px(14) }
                            onClicked: { home.needViewModels(); searchScreen.show() }
                        }
                    }

                    // Notices are made only when they show (they are not part of the usual first frame).
                    Loader {
                        width: parent.width
                        active: appState.catalogState === "empty" || appState.catalogState === "error"
                        visible: active
                        sourceComponent: StatusNotice {
                            kind: appState.catalogState === "error" ? "error" : "info"
                            title: appState.catalogState === "error" ? qsTr("暂时无法读取事项目录")
                                                                      : qsTr("事项目录暂未加载，请联系工作人员")
                            message: qsTr("本机暂时不能查询办事指南。请到服务窗口咨询，给您带来不便，敬请谅解。")
                            code: appState.catalogState === "error" ? "E-CATALOG" : ""
                        }
                    }

                    Loader {
                        width: parent.width
                        active: home.catalogReady && appState.catalogStale && !(syncState && syncState.recentlySynced)
                        visible: active
                        sourceComponent: StatusNotice {
                            kind: "info"
                            title: qsTr("事项信息可能不是最新")
                            message: qsTr("本机的事项目录已有一段时间没有更新，办理前请以服务窗口的要求为准。")
                        }
                    }
                }

                Grid {
                    id: tiles
                    objectName: "homeTiles"
                    visible: home.catalogReady
                    x: layout.rightX
                    y: Theme.landscape ? 0 : intro.height + layout.gap
                    width: layout.columnWidth
                    columns: 2
                    spacing: Theme.spacing
                    readonly property real shownHeight: visible ? height : 0
                    readonly property real tileWidth: (width - spacing) / 2
                    // All four alike, and never lower than their content (long words in English, elder mode).
                    readonly property real tileHeight: Math.max(
                        Theme.px(Theme.landscape ? (Theme.elder ? 270 : 240) : (Theme.elder ? 300 : 260)),
                        departmentsTile.implicitHeight, categoriesTile.implicitHeight, themesTile.implicitHeight,
                        searchTile.implicitHeight)

                    HomeTile {
                        id: departmentsTile
                        objectName: "departmentsTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "department"
                        text: qsTr("按部门查找")
                        description: home.countsKnown ? qsTr("共 %n 个部门", "", appState.departmentCount) : "\u3000"
                        onClicked: { home.needViewModels(); catalogBrowser.showFacets("department") }
                    }
                    HomeTile {
                        id: categoriesTile
                        objectName: "categoriesTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "category"
                        text: qsTr("按分类查找")
                        description: home.countsKnown ? qsTr("共 %n 个分类", "", appState.categoryCount) : "\u3000"
                        onClicked: { home.needViewModels(); catalogBrowser.showFacets("category") }
                    }
                    HomeTile {
                        id: themesTile
                        objectName: "themesTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "theme"
                        text: qsTr("一件事主题")
                        description: home.countsKnown ? qsTr("一件事一次办，共 %n 个主题", "", appState.themeCount)
                                                      : qsTr("一件事一次办")
                        onClicked: { home.needViewModels(); catalogBrowser.showFacets("theme") }
                    }
                    HomeTile {
                        id: searchTile
                        objectName: "searchTile"
                        width: tiles.tileWidth; height: tiles.tileHeight
                        iconName: "search"
                        text: qsTr("搜索事项")
                        description: qsTr("可输入汉字或拼音首字母")
                        onClicked: { home.needViewModels(); searchScreen.show() }
                    }
                }

                // The transactions. Their view-models are made after the first frame, so they are reached only
                // when tapped, never bound to. Where the terminal has a hall (取号排队), they stand two a row.
                Column {
                    id: tasks
                    objectName: "homeTasks"
                    x: 0
                    y: Theme.landscape ? intro.height + layout.gap : tiles.y + tiles.shownHeight + layout.gap
                    width: layout.columnWidth
                    spacing: Theme.px(Theme.landscape ? 8 : 12)

                    KText {
                        width: parent.width
                        text: qsTr("办理业务")
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.Bold
                    }
                    Grid {
                        id: taskGrid
                        width: parent.width
                        columns: home.hasHall ? 2 : 1
                        spacing: tasks.spacing
                        readonly property real tileWidth: (width - spacing * (columns - 1)) / columns
                        // Tiles side by side are as tall as the taller one.
                        readonly property real tileHeight: columns === 1 ? 0
                            : Math.max(queueTile.implicitHeight, formsTile.implicitHeight, progressTile.implicitHeight,
                                       ratingTile.implicitHeight)

                        TaskTile {
                            id: queueTile
                            objectName: "queueTile"
                            visible: home.hasHall
                            width: taskGrid.tileWidth
                            height: Math.max(implicitHeight, taskGrid.tileHeight)
                            iconName: "list"
                            text: qsTr("取号排队")
                            description: qsTr("现场取号、预约签到")
                            onClicked: { home.needViewModels(); queueScreen.show() }
                        }
                        TaskTile {
                            id: formsTile
                            objectName: "formsTile"
                            width: taskGrid.tileWidth
                            height: Math.max(implicitHeight, taskGrid.tileHeight)
                            iconName: "document"
                            text: qsTr("自助填表")
                            description: qsTr("身份证自动填写，打印提交")
                            onClicked: { home.needViewModels(); formFlow.showForms() }
                        }
                        TaskTile {
                            id: progressTile
                            objectName: "progressTile"
                            width: taskGrid.tileWidth
                            height: Math.max(implicitHeight, taskGrid.tileHeight)
                            iconName: "clock"
                            text: qsTr("办件进度")
                            description: qsTr("查询已提交事项的办理进度")
                            onClicked: { home.needViewModels(); progressScreen.show() }
                        }
                        TaskTile {
                            id: ratingTile
                            objectName: "ratingTile"
                            width: taskGrid.tileWidth
                            height: Math.max(implicitHeight, taskGrid.tileHeight)
                            iconName: "star"
                            text: qsTr("服务评价")
                            description: qsTr("对办事服务进行评价")
                            onClicked: { home.needViewModels(); ratingScreen.show() }
                        }
                    }
                }

                // Tips: under the catalog tiles in landscape, at the end in portrait.
                Loader {
                    id: tips
                    objectName: "homeTips"
                    x: layout.rightX
                    y: Theme.landscape ? tiles.shownHeight + layout.gap : tasks.y + tasks.height + layout.gap
                    width: layout.columnWidth
                    active: home.catalogReady
                    visible: active
                    readonly property real shownHeight: visible && item !== null ? height : 0
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
            implicitHeight: tipText.implicitHeight + Theme.px(48)
            radius: Theme.radius
            color: Theme.primarySoft
            Row {
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                spacing: Theme.px(18)
                Icon { id: tipIcon; name: "info"; color: Theme.textOnSoft; size: Theme.px(48) }
                // The heading runs in with the tip (one line less, so that both orientations fit one screen).
                KText {
                    id: tipText
                    width: parent.width - tipIcon.width - parent.spacing
                    color: Theme.textOnSoft
                    textFormat: Text.StyledText
                    // 首页 forgets what was looked at but keeps the citizen whose card was read (they may go on
                    // to another transaction); only 结束办理 (or the idle reset) ends the session.
                    // The heading, and the gap after it in the language's own kind (an ideographic space in Chinese).
                    text: qsTr("<b>%1</b>　%2").arg(qsTr("温馨提示"))
                          .arg(identitySession.active
                               ? qsTr("字看不清，可以点右上角的“长辈模式”放大。办完后请点上方的“结束办理”，并取走您的证件；只点“首页”不会结束办理。")
                               : qsTr("字看不清，可以点右上角的“长辈模式”放大。办完后请点“首页”，您查看过的内容就会清除。"))
                }
            }
        }
    }
}
