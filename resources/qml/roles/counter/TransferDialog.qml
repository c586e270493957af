import QtQuick
import KioskUi

// 转移: the ticket being served waits again for another service, or at another counter only. Two lists; Left and
// Right choose the list, Up and Down the service or counter, Enter transfers. A click chooses, 转移 transfers.
DialogFrame {
    id: dialog
    readonly property string number: desk.hasCurrent ? desk.current.number : ""
    property string column: "service"          // which list has the keyboard
    property int serviceIndex: 0
    property int counterIndex: 0
    title: qsTr("转移 %1 号").arg(number)
    cardWidth: Theme.px(1400)

    function move(step) {
        if (column === "service")
            serviceIndex = Math.max(0, Math.min(desk.services.length - 1, serviceIndex + step))
        else
            counterIndex = Math.max(0, Math.min(desk.counters.length - 1, counterIndex + step))
    }
    function go() {
        const list = column === "service" ? desk.services : desk.counters
        const index = column === "service" ? serviceIndex : counterIndex
        if (index >= 0 && index < list.length)
            desk.transfer(column, list[index].key)
    }
    function counterState(state) {
        return state === "open" ? qsTr("服务中") : state === "paused" ? qsTr("暂停服务") : qsTr("未开放")
    }
    readonly property string target: {
        const list = column === "service" ? desk.services : desk.counters
        const index = column === "service" ? serviceIndex : counterIndex
        return index >= 0 && index < list.length ? list[index].name : ""
    }

    Keys.onLeftPressed: column = "service"
    Keys.onRightPressed: column = "counter"
    Keys.onTabPressed: column = column === "service" ? "counter" : "service"
    Keys.onUpPressed: move(-1)
    Keys.onDownPressed: move(1)
    Keys.onReturnPressed: go()
    Keys.onEnterPressed: go()

    Column {
        width: parent.width
        spacing: Theme.px(20)
        KText {
            width: parent.width
            text: qsTr("转到另一项业务，按原来的取号时间排队；或只转给另一个窗口。←→ 选列表，↑↓ 选一项，Enter 转移。")
            font.pixelSize: Theme.px(26)
            color: Theme.textSecondary
        }
        Row {
            width: parent.width
            height: Theme.px(470)
            spacing: Theme.px(20)
            PlaceList {
                objectName: "transferServices"
                width: (parent.width - parent.spacing) / 2
                height: parent.height
                title: qsTr("转到业务")
                places: desk.services
                current: dialog.column === "service" ? dialog.serviceIndex : -1
                active: dialog.column === "service"
                detailText: function(place) { return qsTr("等候 %1 人").arg(place.detail) }
                onChosen: (index) => { dialog.column = "service"; dialog.serviceIndex = index }
            }
            PlaceList {
                objectName: "transferCounters"
                width: (parent.width - parent.spacing) / 2
                height: parent.height
                title: qsTr("转到窗口")
                places: desk.counters
                current: dialog.column === "counter" ? dialog.counterIndex : -1
                active: dialog.column === "counter"
                detailText: function(place) { return dialog.counterState(place.detail) }
                onChosen: (index) => { dialog.column = "counter"; dialog.counterIndex = index }
            }
        }
        DialogButtons {
            okText: qsTr("转到%1（Enter）").arg(dialog.target)
            okEnabled: dialog.target !== ""
            onOk: dialog.go()
            onCancel: desk.closeDialog()
        }
    }
}
