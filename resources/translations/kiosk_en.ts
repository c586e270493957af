<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>FacetRow</name>
    <message>
        <source>%1 项</source>
        <translation>Services: %1</translation>
    </message>
</context>
<context>
    <name>FacetsScreen</name>
    <message>
        <source>按部门查找</source>
        <translation>Find by department</translation>
    </message>
    <message>
        <source>按分类查找</source>
        <translation>Find by category</translation>
    </message>
    <message>
        <source>一件事主题</source>
        <translation>Life events</translation>
    </message>
    <message>
        <source>请点击您要查找的部门</source>
        <translation>Please tap a department</translation>
    </message>
    <message>
        <source>请点击您要查找的分类</source>
        <translation>Please tap a category</translation>
    </message>
    <message>
        <source>请点击您要办理的一件事</source>
        <translation>Please tap a life event</translation>
    </message>
    <message>
        <source>共 %1 个主题。“一件事”把相关的几个事项合在一起，一次办好。</source>
        <translation>%1 life events. Each brings the related services together so you can do them in one go.</translation>
    </message>
    <message>
        <source>共 %1 个部门</source>
        <translation>%1 departments</translation>
    </message>
    <message>
        <source>共 %1 个分类</source>
        <translation>%1 categories</translation>
    </message>
    <message>
        <source>暂时无法读取事项目录</source>
        <translation>The service list cannot be read right now</translation>
    </message>
    <message>
        <source>这里暂时没有内容</source>
        <translation>Nothing here yet</translation>
    </message>
    <message>
        <source>请稍后再试。</source>
        <translation>Please try again in a moment.</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>GuideScreen</name>
    <message>
        <source>办事指南</source>
        <translation>Service guide</translation>
    </message>
    <message>
        <source>当场办结</source>
        <translation>Done on the spot</translation>
    </message>
    <message>
        <source>%1 个工作日</source>
        <translation>Working days: %1</translation>
    </message>
    <message>
        <source>办理部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>办件类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>即办件（当场办理）</source>
        <translation>Handled on the spot</translation>
    </message>
    <message>
        <source>承诺件（限时办结）</source>
        <translation>Handled within a promised time</translation>
    </message>
    <message>
        <source>办理时限</source>
        <translation>Time limit</translation>
    </message>
    <message>
        <source>收费</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>未注明</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <source>办理条件</source>
        <translation>Who can apply</translation>
    </message>
    <message>
        <source>没有特别条件。</source>
        <translation>No special conditions.</translation>
    </message>
    <message>
        <source>需要带的材料</source>
        <translation>What to bring</translation>
    </message>
    <message>
        <source>不需要提交材料。</source>
        <translation>No documents are needed.</translation>
    </message>
    <message>
        <source>必须提供</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>按需提供</source>
        <translation>If applicable</translation>
    </message>
    <message>
        <source>%1 份</source>
        <translation>Copies: %1</translation>
    </message>
    <message>
        <source>在哪里办、什么时间办</source>
        <translation>Where and when</translation>
    </message>
    <message>
        <source>请到就近的政务服务中心办理。</source>
        <translation>Please go to your nearest government service centre.</translation>
    </message>
    <message>
        <source>网上办理</source>
        <translation>Apply online</translation>
    </message>
    <message>
        <source>用手机扫描左边的二维码，可以在网上办理。</source>
        <translation>Scan the QR code on the left with your phone to apply online.</translation>
    </message>
    <message>
        <source>本事项暂时不能在网上办理，请带齐材料到上面的地点办理。</source>
        <translation>This service cannot be done online yet. Please bring the documents to the place above.</translation>
    </message>
    <message>
        <source>办理依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>以上内容仅供参考，请以服务窗口的最新要求为准。</source>
        <translation>For reference only; the service counter has the latest requirements.</translation>
    </message>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>暂时无法打开办事指南</source>
        <translation>The guide cannot be opened right now</translation>
    </message>
    <message>
        <source>这个事项已经调整，暂时查不到它的办事指南</source>
        <translation>This service has changed and its guide is not available</translation>
    </message>
    <message>
        <source>请稍后再试。</source>
        <translation>Please try again in a moment.</translation>
    </message>
    <message>
        <source>请返回重新查找，或到服务窗口咨询。</source>
        <translation>Please go back and search again, or ask at a service counter.</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>政务服务自助终端</source>
        <translation>Public Services</translation>
    </message>
    <message>
        <source>就近办 · 自助办</source>
        <translation>Self-service terminal</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>连接中</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <source>长辈模式</source>
        <translation>Large text</translation>
    </message>
    <message>
        <source>已开启，点击关闭</source>
        <translation>On, tap to turn off</translation>
    </message>
    <message>
        <source>已关闭，点击开启</source>
        <translation>Off, tap to turn on</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>您好！请问您要办理什么事？</source>
        <translation>Hello! What would you like to do today?</translation>
    </message>
    <message>
        <source>请点击下面的按钮，或直接搜索事项名称。</source>
        <translation>Tap one of the buttons below, or search for a service by name.</translation>
    </message>
    <message>
        <source>搜索事项</source>
        <translation>Search services</translation>
    </message>
    <message>
        <source>输入事项名称，如“社保卡”或“sbk”</source>
        <translation>Type a service name, e.g. &quot;社保卡&quot; or &quot;sbk&quot;</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>暂时无法读取事项目录</source>
        <translation>The service list cannot be read right now</translation>
    </message>
    <message>
        <source>事项目录暂未加载，请联系工作人员</source>
        <translation>The service list is not loaded yet. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>本机暂时不能查询办事指南。请到服务窗口咨询，给您带来不便，敬请谅解。</source>
        <translation>Service guides cannot be looked up on this terminal right now. Please ask at a service counter. We are sorry for the inconvenience.</translation>
    </message>
    <message>
        <source>事项信息可能不是最新</source>
        <translation>The service information may be out of date</translation>
    </message>
    <message>
        <source>本机的事项目录已有一段时间没有更新，办理前请以服务窗口的要求为准。</source>
        <translation>This terminal&apos;s service list has not been updated for a while. Please check the requirements at a service counter.</translation>
    </message>
    <message>
        <source>按部门查找</source>
        <translation>Find by department</translation>
    </message>
    <message>
        <source>共 %1 个部门</source>
        <translation>%1 departments</translation>
    </message>
    <message>
        <source>按分类查找</source>
        <translation>Find by category</translation>
    </message>
    <message>
        <source>共 %1 个分类</source>
        <translation>%1 categories</translation>
    </message>
    <message>
        <source>一件事主题</source>
        <translation>Life events</translation>
    </message>
    <message>
        <source>一件事一次办，共 %1 个主题</source>
        <translation>%1 life events</translation>
    </message>
    <message>
        <source>一件事一次办</source>
        <translation>Several services in one go</translation>
    </message>
    <message>
        <source>可输入汉字或拼音首字母</source>
        <translation>Type Chinese or pinyin initials</translation>
    </message>
    <message>
        <source>终端编号 %1&#x3000;·&#x3000;事项更新于 %2&#x3000;·&#x3000;版本 %3</source>
        <translation>Terminal %1 · Services updated %2 · Version %3</translation>
    </message>
    <message>
        <source>终端编号 %1&#x3000;·&#x3000;版本 %2</source>
        <translation>Terminal %1 · Version %2</translation>
    </message>
    <message>
        <source>温馨提示</source>
        <translation>Good to know</translation>
    </message>
    <message>
        <source>字看不清，可以点右上角的“长辈模式”放大。办完后请点“首页”，以免他人看到您查询的内容。</source>
        <translation>If the text is hard to read, tap &quot;Large text&quot; at the top right. When you are done, tap &quot;Home&quot; so nobody else sees what you looked up.</translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <source>还剩 %1 秒将返回首页</source>
        <translation>Back to the home screen in %1 s</translation>
    </message>
    <message>
        <source>您有一段时间没有操作了。为保护您的信息，稍后将自动返回首页。</source>
        <translation>You have not touched the screen for a while. To protect your information, the terminal will return to the home screen.</translation>
    </message>
    <message>
        <source>继续使用</source>
        <translation>Keep using</translation>
    </message>
    <message>
        <source>结束并返回首页</source>
        <translation>Finish and go home</translation>
    </message>
