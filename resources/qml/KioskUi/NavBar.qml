import QtQuick

// 返回 and 首页, in the same place on every screen but the home screen, with the screen's name between them.
Rectangle {
    id: bar
    property string title: ""
    signal backClicked()
    signal homeClicked()

    implicitHeight: Theme.buttonHeight + Theme.px(28)
    color: Theme.surface

    Rectangle {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.borderWidth
        color: Theme.divider
    }

    BigButton {
        id: backButton
        objectName: "backButton"
        anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        variant: "secondary"
        iconName: "back"
        text: qsTr("返回")
        onClicked: bar.backClicked()
    }

    KText {
        anchors {
            left: backButton.right; right: homeButton.left; leftMargin: Theme.spacing; rightMargin: Theme.spacing
            verticalCenter: parent.verticalCenter
        }
        text: bar.title
        font.pixelSize: Theme.fontHeading
        font.weight: Font.Bold
        horizontalAlignment: Text.AlignHCenter
        maximumLineCount: 2
        elide: Text.ElideRight
    }

    BigButton {
        id: homeButton
        objectName: "homeButton"
        anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        variant: "secondary"
        iconName: "home"
        text: qsTr("首页")
        onClicked: bar.homeClicked()
    }
}
