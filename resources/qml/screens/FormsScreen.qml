import QtQuick
import KioskUi

Item {
    objectName: "formsScreen"
    property string title: ""
}
