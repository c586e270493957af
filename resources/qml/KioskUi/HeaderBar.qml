import QtQuick

// The band at the top of every screen: who we are, and the citizen's two display choices, always in reach.
Rectangle {
    id: header
    implicitHeight: Theme.headerHeight
    color: Theme.primary
    // syncState is made just after the first frame (null until then).
    readonly property bool enrolled: !!syncState && syncState.enrolled

    Rectangle {  // a thin red rule under the blue band, as on official signage
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.px(6)
        color: Theme.accent
    }

    Row {
        id: brand
        anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        spacing: Theme.px(18)
        Rectangle {
            width: Theme.px(84); height: width; radius: width / 2
            color: Theme.textOnPrimary
            anchors.verticalCenter: parent.verticalCenter
            Icon { anchors.centerIn: parent; name: "department"; color: Theme.primary; size: Theme.px(52) }
        }
        Column {
            anchors.verticalCenter: parent.verticalCenter
            KText {
                text: qsTr("政务服务自助终端")
                color: Theme.textOnPrimary
                font.pixelSize: Theme.px(Theme.elder ? 44 : 40)
                font.weight: Font.Bold
                width: Math.min(implicitWidth, header.width - toggles.width - Theme.margin * 2 - Theme.px(120))
                elide: Text.ElideRight
            }
            Row {
                spacing: Theme.px(12)
                visible: !Theme.elder || header.enrolled
                KText {
                    text: qsTr("就近办 · 自助办")
                    color: "#E8EEF7"
                    font.pixelSize: Theme.fontSmall
                    visible: !Theme.elder
                    anchors.verticalCenter: parent.verticalCenter
                }
                // A discreet mark of the link to the center; the banner below the header says more when it is down.
                Row {
                    objectName: "onlineIndicator"
                    visible: header.enrolled
                    spacing: Theme.px(6)
                    anchors.verticalCenter: parent.verticalCenter
                    Rectangle {
                        width: Theme.px(14); height: width; radius: width / 2
                        anchors.verticalCenter: parent.verticalCenter
                        color: header.enrolled && syncState.online ? "#7BE495" : "#FFC46B"
                    }
                    KText {
                        text: !header.enrolled ? "" : syncState.online ? qsTr("在线")
                              : (syncState.offline ? qsTr("离线") : qsTr("连接中"))
                        color: "#E8EEF7"
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }
    }

    Row {
        id: toggles
        anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
        spacing: Theme.px(16)

        HeaderToggle {
            objectName: "elderToggle"
            iconName: appState.elderMode ? "check" : "elder"
            text: qsTr("长辈模式")
            checked: appState.elderMode
            Accessible.description: appState.elderMode ? qsTr("已开启，点击关闭") : qsTr("已关闭，点击开启")
            onClicked: appState.toggleElderMode()
        }
        HeaderToggle {
            objectName: "languageToggle"
            iconName: "language"
            // The button names the language it switches to, in that language.
            text: appState.language === "zh_CN" ? "English" : "中文"
            onClicked: appState.toggleLanguage()
        }
    }

    // Plain Qt Quick (no Controls), like BigButton: the header is on the first frame.
    component HeaderToggle: Item {
        id: toggle
        property string text: ""
        property string iconName: ""
        property bool checked: false
        readonly property bool pressed: toggleArea.containsPress
        readonly property bool down: pressed
        signal clicked()
        height: Math.max(Theme.px(96), Theme.buttonHeight - Theme.px(8))
        implicitHeight: height
        implicitWidth: row.implicitWidth + Theme.px(44)
        width: implicitWidth
        Accessible.role: Accessible.Button
        Accessible.name: text
        Accessible.onPressAction: toggle.clicked()
        Rectangle {
            anchors.fill: parent
            radius: height / 2
            color: toggle.checked ? Theme.textOnPrimary : (toggle.down ? Theme.primaryPressed : "transparent")
            border.width: Theme.px(3)
            border.color: Theme.textOnPrimary
        }
        Row {
            id: row
            anchors.centerIn: parent
            spacing: Theme.px(10)
            Icon {
                name: toggle.iconName
                color: toggle.checked ? Theme.primary : Theme.textOnPrimary
                size: Theme.px(Theme.elder ? 44 : 38)
                anchors.verticalCenter: parent.verticalCenter
            }
            KText {
                text: toggle.text
                color: toggle.checked ? Theme.primary : Theme.textOnPrimary
                font.pixelSize: Theme.px(Theme.elder ? 36 : 30)
                font.weight: Font.Bold
                anchors.verticalCenter: parent.verticalCenter
            }
        }
        MouseArea {
            id: toggleArea
            anchors.fill: parent
            onClicked: toggle.clicked()
        }
    }
}