</context>
<context>
    <name>ItemsScreen</name>
    <message>
        <source>按部门查找</source>
        <translation>Find by department</translation>
    </message>
    <message>
        <source>按分类查找</source>
        <translation>Find by category</translation>
    </message>
    <message>
        <source>一件事主题</source>
        <translation>Life events</translation>
    </message>
    <message>
        <source>共 %1 个事项，请点击您要办理的事项</source>
        <translation>Services: %1. Please tap the one you need.</translation>
    </message>
    <message>
        <source>即办件</source>
        <translation>On the spot</translation>
    </message>
    <message>
        <source>承诺件</source>
        <translation>Promised time</translation>
    </message>
    <message>
        <source>暂时无法读取事项目录</source>
        <translation>The service list cannot be read right now</translation>
    </message>
    <message>
        <source>这里暂时没有可以办理的事项</source>
        <translation>There are no services here yet</translation>
    </message>
    <message>
        <source>请稍后再试。</source>
        <translation>Please try again in a moment.</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>政务服务自助终端</source>
        <translation>Public Services</translation>
    </message>
    <message>
        <source>您好，%1</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <source>结束办理</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>离线服务中：网络暂时不通，仍可查询办事指南；您办理的事项会在网络恢复后自动上传。</source>
        <translation>Offline: the network is down for now. You can still look up service guides; what you do here is uploaded automatically when the network is back.</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <source>终端维护</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>身份证读卡器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <source>社保卡读卡器</source>
        <translation>Social security card reader</translation>
    </message>
    <message>
        <source>A4 打印机</source>
        <translation>A4 printer</translation>
    </message>
    <message>
        <source>凭条打印机</source>
        <translation>Ticket printer</translation>
    </message>
    <message>
        <source>扫码器</source>
        <translation>Code scanner</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>纸将用完</source>
        <translation>Paper low</translation>
    </message>
    <message>
        <source>缺纸</source>
        <translation>Out of paper</translation>
    </message>
    <message>
        <source>机盖未关</source>
        <translation>Cover open</translation>
    </message>
    <message>
        <source>故障</source>
        <translation>Fault</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>HK/Macao/Taiwan residence permit</translation>
    </message>
    <message>
        <source>外国人永久居留证（旧版）</source>
        <translation>Foreigner&apos;s permanent residence card (old)</translation>
    </message>
    <message>
        <source>外国人永久居留证</source>
        <translation>Foreigner&apos;s permanent residence card</translation>
    </message>
    <message>
        <source>终端信息</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <source>终端编号</source>
        <translation>Terminal ID</translation>
    </message>
    <message>
        <source>终端角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>软件版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>数据目录</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>事项缓存</source>
        <translation>Service cache</translation>
    </message>
    <message>
        <source>读取失败，详情见日志</source>
        <translation>Cannot be read; see the log</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>部门 / 分类 / 主题</source>
        <translation>Departments / categories / themes</translation>
    </message>
    <message>
        <source>最近导入</source>
        <translation>Last import</translation>
    </message>
    <message>
        <source>从未导入</source>
        <translation>Never</translation>
    </message>
    <message>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>%1 MB，结构版本 %2</source>
        <translation>%1 MB, schema version %2</translation>
    </message>
    <message>
        <source>与中心同步</source>
        <translation>Sync with the center</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>未接入中心（kiosk enroll）</source>
        <translation>Not enrolled with a center (kiosk enroll)</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线，本机照常服务</source>
        <translation>Offline; this terminal keeps serving</translation>
    </message>
    <message>
        <source>尚未连接</source>
        <translation>Not connected yet</translation>
    </message>
    <message>
        <source>最近同步成功</source>
        <translation>Last successful sync</translation>
    </message>
    <message>
        <source>尚无</source>
        <translation>None yet</translation>
    </message>
    <message>
        <source>待上传记录</source>
        <translation>Records waiting to upload</translation>
    </message>
    <message>
        <source>最近问题</source>
        <translation>Last problem</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>正在检查设备…</source>
        <translation>Checking the devices…</translation>
    </message>
    <message>
        <source>尚未检查，请点“刷新”</source>
        <translation>Not checked yet: tap “Refresh”</translation>
    </message>
    <message>
        <source>读卡失败：%1</source>
        <translation>Card read failed: %1</translation>
    </message>
    <message>
        <source>读卡结果：%1</source>
        <translation>Card read: %1</translation>
    </message>
    <message>
        <source>扫码器已收到 %1 次扫码，最近一次 %2 个字符</source>
        <translation>Scans received: %1; the last had %2 characters</translation>
    </message>
    <message>
        <source>演示：把示例证件放到模拟读卡器上</source>
        <translation>Demo: place a sample card on the simulated reader</translation>
    </message>
    <message>
        <source>取走证件</source>
        <translation>Take the card away</translation>
    </message>
    <message>
        <source>运行日志（最近 %1 行）</source>
        <translation>Log (last %1 lines)</translation>
    </message>
    <message>
        <source>日志为空</source>
        <translation>The log is empty</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>退出到桌面</source>
        <translation>Exit to desktop</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>首页</source>
        <translation>Home</translation>
    </message>
