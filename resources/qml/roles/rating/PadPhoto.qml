import QtQuick
import KioskUi

// The staff member's photo (3:4, as on the cards beside a counter), or a plain placeholder when there is none.
Rectangle {
    id: frame
    property string source: ""
    width: Theme.px(240)
    height: Math.round(width * 4 / 3)
    radius: Theme.radius
    color: Theme.primarySoft
    border.width: Theme.borderWidth
    border.color: Theme.border
    clip: true

    Image {
        id: photo
        objectName: "padPhoto"
        anchors.fill: parent
        anchors.margins: frame.border.width
        visible: frame.source !== "" && status === Image.Ready
        source: frame.source
        fillMode: Image.PreserveAspectCrop
        asynchronous: false
        cache: false
        smooth: true
    }
    Column {
        objectName: "padPhotoPlaceholder"
        anchors.centerIn: parent
        visible: !photo.visible
        spacing: Theme.px(8)
        Icon { anchors.horizontalCenter: parent.horizontalCenter; name: "person"; color: Theme.textOnSoft; size: Math.round(frame.width * 0.55) }
        KText {
            anchors.horizontalCenter: parent.horizontalCenter
            color: Theme.textOnSoft
            font.pixelSize: Theme.fontSecondary
            text: qsTr("工作人员")
        }
    }
}
