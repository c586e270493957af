import QtQuick
import KioskUi

// The words and colours of the rating screens: the five levels, the indicators and the reasons (the domain's
// lists, kiosk/domain/rating.py), said the same way on every part of the screen.
QtObject {
    function levelText(level) {
        switch (level) {
        case 5: return qsTr("非常满意")
        case 4: return qsTr("满意")
        case 3: return qsTr("基本满意")
        case 2: return qsTr("不满意")
        case 1: return qsTr("非常不满意")
        }
        return ""
    }
    // Faces carry the meaning with the words; the colour only repeats it.
    function levelColor(level) {
        return level >= 4 ? Theme.successText : level === 3 ? Theme.warningText : Theme.errorText
    }
    function indicatorText(key) {
        switch (key) {
        case "overall": return qsTr("总体满意度")
        case "efficiency": return qsTr("办事效率")
        case "service_level": return qsTr("服务水平")
        case "attitude": return qsTr("服务态度")
        }
        return key
    }
    function reasonText(reason) {
        switch (reason) {
        case "办事指南不清晰": return qsTr("办事指南不清晰")
        case "等待时间长": return qsTr("等待时间长")
        case "服务态度差": return qsTr("服务态度差")
        case "多次跑动": return qsTr("多次跑动")
        case "材料重复提交": return qsTr("材料重复提交")
        case "系统故障": return qsTr("系统故障")
        case "其他": return qsTr("其他")
        }
        return reason
    }
}
