import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// Search as you type. The field sits at the top and the results right under it, so the keyboard (which the
// window places below the screen, never over it) leaves both in view.
Item {
    id: screen
    objectName: "searchScreen"
    property string title: qsTr("搜索事项")
    readonly property string state_: searchScreen.state
    readonly property int hitCount: searchScreen.results.count

    StackView.onActivated: field.forceActiveFocus()
    StackView.onDeactivating: { field.focus = false; Qt.inputMethod.hide() }

    Connections {
        target: searchScreen
        function onQueryChanged() {
            if (field.displayText !== searchScreen.query) field.text = searchScreen.query
        }
        // New words start at the top; 再显示 keeps the place and adds the next results under it.
        function onResultChanged() {
            if (searchScreen.shownQuery !== screen.shownBefore) results.toTop()
            screen.shownBefore = searchScreen.shownQuery
        }
    }
    property string shownBefore: ""

    Rectangle {
        id: fieldBox
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        height: Theme.buttonHeight + Theme.px(24)
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.px(3)
        border.color: field.activeFocus ? Theme.primary : Theme.fieldBorder

        Icon {
            id: fieldIcon
            anchors { left: parent.left; leftMargin: Theme.px(26); verticalCenter: parent.verticalCenter }
            name: "search"
            color: Theme.textSecondary
            size: Theme.px(Theme.elder ? 52 : 46)
        }
        TextField {
            id: field
            objectName: "searchField"
            anchors { left: fieldIcon.right; right: clearButton.visible ? clearButton.left : parent.right
                      leftMargin: Theme.px(12); rightMargin: Theme.px(12); verticalCenter: parent.verticalCenter }
            height: parent.height - Theme.px(8)
            font.pixelSize: Theme.fontBody + Theme.px(4)
            color: Theme.text
            placeholderText: qsTr("请输入事项名称或拼音首字母")
            placeholderTextColor: Theme.textSecondary
            background: Item {}
            maximumLength: 40
            inputMethodHints: Qt.ImhNoAutoUppercase
            onDisplayTextChanged: searchScreen.query = displayText
            Accessible.name: qsTr("搜索事项")
        }
        BigButton {
            id: clearButton
            objectName: "clearSearchButton"
            visible: field.displayText !== ""
            anchors { right: parent.right; rightMargin: Theme.px(12); verticalCenter: parent.verticalCenter }
            variant: "soft"
            iconName: "close"
            text: qsTr("清空")
            onClicked: { field.clear(); Qt.inputMethod.reset(); field.forceActiveFocus() }
        }
    }

    // Searching within one list (its 在这些事项里搜索): said plainly, with the way to search everything.
    Flow {
        id: scope
        objectName: "searchScope"
        anchors { left: parent.left; right: parent.right; top: fieldBox.bottom; margins: Theme.margin
                  topMargin: Theme.spacing }
        visible: searchScreen.scopeLabel !== ""
        height: visible ? implicitHeight : 0
        spacing: Theme.px(16)
        KText {
            width: Math.min(implicitWidth, scope.width)
            height: scopeAll.height
            text: qsTr("只在“%1”里找").arg(searchScreen.scopeLabel)
            font.weight: Font.Bold
            color: Theme.textOnSoft
        }
        BigButton {
            id: scopeAll
            objectName: "searchEverythingButton"
            variant: "secondary"
            iconName: "close"
            text: qsTr("搜索全部事项")
            onClicked: searchScreen.searchEverything()
        }
    }

    KText {
        id: summary
        anchors { left: parent.left; right: parent.right; top: scope.bottom; margins: Theme.margin
                  topMargin: scope.visible ? Theme.smallSpacing : Theme.spacing }
        visible: screen.hitCount > 0
        color: Theme.textSecondary
        text: searchScreen.total > screen.hitCount
              ? (searchScreen.truncated
                 ? qsTr("找到 %1 多个相关事项，已显示最相关的 %2 个").arg(searchScreen.total).arg(screen.hitCount)
                 : qsTr("找到 %1 个相关事项，已显示最相关的 %2 个").arg(searchScreen.total).arg(screen.hitCount))
              : qsTr("找到 %1 个相关事项，请点击您要办理的事项").arg(screen.hitCount)
    }

    PagedList {
        id: results
        objectName: "searchResults"
        anchors { left: parent.left; right: parent.right; top: summary.bottom; bottom: parent.bottom
                  topMargin: Theme.smallSpacing }
        visible: screen.hitCount > 0 && screen.state_ !== "error"
        model: searchScreen.results
        columns: width > Theme.px(1400) ? 2 : 1
        // After the last result shown: the next ones, while there are more.
        footer: Item {
            width: results.width - 2 * results.gridInset
            height: searchScreen.hasMore ? moreButton.height + Theme.spacing * 2 : 0
            BigButton {
                id: moreButton
                objectName: "moreResultsButton"
                visible: searchScreen.hasMore
                anchors.centerIn: parent
                variant: "soft"
                iconName: "chevron-down"
                text: qsTr("再显示 %1 个（还有 %2 个）").arg(searchScreen.moreCount)
                                                       .arg(searchScreen.total - screen.hitCount)
                onClicked: searchScreen.showMore()
            }
        }
        gridCellHeight: Theme.rowHeight + Theme.px(Theme.elder ? 110 : 80)
        delegate: Item {
            width: results.cellWidth
            height: results.cellHeight > 0 ? results.cellHeight : row.implicitHeight
            ItemRow {
                id: row
                objectName: "resultRow_" + index
                anchors.fill: parent
                anchors.margins: results.columns > 1 ? Theme.px(12) : 0
                card: results.columns > 1
                name: model.name
                detail: model.department
                onClicked: { Qt.inputMethod.hide(); guideScreen.show(model.code) }
            }
        }
    }

    // Nothing typed yet: how to search, and a few common words to tap instead of typing.
    Column {
        id: hints
        anchors { left: parent.left; right: parent.right; top: scope.bottom; margins: Theme.margin
                  topMargin: Theme.spacing * 1.5 }
        visible: screen.state_ === "idle"
        spacing: Theme.spacing
        KText {
            width: parent.width
            text: qsTr("可以输入汉字（如“社保卡”）、全拼（如“shebaoka”）或拼音首字母（如“sbk”）。")
            color: Theme.textSecondary
        }
        KText {
            text: qsTr("常用搜索")
            font.weight: Font.Bold
        }
        Flow {
            width: parent.width
            spacing: Theme.px(16)
            Repeater {
                // Search words, not labels: the catalog is Chinese in every UI language.
                model: ["社保卡", "户口", "医保", "养老", "出生", "结婚"]
                BigButton {
                    variant: "soft"
                    text: modelData
                    onClicked: { field.text = modelData; field.forceActiveFocus() }
                }
            }
        }
    }

    StatusNotice {
        objectName: "searchNotice"
        anchors { left: parent.left; right: parent.right; top: scope.bottom; margins: Theme.margin
                  topMargin: Theme.spacing * 1.5 }
        visible: screen.state_ === "error" || (screen.hitCount === 0
                 && (screen.state_ === "ready" || screen.state_ === "searching"))
        kind: screen.state_ === "error" ? "error" : screen.state_ === "searching" ? "loading" : "empty"
        title: screen.state_ === "error" ? qsTr("搜索暂时出了点问题")
               : screen.state_ === "searching" ? qsTr("正在查找…")
               : qsTr("没有找到“%1”相关的事项").arg(searchScreen.shownQuery)
        message: screen.state_ === "error" ? qsTr("请稍后再试，或者按部门查找。")
                 : screen.state_ === "searching" ? ""
                 : qsTr("可以试试输入拼音首字母，如 sbk（社保卡）；或者少输几个字、换个说法，如“医保”。")
        code: screen.state_ === "error" ? "E-SEARCH" : ""
        actionText: screen.state_ === "error" ? qsTr("再试一次") : screen.state_ === "ready" ? qsTr("按部门查找") : ""
        actionIcon: screen.state_ === "error" ? "refresh" : "department"
        onAction: screen.state_ === "error" ? searchScreen.retry() : catalogBrowser.showFacets("department")
    }
}
