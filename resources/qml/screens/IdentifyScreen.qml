import QtQuick
import KioskUi

Item {
    objectName: "identifyScreen"
    property string title: ""
}
