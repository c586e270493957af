import QtQuick

// An icon from resources/icons, drawn in any colour by the `icon` image provider.
Image {
    property string name: ""
    property color color: Theme.text
    property int size: Theme.iconSize
    width: size
    height: size
    sourceSize.width: size
    sourceSize.height: size
    source: name ? "image://icon/" + name + "/" + color.toString().replace("#", "") : ""
    fillMode: Image.PreserveAspectFit
    smooth: true
    asynchronous: false
    cache: true
}
