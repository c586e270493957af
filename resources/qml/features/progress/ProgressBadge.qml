import QtQuick
import KioskUi

// A case's state as a large badge: icon and words on a colour that repeats them (never colour alone).
Rectangle {
    id: badge
    property string state_: ""     // the words: 已受理, 审核中, 已办结, 需补正, 待上传 …
    property string kind: "other"  // accepted | reviewing | done | correction | pending | other
    property bool small: false
    readonly property color ink: kind === "done" ? Theme.successText
                               : kind === "reviewing" ? Theme.warningText
                               : kind === "correction" ? Theme.errorText
                               : kind === "accepted" ? Theme.textOnSoft
                               : kind === "pending" ? Theme.textSecondary : Theme.text
    readonly property color fill: kind === "done" ? "#E3F1E7"
                                : kind === "reviewing" ? Theme.warningSurface
                                : kind === "correction" ? Theme.errorSurface
                                : kind === "accepted" ? Theme.primarySoft
                                : kind === "pending" ? "#ECEFF3" : Theme.background
    readonly property string iconName: kind === "done" ? "check" : kind === "reviewing" ? "clock"
                                     : kind === "correction" ? "alert" : kind === "accepted" ? "document"
                                     : kind === "pending" ? "upload" : "info"

    implicitWidth: row.implicitWidth + Theme.px(small ? 24 : 36)
    implicitHeight: Math.max(row.implicitHeight + Theme.px(small ? 8 : 20), small ? 0 : Theme.px(Theme.elder ? 76 : 68))
    radius: Theme.px(small ? 8 : 12)
    color: fill
    border.width: Theme.borderWidth
    border.color: ink

    Row {
        id: row
        anchors.centerIn: parent
        spacing: Theme.px(small ? 6 : 10)
        Icon {
            name: badge.iconName
            color: badge.ink
            size: Theme.px(badge.small ? 28 : (Theme.elder ? 44 : 40))
            anchors.verticalCenter: parent.verticalCenter
        }
        KText {
            text: badge.state_
            color: badge.ink
            font.pixelSize: badge.small ? Theme.fontSecondary : Theme.fontButton
            font.weight: Font.Bold
            anchors.verticalCenter: parent.verticalCenter
        }
    }
}
