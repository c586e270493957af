import QtQuick

// The center's notices on the kiosk (noticesFeed, warnings first). Two looks:
// - the home screen's banner (compact: false): the first notice's title and the start of its text, and how many
//   more there are; a tap opens the whole text (NoticeSheet);
// - the strip on the other screens (compact: true): one line, unobtrusive, a tap opens the whole text too.
// A warning (重要通知) is amber with the alert icon, a plain notice (通知) light blue with the info icon: words
// and icon, not colour alone.
Rectangle {
    id: banner
    property var feed: null
    property bool compact: false
    readonly property var notices: feed ? feed.notices : []
    readonly property var first: notices.length > 0 ? notices[0] : null
    readonly property bool warning: first !== null && first.level === "warning"
    readonly property int more: Math.max(0, notices.length - 1)

    implicitHeight: compact ? Math.max(Theme.px(Theme.elder ? 72 : 64), stripText.implicitHeight + Theme.px(20))
                            : content.implicitHeight + Theme.px(44)
    radius: compact ? 0 : Theme.radius
    color: tapArea.pressed ? Theme.surfacePressed : warning ? Theme.warningSurface : Theme.primarySoft
    border.width: compact ? 0 : Theme.borderWidth * (warning ? 2 : 1)
    border.color: warning ? Theme.warningText : Theme.border
    Accessible.role: Accessible.Button
    Accessible.name: first ? first.title : ""

    // The strip's rule under it, as the other bars have.
    Rectangle {
        visible: banner.compact
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.borderWidth
        color: Theme.border
    }

    Column {
        id: content
        visible: !banner.compact
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(22) }
        spacing: Theme.px(8)
        Row {
            width: parent.width
            spacing: Theme.px(14)
            Icon {
                id: icon
                anchors.verticalCenter: parent.verticalCenter
                name: banner.warning ? "alert" : "info"
                color: banner.warning ? Theme.warningText : Theme.textOnSoft
                size: Theme.px(Theme.elder ? 48 : 42)
            }
            KText {
                objectName: "noticeBannerTitle"
                width: parent.width - icon.width - open.width - parent.spacing * 2
                anchors.verticalCenter: parent.verticalCenter
                color: banner.warning ? Theme.warningText : Theme.textOnSoft
                font.weight: Font.Bold
                maximumLineCount: 2
                elide: Text.ElideRight
                text: banner.first ? (banner.warning ? qsTr("重要通知：%1") : qsTr("通知：%1")).arg(banner.first.title) : ""
            }
            Row {
                id: open
                anchors.verticalCenter: parent.verticalCenter
                KText {
                    color: banner.warning ? Theme.warningText : Theme.textOnSoft
                    font.pixelSize: Theme.fontSecondary
                    text: qsTr("查看全文")
                    anchors.verticalCenter: parent.verticalCenter
                }
                Icon {
                    name: "chevron-right"
                    color: banner.warning ? Theme.warningText : Theme.textOnSoft
                    size: Theme.px(36)
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
        }
        KText {
            objectName: "noticeBannerBody"
            width: parent.width
            font.pixelSize: Theme.fontSecondary
            maximumLineCount: 2
            elide: Text.ElideRight
            text: banner.first ? banner.first.body : ""
        }
        KText {
            visible: banner.more > 0
            width: parent.width
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            text: qsTr("还有 %n 条通知，点击查看", "", banner.more)
        }
    }

    // The strip: one line.
    Icon {
        id: stripIcon
        visible: banner.compact
        anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        name: banner.warning ? "alert" : "info"
        color: banner.warning ? Theme.warningText : Theme.textOnSoft
        size: Theme.px(36)
    }
    KText {
        id: stripText
        objectName: "noticeStripText"
        visible: banner.compact
        anchors { left: stripIcon.right; leftMargin: Theme.px(12); right: stripMore.left; rightMargin: Theme.px(12)
                  verticalCenter: parent.verticalCenter }
        color: banner.warning ? Theme.warningText : Theme.textOnSoft
        font.pixelSize: Theme.fontSecondary
        maximumLineCount: 1
        wrapMode: Text.NoWrap
        elide: Text.ElideRight
        text: banner.first ? (banner.warning ? qsTr("重要通知：%1") : qsTr("通知：%1")).arg(banner.first.title) : ""
    }
    KText {
        id: stripMore
        visible: banner.compact
        anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        color: banner.warning ? Theme.warningText : Theme.textOnSoft
        font.pixelSize: Theme.fontSecondary
        font.weight: Font.Bold
        text: banner.more > 0 ? qsTr("共 %n 条 · 查看", "", banner.notices.length) : qsTr("查看")
    }

    MouseArea {
        id: tapArea
        anchors.fill: parent
        onClicked: if (banner.feed && banner.first) banner.feed.open(banner.first.key)
    }
}
