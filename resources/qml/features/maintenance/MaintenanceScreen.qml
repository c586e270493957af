import QtQuick
import KioskUi

// For operations staff on site: what this terminal is, what its cache holds, whether it is in service, its updates,
// its settings and where each comes from, what its log says; and the exit.
// A database found damaged or replaced comes first, with what it means and what to run.
Item {
    id: screen
    objectName: "maintenanceScreen"
    property string title: qsTr("终端维护")
    Component.onCompleted: { terminalOps.refresh(); devicePanel.refresh() }

    function roleLabel(role) {
        return { "id_card": qsTr("身份证读卡器"), "ss_card": qsTr("社保卡读卡器"), "a4": qsTr("A4 打印机"),
                 "ticket": qsTr("凭条打印机"), "scanner": qsTr("扫码器") }[role] || role
    }
    function healthLabel(health) {
        return { "ok": qsTr("正常"), "offline": qsTr("未连接"), "paper_low": qsTr("纸将用完"),
                 "paper_out": qsTr("缺纸"), "cover_open": qsTr("机盖未关"), "error": qsTr("故障") }[health] || health
    }
    function partLabel(part) {
        return { "catalog": qsTr("事项目录缓存"), "sync": qsTr("同步状态（表单模板、通知、中心设置）"),
                 "outbox": qsTr("待上传记录"), "records": qsTr("回执编号与评价记录"), "other": qsTr("其他数据"),
                 "file": qsTr("整个数据库文件") }[part] || part
    }
    function replacedLabel(how) {
        return { "missing": qsTr("原来的数据库文件不见了，现在用的是一个新建的空库。"),
                 "empty": qsTr("原来的数据库文件被清空（0 字节），现在用的是一个新建的空库。") }[how]
               || qsTr("现在打开的是另一个数据库文件，不是本终端原来使用的那个。")
    }
    function command(args) { return maintenance.commandName + " " + args }
    function originLabel(origin) {
        return { "default": qsTr("默认值"), "file": qsTr("配置文件"), "center": qsTr("中心下发"),
                 "environment": qsTr("环境变量"), "command line": qsTr("命令行") }[origin] || origin
    }
    function byLabel(by) {
        return { "center": qsTr("中心指令"), "supervisor": qsTr("监护程序（程序反复崩溃）"),
                 "operator": qsTr("运维人员") }[by] || by
    }
    function updatesOffLabel(why) {
        return { "no_update_root": qsTr("更新未启用：没有 update_root"),
                 "no_update_url": qsTr("更新未启用：没有 update_url"),
                 "no_install_root": qsTr("更新未启用：程序不在安装目录的 versions/ 下运行（也没有 install_root）"),
                 "update_root_unreadable": qsTr("更新未启用：读不到 update_root 文件") }[why]
               || qsTr("更新未启用")
    }
    function cardTypeLabel(type) {
        return { "resident": qsTr("居民身份证"), "hmt_permit": qsTr("港澳台居民居住证"),
                 "foreign_permanent_old": qsTr("外国人永久居留证（旧版）"),
                 "foreign_permanent": qsTr("外国人永久居留证"), "social_security": qsTr("社会保障卡"),
                 "identity_code": qsTr("身份码") }[type] || type
    }

    Flickable {
        id: flick
        objectName: "maintenanceFlick"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: actions.top }
        clip: true
        contentHeight: body.implicitHeight + Theme.margin * 2
        boundsBehavior: Flickable.StopAtBounds

        Column {
            id: body
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.spacing * 1.5

            Column {
                id: databaseSection
                objectName: "databaseSection"
                visible: !maintenance.databaseOk
                width: parent.width
                spacing: Theme.smallSpacing
                readonly property var replaced: maintenance.replacement

                Row {
                    spacing: Theme.px(14)
                    Icon { name: "alert"; color: Theme.errorText; size: Theme.px(Theme.elder ? 50 : 44); anchors.verticalCenter: parent.verticalCenter }
                    KText {
                        text: qsTr("本机数据库需要处理")
                        color: Theme.errorText
                        font.pixelSize: Theme.fontHeading
                        font.weight: Font.Bold
                        anchors.verticalCenter: parent.verticalCenter
                    }
                }
                Rectangle {
                    width: parent.width
                    height: notice.implicitHeight + Theme.px(56)
                    radius: Theme.radius
                    color: Theme.errorSurface
                    border.width: Theme.borderWidth * 2
                    border.color: Theme.errorText
                    Column {
                        id: notice
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28) }
                        spacing: Theme.spacing

                        Column {
                            objectName: "databaseReplaced"
                            visible: maintenance.databaseReplaced
                            width: parent.width
                            spacing: Theme.smallSpacing
                            Para {
                                text: qsTr("数据库已被替换（%1 发现）").arg(databaseSection.replaced.noticedAt || "")
                                font.weight: Font.Bold
                                color: Theme.errorText
                            }
                            Para { text: screen.replacedLabel(databaseSection.replaced.how) }
                            Para {
                                visible: !!databaseSection.replaced.previousSeenAt
                                text: qsTr("原数据库最后使用于 %1。").arg(databaseSection.replaced.previousSeenAt || "")
                            }
                            Para {
                                text: databaseSection.replaced.pending > 0
                                      ? qsTr("原库当时有 %n 条待上传记录（表单、评价）可能尚未送达中心，它们只在原数据库文件里。", "", databaseSection.replaced.pending)
                                      : databaseSection.replaced.pending === 0 ? qsTr("原库当时没有待上传的记录。")
                                      : qsTr("不知道原库当时有没有待上传的记录。")
                                font.weight: databaseSection.replaced.pending > 0 ? Font.Bold : Font.Normal
                            }
                            Para { text: qsTr("回执编号接着已发出的最大编号继续，不会重复。") }
                            Para { text: qsTr("怎么办："); font.weight: Font.Bold }
                            Para {
                                text: databaseSection.replaced.keptAt
                                      ? qsTr("1. 原文件已另存为 %1，请把它交给运维支持。").arg(databaseSection.replaced.keptAt)
                                      : qsTr("1. 若原数据库文件还在（备份、拷贝）：点“退出到桌面”，把它放回数据目录 %1，命名为 kiosk.db，再启动终端。").arg(maintenance.dataDir)
                            }
                            Para { text: qsTr("2. 确认无需找回后，运行 %1 消除此提示。").arg(screen.command("database acknowledge")) }
                        }

                        Rectangle {
                            visible: maintenance.databaseReplaced && maintenance.databaseDamaged
                            width: parent.width; height: Theme.borderWidth; color: Theme.errorText
                        }

                        Column {
                            objectName: "databaseDamaged"
                            visible: maintenance.databaseDamaged
                            width: parent.width
                            spacing: Theme.smallSpacing
                            Para {
                                text: qsTr("数据库已损坏：%1").arg(maintenance.damagedParts.map(screen.partLabel).join(qsTr("、")))
                                font.weight: Font.Bold
                                color: Theme.errorText
                            }
                            Para {
                                text: maintenance.damagedWholeFile
                                      ? qsTr("整个数据库文件无法读取：事项目录、表单和待上传记录都无法使用。")
                                      : maintenance.damageRebuildable
                                        ? qsTr("这部分来自中心，可以重新获取；待上传记录不受影响。")
                                        : qsTr("其中可能有尚未送达中心的记录（表单、评价）或回执编号记录，它们只在这个文件里。")
                                font.weight: maintenance.damageRebuildable ? Font.Normal : Font.Bold
                            }
                            Para { text: qsTr("怎么办："); font.weight: Font.Bold }
                            Para { text: qsTr("1. 请勿删除数据目录中的任何文件。") }
                            Para { text: qsTr("2. 点“退出到桌面”，运行 %1：损坏的文件会另存备查，能读出的记录会搬进新库。").arg(screen.command("database repair")) }
                            Para {
                                text: syncState && syncState.enrolled
                                      ? qsTr("3. 再启动终端，运行 %1 从中心重新获取目录。").arg(screen.command("sync once"))
                                      : qsTr("3. 再启动终端，用 %1 重新导入事项目录文件。").arg(screen.command("catalog import"))
                            }
                            Para {
                                visible: !maintenance.damageRebuildable
                                text: qsTr("4. 若修复时说有记录未能读出，请把另存的 kiosk.db.damaged-… 文件交给运维支持。")
                            }
                        }

                        Para {
                            text: qsTr("办事群众看不到此提示，能用的功能照常服务。")
                            color: Theme.textSecondary
                        }
                    }
                }
            }

            Grid {
                id: cards
                width: parent.width
                columns: Theme.landscape ? 2 : 1
                spacing: Theme.spacing * 1.5
                readonly property real cell: Theme.landscape ? (width - spacing) / 2 : width

                SectionCard {
                    width: cards.cell
                    title: qsTr("终端信息")
                    iconName: "info"
                    Field { label: qsTr("终端编号"); value: maintenance.terminalId }
                    Field { label: qsTr("终端角色"); value: maintenance.role }
                    Field { label: qsTr("软件版本"); value: maintenance.version }
                    Field { label: qsTr("数据目录"); value: maintenance.dataDir }
                }

                SectionCard {
                    objectName: "cacheSection"
                    width: cards.cell
                    title: qsTr("事项缓存")
                    iconName: "document"
                    KText {
                        visible: !maintenance.statsReady
                        width: parent.width
                        text: maintenance.statsFailed ? qsTr("读取失败，详情见日志") : qsTr("正在读取…")
                        color: maintenance.statsFailed ? Theme.errorText : Theme.textSecondary
                    }
                    Field { visible: maintenance.statsReady; label: qsTr("事项"); value: maintenance.stats.items }
                    Field { visible: maintenance.statsReady; label: qsTr("部门 / 分类 / 主题")
                            value: maintenance.stats.departments + " / " + maintenance.stats.categories + " / " + maintenance.stats.themes }
                    Field { visible: maintenance.statsReady; label: qsTr("最近导入")
                            value: maintenance.stats.lastImportAt ? maintenance.stats.lastImportAt : qsTr("从未导入") }
                    Field { visible: maintenance.statsReady; label: qsTr("数据库")
                            value: qsTr("%1 MB，结构版本 %2").arg(maintenance.stats.databaseMegabytes).arg(maintenance.stats.schemaVersion) }
                    Field {
                        objectName: "databaseCheck"
                        label: qsTr("数据库检查")
                        value: maintenance.databaseState === "checking" ? qsTr("正在检查…")
                               : maintenance.databaseState === "failed" ? qsTr("检查失败，详情见日志")
                               : maintenance.databaseOk ? qsTr("正常") : qsTr("需要处理，见上方")
                    }
                }
            }

            Grid {
                id: opsCards
                width: parent.width
                columns: Theme.landscape ? 2 : 1
                spacing: Theme.spacing * 1.5
                readonly property real cell: Theme.landscape ? (width - spacing) / 2 : width

                SectionCard {
                    id: serviceCard
                    objectName: "serviceSection"
                    width: opsCards.cell
                    title: qsTr("服务状态")
                    iconName: terminalOps.outOfService ? "alert" : "check"
                    readonly property var held: terminalOps.outOfServiceState
                    KText {
                        visible: !terminalOps.ready
                        width: parent.width
                        text: terminalOps.failed ? qsTr("读取失败，详情见日志") : qsTr("正在读取…")
                        color: terminalOps.failed ? Theme.errorText : Theme.textSecondary
                    }
                    Field {
                        objectName: "serviceState"
                        visible: terminalOps.ready
                        label: qsTr("状态")
                        value: terminalOps.outOfService ? qsTr("暂停服务中") : qsTr("正常服务")
                    }
                    Field { visible: terminalOps.outOfService; label: qsTr("设置者"); value: screen.byLabel(serviceCard.held.by || "") }
                    Field { visible: terminalOps.outOfService; label: qsTr("开始于"); value: serviceCard.held.since || "" }
                    Field { visible: terminalOps.outOfService && !!serviceCard.held.message; label: qsTr("告知群众")
                            value: serviceCard.held.message || "" }
                    Para {
                        visible: terminalOps.outOfService
                        color: Theme.textSecondary
                        text: qsTr("群众看到“暂停服务”页面；本机照常同步和上报。离开维护页面后即显示。")
                    }
                    BigButton {
                        objectName: terminalOps.outOfService ? "backInServiceButton" : "outOfServiceButton"
                        visible: terminalOps.ready
                        enabled: !terminalOps.busy
                        variant: terminalOps.outOfService ? "primary" : "secondary"
                        iconName: terminalOps.outOfService ? "check" : "lock"
                        fontSize: Theme.fontSecondary
                        text: terminalOps.outOfService ? qsTr("恢复服务") : qsTr("暂停服务")
                        onClicked: terminalOps.outOfService ? terminalOps.backInService() : terminalOps.takeOutOfService()
                    }
                }

                SectionCard {
                    id: updateCard
                    objectName: "updateSection"
                    width: opsCards.cell
                    title: qsTr("更新")
                    iconName: "upload"
                    readonly property var v: terminalOps.versions
                    KText {
                        visible: !terminalOps.ready
                        width: parent.width
                        text: terminalOps.failed ? qsTr("读取失败，详情见日志") : qsTr("正在读取…")
                        color: terminalOps.failed ? Theme.errorText : Theme.textSecondary
                    }
                    Para {
                        objectName: "updatesOff"
                        visible: terminalOps.ready && !terminalOps.updatesEnabled
                        font.weight: Font.Bold
                        text: screen.updatesOffLabel(terminalOps.updatesOff)
                    }
                    Para {
                        // The checker's own words (Chinese, with the file and the error) only where the reason alone
                        // does not say enough; the reason itself is said above in the screen's language.
                        visible: terminalOps.ready && !terminalOps.updatesEnabled && terminalOps.updatesOffDetail !== ""
                                 && (terminalOps.updatesOff === "update_root_unreadable" || terminalOps.updatesOff === "other")
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                        text: terminalOps.updatesOffDetail
                    }
                    Field { visible: terminalOps.ready; label: qsTr("运行版本"); value: updateCard.v.current || maintenance.version }
                    Field { visible: terminalOps.updatesEnabled; label: qsTr("上一版本"); value: updateCard.v.previous || qsTr("无") }
                    Field { visible: terminalOps.updatesEnabled; label: qsTr("已下载待切换"); value: updateCard.v.staged || qsTr("无") }
                    Field { visible: terminalOps.updatesEnabled; label: qsTr("正在试运行"); value: updateCard.v.trying || qsTr("无") }
                    Field { visible: terminalOps.updatesEnabled && (updateCard.v.failed || []).length > 0; label: qsTr("已放弃")
                            value: (updateCard.v.failed || []).join("\n") }
                    Field {
                        visible: terminalOps.updatesEnabled
                        label: qsTr("最近检查")
                        value: !updateCard.v.checkedAt ? qsTr("尚未检查")
                               : updateCard.v.checkProblem ? qsTr("%1，未通过：%2").arg(updateCard.v.checkedAt).arg(updateCard.v.checkProblem)
                               : updateCard.v.available ? qsTr("%1，有新版本 %2（已验证）").arg(updateCard.v.checkedAt).arg(updateCard.v.available)
                               : qsTr("%1，已是最新").arg(updateCard.v.checkedAt)
                    }
                    Field { visible: terminalOps.updatesEnabled; label: qsTr("更新地址"); value: updateCard.v.url || "" }
                }
            }

            SectionCard {
                objectName: "syncSection"
                width: parent.width
                title: qsTr("与中心同步")
                iconName: "refresh"
                Field {
                    label: qsTr("状态")
                    value: !syncState.enrolled ? qsTr("未接入中心（kiosk enroll）")
                           : syncState.syncing ? qsTr("正在同步…")
                           : syncState.online ? qsTr("在线") : syncState.offline ? qsTr("离线，本机照常服务") : qsTr("尚未连接")
                }
                Field { visible: syncState.enrolled; label: qsTr("最近同步成功")
                        value: syncState.lastSuccessAt !== "" ? syncState.lastSuccessAt : qsTr("尚无") }
                Field { visible: syncState.enrolled; label: qsTr("待上传记录"); value: syncState.backlog }
                Field { visible: syncState.lastError !== ""; label: qsTr("最近问题"); value: syncState.lastError }
                BigButton {
                    objectName: "syncNow"
                    visible: syncState.enrolled
                    variant: "soft"
                    iconName: "refresh"
                    fontSize: Theme.fontSecondary
                    enabled: !syncState.syncing
                    text: qsTr("立即同步")
                    onClicked: syncState.syncNow()
                }
            }

            SectionCard {
                objectName: "deviceSection"
                width: parent.width
                title: qsTr("设备")
                iconName: "device"
                KText {
                    visible: devicePanel.rows.length === 0
                    width: parent.width
                    text: devicePanel.checking ? qsTr("正在检查设备…") : qsTr("尚未检查，请点“刷新”")
                    color: Theme.textSecondary
                }
                Repeater {
                    model: devicePanel.rows
                    delegate: Column {
                        width: parent ? parent.width : 0
                        spacing: Theme.px(4)
                        Row {
                            width: parent.width
                            spacing: Theme.px(16)
                            Rectangle {
                                width: Theme.px(20); height: width; radius: width / 2
                                anchors.verticalCenter: parent.verticalCenter
                                color: modelData.usable ? Theme.successText : Theme.errorText
                            }
                            KText {
                                width: Theme.px(250)
                                text: screen.roleLabel(modelData.role)
                                font.pixelSize: Theme.fontSecondary
                                font.weight: Font.Bold
                            }
                            KText {
                                text: screen.healthLabel(modelData.health)
                                font.pixelSize: Theme.fontSecondary
                                color: modelData.usable ? Theme.successText : Theme.errorText
                            }
                        }
                        KText {
                            x: Theme.px(36)
                            width: parent.width - x
                            text: modelData.backend + "  " + modelData.target
                                  + (modelData.message !== "" && !(modelData.usable && modelData.code === "")
                                     ? "\n" + (modelData.code !== "" ? qsTr("%1（%2）").arg(modelData.message).arg(modelData.code)
                                                                      : modelData.message) : "")
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                            wrapMode: Text.WrapAnywhere
                        }
                    }
                }
                KText {
                    objectName: "lastCardRead"
                    visible: devicePanel.lastRead !== "" || devicePanel.readProblem !== ""
                    width: parent.width
                    text: devicePanel.readProblem !== "" ? qsTr("读卡失败：%1").arg(devicePanel.readProblem)
                                                         : qsTr("读卡结果：%1").arg(devicePanel.lastRead)
                    color: devicePanel.readProblem !== "" ? Theme.errorText : Theme.text
                    font.pixelSize: Theme.fontSecondary
                    wrapMode: Text.Wrap
                }
                KText {
                    objectName: "lastScan"
                    visible: devicePanel.scanCount > 0
                    width: parent.width
                    text: qsTr("扫码器已收到 %1 次扫码，最近一次 %2 个字符").arg(devicePanel.scanCount).arg(devicePanel.lastScanLength)
                    font.pixelSize: Theme.fontSecondary
                    wrapMode: Text.Wrap
                }
                // Demo only: sample cards for the simulated reader.
                KText {
                    visible: devicePanel.demoCards.length > 0
                    width: parent.width
                    text: qsTr("演示：把示例证件放到模拟读卡器上")
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSecondary
                }
                Flow {
                    visible: devicePanel.demoCards.length > 0
                    width: parent.width
                    spacing: Theme.smallSpacing
                    Repeater {
                        model: devicePanel.demoCards
                        delegate: BigButton {
                            objectName: "demoCard_" + modelData.key
                            variant: devicePanel.cardOnReader === modelData.key ? "primary" : "soft"
                            fontSize: Theme.fontSecondary
                            text: modelData.name + " · " + screen.cardTypeLabel(modelData.cardType)
                            onClicked: devicePanel.placeCard(modelData.key)
                        }
                    }
                    BigButton {
                        objectName: "demoCardRemove"
                        variant: "secondary"
                        fontSize: Theme.fontSecondary
                        enabled: devicePanel.cardOnReader !== ""
                        text: qsTr("取走证件")
                        onClicked: devicePanel.removeCard()
                    }
                }
            }

            SectionCard {
                objectName: "settingsSection"
                width: parent.width
                title: qsTr("设置（值与来源）")
                iconName: "edit"
                KText {
                    width: parent.width
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                    text: terminalOps.settingsProblem !== ""
                          ? qsTr("配置文件现在读不出来（%1）；下面是本机启动时的设置。").arg(terminalOps.settingsProblem)
                          : qsTr("来源优先级：默认值 < 配置文件 < 中心下发 < 环境变量 < 命令行。改动在重新启动后生效。")
                }
                Repeater {
                    model: terminalOps.settings
                    delegate: Row {
                        objectName: "setting_" + modelData.name
                        width: parent ? parent.width : 0
                        spacing: Theme.px(12)
                        readonly property bool set: modelData.origin !== "default"
                        KText {
                            width: Theme.px(Theme.landscape ? 420 : 300)
                            text: modelData.name
                            font.pixelSize: Theme.fontSmall
                            font.family: "monospace"
                            wrapMode: Text.WrapAnywhere
                        }
                        KText {
                            width: parent.width - Theme.px(Theme.landscape ? 420 : 300) - originText.width - parent.spacing * 2
                            text: modelData.value === "" ? qsTr("（空）") : modelData.value
                            font.pixelSize: Theme.fontSmall
                            font.weight: parent.set ? Font.Bold : Font.Normal
                            wrapMode: Text.WrapAnywhere
                        }
                        KText {
                            id: originText
                            objectName: "origin_" + modelData.name
                            width: Theme.px(Theme.landscape ? 360 : 220)
                            text: screen.originLabel(modelData.origin) + (modelData.where ? "\n" + modelData.where : "")
                            font.pixelSize: Theme.fontSmall
                            color: parent.set ? Theme.textOnSoft : Theme.textSecondary
                            wrapMode: Text.WrapAnywhere
                        }
                    }
                }
            }

            SectionCard {
                width: parent.width
                title: qsTr("运行日志（最近 %1 行）").arg(maintenance.logLines.length)
                iconName: "list"
                Rectangle {
                    width: parent.width
                    height: Theme.px(Theme.landscape ? 420 : 620)
                    color: "#1B1F24"
                    radius: Theme.px(8)
                    ListView {
                        id: logView
                        objectName: "logView"
                        anchors.fill: parent
                        anchors.margins: Theme.px(14)
                        clip: true
                        model: maintenance.logLines
                        boundsBehavior: Flickable.StopAtBounds
                        onCountChanged: positionViewAtEnd()
                        delegate: Text {
                            width: logView.width
                            text: modelData
                            color: "#E8EEF7"
                            font.family: "monospace"
                            font.pixelSize: Theme.px(20)
                            wrapMode: Text.WrapAnywhere
                            textFormat: Text.PlainText
                        }
                    }
                    KText {
                        anchors.centerIn: parent
                        visible: logView.count === 0
                        text: qsTr("日志为空")
                        color: "#E8EEF7"
                    }
                }
            }
        }
    }

    Rectangle {
        id: actions
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.buttonHeight + Theme.px(28)
        color: Theme.surface
        Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: Theme.borderWidth; color: Theme.divider }
        Row {
            anchors.centerIn: parent
            spacing: Theme.spacing
            BigButton {
                objectName: "refreshButton"
                variant: "secondary"; iconName: "refresh"; text: qsTr("刷新")
                onClicked: { maintenance.refresh(); devicePanel.refresh(); terminalOps.refresh() }
            }
            BigButton {
                objectName: "quitButton"
                variant: "danger"
                iconName: "exit"
                text: qsTr("退出到桌面")
                onClicked: maintenance.quit()
            }
        }
    }

    component Para: KText {
        width: parent ? parent.width : 0
        font.pixelSize: Theme.fontSecondary
        wrapMode: Text.Wrap
    }

    component Field: Row {
        property string label
        property var value
        width: parent ? parent.width : 0
        spacing: Theme.px(16)
        KText { id: fieldLabel; width: Theme.px(260); text: label; color: Theme.textSecondary; font.pixelSize: Theme.fontSecondary }
        KText { width: parent.width - fieldLabel.width - parent.spacing; text: String(value); font.pixelSize: Theme.fontSecondary; wrapMode: Text.WrapAnywhere }
    }
}
