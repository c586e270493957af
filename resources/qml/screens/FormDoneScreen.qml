import QtQuick
import KioskUi

Item {
    objectName: "formDoneScreen"
    property string title: ""
}
