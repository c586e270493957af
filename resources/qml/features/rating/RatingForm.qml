import QtQuick
import QtQuick.Controls.Basic
import KioskUi

// The rating itself: what is rated, the five levels, then (for a bad level) why, and the hall indicators, each
// preset to the chosen level so a citizen who is done just presses 提交评价 in the bar that never scrolls away.
Item {
    id: form
    readonly property RatingWords words: RatingWords {}
    readonly property var problems: ratingScreen.problems
    readonly property bool busy: ratingScreen.state === "submitting"

    function subjectTitle() {
        switch (ratingScreen.subjectKind) {
        case "case": return qsTr("请评价这件事的办理服务")
        case "ticket": return qsTr("请评价本次窗口服务")
        case "session": return qsTr("请评价本次自助服务")
        }
        return ratingScreen.subjectLabel
    }
    function subjectDetail() {
        switch (ratingScreen.subjectKind) {
        case "case": return qsTr("回执编号 %1").arg(ratingScreen.subjectText)
        case "ticket": return qsTr("取号 %1").arg(ratingScreen.subjectText)
        }
        return ""
    }

    // Bring ``target`` into view (a problem after 提交, the reasons after a bad level, the focused comment field).
    // Bring ``target`` into view, its top first, once the layout has settled (a section that just appeared
    // has no height yet on this turn).
    function reveal(target) {
        if (!target) return
        revealTimer.target = target
        revealTimer.restart()
    }
    Timer {
        id: revealTimer
        property Item target: null
        interval: 80
        onTriggered: {
            if (!target || !target.visible) return
            const top = target.mapToItem(body, 0, 0).y + body.y - Theme.smallSpacing
            const bottom = top + target.height + Theme.smallSpacing
            if (top >= flick.contentY && bottom <= flick.contentY + flick.height) return
            flick.contentY = Math.max(0, Math.min(top, Math.max(0, flick.contentHeight - flick.height)))
        }
    }
    function revealFirstProblem() {
        const order = [[problems.level, levelProblem], [problems.reasons, reasonsSection],
                       [problems.comment, commentSection], [problems.efficiency, indicatorSection],
                       [problems.service_level, indicatorSection], [problems.attitude, indicatorSection]]
        for (const [message, target] of order) {
            if (message) { form.reveal(target); return }
        }
    }

    Connections {
        target: ratingScreen
        function onProblemsShown() { form.revealFirstProblem() }
    }
    property int shownLevel: ratingScreen.level
    onShownLevelChanged: if (ratingScreen.bad) form.reveal(reasonsSection)

    Flickable {
        id: flick
        objectName: "ratingFlickable"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: bar.top }
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds
        onHeightChanged: if (commentField.activeFocus) form.reveal(commentSection)

        Column {
            id: body
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.landscape ? Theme.spacing : Theme.spacing * 1.5

            Column {
                width: parent.width
                spacing: Theme.smallSpacing
                KText {
                    objectName: "ratingSubject"
                    width: parent.width
                    text: form.subjectTitle()
                    font.pixelSize: Theme.fontTitle
                    font.weight: Font.Bold
                }
                KText {
                    objectName: "ratingSubjectDetail"
                    width: parent.width
                    visible: text !== ""
                    text: form.subjectDetail()
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                    color: Theme.textOnSoft
                    wrapMode: Text.WrapAnywhere
                }
                Row {
                    width: parent.width
                    spacing: Theme.px(12)
                    Icon { id: raterIcon; name: "person"; color: Theme.textSecondary; size: Theme.px(36); anchors.verticalCenter: parent.verticalCenter }
                    KText {
                        objectName: "ratingRater"
                        width: parent.width - raterIcon.width - parent.spacing
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontSecondary
                        text: ratingScreen.raterName !== ""
                              ? qsTr("评价人：%1（实名评价，您的身份信息严格保密）").arg(ratingScreen.raterName)
                              : qsTr("没有读取身份证，本次评价不记名")
                    }
                }
                RatingProblem { width: parent.width; text: ratingScreen.message }
            }

            Column {
                width: parent.width
                spacing: Theme.spacing
                KText {
                    width: parent.width
                    text: qsTr("您对这次服务满意吗？请点击一项")
                    font.pixelSize: Theme.fontHeading
                    font.weight: Font.Bold
                }
                Grid {
                    id: levelGrid
                    width: parent.width
                    columns: Theme.landscape ? 5 : 1
                    spacing: Theme.px(16)
                    readonly property real cell: (width - spacing * (columns - 1)) / columns
                    Repeater {
                        model: ratingScreen.levels
                        RatingLevelButton {
                            objectName: "ratingLevel_" + modelData
                            width: levelGrid.cell
                            tile: levelGrid.columns > 1
                            level: modelData
                            selected: ratingScreen.level === modelData
                            enabled: !form.busy
                            onClicked: ratingScreen.chooseLevel(modelData)
                        }
                    }
                }
                RatingProblem { id: levelProblem; objectName: "ratingLevelProblem"; width: parent.width; text: form.problems.level || "" }
            }

            // Why, for 不满意 and 非常不满意: a person follows every bad rating up, and needs to know why.
            SectionCard {
                id: reasonsSection
                objectName: "ratingReasons"
                width: parent.width
                visible: ratingScreen.bad
                title: qsTr("请选择不满意的原因（可多选，至少一项）")
                iconName: "list"
                RatingProblem { objectName: "ratingReasonsProblem"; width: parent.width; text: form.problems.reasons || "" }
                Grid {
                    id: reasonGrid
                    width: parent.width
                    columns: width > Theme.px(Theme.elder ? 860 : 760) ? 2 : 1
                    spacing: Theme.px(14)
                    readonly property real cell: (width - spacing * (columns - 1)) / columns
                    Repeater {
                        model: ratingScreen.reasonOptions
                        RatingReasonButton {
                            objectName: "ratingReason_" + index
                            width: reasonGrid.cell
                            text: form.words.reasonText(modelData)
                            ticked: ratingScreen.selectedReasons.indexOf(modelData) >= 0
                            enabled: !form.busy
                            onClicked: ratingScreen.toggleReason(modelData)
                        }
                    }
                }
            }

            SectionCard {
                id: commentSection
                objectName: "ratingComment"
                width: parent.width
                visible: ratingScreen.bad
                title: ratingScreen.selectedReasons.indexOf(ratingScreen.otherReason) >= 0
                       ? qsTr("请写下具体原因") : qsTr("具体情况（选填）")
                iconName: "document"
                RatingProblem { objectName: "ratingCommentProblem"; width: parent.width; text: form.problems.comment || "" }
                Rectangle {
                    width: parent.width
                    height: Math.max(Theme.buttonHeight, commentField.implicitHeight) + Theme.px(16)
                    radius: Theme.radius
                    color: Theme.surface
                    border.width: Theme.px(3)
                    border.color: commentField.activeFocus ? Theme.primary : Theme.border
                    TextField {
                        id: commentField
                        objectName: "ratingCommentField"
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                  leftMargin: Theme.px(16); rightMargin: Theme.px(16) }
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        placeholderText: qsTr("点这里输入，例如：排队等了很久")
                        placeholderTextColor: Theme.textSecondary
                        background: Item {}
                        maximumLength: ratingScreen.commentMax
                        enabled: !form.busy
                        Component.onCompleted: text = ratingScreen.comment
                        onTextChanged: ratingScreen.comment = text
                        onActiveFocusChanged: if (activeFocus) form.reveal(commentSection)
                        Accessible.name: qsTr("具体情况")
                    }
                }
                KText {
                    width: parent.width
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSecondary
                    text: qsTr("已输入 %1 字，最多 %2 字。请不要写身份证号等个人信息。")
                          .arg(commentField.length).arg(ratingScreen.commentMax)
                }
            }

            SectionCard {
                id: indicatorSection
                objectName: "ratingIndicators"
                width: parent.width
                visible: ratingScreen.level > 0
                title: qsTr("分项评价")
                iconName: "check"
                KText {
                    width: parent.width
                    color: Theme.textSecondary
                    text: qsTr("已按您的选择填好，可以逐项修改；不用修改就直接点“提交评价”。")
                }
                Repeater {
                    model: ratingScreen.indicatorKeys
                    Column {
                        id: indicatorRow
                        objectName: "ratingIndicator_" + modelData
                        width: parent.width
                        spacing: Theme.px(10)
                        readonly property string key: modelData
                        KText {
                            width: parent.width
                            text: form.words.indicatorText(indicatorRow.key)
                            font.weight: Font.Bold
                        }
                        Row {
                            id: choices
                            width: parent.width
                            spacing: Theme.px(10)
                            readonly property real cell: (width - spacing * 4) / 5
                            Repeater {
                                model: ratingScreen.levels
                                RatingChoice {
                                    objectName: "ratingScore_" + indicatorRow.key + "_" + modelData
                                    width: choices.cell
                                    level: modelData
                                    selected: ratingScreen.indicatorScores[indicatorRow.key] === modelData
                                    enabled: !form.busy
                                    onClicked: ratingScreen.setIndicator(indicatorRow.key, modelData)
                                }
                            }
                        }
                        RatingProblem { width: parent.width; text: form.problems[indicatorRow.key] || "" }
                    }
                }
            }
        }
    }

    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.buttonHeight + Theme.px(32)
        color: Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.divider }
        BigButton {
            id: skipButton
            objectName: "ratingSkipButton"
            anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
            visible: ratingScreen.skippable
            enabled: !form.busy
            variant: "secondary"
            iconName: "close"
            text: qsTr("跳过")
            onClicked: { Qt.inputMethod.hide(); ratingScreen.skip() }
        }
        KText {
            anchors { left: skipButton.visible ? skipButton.right : parent.left; right: submitButton.left
                      leftMargin: skipButton.visible ? Theme.spacing : Theme.margin; rightMargin: Theme.spacing
                      verticalCenter: parent.verticalCenter }
            visible: ratingScreen.level === 0 || form.busy
            horizontalAlignment: Text.AlignRight
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSecondary
            text: form.busy ? qsTr("正在提交…") : qsTr("请先选择满意程度")
        }
        BigButton {
            id: submitButton
            objectName: "ratingSubmitButton"
            anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
            enabled: ratingScreen.level > 0 && !form.busy
            iconName: "check"
            text: qsTr("提交评价")
            onClicked: { Qt.inputMethod.hide(); ratingScreen.submit() }
        }
    }
}
