import QtQuick

// The window of a role this terminal is set to but that is not configured yet: what it is, and whom to ask.
// Nothing on it pretends to work.
Window {
    id: root
    width: 1080
    height: 1920
    color: Theme.background
    title: qsTr("政务服务自助终端")

    property string roleName: ""
    property bool frameless: false
    flags: frameless ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    property bool allowClose: false
    readonly property var theme: Theme
    onClosing: (close) => { close.accepted = root.allowClose }

    Binding { target: Theme; property: "windowWidth"; value: root.width }
    Binding { target: Theme; property: "windowHeight"; value: root.height }

    Column {
        objectName: "roleNotConfigured"
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: Theme.spacing
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: Theme.fontTitle
            font.weight: Font.Bold
            text: root.roleName
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: qsTr("本机的这项功能还没有配置，暂时不能使用。请联系运维人员。")
        }
    }
}
