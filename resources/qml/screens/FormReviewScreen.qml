import QtQuick
import KioskUi

Item {
    objectName: "formReviewScreen"
    property string title: ""
}
