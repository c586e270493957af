import QtQuick
import KioskUi

Item {
    objectName: "ratingScreenView"
    property string title: ""
}
