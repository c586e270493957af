import QtQuick
import KioskUi

Item {
    objectName: "progressScreenView"
    property string title: ""
}
