import QtQuick
import KioskUi

Item {
    objectName: "formStepScreen"
    property string title: ""
}
