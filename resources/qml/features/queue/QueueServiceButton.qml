import QtQuick
import KioskUi

// One service of the hall as a large button: its letter, its name, how many wait and about how long, and whether
// it needs the card (实名). A service that gives no numbers now is grey and says so, with its hours, in words
// (never by colour alone); tapping it says the same in the screen's message.
Item {
    id: button
    property string code: ""
    property string name: ""
    property string prefix: ""
    property int waiting: 0
    property int waitMinutes: 0
    property bool open: true
    property string hours: ""
    property bool realName: false
    readonly property bool pressed: area.containsPress
    signal clicked()

    implicitHeight: Math.max(Theme.px(Theme.elder ? 250 : 210), texts.implicitHeight + Theme.px(40))

    Accessible.role: Accessible.Button
    Accessible.name: name
    Accessible.description: details.text
    Accessible.onPressAction: button.clicked()

    Rectangle {
        anchors.fill: parent
        radius: Theme.radius * 1.5
        color: !button.open ? Theme.background : button.pressed ? Theme.surfacePressed : Theme.surface
        border.width: button.open ? Theme.px(3) : Theme.borderWidth
        border.color: button.open ? (button.pressed ? Theme.primaryPressed : Theme.primary) : Theme.fieldBorder
    }

    Rectangle {
        id: badge
        anchors { left: parent.left; top: parent.top; leftMargin: Theme.px(24); topMargin: Theme.px(24) }
        width: Theme.px(Theme.elder ? 88 : 76); height: width; radius: width / 2
        color: button.open ? Theme.primary : Theme.textDisabled
        Text {
            anchors.centerIn: parent
            text: button.prefix
            color: Theme.textOnPrimary
            font.pixelSize: parent.width * 0.56
            font.weight: Font.Bold
        }
    }

    Column {
        id: texts
        anchors { left: badge.right; right: parent.right; top: parent.top
                  leftMargin: Theme.px(20); rightMargin: Theme.px(20); topMargin: Theme.px(18) }
        spacing: Theme.px(4)
        KText {
            objectName: "queueServiceName_" + button.code
            width: parent.width
            text: button.name
            font.pixelSize: Theme.fontTitle
            font.weight: Font.Bold
            color: button.open ? Theme.text : Theme.textSecondary
        }
        KText {
            id: details
            objectName: "queueServiceWaiting_" + button.code
            width: parent.width
            font.pixelSize: Theme.fontBody
            font.weight: button.open ? Font.Medium : Font.Bold
            color: button.open ? Theme.text : Theme.warningText
            text: Theme.keepTail(!button.open ? qsTr("现在不取号")
                  : button.waiting === 0 ? qsTr("现在无需等候")
                  // the minutes stay with their number on one line (约 15 分钟, about 15 minutes)
                  : button.waitMinutes > 0 ? qsTr("%n 人等候", "", button.waiting)
                                             + qsTr("，约 %n 分钟", "", button.waitMinutes).replace(/(约|\d) /g, "$1\u00a0")
                  : qsTr("%n 人等候", "", button.waiting))
        }
        KText {
            width: parent.width
            visible: !button.open && button.hours !== ""
            text: qsTr("取号时间 %1").arg(button.hours)
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
        }
        Row {
            visible: button.realName && button.open
            spacing: Theme.px(8)
            Icon { name: "idcard"; color: Theme.textOnSoft; size: Theme.px(Theme.elder ? 38 : 32); anchors.verticalCenter: parent.verticalCenter }
            KText {
                text: qsTr("需刷身份证")
                color: Theme.textOnSoft
                font.pixelSize: Theme.fontSecondary
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }

    MouseArea {
        id: area
        objectName: "queueService_" + button.code
        anchors.fill: parent
        onClicked: button.clicked()
    }
}