</context>
<context>
    <name>Pager</name>
    <message>
        <source>上一页</source>
        <translation>Page up</translation>
    </message>
    <message>
        <source>第 %1 / %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Page down</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>维护登录</source>
        <translation>Maintenance login</translation>
    </message>
    <message>
        <source>未设置维护密码，请运维人员使用 kiosk maintenance set-pin 设置</source>
        <translation>No maintenance PIN is set. Operations staff can set one with: kiosk maintenance set-pin</translation>
    </message>
    <message>
        <source>密码错误次数过多，已锁定。请 %1 分 %2 秒后再试。</source>
        <translation>Too many wrong PINs: locked. Try again in %1 min %2 s.</translation>
    </message>
    <message>
        <source>密码不正确，还可以再试 %1 次。</source>
        <translation>Wrong PIN. Attempts left: %1.</translation>
    </message>
    <message>
        <source>正在验证…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>仅限运维人员使用。请输入维护密码。</source>
        <translation>For operations staff only. Please enter the maintenance PIN.</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PreviewScreen</name>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>这是办事指南的 A4 打印样式。确认无误后，请点下面的“打印”。</source>
        <translation>This is how the guide prints on A4. If it looks right, tap “Print” below.</translation>
    </message>
    <message>
        <source>这是办事指南的 A4 打印样式。本机接上打印机后即可打印；现在您可以用手机拍下需要的内容。</source>
        <translation>This is how the guide prints on A4. Printing will be available once a printer is connected; for now you can take a photo of what you need.</translation>
    </message>
    <message>
        <source>第 %1 页，共 %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <source>正在打印，请稍候…</source>
        <translation>Printing, please wait…</translation>
    </message>
    <message>
        <source>已打印，请从出纸口取走打印的办事指南。</source>
        <translation>Printed. Please take the guide from the printer&apos;s output tray.</translation>
    </message>
    <message>
        <source>没有打印成功：%1</source>
        <translation>Not printed: %1</translation>
    </message>
    <message>
        <source>重新打印</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>再打印一份</source>
        <translation>Print another copy</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>暂时无法生成打印样式</source>
        <translation>The print version cannot be made right now</translation>
    </message>
    <message>
        <source>正在生成打印样式，请稍候…</source>
        <translation>Preparing the print version…</translation>
    </message>
    <message>
        <source>请稍后再试，或者直接查看办事指南。</source>
        <translation>Please try again later, or read the guide on screen.</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <source>搜索事项</source>
        <translation>Search services</translation>
    </message>
    <message>
        <source>请输入事项名称或拼音首字母</source>
        <translation>Service name or pinyin initials</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>找到 %1 个相关事项，先显示最相关的 %2 个</source>
        <translation>Matches: %1. The best %2 are shown.</translation>
    </message>
    <message>
        <source>找到 %1 个相关事项，请点击您要办理的事项</source>
        <translation>Matches: %1. Please tap the one you need.</translation>
    </message>
    <message>
        <source>可以输入汉字（如“社保卡”）、全拼（如“shebaoka”）或拼音首字母（如“sbk”）。</source>
        <translation>The services are listed in Chinese: type Chinese (&quot;社保卡&quot;), full pinyin (&quot;shebaoka&quot;) or pinyin initials (&quot;sbk&quot;).</translation>
    </message>
    <message>
        <source>常用搜索</source>
        <translation>Common searches</translation>
    </message>
    <message>
        <source>搜索暂时出了点问题</source>
        <translation>Search is not working right now</translation>
    </message>
    <message>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>没有找到“%1”相关的事项</source>
        <translation>Nothing found for &quot;%1&quot;</translation>
    </message>
    <message>
        <source>请稍后再试，或者按部门查找。</source>
        <translation>Please try again in a moment, or find the service by department.</translation>
    </message>
    <message>
        <source>可以试试输入拼音首字母，如 sbk（社保卡）；或者少输几个字、换个说法，如“医保”。</source>
        <translation>Try pinyin initials, such as sbk (社保卡), fewer characters, or another word, such as &quot;医保&quot;.</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>按部门查找</source>
        <translation>Find by department</translation>
    </message>
</context>
<context>
    <name>StatusNotice</name>
    <message>
        <source>正在加载，请稍候…</source>
        <translation>Loading, please wait…</translation>
    </message>
    <message>
        <source>如需帮助，请联系工作人员，并告知代码 %1</source>
        <translation>If you need help, please ask a member of staff and mention code %1</translation>
    </message>
</context>
<context>
    <name>VoicePrompts</name>
    <message>
        <source>已打印好，请从出纸口取走。</source>
        <translation>Your printout is ready. Please take it from the printer.</translation>
    </message>
    <message>
        <source>没有打印成功，请看屏幕上的提示。</source>
        <translation>The printout did not work. Please read the message on the screen.</translation>
    </message>
    <message>
        <source>您还在使用吗？如果还要继续，请点屏幕上的“继续使用”。</source>
        <translation>Are you still there? To carry on, tap “Keep using” on the screen.</translation>
    </message>
    <message>
        <source>请把身份证平放在读卡区。</source>
        <translation>Please lay your ID card flat on the card reader.</translation>
    </message>
</context>
</TS>
