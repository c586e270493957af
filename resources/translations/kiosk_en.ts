<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>CallPanel</name>
    <message>
        <source>请 %1 号</source>
        <translation>Number %1</translation>
    </message>
    <message>
        <source>到 %1 号窗口</source>
        <translation>please go to counter %1</translation>
    </message>
    <message>
        <source>再次呼叫</source>
        <translation>Calling again</translation>
    </message>
    <message>
        <source>正在呼叫</source>
        <translation>Now calling</translation>
    </message>
    <message>
        <source>暂无叫号</source>
        <translation>No number called yet</translation>
    </message>
    <message>
        <source>取号后请留意屏幕和语音叫号</source>
        <translation>After taking a number, please watch this screen and listen for your call</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>%1 号还在办理。退出前先把它办结吗？</source>
        <translation>%1 is still being served. Finish it before signing out?</translation>
    </message>
    <message numerus="yes">
        <source>本窗口还有 %n 个挂起的号，退出后仍留在本窗口。</source>
        <translation>
            <numerusform>This counter has %n ticket on hold; it stays here after you sign out.</numerusform>
            <numerusform>This counter has %n tickets on hold; they stay here after you sign out.</numerusform>
        </translation>
    </message>
    <message>
        <source>确认 %1 号过号？本人来了可以用“过号归队”让其重新排队。</source>
        <translation>Mark %1 as a no-show? If the person comes later, &quot;Requeue&quot; puts them back in the queue.</translation>
    </message>
    <message>
        <source>办结并退出（Enter）</source>
        <translation>Finish and sign out (Enter)</translation>
    </message>
    <message>
        <source>确认过号（Enter）</source>
        <translation>No-show (Enter)</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>yyyy年M月d日</source>
        <translation>d MMMM yyyy</translation>
    </message>
</context>
<context>
    <name>DeskPanel</name>
    <message>
        <source>正在办理</source>
        <translation>Now serving</translation>
    </message>
    <message numerus="yes">
        <source>已叫 %n 次</source>
        <translation>
            <numerusform>Called %n time</numerusform>
            <numerusform>Called %n times</numerusform>
        </translation>
    </message>
    <message>
        <source>绿色通道 · %1</source>
        <translation>Priority · %1</translation>
    </message>
    <message>
        <source>实名：%1</source>
        <translation>Name: %1</translation>
    </message>
    <message numerus="yes">
        <source>已等 %n 分钟</source>
        <translation>
            <numerusform>Waited %n min</numerusform>
            <numerusform>Waited %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>已办理 %n 分钟</source>
        <translation>
            <numerusform>Serving for %n min</numerusform>
            <numerusform>Serving for %n min</numerusform>
        </translation>
    </message>
    <message>
        <source>已暂停服务</source>
        <translation>Service paused</translation>
    </message>
    <message>
        <source>当前没有正在办理的号</source>
        <translation>No ticket is being served</translation>
    </message>
    <message>
        <source>按 %1 恢复服务</source>
        <translation>Press %1 to resume service</translation>
    </message>
    <message>
        <source>按 %1 叫下一位（等候 %2 人）</source>
        <translation>Press %1 to call the next one (%2 waiting)</translation>
    </message>
    <message>
        <source>现在没有人在等候</source>
        <translation>Nobody is waiting now</translation>
    </message>
    <message>
        <source>叫号</source>
        <translation>Call next</translation>
    </message>
    <message>
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>挂起</source>
        <translation>Hold</translation>
    </message>
    <message>
        <source>恢复挂起</source>
        <translation>Resume held</translation>
    </message>
    <message>
        <source>转移</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>呼叫指定号</source>
        <translation>Call number</translation>
    </message>
    <message>
        <source>过号归队</source>
        <translation>Requeue</translation>
    </message>
    <message>
        <source>绿色通道</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>恢复服务</source>
        <translation>Resume service</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>Pause service</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>今日本窗口</source>
        <translation>Today here</translation>
    </message>
    <message>
        <source>办结 %1</source>
        <translation>Finished %1</translation>
    </message>
    <message>
        <source>过号 %1</source>
        <translation>No-shows %1</translation>
    </message>
    <message>
        <source>平均办理 —</source>
        <translation>Mean service time —</translation>
    </message>
    <message>
        <source>平均办理 %1 分钟</source>
        <translation>Mean service time %1 min</translation>
    </message>
    <message numerus="yes">
        <source>等候（按叫号顺序）%n 人</source>
        <translation>
            <numerusform>Waiting, in calling order: %n</numerusform>
            <numerusform>Waiting, in calling order: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>挂起（补材料）%n 个</source>
        <translation>
            <numerusform>On hold (fetching papers): %n</numerusform>
            <numerusform>On hold (fetching papers): %n</numerusform>
        </translation>
    </message>
    <message>
        <source>没有挂起的号</source>
        <translation>No ticket on hold</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message numerus="yes">
        <source>过号 %n 个</source>
        <translation>
            <numerusform>No-shows: %n</numerusform>
            <numerusform>No-shows: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>今天没有过号</source>
        <translation>No no-shows today</translation>
    </message>
    <message>
        <source>归队</source>
        <translation>Requeue</translation>
    </message>
</context>
<context>
    <name>DialogButtons</name>
    <message>
        <source>取消（Esc）</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>DisplayBoard</name>
    <message>
        <source>请{number}号到{counter}号窗口办理</source>
        <translation>Number {number}, please go to counter {counter}</translation>
    </message>
</context>
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
    <message numerus="yes">
        <source>共 %n 个主题。“一件事”把相关的几个事项合在一起，一次办好。</source>
        <translation>
            <numerusform>%n life event. It brings the related services together so you can do them in one go.</numerusform>
            <numerusform>%n life events. Each brings the related services together so you can do them in one go.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>共 %n 个部门</source>
        <translation>
            <numerusform>%n department</numerusform>
            <numerusform>%n departments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>共 %n 个分类</source>
        <translation>
            <numerusform>%n category</numerusform>
            <numerusform>%n categories</numerusform>
        </translation>
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
    <name>FormDateInput</name>
    <message>
        <source>年</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>例如 1956 年 3 月 8 日：年填 1956，月填 3，日填 8</source>
        <translation>For example, for 8 March 1956: Year 1956, Month 3, Day 8</translation>
    </message>
</context>
<context>
    <name>FormDoneScreen</name>
    <message>
        <source>表单已提交</source>
        <translation>Form submitted</translation>
    </message>
    <message>
        <source>回执编号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>凭回执编号可以查询办理进度，请妥善保管。</source>
        <translation>With the receipt number you can check your case progress. Please keep it safe.</translation>
    </message>
    <message>
        <source>已打印，请从出纸口取走您的表单。</source>
        <translation>Printed. Please take your form from the printer&apos;s output tray.</translation>
    </message>
    <message>
        <source>没有打印成功：%1</source>
        <translation>Not printed: %1</translation>
    </message>
    <message>
        <source>本机没有连接打印机，请记下回执编号</source>
        <translation>This terminal has no printer. Please write down the receipt number.</translation>
    </message>
    <message>
        <source>正在打印您的表单，请稍候…</source>
        <translation>Printing your form, please wait…</translation>
    </message>
    <message>
        <source>您填写的内容已经提交，不需要重新填写。</source>
        <translation>Your answers have been submitted. You do not need to fill in the form again.</translation>
    </message>
    <message>
        <source>重新打印</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>不打印，直接完成</source>
        <translation>Finish without printing</translation>
    </message>
    <message>
        <source>表单正在上传给受理部门，您不需要再做什么。</source>
        <translation>Your form is being sent to the department. There is nothing more you need to do.</translation>
    </message>
    <message>
        <source>表单已保存在本机，网络恢复后自动上传，您不需要再做什么。</source>
        <translation>Your form is saved on this terminal and will be uploaded automatically when the network is back. There is nothing more you need to do.</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>FormFieldItem</name>
    <message>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>（选填）</source>
        <translation>(optional)</translation>
    </message>
    <message>
        <source>这一项来自您的证件，在这里不能修改。请到服务窗口，请工作人员帮您核对。</source>
        <translation>This comes from your ID and cannot be changed here. Please ask a member of staff at a service counter to check it.</translation>
    </message>
</context>
<context>
    <name>FormFlow</name>
    <message>
        <source>（未填写）</source>
        <translation>(not filled in)</translation>
    </message>
</context>
<context>
    <name>FormLockedValue</name>
    <message>
        <source>来自身份证</source>
        <translation>From your ID card</translation>
    </message>
</context>
<context>
    <name>FormModels</name>
    <message>
        <source>%1年**月**日</source>
        <translation>**/**/%1</translation>
    </message>
</context>
<context>
    <name>FormReviewScreen</name>
    <message>
        <source>核对填写内容</source>
        <translation>Check your answers</translation>
    </message>
    <message>
        <source>请仔细核对下面的内容。需要改动的，点该部分右边的“修改”。</source>
        <translation>Please check everything below carefully. To change something, tap “Change” on the right of that part.</translation>
    </message>
    <message>
        <source>第 %1 步&#x3000;%2</source>
        <translation>Step %1: %2</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>%1（来自证件）</source>
        <translation>%1 (from your card)</translation>
    </message>
    <message>
        <source>点“确认提交并打印”后，表单交给受理部门，并打印一份带回执编号的表单给您。</source>
        <translation>When you tap “Submit and print”, the form goes to the department and a copy with your receipt number is printed for you.</translation>
    </message>
    <message>
        <source>点“确认提交”后，表单交给受理部门，屏幕上会显示回执编号。</source>
        <translation>When you tap “Submit”, the form goes to the department and your receipt number is shown on the screen.</translation>
    </message>
    <message>
        <source>正在提交，请稍候…</source>
        <translation>Submitting, please wait…</translation>
    </message>
    <message>
        <source>确认提交并打印</source>
        <translation>Submit and print</translation>
    </message>
    <message>
        <source>确认提交</source>
        <translation>Submit</translation>
    </message>
</context>
<context>
    <name>FormStepScreen</name>
    <message>
        <source>第 %1 步，共 %2 步</source>
        <translation>Step %1 of %2</translation>
    </message>
    <message>
        <source>受理部门：%1</source>
        <translation>Handled by: %1</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>回到核对页</source>
        <translation>Back to review</translation>
    </message>
    <message>
        <source>下一步：核对</source>
        <translation>Next: review</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>FormTextInput</name>
    <message>
        <source>例如 13812345678</source>
        <translation>e.g. 13812345678</translation>
    </message>
    <message>
        <source>输入 X</source>
        <translation>Type X</translation>
    </message>
</context>
<context>
    <name>FormsScreen</name>
    <message>
        <source>自助填表</source>
        <translation>Fill in a form</translation>
    </message>
    <message>
        <source>请选择要填写的表单</source>
        <translation>Please tap the form you need</translation>
    </message>
    <message>
        <source>共 %1 份表单。填写时会先读取您的身份证，姓名等信息自动填好。</source>
        <translation>Forms: %1. We read your ID card first, so your name and other details are filled in for you.</translation>
    </message>
    <message>
        <source>已填写一部分，点击继续填写</source>
        <translation>Partly filled in: tap to carry on</translation>
    </message>
    <message>
        <source>暂时无法读取表单</source>
        <translation>The forms cannot be read right now</translation>
    </message>
    <message>
        <source>本机暂时没有可填写的表单，请到服务窗口办理</source>
        <translation>There are no forms on this terminal yet. Please go to a service counter.</translation>
    </message>
    <message>
        <source>请稍后再试，或到服务窗口办理。</source>
        <translation>Please try again in a moment, or go to a service counter.</translation>
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
    <message numerus="yes">
        <source>%n 个工作日</source>
        <translation>
            <numerusform>%n working day</numerusform>
            <numerusform>%n working days</numerusform>
        </translation>
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
    <message>
        <source>不收费</source>
        <translation>Free of charge</translation>
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
        <source>按分类查找</source>
        <translation>Find by category</translation>
    </message>
    <message>
        <source>一件事主题</source>
        <translation>Life events</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 个部门</source>
        <translation>
            <numerusform>%n department</numerusform>
            <numerusform>%n departments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>共 %n 个分类</source>
        <translation>
            <numerusform>%n category</numerusform>
            <numerusform>%n categories</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>一件事一次办，共 %n 个主题</source>
        <translation>
            <numerusform>%n life event</numerusform>
            <numerusform>%n life events</numerusform>
        </translation>
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
        <source>办理业务</source>
        <translation>Things you can do here</translation>
    </message>
    <message>
        <source>取号排队</source>
        <translation>Take a number</translation>
    </message>
    <message>
        <source>现场取号、预约签到</source>
        <translation>Queue number, appointment check-in</translation>
    </message>
    <message>
        <source>自助填表</source>
        <translation>Fill in a form</translation>
    </message>
    <message>
        <source>身份证自动填写，打印提交</source>
        <translation>Filled in from your ID card, then printed and submitted</translation>
    </message>
    <message>
        <source>办件进度</source>
        <translation>Case progress</translation>
    </message>
    <message>
        <source>查询已提交事项的办理进度</source>
        <translation>See how your applications are going</translation>
    </message>
    <message>
        <source>服务评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>对办事服务进行评价</source>
        <translation>Tell us how we did</translation>
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
        <source>&lt;b&gt;%1&lt;/b&gt;&#x3000;%2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2</translation>
    </message>
    <message>
        <source>字看不清，可以点右上角的“长辈模式”放大。办完后请点上方的“结束办理”，并取走您的证件；只点“首页”不会结束办理。</source>
        <translation>If the text is hard to read, tap &quot;Large text&quot; at the top right. When you are done, tap &quot;Finish&quot; above and take your card; &quot;Home&quot; alone does not finish.</translation>
    </message>
    <message>
        <source>字看不清，可以点右上角的“长辈模式”放大。办完后请点“首页”，您查看过的内容就会清除。</source>
        <translation>If the text is hard to read, tap &quot;Large text&quot; at the top right. When you are done, tap &quot;Home&quot;: what you looked at is cleared.</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <source>核验身份</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>请出示您的身份证件</source>
        <translation>Please show your ID</translation>
    </message>
    <message>
        <source>以下三种方式任选一种即可。</source>
        <translation>Any one of the three ways below will do.</translation>
    </message>
    <message>
        <source>正在读卡，请不要移动证件…</source>
        <translation>Reading your card, please do not move it…</translation>
    </message>
    <message>
        <source>正在核验身份码，请稍候…</source>
        <translation>Checking your ID code, please wait…</translation>
    </message>
    <message>
        <source>没有核验成功</source>
        <translation>Your identity could not be checked</translation>
    </message>
    <message>
        <source>读卡器上已经放着一张证件</source>
        <translation>A card is already on the reader</translation>
    </message>
    <message>
        <source>如果是您本人的证件，请点“读取这张证件”。如果不是，请把它交给工作人员，再放上您自己的证件。</source>
        <translation>If it is your own card, tap “Read this card”. If it is not, please hand it to a member of staff and place your own card.</translation>
    </message>
    <message>
        <source>读取这张证件</source>
        <translation>Read this card</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <source>请把身份证平放在读卡区，听到提示音后稍等片刻。</source>
        <translation>Please lay your ID card flat on the card reader and wait a moment after the beep.</translation>
    </message>
    <message>
        <source>社会保障卡</source>
        <translation>Social security card</translation>
    </message>
    <message>
        <source>请把社保卡芯片朝里插入读卡口。</source>
        <translation>Please insert your social security card into the card slot, chip end first.</translation>
    </message>
    <message>
        <source>粤省事身份码</source>
        <translation>Yueshengshi ID code</translation>
    </message>
    <message>
        <source>打开手机上的粤省事，出示身份码，对准扫码口。</source>
        <translation>Open Yueshengshi on your phone, show your ID code and hold it up to the scanner.</translation>
    </message>
    <message>
        <source>网络暂时不通，现在不能扫码核验，请使用身份证或社保卡。</source>
        <translation>The network is down right now, so ID codes cannot be checked. Please use your ID card or social security card.</translation>
    </message>
    <message>
        <source>您的身份信息只用于本次办理，不在本机保存；点“结束办理”或离开后自动清除。</source>
        <translation>Your identity details are used only for this visit and are not stored on this terminal. They are cleared when you tap “Finish” or leave.</translation>
    </message>
    <message>
        <source>演示：放一张示例身份证</source>
        <translation>Demo: place a sample ID card</translation>
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
        <source>%1：%2 个事项（全部 %3 个）</source>
        <translation>%1: %2 items (of %3)</translation>
    </message>
    <message>
        <source>共 %1 个事项，请点击您要办理的事项</source>
        <translation>Services: %1. Please tap the one you need.</translation>
    </message>
    <message>
        <source>换一个分类</source>
        <translation>Another category</translation>
    </message>
    <message>
        <source>换一个部门</source>
        <translation>Another department</translation>
    </message>
    <message>
        <source>按分类缩小范围</source>
        <translation>Narrow by category</translation>
    </message>
    <message>
        <source>按部门缩小范围</source>
        <translation>Narrow by department</translation>
    </message>
    <message>
        <source>显示全部 %1 个</source>
        <translation>Show all %1</translation>
    </message>
    <message>
        <source>在这些事项里搜索</source>
        <translation>Search these items</translation>
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
    <name>KeyPad</name>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
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
    <message>
        <source>窗口叫号</source>
        <translation>Counter calling</translation>
    </message>
    <message>
        <source>%1（工号 %2）</source>
        <translation>%1 (staff %2)</translation>
    </message>
    <message>
        <source>工号 %1</source>
        <translation>Staff %1</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>服务中</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已连接</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>正在重新连接… 与排队服务的连接断开了，恢复前操作不会执行</source>
        <translation>Reconnecting… The link to the queue service is down; nothing is done until it is back</translation>
    </message>
    <message>
        <source>正在连接排队服务…</source>
        <translation>Connecting to the queue service…</translation>
    </message>
    <message>
        <source>叫号屏</source>
        <translation>Calling display</translation>
    </message>
    <message>
        <source>正在重新连接… 下面是 %1 时的叫号情况</source>
        <translation>Reconnecting… The board below is as it was at %1</translation>
    </message>
    <message>
        <source>正在重新连接…</source>
        <translation>Reconnecting…</translation>
    </message>
    <message>
        <source>正在连接排队叫号系统…</source>
        <translation>Connecting to the queue system…</translation>
    </message>
    <message>
        <source>还没有连上。请检查本机的网络，以及大厅的排队叫号服务是否开着；连上后会自动显示。</source>
        <translation>Not connected yet. Please check this machine&apos;s network and that the hall&apos;s queue service is running; the board appears as soon as it connects.</translation>
    </message>
    <message>
        <source>服务评价器</source>
        <translation>Service rating pad</translation>
    </message>
    <message>
        <source>正在重新连接… 您的评价会先保存在本机，连上后自动提交。</source>
        <translation>Reconnecting… Your rating is kept on this pad and sent once the link is back.</translation>
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
        <source>事项目录缓存</source>
        <translation>Catalog cache</translation>
    </message>
    <message>
        <source>同步状态（表单模板、通知、中心设置）</source>
        <translation>Sync state (form templates, notices, center settings)</translation>
    </message>
    <message>
        <source>回执编号与评价记录</source>
        <translation>Receipt numbers and rating records</translation>
    </message>
    <message>
        <source>其他数据</source>
        <translation>Other data</translation>
    </message>
    <message>
        <source>整个数据库文件</source>
        <translation>The whole database file</translation>
    </message>
    <message>
        <source>原来的数据库文件不见了，现在用的是一个新建的空库。</source>
        <translation>The database file this terminal used is gone; a new, empty database is in use now.</translation>
    </message>
    <message>
        <source>原来的数据库文件被清空（0 字节），现在用的是一个新建的空库。</source>
        <translation>The database file this terminal used was emptied (0 bytes); a new, empty database is in use now.</translation>
    </message>
    <message>
        <source>现在打开的是另一个数据库文件，不是本终端原来使用的那个。</source>
        <translation>Another database file is open now, not the one this terminal used.</translation>
    </message>
    <message>
        <source>默认值</source>
        <translation>default</translation>
    </message>
    <message>
        <source>配置文件</source>
        <translation>settings file</translation>
    </message>
    <message>
        <source>中心下发</source>
        <translation>center</translation>
    </message>
    <message>
        <source>环境变量</source>
        <translation>environment</translation>
    </message>
    <message>
        <source>命令行</source>
        <translation>command line</translation>
    </message>
    <message>
        <source>中心指令</source>
        <translation>the center&apos;s command</translation>
    </message>
    <message>
        <source>监护程序（程序反复崩溃）</source>
        <translation>the supervisor (the program kept crashing)</translation>
    </message>
    <message>
        <source>运维人员</source>
        <translation>an operator</translation>
    </message>
    <message>
        <source>更新未启用：没有 update_root</source>
        <translation>Updates are off: no update_root</translation>
    </message>
    <message>
        <source>更新未启用：没有 update_url</source>
        <translation>Updates are off: no update_url</translation>
    </message>
    <message>
        <source>更新未启用：程序不在安装目录的 versions/ 下运行（也没有 install_root）</source>
        <translation>Updates are off: the program does not run from versions/ of an install folder (and install_root is not set)</translation>
    </message>
    <message>
        <source>更新未启用：读不到 update_root 文件</source>
        <translation>Updates are off: the update_root file cannot be read</translation>
    </message>
    <message>
        <source>更新未启用</source>
        <translation>Updates are off</translation>
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
        <source>社会保障卡</source>
        <translation>Social security card</translation>
    </message>
    <message>
        <source>身份码</source>
        <translation>Yueshengshi ID code</translation>
    </message>
    <message>
        <source>本机数据库需要处理</source>
        <translation>This terminal&apos;s database needs attention</translation>
    </message>
    <message>
        <source>数据库已被替换（%1 发现）</source>
        <translation>The database was replaced (noticed %1)</translation>
    </message>
    <message>
        <source>原数据库最后使用于 %1。</source>
        <translation>The previous database was last used %1.</translation>
    </message>
    <message numerus="yes">
        <source>原库当时有 %n 条待上传记录（表单、评价）可能尚未送达中心，它们只在原数据库文件里。</source>
        <translation>
            <numerusform>The previous database held %n record waiting to be sent (a form or a rating) that may not have reached the center; it exists only in the previous database file.</numerusform>
            <numerusform>The previous database held %n records waiting to be sent (forms, ratings) that may not have reached the center; they exist only in the previous database file.</numerusform>
        </translation>
    </message>
    <message>
        <source>原库当时没有待上传的记录。</source>
        <translation>The previous database held no records waiting to be sent.</translation>
    </message>
    <message>
        <source>不知道原库当时有没有待上传的记录。</source>
        <translation>It is not known whether the previous database held records waiting to be sent.</translation>
    </message>
    <message>
        <source>回执编号接着已发出的最大编号继续，不会重复。</source>
        <translation>Receipt numbers go on after the highest number already issued; none repeats.</translation>
    </message>
    <message>
        <source>怎么办：</source>
        <translation>What to do:</translation>
    </message>
    <message>
        <source>1. 原文件已另存为 %1，请把它交给运维支持。</source>
        <translation>1. The previous file was kept as %1: give it to operations support.</translation>
    </message>
    <message>
        <source>1. 若原数据库文件还在（备份、拷贝）：点“退出到桌面”，把它放回数据目录 %1，命名为 kiosk.db，再启动终端。</source>
        <translation>1. If the previous database file still exists (a backup, a copy): tap “Exit to desktop”, put it back into the data directory %1 as kiosk.db, and start the terminal again.</translation>
    </message>
    <message>
        <source>2. 确认无需找回后，运行 %1 消除此提示。</source>
        <translation>2. Once you are sure it need not be recovered, run %1 to clear this notice.</translation>
    </message>
    <message>
        <source>数据库已损坏：%1</source>
        <translation>The database is damaged: %1</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>整个数据库文件无法读取：事项目录、表单和待上传记录都无法使用。</source>
        <translation>The whole database file cannot be read: the catalog, the forms and the records waiting to be sent cannot be used.</translation>
    </message>
    <message>
        <source>这部分来自中心，可以重新获取；待上传记录不受影响。</source>
        <translation>This part comes from the center and can be fetched again; the records waiting to be sent are not affected.</translation>
    </message>
    <message>
        <source>其中可能有尚未送达中心的记录（表单、评价）或回执编号记录，它们只在这个文件里。</source>
        <translation>It may hold records not yet delivered to the center (forms, ratings) or receipt number records, which exist only in this file.</translation>
    </message>
    <message>
        <source>1. 请勿删除数据目录中的任何文件。</source>
        <translation>1. Do not delete any file in the data directory.</translation>
    </message>
    <message>
        <source>2. 点“退出到桌面”，运行 %1：损坏的文件会另存备查，能读出的记录会搬进新库。</source>
        <translation>2. Tap “Exit to desktop” and run %1: the damaged file is kept for support, and every record that can be read moves into a new database.</translation>
    </message>
    <message>
        <source>3. 再启动终端，运行 %1 从中心重新获取目录。</source>
        <translation>3. Start the terminal again and run %1 to fetch the catalog from the center again.</translation>
    </message>
    <message>
        <source>3. 再启动终端，用 %1 重新导入事项目录文件。</source>
        <translation>3. Start the terminal again and import the catalog file again with %1.</translation>
    </message>
    <message>
        <source>4. 若修复时说有记录未能读出，请把另存的 kiosk.db.damaged-… 文件交给运维支持。</source>
        <translation>4. If the repair says records could not be read, give the kept kiosk.db.damaged-… file to operations support.</translation>
    </message>
    <message>
        <source>办事群众看不到此提示，能用的功能照常服务。</source>
        <translation>Citizens do not see this notice; everything that works keeps serving them.</translation>
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
        <source>数据库检查</source>
        <translation>Database check</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>检查失败，详情见日志</source>
        <translation>The check failed; see the log</translation>
    </message>
    <message>
        <source>需要处理，见上方</source>
        <translation>Needs attention, see above</translation>
    </message>
    <message>
        <source>服务状态</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>暂停服务中</source>
        <translation>Out of service</translation>
    </message>
    <message>
        <source>正常服务</source>
        <translation>In service</translation>
    </message>
    <message>
        <source>设置者</source>
        <translation>Set by</translation>
    </message>
    <message>
        <source>开始于</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>告知群众</source>
        <translation>Citizens are told</translation>
    </message>
    <message>
        <source>群众看到“暂停服务”页面；本机照常同步和上报。离开维护页面后即显示。</source>
        <translation>Citizens see the &quot;Out of service&quot; page (once you leave this screen); the terminal still syncs and reports.</translation>
    </message>
    <message>
        <source>恢复服务</source>
        <translation>Back in service</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>Take out of service</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Updates</translation>
    </message>
    <message>
        <source>运行版本</source>
        <translation>Running version</translation>
    </message>
    <message>
        <source>上一版本</source>
        <translation>Previous version</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>已下载待切换</source>
        <translation>Staged</translation>
    </message>
    <message>
        <source>正在试运行</source>
        <translation>On trial</translation>
    </message>
    <message>
        <source>已放弃</source>
        <translation>Given up</translation>
    </message>
    <message>
        <source>最近检查</source>
        <translation>Last check</translation>
    </message>
    <message>
        <source>尚未检查</source>
        <translation>not checked yet</translation>
    </message>
    <message>
        <source>%1，未通过：%2</source>
        <translation>%1, refused: %2</translation>
    </message>
    <message>
        <source>%1，有新版本 %2（已验证）</source>
        <translation>%1, version %2 available (verified)</translation>
    </message>
    <message>
        <source>%1，已是最新</source>
        <translation>%1, up to date</translation>
    </message>
    <message>
        <source>更新地址</source>
        <translation>Update URL</translation>
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
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
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
        <source>设置（值与来源）</source>
        <translation>Settings (value and origin)</translation>
    </message>
    <message>
        <source>配置文件现在读不出来（%1）；下面是本机启动时的设置。</source>
        <translation>The settings file cannot be read now (%1); below are the settings the terminal started with.</translation>
    </message>
    <message>
        <source>来源优先级：默认值 &lt; 配置文件 &lt; 中心下发 &lt; 环境变量 &lt; 命令行。改动在重新启动后生效。</source>
        <translation>Precedence: default &lt; settings file &lt; center &lt; environment &lt; command line. Changes take effect at the next start.</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
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
    <name>Messages</name>
    <message>
        <source>已受理</source>
        <comment>case.accepted</comment>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>需补正</source>
        <comment>case.correction</comment>
        <translation>More needed</translation>
    </message>
    <message>
        <source>已办结</source>
        <comment>case.done</comment>
        <translation>Completed</translation>
    </message>
    <message>
        <source>待上传</source>
        <comment>case.pending_upload</comment>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <source>审核中</source>
        <comment>case.reviewing</comment>
        <translation>Under review</translation>
    </message>
    <message>
        <source>预约 {window}</source>
        <comment>counter.appointment</comment>
        <translation>booked {window}</translation>
    </message>
    <message>
        <source>请输入窗口号（数字）</source>
        <comment>counter.bad_counter</comment>
        <translation>Type the counter number (digits)</translation>
    </message>
    <message>
        <source>请输入号码，例如 A012</source>
        <comment>counter.bad_number</comment>
        <translation>Type a ticket number, e.g. A012</translation>
    </message>
    <message>
        <source>密码是 4 到 12 位数字</source>
        <comment>counter.bad_pin_format</comment>
        <translation>The PIN is 4 to 12 digits</translation>
    </message>
    <message>
        <source>请输入工号</source>
        <comment>counter.bad_staff</comment>
        <translation>Type your staff number</translation>
    </message>
    <message>
        <source>已叫 {number} 号</source>
        <comment>counter.called</comment>
        <translation>Called {number}</translation>
    </message>
    <message>
        <source>排队服务的地址或凭据配置有误，请联系运维人员</source>
        <comment>counter.config_wrong</comment>
        <translation>The queue service&apos;s address or credentials are wrong. Please ask the operators</translation>
    </message>
    <message>
        <source>{number} 号已办结</source>
        <comment>counter.finished</comment>
        <translation>{number} finished</translation>
    </message>
    <message>
        <source>{number} 号已走绿色通道（{reason}）</source>
        <comment>counter.green</comment>
        <translation>{number} now has priority ({reason})</translation>
    </message>
    <message>
        <source>高龄</source>
        <comment>counter.green.age</comment>
        <translation>age</translation>
    </message>
    <message>
        <source>残疾</source>
        <comment>counter.green.disability</comment>
        <translation>disability</translation>
    </message>
    <message>
        <source>孕妇</source>
        <comment>counter.green.pregnancy</comment>
        <translation>pregnancy</translation>
    </message>
    <message>
        <source>{text}</source>
        <comment>counter.hall_says</comment>
        <translation>{text}</translation>
    </message>
    <message>
        <source>{number} 号已挂起，补齐材料后按“恢复挂起”</source>
        <comment>counter.held</comment>
        <translation>{number} is on hold; once the papers are complete, press &quot;Resume held&quot;</translation>
    </message>
    <message>
        <source>与排队服务的连接已断开，操作没有执行。恢复连接后请再试</source>
        <comment>counter.link_down</comment>
        <translation>The link to the queue service is down: nothing was done. Try again once it is back</translation>
    </message>
    <message>
        <source>当前没有正在办理的号</source>
        <comment>counter.no_current</comment>
        <translation>No ticket is being served now</translation>
    </message>
    <message>
        <source>本大厅没有 {counter} 号窗口</source>
        <comment>counter.no_such_counter</comment>
        <translation>This hall has no counter {counter}</translation>
    </message>
    <message>
        <source>现在没有人在等候</source>
        <comment>counter.nobody_waits</comment>
        <translation>Nobody is waiting now</translation>
    </message>
    <message>
        <source>本机还没有登记到排队服务，不能叫号。请联系运维人员（kiosk hall enroll）</source>
        <comment>counter.not_enrolled</comment>
        <translation>This PC is not enrolled with the queue service and cannot call numbers. Please ask the operators (kiosk hall enroll)</translation>
    </message>
    <message>
        <source>本窗口没有挂起的号</source>
        <comment>counter.nothing_held</comment>
        <translation>This counter has no ticket on hold</translation>
    </message>
    <message>
        <source>{number} 号已过号；本人来了请按“过号归队”</source>
        <comment>counter.no_show</comment>
        <translation>{number} is a no-show; if the person comes, press &quot;Requeue&quot;</translation>
    </message>
    <message>
        <source>已暂停服务：恢复服务前本窗口不叫号</source>
        <comment>counter.paused</comment>
        <translation>Service paused: this counter calls nobody until service is resumed</translation>
    </message>
    <message>
        <source>{number} 号已重新排队，很快会被叫到</source>
        <comment>counter.put_back</comment>
        <translation>{number} is back in the queue and will be called soon</translation>
    </message>
    <message>
        <source>已重呼 {number} 号</source>
        <comment>counter.recalled</comment>
        <translation>Called {number} again</translation>
    </message>
    <message>
        <source>工号或密码不对，请重新输入</source>
        <comment>counter.refused.bad_pin</comment>
        <translation>Wrong staff number or PIN, please try again</translation>
    </message>
    <message>
        <source>正在办理一个号：请先办结、挂起、转移或过号</source>
        <comment>counter.refused.counter_busy</comment>
        <translation>A ticket is being served: finish, hold, transfer or miss it first</translation>
    </message>
    <message>
        <source>本窗口未开放：请重新登录</source>
        <comment>counter.refused.counter_closed</comment>
        <translation>This counter is not open: please sign in again</translation>
    </message>
    <message>
        <source>本窗口已暂停服务：请先恢复服务（F11）</source>
        <comment>counter.refused.counter_paused</comment>
        <translation>This counter is paused: resume service first (F11)</translation>
    </message>
    <message>
        <source>这个窗口已由别的工号登录：请其先退出</source>
        <comment>counter.refused.counter_taken</comment>
        <translation>Another staff number is signed in at this counter: they must sign out first</translation>
    </message>
    <message>
        <source>密码错误次数过多，这个工号已锁定 5 分钟，请稍后再试</source>
        <comment>counter.refused.pin_locked</comment>
        <translation>Too many wrong PINs: this staff number is locked for 5 minutes. Please try again later</translation>
    </message>
    <message>
        <source>不能转移到本窗口</source>
        <comment>counter.refused.same_counter</comment>
        <translation>A ticket cannot be transferred to this same counter</translation>
    </message>
    <message>
        <source>工号 {staff} 已在{counter}登录：请先在那里退出</source>
        <comment>counter.refused.staff_elsewhere</comment>
        <translation>Staff number {staff} is signed in at {counter}: sign out there first</translation>
    </message>
    <message>
        <source>工号 {staff} 已在另一个窗口登录：请先在那里退出</source>
        <comment>counter.refused.staff_elsewhere_somewhere</comment>
        <translation>Staff number {staff} is signed in at another counter: sign out there first</translation>
    </message>
    <message>
        <source>{number} 号不是过号，无需归队</source>
        <comment>counter.refused.ticket_not_no_show</comment>
        <translation>{number} is not a no-show: there is nothing to requeue</translation>
    </message>
    <message>
        <source>{number} 号不在等候中，不能叫</source>
        <comment>counter.refused.ticket_not_waiting</comment>
        <translation>{number} is not waiting, so it cannot be called</translation>
    </message>
    <message>
        <source>没有这个窗口</source>
        <comment>counter.refused.unknown_counter</comment>
        <translation>There is no such counter</translation>
    </message>
    <message>
        <source>没有这项业务</source>
        <comment>counter.refused.unknown_service</comment>
        <translation>There is no such service</translation>
    </message>
    <message>
        <source>今天没有 {number} 号</source>
        <comment>counter.refused.unknown_ticket</comment>
        <translation>There is no ticket {number} today</translation>
    </message>
    <message>
        <source>挂起的号不止一个：请选择要恢复的号</source>
        <comment>counter.refused.which_held</comment>
        <translation>More than one ticket is on hold: choose the one to resume</translation>
    </message>
    <message>
        <source>已恢复服务</source>
        <comment>counter.reopened</comment>
        <translation>Service resumed</translation>
    </message>
    <message>
        <source>已恢复办理 {number} 号</source>
        <comment>counter.resumed</comment>
        <translation>Serving {number} again</translation>
    </message>
    <message>
        <source>请先退出登录（F12），再关闭窗口</source>
        <comment>counter.sign_out_first</comment>
        <translation>Sign out first (F12), then close the window</translation>
    </message>
    <message>
        <source>工号 {staff} 已在{counter}登录</source>
        <comment>counter.signed_in</comment>
        <translation>Staff {staff} signed in at {counter}</translation>
    </message>
    <message>
        <source>已退出登录</source>
        <comment>counter.signed_out</comment>
        <translation>Signed out</translation>
    </message>
    <message>
        <source>上一个操作还在进行，请稍候</source>
        <comment>counter.still_busy</comment>
        <translation>The last action is still under way, please wait</translation>
    </message>
    <message>
        <source>本窗口已在另一台终端登录，或已从别处退出，请重新登录</source>
        <comment>counter.taken_elsewhere</comment>
        <translation>This counter was signed in on another PC, or signed out elsewhere. Please sign in again</translation>
    </message>
    <message>
        <source>{number} 号已转到{place}</source>
        <comment>counter.transferred</comment>
        <translation>{number} transferred to {place}</translation>
    </message>
    <message>
        <source>连不上排队服务，操作可能没有完成。恢复连接后请看当前的号再决定</source>
        <comment>counter.unavailable</comment>
        <translation>The queue service cannot be reached: the action may not have been done. Once the link is back, check the ticket being served before going on</translation>
    </message>
    <message>
        <source>{name}&#x3000;{number}</source>
        <comment>devices.card_read</comment>
        <translation>{name}  {number}</translation>
    </message>
    <message>
        <source>{name}&#x3000;{number}（{problem}）</source>
        <comment>devices.card_read_problem</comment>
        <translation>{name}  {number} ({problem})</translation>
    </message>
    <message>
        <source>本终端未配置 A4 打印机</source>
        <comment>devices.no_a4_printer</comment>
        <translation>This terminal has no A4 printer set up</translation>
    </message>
    <message>
        <source>设备没有应答，请检查电源和连线</source>
        <comment>devices.no_answer</comment>
        <translation>The device does not answer. Please check its power and cables.</translation>
    </message>
    <message>
        <source>本终端未配置凭条打印机</source>
        <comment>devices.no_ticket_printer</comment>
        <translation>This terminal has no ticket printer set up</translation>
    </message>
    <message>
        <source>凭条打印机地址未设置（ticket_target），请联系工作人员配置 {printer} 打印机</source>
        <comment>devices.no_ticket_target</comment>
        <translation>The ticket printer&apos;s address is not set (ticket_target). Please ask staff to set up the {printer} printer.</translation>
    </message>
    <message>
        <source>正在读卡…</source>
        <comment>devices.reading</comment>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <source>这张社保卡设置了密码，本机暂不能输入社保卡密码，请改用身份证或扫码核验身份</source>
        <comment>devices.sscard_pin</comment>
        <translation>This social security card has a PIN, which cannot be entered on this terminal. Please use your ID card or an ID code instead.</translation>
    </message>
    <message>
        <source>系统打印机需要图形界面支持，请在终端程序中使用</source>
        <comment>devices.system_printer_needs_ui</comment>
        <translation>The system printer needs the graphical terminal program. Please print from the terminal itself.</translation>
    </message>
    <message>
        <source>键盘模式扫码器无法自检；扫一次码即可确认</source>
        <comment>devices.wedge_unchecked</comment>
        <translation>A keyboard-mode scanner cannot check itself; scan any code once to confirm it works</translation>
    </message>
    <message>
        <source>请选择一项</source>
        <comment>form.choose</comment>
        <translation>Please choose one</translation>
    </message>
    <message>
        <source>请从列出的选项中选择</source>
        <comment>form.choose_listed</comment>
        <translation>Please choose from the options shown</translation>
    </message>
    <message>
        <source>请至少选择一项</source>
        <comment>form.choose_some</comment>
        <translation>Please choose at least one</translation>
    </message>
    <message>
        <source>请填写{label}，格式为 年-月-日</source>
        <comment>form.date_empty</comment>
        <translation>Please fill in {label} as year-month-day</translation>
    </message>
    <message>
        <source>日期格式应为 年-月-日，例如 2024-05-01</source>
        <comment>form.date_format</comment>
        <translation>Please write the date as year-month-day, e.g. 2024-05-01</translation>
    </message>
    <message>
        <source>日期不能晚于今天</source>
        <comment>form.date_future</comment>
        <translation>The date cannot be later than today</translation>
    </message>
    <message>
        <source>没有这一天，请核对日期</source>
        <comment>form.date_none</comment>
        <translation>There is no such day. Please check the date.</translation>
    </message>
    <message>
        <source>日期不能早于今天</source>
        <comment>form.date_past</comment>
        <translation>The date cannot be earlier than today</translation>
    </message>
    <message numerus="yes">
        <source>最多保留{n}位小数</source>
        <comment>form.decimals</comment>
        <translation>
            <numerusform>At most {n} decimal place</numerusform>
            <numerusform>At most {n} decimal places</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>请至少选择{n}项</source>
        <comment>form.fewest</comment>
        <translation>
            <numerusform>Please choose at least {n} option</numerusform>
            <numerusform>Please choose at least {n} options</numerusform>
        </translation>
    </message>
    <message>
        <source>请填写{label}</source>
        <comment>form.fill</comment>
        <translation>Please fill in {label}</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期不正确，请核对</source>
        <comment>form.id_birth</comment>
        <translation>The date of birth in this ID number is not right. Please check it.</translation>
    </message>
    <message>
        <source>身份证号码只能是数字，最后一位可以是X</source>
        <comment>form.id_chars</comment>
        <translation>An ID number has digits only; the last one may be X</translation>
    </message>
    <message>
        <source>身份证号码校验不正确，请核对</source>
        <comment>form.id_check</comment>
        <translation>This ID number does not add up (check digit). Please check it.</translation>
    </message>
    <message>
        <source>请填写身份证号码（18位）</source>
        <comment>form.id_empty</comment>
        <translation>Please fill in the ID number (18 characters)</translation>
    </message>
    <message numerus="yes">
        <source>身份证号码应为18位，现在是{n}位</source>
        <comment>form.id_length</comment>
        <translation>
            <numerusform>An ID number has 18 characters; this one has {n}</numerusform>
            <numerusform>An ID number has 18 characters; this one has {n}</numerusform>
        </translation>
    </message>
    <message>
        <source>请填写整数</source>
        <comment>form.integer</comment>
        <translation>Please enter a whole number</translation>
    </message>
    <message>
        <source>不能大于{limit}</source>
        <comment>form.max</comment>
        <translation>It cannot be more than {limit}</translation>
    </message>
    <message>
        <source>不能小于{limit}</source>
        <comment>form.min</comment>
        <translation>It cannot be less than {limit}</translation>
    </message>
    <message numerus="yes">
        <source>最多只能选择{n}项</source>
        <comment>form.most</comment>
        <translation>
            <numerusform>You can choose at most {n} option</numerusform>
            <numerusform>You can choose at most {n} options</numerusform>
        </translation>
    </message>
    <message>
        <source>请填写数字</source>
        <comment>form.number</comment>
        <translation>Please enter a number</translation>
    </message>
    <message>
        <source>{label}的格式不正确，请核对</source>
        <comment>form.pattern</comment>
        <translation>{label} is not in the right format. Please check it.</translation>
    </message>
    <message>
        <source>请填写手机号码（11位数字）</source>
        <comment>form.phone</comment>
        <translation>Please enter a mobile number (11 digits)</translation>
    </message>
    <message>
        <source>请填写手机号码（11位数字）或带区号的固定电话</source>
        <comment>form.phone_or_landline</comment>
        <translation>Please enter a mobile number (11 digits) or a landline number with its area code</translation>
    </message>
    <message>
        <source>请在签名框内签名</source>
        <comment>form.sign</comment>
        <translation>Please sign inside the box</translation>
    </message>
    <message>
        <source>签名没有保存成功，请重新签名</source>
        <comment>form.sign_again</comment>
        <translation>Your signature was not saved. Please sign again.</translation>
    </message>
    <message numerus="yes">
        <source>最多填写{n}个字，现在有{m}个字</source>
        <comment>form.too_long</comment>
        <translation>
            <numerusform>At most {n} character; you have {m}</numerusform>
            <numerusform>At most {n} characters; you have {m}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>请至少填写{n}个字</source>
        <comment>form.too_short</comment>
        <translation>
            <numerusform>Please write at least {n} character</numerusform>
            <numerusform>Please write at least {n} characters</numerusform>
        </translation>
    </message>
    <message>
        <source>填写表单前，请先读取您的身份证</source>
        <comment>forms.identify_purpose</comment>
        <translation>To fill in a form, we first need to read your ID card</translation>
    </message>
    <message>
        <source>表单暂时无法提交，请稍后再试，或到服务窗口办理</source>
        <comment>forms.not_submitted</comment>
        <translation>The form cannot be submitted right now. Please try again in a moment, or go to a service counter.</translation>
    </message>
    <message>
        <source>身份证认证失败，请重新放置身份证；仍不行请到人工窗口办理</source>
        <comment>idcard.auth_failed</comment>
        <translation>The ID card could not be verified. Please place it again; if that does not work, please go to a service counter.</translation>
    </message>
    <message>
        <source>身份证信息无法识别，请重新放置身份证；仍不行请到人工窗口办理</source>
        <comment>idcard.bad_card_data</comment>
        <translation>The ID card could not be read. Please place it again; if that does not work, please go to a service counter.</translation>
    </message>
    <message>
        <source>请不要移动身份证</source>
        <comment>idcard.dont_move</comment>
        <translation>Please do not move the ID card</translation>
    </message>
    <message>
        <source>读卡器驱动程序出错，请联系工作人员</source>
        <comment>idcard.library_fault</comment>
        <translation>The card reader&apos;s driver has failed. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>读卡器驱动程序未安装，请联系工作人员</source>
        <comment>idcard.library_missing</comment>
        <translation>The card reader&apos;s driver is not installed. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>读卡器通信出错，请稍后再试；仍不行请联系工作人员</source>
        <comment>idcard.link_fault</comment>
        <translation>The card reader did not communicate properly. Please try again shortly; if it still fails, please ask a member of staff.</translation>
    </message>
    <message>
        <source>读卡器没有响应，请检查读卡器的连接线和电源</source>
        <comment>idcard.no_answer</comment>
        <translation>The card reader does not answer. Please check its cable and power.</translation>
    </message>
    <message>
        <source>没有检测到身份证，请把身份证平放在读卡区</source>
        <comment>idcard.no_card</comment>
        <translation>No ID card found. Please lay your ID card flat on the card reader.</translation>
    </message>
    <message>
        <source>该读卡器不支持读取指纹信息，请联系工作人员</source>
        <comment>idcard.no_fingerprint</comment>
        <translation>This card reader cannot read fingerprints. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>身份证上没有这项信息</source>
        <comment>idcard.no_item</comment>
        <translation>The ID card does not hold this information</translation>
    </message>
    <message>
        <source>读卡器未连接，请检查读卡器的连接线和电源</source>
        <comment>idcard.not_connected</comment>
        <translation>The card reader is not connected. Please check its cable and power.</translation>
    </message>
    <message>
        <source>读卡器尚未连接</source>
        <comment>idcard.not_connected_yet</comment>
        <translation>The card reader is not connected yet</translation>
    </message>
    <message>
        <source>请放置身份证</source>
        <comment>idcard.place_card</comment>
        <translation>Please place your ID card</translation>
    </message>
    <message>
        <source>读卡失败，请不要移动身份证</source>
        <comment>idcard.read_failed</comment>
        <translation>The card could not be read. Please do not move the ID card.</translation>
    </message>
    <message>
        <source>读卡器故障，请联系工作人员</source>
        <comment>idcard.reader_fault</comment>
        <translation>The card reader is faulty. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>读卡器未授权，请联系工作人员</source>
        <comment>idcard.sam_unauthorised</comment>
        <translation>The card reader is not authorised. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>无法识别的卡片，请放置居民身份证或居住证</source>
        <comment>idcard.unknown_card</comment>
        <translation>This card is not recognised. Please place a resident ID card or a residence permit.</translation>
    </message>
    <message>
        <source>无法识别的证件，请放置居民身份证、居住证或外国人永久居留身份证</source>
        <comment>idcard.unknown_document</comment>
        <translation>This card is not recognised. Please place a resident ID card, a residence permit or a foreigner&apos;s permanent residence ID card.</translation>
    </message>
    <message>
        <source>出生日期与号码不符</source>
        <comment>identity.birth_date_mismatch</comment>
        <translation>the date of birth does not match the number</translation>
    </message>
    <message>
        <source>出生日期无效</source>
        <comment>identity.id_birth_date</comment>
        <translation>the date of birth is not valid</translation>
    </message>
    <message>
        <source>号码含有无效字符</source>
        <comment>identity.id_characters</comment>
        <translation>the number has characters that are not allowed</translation>
    </message>
    <message>
        <source>校验码不符</source>
        <comment>identity.id_check_digit</comment>
        <translation>the check digit does not match</translation>
    </message>
    <message>
        <source>号码长度不是18位</source>
        <comment>identity.id_length</comment>
        <translation>the number does not have 18 characters</translation>
    </message>
    <message>
        <source>身份码无效或已过期，请在手机上刷新身份码后重新扫描</source>
        <comment>identity_code.invalid</comment>
        <translation>This ID code is not valid or has expired. Please refresh it on your phone and scan it again.</translation>
    </message>
    <message>
        <source>扫码核验身份需要联网，现在网络不通，请改用身份证或社保卡</source>
        <comment>identity_code.offline</comment>
        <translation>The network is down right now, so ID codes cannot be checked. Please use your ID card or social security card.</translation>
    </message>
    <message>
        <source>扫码核验身份暂时用不了，请改用身份证或社保卡</source>
        <comment>identity_code.unavailable</comment>
        <translation>ID codes cannot be checked right now. Please use your ID card or social security card.</translation>
    </message>
    <message>
        <source>要打印的文件已损坏，无法打印，请返回重新生成后再试</source>
        <comment>printer.bad_document</comment>
        <translation>The file to print is damaged and cannot be printed. Please go back and try again.</translation>
    </message>
    <message>
        <source>网络打印机地址“{target}”不正确，应为 主机[:端口]</source>
        <comment>printer.bad_network_target</comment>
        <translation>The network printer address “{target}” is not right; it should be host[:port]</translation>
    </message>
    <message>
        <source>打印机返回的状态无法识别，请联系工作人员检查打印机</source>
        <comment>printer.bad_status</comment>
        <translation>The printer reported a status that is not understood. Please ask staff to check the printer.</translation>
    </message>
    <message>
        <source>USB 打印机“{target}”不正确，应为 厂商号:产品号（十六进制，如 0416:5011）</source>
        <comment>printer.bad_usb_target</comment>
        <translation>The USB printer “{target}” is not right; it should be vendor:product in hexadecimal, e.g. 0416:5011</translation>
    </message>
    <message>
        <source>打印机已关闭，请重新启动打印服务</source>
        <comment>printer.closed</comment>
        <translation>The printer has been closed. Please restart the printing service.</translation>
    </message>
    <message>
        <source>打印机盖未关好，请联系工作人员关好后重试</source>
        <comment>printer.cover_open</comment>
        <translation>The printer cover is open. Please ask a member of staff to close it, then try again.</translation>
    </message>
    <message>
        <source>打印机切纸刀故障，请联系工作人员处理</source>
        <comment>printer.cutter_error</comment>
        <translation>The printer&apos;s paper cutter is faulty. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>要打印的文件是空的，请返回重新生成后再试</source>
        <comment>printer.document_empty</comment>
        <translation>The file to print is empty. Please go back and try again.</translation>
    </message>
    <message>
        <source>找不到要打印的文件，请返回重新生成后再试</source>
        <comment>printer.document_missing</comment>
        <translation>The file to print cannot be found. Please go back and try again.</translation>
    </message>
    <message>
        <source>要打印的文件有密码保护，无法打印</source>
        <comment>printer.document_password</comment>
        <translation>The file to print is protected by a password and cannot be printed</translation>
    </message>
    <message>
        <source>打印所需的中文字体缺失，请联系工作人员</source>
        <comment>printer.no_font</comment>
        <translation>A Chinese font needed for printing is missing. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>凭条中有打印机字库没有的字，且终端缺少中文字体，无法打印，请联系工作人员</source>
        <comment>printer.no_font_for_character</comment>
        <translation>The ticket has a character the printer cannot print, and the terminal has no Chinese font. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>没有设置串口打印机的端口，应为 端口[:波特率]</source>
        <comment>printer.no_serial_port</comment>
        <translation>The serial printer&apos;s port is not set; it should be port[:baud rate]</translation>
    </message>
    <message>
        <source>找不到这个打印任务，可能已经打印完成</source>
        <comment>printer.no_such_job</comment>
        <translation>This print job cannot be found; it may already have been printed</translation>
    </message>
    <message>
        <source>没有设置小票打印机的地址</source>
        <comment>printer.no_target</comment>
        <translation>The ticket printer&apos;s address is not set</translation>
    </message>
    <message>
        <source>打印机未连接，请联系工作人员检查打印机电源和连线</source>
        <comment>printer.offline</comment>
        <translation>The printer is not connected. Please ask staff to check its power and cables.</translation>
    </message>
    <message>
        <source>打印纸即将用完，请联系工作人员及时补纸</source>
        <comment>printer.paper_low</comment>
        <translation>The printer is running out of paper. Please ask staff to refill it soon.</translation>
    </message>
    <message>
        <source>打印机缺纸，请联系工作人员补纸后重试</source>
        <comment>printer.paper_out</comment>
        <translation>The printer is out of paper. Please ask staff to refill it.</translation>
    </message>
    <message>
        <source>打印机暂停工作，请联系工作人员检查打印机</source>
        <comment>printer.paused</comment>
        <translation>The printer has stopped working. Please ask staff to check it.</translation>
    </message>
    <message>
        <source>打印机故障，请联系工作人员处理</source>
        <comment>printer.printer_error</comment>
        <translation>The printer is faulty. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>打印内容生成失败，请联系工作人员</source>
        <comment>printer.render_failed</comment>
        <translation>The printout could not be prepared. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>没有找到默认打印机，请联系工作人员检查打印机电源、连线和设置</source>
        <comment>printer.system_no_default</comment>
        <translation>No default printer was found. Please ask staff to check the printer&apos;s power, cables and settings.</translation>
    </message>
    <message>
        <source>找不到打印机“{name}”，请联系工作人员检查打印机电源、连线和设置</source>
        <comment>printer.system_not_installed</comment>
        <translation>The printer “{name}” cannot be found. Please ask staff to check the printer&apos;s power, cables and settings.</translation>
    </message>
    <message>
        <source>打印机暂时不能使用，请联系工作人员</source>
        <comment>printer.unavailable</comment>
        <translation>The printer cannot be used right now. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>不认识的打印机连接方式“{kind}”</source>
        <comment>printer.unknown_link</comment>
        <translation>Unknown printer connection “{kind}”</translation>
    </message>
    <message>
        <source>这种打印机连接方式在本终端上不可用，请联系工作人员</source>
        <comment>printer.unsupported</comment>
        <translation>This kind of printer connection cannot be used on this terminal. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>打印结果无法保存，请联系工作人员检查存储空间</source>
        <comment>printer.write_failed</comment>
        <translation>The printout could not be saved. Please ask staff to check the storage space.</translation>
    </message>
    <message>
        <source>查询办件进度，请先读取您的身份证</source>
        <comment>progress.identify_purpose</comment>
        <translation>To check your case progress, we first need to read your ID card</translation>
    </message>
    <message>
        <source>暂时连不上中心，以下只列出在本机提交、尚未上传的办件；联网后可查询全部进度</source>
        <comment>progress.offline</comment>
        <translation>The center cannot be reached right now. Below are only the applications made on this terminal that have not been uploaded yet; once the network is back, you can see all your cases.</translation>
    </message>
    <message>
        <source>自助申请</source>
        <comment>progress.untitled</comment>
        <translation>Self-service application</translation>
    </message>
    <message>
        <source>本大厅没有您预约的业务，请咨询工作人员</source>
        <comment>queue.appointment_service_gone</comment>
        <translation>This hall does not offer the service you booked. Please ask the staff</translation>
    </message>
    <message>
        <source>排队服务出了问题，请咨询工作人员</source>
        <comment>queue.bad_answer</comment>
        <translation>Something went wrong with the queue service. Please ask the staff</translation>
    </message>
    <message>
        <source>{service}需要实名取号，请放置身份证</source>
        <comment>queue.card_required</comment>
        <translation>{service} needs your ID card. Please place it on the reader</translation>
    </message>
    <message>
        <source>这张证件不能用于取号，请咨询工作人员</source>
        <comment>queue.card_unusable</comment>
        <translation>This card cannot be used to take a number. Please ask the staff</translation>
    </message>
    <message numerus="yes">
        <source>预约码至少 {n} 位，请对照预约短信核对</source>
        <comment>queue.code_short</comment>
        <translation>
            <numerusform>An appointment code has at least {n} digit. Please check it against your text message</numerusform>
            <numerusform>An appointment code has at least {n} digits. Please check it against your text message</numerusform>
        </translation>
    </message>
    <message>
        <source>、</source>
        <comment>queue.counter_separator</comment>
        <translation>, </translation>
    </message>
    <message numerus="yes">
        <source>每人每天最多取 {n} 个号，您今天已经取满；如有需要，请咨询工作人员</source>
        <comment>queue.daily_cap</comment>
        <translation>
            <numerusform>One person may take at most {n} number a day, and you have taken it. If you need more, please ask the staff</numerusform>
            <numerusform>One person may take at most {n} numbers a day, and you have taken them. If you need more, please ask the staff</numerusform>
        </translation>
    </message>
    <message>
        <source>您今天取号的次数已满；如有需要，请咨询工作人员</source>
        <comment>queue.daily_cap_plain</comment>
        <translation>You have taken as many numbers as one person may today. If you need more, please ask the staff</translation>
    </message>
    <message>
        <source>高龄</source>
        <comment>queue.green_age</comment>
        <translation>senior</translation>
    </message>
    <message>
        <source>残疾</source>
        <comment>queue.green_disability</comment>
        <translation>disability</translation>
    </message>
    <message>
        <source>孕妇</source>
        <comment>queue.green_pregnancy</comment>
        <translation>pregnancy</translation>
    </message>
    <message>
        <source>您已经取过{service}的号（{number}），请等候叫号，不用再取</source>
        <comment>queue.has_ticket</comment>
        <translation>You already have a number for {service} ({number}). Please wait to be called; there is no need to take another</translation>
    </message>
    <message>
        <source>您已经取过{service}的号，请等候叫号，不用再取</source>
        <comment>queue.has_ticket_plain</comment>
        <translation>You already have a number for {service}. Please wait to be called; there is no need to take another</translation>
    </message>
    <message>
        <source>用身份证预约签到，请先读取您的身份证</source>
        <comment>queue.identify_checkin</comment>
        <translation>To check in with your ID card, please have your card read first</translation>
    </message>
    <message>
        <source>{service}需要实名取号，请先读取您的身份证</source>
        <comment>queue.identify_take</comment>
        <translation>{service} needs your ID card. Please have your card read first</translation>
    </message>
    <message>
        <source>没有找到您今天的预约。您可以现场取号，或咨询工作人员</source>
        <comment>queue.no_appointment_card</comment>
        <translation>No appointment for you today was found. You can take a number here, or ask the staff</translation>
    </message>
    <message>
        <source>没有找到这个预约码，请对照预约短信核对后重新输入，或咨询工作人员</source>
        <comment>queue.no_appointment_code</comment>
        <translation>No appointment has this code. Please check it against your text message and enter it again, or ask the staff</translation>
    </message>
    <message>
        <source>本机没有号票打印机</source>
        <comment>queue.no_printer</comment>
        <translation>This terminal has no ticket printer</translation>
    </message>
    <message>
        <source>本机的排队取号暂时不能使用，请咨询工作人员</source>
        <comment>queue.not_set_up</comment>
        <translation>Taking numbers is not available on this terminal right now. Please ask the staff</translation>
    </message>
    <message numerus="yes">
        <source>前面还有 {n} 人等候</source>
        <comment>queue.print_ahead</comment>
        <translation>
            <numerusform>{n} person ahead of you</numerusform>
            <numerusform>{n} people ahead of you</numerusform>
        </translation>
    </message>
    <message>
        <source>预约签到：{window}</source>
        <comment>queue.print_appointment</comment>
        <translation>Appointment: {window}</translation>
    </message>
    <message>
        <source>办理窗口：{counters} 号窗口</source>
        <comment>queue.print_counters</comment>
        <translation>Counters: {counters}</translation>
    </message>
    <message>
        <source>请留意叫号</source>
        <comment>queue.print_footer</comment>
        <translation>Please listen for your number</translation>
    </message>
    <message>
        <source>前面没有人等候</source>
        <comment>queue.print_none_ahead</comment>
        <translation>Nobody ahead of you</translation>
    </message>
    <message>
        <source>优先办理：{reason}</source>
        <comment>queue.print_priority</comment>
        <translation>Priority: {reason}</translation>
    </message>
    <message>
        <source>手机扫描下方二维码，可查看排队进度，办完后可评价</source>
        <comment>queue.print_qr_hint</comment>
        <translation>Scan the code below with your phone to follow the queue, and to rate the service afterwards</translation>
    </message>
    <message>
        <source>业务：{service}</source>
        <comment>queue.print_service</comment>
        <translation>Service: {service}</translation>
    </message>
    <message>
        <source>取号时间：{time}</source>
        <comment>queue.print_taken_at</comment>
        <translation>Taken at: {time}</translation>
    </message>
    <message numerus="yes">
        <source>预计等候约 {n} 分钟</source>
        <comment>queue.print_wait</comment>
        <translation>
            <numerusform>About {n} minute&apos;s wait</numerusform>
            <numerusform>About {n} minutes&apos; wait</numerusform>
        </translation>
    </message>
    <message>
        <source>{message}</source>
        <comment>queue.refused</comment>
        <translation>The queue service could not do this. Please ask the staff</translation>
    </message>
    <message>
        <source>排队服务没有办成这件事，请咨询工作人员</source>
        <comment>queue.refused_plain</comment>
        <translation>The queue service could not do this. Please ask the staff</translation>
    </message>
    <message>
        <source>{service}现在不取号，取号时间为 {hours}</source>
        <comment>queue.service_closed</comment>
        <translation>{service} is not giving numbers now. Numbers are given {hours}</translation>
    </message>
    <message>
        <source>{service}现在不取号，请咨询工作人员</source>
        <comment>queue.service_closed_plain</comment>
        <translation>{service} is not giving numbers now. Please ask the staff</translation>
    </message>
    <message>
        <source>{service}今天的号已经取完，请明天再来，或咨询工作人员</source>
        <comment>queue.service_full</comment>
        <translation>All of today&apos;s numbers for {service} have been given. Please come back tomorrow, or ask the staff</translation>
    </message>
    <message numerus="yes">
        <source>您的号码是 {number}，前面还有 {n} 人。</source>
        <comment>queue.spoken_ahead</comment>
        <translation>
            <numerusform>Your number is {number}. {n} person is ahead of you.</numerusform>
            <numerusform>Your number is {number}. {n} people are ahead of you.</numerusform>
        </translation>
    </message>
    <message>
        <source>您的号码是 {number}，前面没有人等候，请留意叫号。</source>
        <comment>queue.spoken_none</comment>
        <translation>Your number is {number}. Nobody is ahead of you; please listen for your number.</translation>
    </message>
    <message>
        <source>号票没有打印出来，请拍下或记住屏幕上的号码。</source>
        <comment>queue.spoken_not_printed</comment>
        <translation> The ticket did not print: please take a photo of the screen, or remember your number.</translation>
    </message>
    <message>
        <source>暂时连不上排队服务，号还没有取到，请点“再试一次”，或咨询工作人员。再试不会多取一个号。</source>
        <comment>queue.take_lost</comment>
        <translation>The queue service did not answer, so you have no number yet. Tap “Try again”, or ask the staff. Trying again never gives you a second number.</translation>
    </message>
    <message>
        <source>您预约的时间是 {window}，还没到签到时间，请在 {opens} 以后再来签到</source>
        <comment>queue.too_early</comment>
        <translation>Your appointment is at {window}. It is too early to check in: please check in after {opens}</translation>
    </message>
    <message>
        <source>还没到您预约的签到时间，请稍后再来签到</source>
        <comment>queue.too_early_plain</comment>
        <translation>It is too early to check in for your appointment. Please come back later</translation>
    </message>
    <message>
        <source>您预约的时间 {window} 已经过了，请现场取号，或重新预约</source>
        <comment>queue.too_late</comment>
        <translation>Your appointment time {window} has passed. Please take a number here, or book again</translation>
    </message>
    <message>
        <source>您的预约是 {day} 的，已经过期，请现场取号，或重新预约</source>
        <comment>queue.too_late_day</comment>
        <translation>Your appointment was on {day} and has expired. Please take a number here, or book again</translation>
    </message>
    <message>
        <source>您预约的时间已经过了，请现场取号，或重新预约</source>
        <comment>queue.too_late_plain</comment>
        <translation>Your appointment time has passed. Please take a number here, or book again</translation>
    </message>
    <message>
        <source>大厅已不办理这项业务，请选择其他业务，或咨询工作人员</source>
        <comment>queue.unknown_service</comment>
        <translation>The hall no longer offers this service. Please choose another, or ask the staff</translation>
    </message>
    <message>
        <source>暂时连不上排队服务，请咨询工作人员。本机的其他功能（查办事指南、填表等）仍可正常使用。</source>
        <comment>queue.unreachable</comment>
        <translation>The queue service cannot be reached right now. Please ask the staff. Everything else on this terminal (service guides, forms and more) still works.</translation>
    </message>
    <message>
        <source>您的预约是 {day} 的，请在预约当天来签到</source>
        <comment>queue.wrong_day</comment>
        <translation>Your appointment is on {day}. Please check in on that day</translation>
    </message>
    <message>
        <source>您的预约不是今天的，请在预约当天来签到</source>
        <comment>queue.wrong_day_plain</comment>
        <translation>Your appointment is not today. Please check in on the day of your appointment</translation>
    </message>
    <message>
        <source>您已经评价过这件事，感谢您的反馈；如需补充意见，请到服务窗口</source>
        <comment>rating.already_rated</comment>
        <translation>This has already been rated. Thank you for your feedback; to add anything, please go to a service counter.</translation>
    </message>
    <message>
        <source>请选择满意程度</source>
        <comment>rating.choose_level</comment>
        <translation>Please choose how satisfied you are</translation>
    </message>
    <message numerus="yes">
        <source>意见最多填写{n}个字，现在有{m}个字</source>
        <comment>rating.comment_too_long</comment>
        <translation>
            <numerusform>Comments can have at most {n} character; yours has {m}</numerusform>
            <numerusform>Comments can have at most {n} characters; yours has {m}</numerusform>
        </translation>
    </message>
    <message>
        <source>服务态度</source>
        <comment>rating.indicator.attitude</comment>
        <translation>Attitude</translation>
    </message>
    <message>
        <source>办事效率</source>
        <comment>rating.indicator.efficiency</comment>
        <translation>Efficiency</translation>
    </message>
    <message>
        <source>总体满意度</source>
        <comment>rating.indicator.overall</comment>
        <translation>Overall</translation>
    </message>
    <message>
        <source>服务水平</source>
        <comment>rating.indicator.service_level</comment>
        <translation>Service quality</translation>
    </message>
    <message>
        <source>没有找到要评价的事项，请重新扫码或到服务窗口评价</source>
        <comment>rating.no_subject</comment>
        <translation>We could not find what to rate. Please scan again or rate at a service counter.</translation>
    </message>
    <message>
        <source>暂时无法保存您的评价，请稍后再试，或到服务窗口评价</source>
        <comment>rating.not_saved</comment>
        <translation>Your rating cannot be saved right now. Please try again in a moment, or rate us at a service counter.</translation>
    </message>
    <message>
        <source>选择了“其他”，请写下具体原因</source>
        <comment>rating.other_comment</comment>
        <translation>You chose “Other”: please write what went wrong</translation>
    </message>
    <message>
        <source>请至少选择一项不满意的原因</source>
        <comment>rating.reason_needed</comment>
        <translation>Please choose at least one thing that went wrong</translation>
    </message>
    <message>
        <source>只有选择“不满意”或“非常不满意”时才需要选择原因</source>
        <comment>rating.reason_not_bad</comment>
        <translation>Reasons are only needed with “Dissatisfied” or “Very dissatisfied”</translation>
    </message>
    <message>
        <source>同一个原因只能选择一次</source>
        <comment>rating.reason_twice</comment>
        <translation>Each reason can be chosen only once</translation>
    </message>
    <message>
        <source>请从列出的原因中选择</source>
        <comment>rating.reasons_listed</comment>
        <translation>Please choose from the reasons listed</translation>
    </message>
    <message>
        <source>回执编号中有一位输错了，或有两位前后颠倒了，请对照回执逐位核对</source>
        <comment>rating.receipt_checksum</comment>
        <translation>One digit is wrong, or two digits are swapped. Please check the number digit by digit against your receipt.</translation>
    </message>
    <message>
        <source>回执编号中间6位是办理日期（年年月月日日），这几位不对，请核对</source>
        <comment>rating.receipt_date</comment>
        <translation>The middle 6 digits are the date (YYMMDD) and they are not a valid date. Please check them.</translation>
    </message>
    <message>
        <source>请用下面的数字键输入回执上的回执编号</source>
        <comment>rating.receipt_empty</comment>
        <translation>Please key in the receipt number from your receipt on the digit keys below.</translation>
    </message>
    <message>
        <source>回执编号只有数字，请对照回执核对后重新输入</source>
        <comment>rating.receipt_format</comment>
        <translation>A receipt number has digits only. Please check it against your receipt and enter it again.</translation>
    </message>
    <message numerus="yes">
        <source>回执编号共17位数字，现在是{n}位，请对照回执核对</source>
        <comment>rating.receipt_length</comment>
        <translation>
            <numerusform>A receipt number has 17 digits; you have entered {n}. Please check it against your receipt.</numerusform>
            <numerusform>A receipt number has 17 digits; you have entered {n}. Please check it against your receipt.</numerusform>
        </translation>
    </message>
    <message>
        <source>二维码中的回执编号无法识别，请重新扫描，或到服务窗口评价</source>
        <comment>rating.scan_bad_receipt</comment>
        <translation>The receipt number in this QR code cannot be read. Please scan again, or rate at a service counter.</translation>
    </message>
    <message>
        <source>取号凭条上的二维码无法识别，请重新扫描，或到服务窗口评价</source>
        <comment>rating.scan_bad_ticket</comment>
        <translation>The QR code on the queue ticket cannot be read. Please scan again, or rate at a service counter.</translation>
    </message>
    <message>
        <source>这不是评价二维码，请扫描回执或取号凭条上的二维码</source>
        <comment>rating.scan_not_rating</comment>
        <translation>This is not a rating QR code. Please scan the QR code on your receipt or queue ticket.</translation>
    </message>
    <message>
        <source>请为“{indicator}”选择1到5分</source>
        <comment>rating.score_indicator</comment>
        <translation>Please give “{indicator}” a score from 1 to 5</translation>
    </message>
    <message>
        <source>回执编号 {receipt}</source>
        <comment>rating.subject_case</comment>
        <translation>Receipt number {receipt}</translation>
    </message>
    <message>
        <source>取号 {ticket}</source>
        <comment>rating.subject_ticket</comment>
        <translation>Queue ticket {ticket}</translation>
    </message>
    <message>
        <source>本次服务</source>
        <comment>rating.subject_visit</comment>
        <translation>This visit</translation>
    </message>
    <message>
        <source>感谢您的评价</source>
        <comment>rating.thanks</comment>
        <translation>Thank you for your rating</translation>
    </message>
    <message>
        <source>感谢您的评价，我们会尽快核实并回复您</source>
        <comment>rating.thanks_bad</comment>
        <translation>Thank you for your rating. We will look into it and get back to you soon.</translation>
    </message>
    <message>
        <source>本机暂时不能评价本次服务，请到服务窗口评价</source>
        <comment>rating.visit_unavailable</comment>
        <translation>This visit cannot be rated on this terminal right now. Please rate it at a service counter.</translation>
    </message>
    <message>
        <source>这个号已经评价过了，感谢您的反馈</source>
        <comment>rating_pad.already_rated</comment>
        <translation>This number has been rated already. Thank you for your feedback.</translation>
    </message>
    <message>
        <source>您的评价已保存在本机，网络恢复后会自动提交</source>
        <comment>rating_pad.kept</comment>
        <translation>Your rating is kept on this pad and will be sent when the network is back.</translation>
    </message>
    <message>
        <source>扫码器设置有误，请联系工作人员</source>
        <comment>scanner.bad_settings</comment>
        <translation>The scanner is set up wrongly. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>扫码器故障，请联系工作人员</source>
        <comment>scanner.fault</comment>
        <translation>The scanner is faulty. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>扫码器尚未连接</source>
        <comment>scanner.not_connected_yet</comment>
        <translation>The scanner is not connected yet</translation>
    </message>
    <message>
        <source>扫码器未连接，请联系工作人员</source>
        <comment>scanner.port_missing</comment>
        <translation>The scanner is not connected. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>没有扫到内容，请重新扫码</source>
        <comment>scanner.scan_empty</comment>
        <translation>Nothing was scanned. Please scan again.</translation>
    </message>
    <message>
        <source>扫码内容无法识别，请重新扫码</source>
        <comment>scanner.scan_unreadable</comment>
        <translation>The code cannot be read. Please scan again.</translation>
    </message>
    <message>
        <source>社保卡数据无法识别，请到社保窗口检查卡片</source>
        <comment>sscard.card_data</comment>
        <translation>The card&apos;s data cannot be read. Please have the card checked at a social security counter.</translation>
    </message>
    <message>
        <source>社保卡读取失败，请重新插卡再试</source>
        <comment>sscard.card_error</comment>
        <translation>The social security card could not be read. Please insert it again and retry.</translation>
    </message>
    <message>
        <source>读卡时社保卡被拔出，请重新插入社保卡后再试</source>
        <comment>sscard.card_removed</comment>
        <translation>The card was taken out while it was being read. Please insert your social security card again.</translation>
    </message>
    <message>
        <source>没有检测到社保卡，请把社保卡芯片朝上插入读卡器</source>
        <comment>sscard.no_card</comment>
        <translation>No social security card found. Please insert it into the reader, chip end first and facing up.</translation>
    </message>
    <message>
        <source>社保卡读卡器未连接，请联系工作人员</source>
        <comment>sscard.no_reader</comment>
        <translation>The social security card reader is not connected. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>这张卡读不出社保信息，请确认插入的是社会保障卡</source>
        <comment>sscard.not_sscard</comment>
        <translation>This card holds no social security data. Please check that it is your social security card.</translation>
    </message>
    <message>
        <source>社保卡密码已锁定，请到社保窗口办理解锁</source>
        <comment>sscard.pin_blocked</comment>
        <translation>The card&apos;s PIN is locked. Please go to a social security counter to unlock it.</translation>
    </message>
    <message>
        <source>密码格式不对，请输入6位数字密码</source>
        <comment>sscard.pin_format</comment>
        <translation>The PIN must be 6 digits</translation>
    </message>
    <message>
        <source>请输入社保卡密码</source>
        <comment>sscard.pin_required</comment>
        <translation>Please enter your social security card PIN</translation>
    </message>
    <message numerus="yes">
        <source>密码错误，还可以输入{n}次</source>
        <comment>sscard.pin_wrong</comment>
        <translation>
            <numerusform>Wrong PIN. You have {n} try left.</numerusform>
            <numerusform>Wrong PIN. You have {n} tries left.</numerusform>
        </translation>
    </message>
    <message>
        <source>社保卡读卡器出错，请联系工作人员</source>
        <comment>sscard.reader_fault</comment>
        <translation>The social security card reader has a fault. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>本机今天受理的表单已达上限，请到服务窗口办理</source>
        <comment>submission.day_full</comment>
        <translation>This terminal has taken in as many forms as it can today. Please go to a service counter.</translation>
    </message>
    <message>
        <source>中心返回的数据有误，已跳过，稍后重试</source>
        <comment>sync.center_bad_answer</comment>
        <translation>The center sent data that does not make sense; it was skipped and will be tried again later</translation>
    </message>
    <message>
        <source>同步位置失效，将从头同步</source>
        <comment>sync.center_bad_cursor</comment>
        <translation>The sync position is no longer valid; syncing starts again from the beginning</translation>
    </message>
    <message>
        <source>中心地址或凭据配置有误</source>
        <comment>sync.center_config</comment>
        <translation>The center&apos;s address or this terminal&apos;s credentials are set up wrongly</translation>
    </message>
    <message>
        <source>中心响应超时，记录已保存在本机，稍后自动重试</source>
        <comment>sync.center_deadline</comment>
        <translation>The center took too long to answer; records are kept on this terminal and will be sent again automatically</translation>
    </message>
    <message>
        <source>与中心通信出错</source>
        <comment>sync.center_error</comment>
        <translation>Talking to the center went wrong</translation>
    </message>
    <message>
        <source>中心的指令密钥与登记时不同，中心的指令和设置未执行，请重新登记终端</source>
        <comment>sync.center_key_refused</comment>
        <translation>The center&apos;s command key is not the one pinned at enrolment; its commands and settings were not carried out. Enrol the terminal again</translation>
    </message>
    <message>
        <source>中心拒绝了请求</source>
        <comment>sync.center_refused</comment>
        <translation>The center refused the request</translation>
    </message>
    <message>
        <source>中心推送的设置未通过校验，未应用</source>
        <comment>sync.center_settings_refused</comment>
        <translation>The settings the center pushed did not pass the check and were not applied</translation>
    </message>
    <message>
        <source>中心拒绝了本终端的凭据，请重新登记终端（kiosk enroll）</source>
        <comment>sync.center_unauthorized</comment>
        <translation>The center refused this terminal&apos;s credentials; please enrol the terminal again (kiosk enroll)</translation>
    </message>
    <message>
        <source>暂时连不上中心，记录已保存在本机，联网后自动上传</source>
        <comment>sync.center_unavailable</comment>
        <translation>The center cannot be reached right now; records are kept on this terminal and uploaded once the network is back</translation>
    </message>
    <message>
        <source>中心的同步位置没有前进</source>
        <comment>sync.cursor_stuck</comment>
        <translation>The center&apos;s sync position did not move on</translation>
    </message>
    <message>
        <source>同步出错，稍后重试</source>
        <comment>sync.cycle_failed</comment>
        <translation>Syncing went wrong; it will be tried again later</translation>
    </message>
    <message>
        <source>中心发布的事项 {code} 有误，本机暂不提供该事项</source>
        <comment>sync.item_dropped</comment>
        <translation>The service {code} published by the center has errors; this terminal does not offer it for now</translation>
    </message>
    <message>
        <source>中心发布的事项 {code} 有误，已保留本机原有版本</source>
        <comment>sync.item_kept</comment>
        <translation>The service {code} published by the center has errors; this terminal keeps its earlier version</translation>
    </message>
    <message>
        <source>本机目录已达 {most} 项的上限，中心发布的事项 {code} 未缓存</source>
        <comment>sync.item_no_room</comment>
        <translation>This terminal&apos;s catalog has reached its limit of {most} services; the service {code} from the center was not cached</translation>
    </message>
    <message numerus="yes">
        <source>另有 {n} 个中心发布的事项有误，未缓存，详见日志</source>
        <comment>sync.items_refused_more</comment>
        <translation>
            <numerusform>{n} more service published by the center has errors and was not cached; see the log</numerusform>
            <numerusform>{n} more services published by the center have errors and were not cached; see the log</numerusform>
        </translation>
    </message>
    <message>
        <source>中心发来的数据有误，本次未应用，稍后重试</source>
        <comment>sync.not_applied</comment>
        <translation>The center sent data with errors; it was not applied this time and will be tried again later</translation>
    </message>
    <message>
        <source>本终端尚未登记，请先运行 kiosk enroll</source>
        <comment>sync.not_enrolled</comment>
        <translation>This terminal is not enrolled yet; please run kiosk enroll first</translation>
    </message>
    <message>
        <source>本机保存同步数据失败，稍后重试</source>
        <comment>sync.not_stored</comment>
        <translation>This terminal could not save the synced data; it will be tried again later</translation>
    </message>
    <message>
        <source>中心发布的表单模板 {key} 有误，本机暂不提供该表单</source>
        <comment>sync.template_dropped</comment>
        <translation>The form template {key} published by the center has errors; this terminal does not offer that form for now</translation>
    </message>
    <message>
        <source>中心发布的表单模板 {key} 有误，已保留本机原有版本</source>
        <comment>sync.template_kept</comment>
        <translation>The form template {key} published by the center has errors; this terminal keeps its earlier version</translation>
    </message>
    <message>
        <source>同步页数过多，下次继续</source>
        <comment>sync.too_many_pages</comment>
        <translation>Too many pages to sync at once; syncing goes on next time</translation>
    </message>
</context>
<context>
    <name>NarrowScreen</name>
    <message>
        <source>选择部门</source>
        <translation>Choose a department</translation>
    </message>
    <message>
        <source>选择分类</source>
        <translation>Choose a category</translation>
    </message>
    <message numerus="yes">
        <source>这 %n 个事项由下面这些部门办理。请点击一个部门，只看它的事项。</source>
        <translation>
            <numerusform>This item is handled by the department below. Tap it to see only its items.</numerusform>
            <numerusform>These %n items are handled by the departments below. Tap one to see only its items.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>这 %n 个事项分属下面这些分类。请点击一个分类，只看它的事项。</source>
        <translation>
            <numerusform>This item belongs to the category below. Tap it to see only its items.</numerusform>
            <numerusform>These %n items belong to the categories below. Tap one to see only its items.</numerusform>
        </translation>
    </message>
    <message>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>全部分类</source>
        <translation>All categories</translation>
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
    <name>NotEnrolled</name>
    <message>
        <source>本叫号屏还没有接入大厅的排队叫号系统</source>
        <translation>This display is not connected to the hall&apos;s queue system yet</translation>
    </message>
    <message>
        <source>请运维人员按以下步骤接入，接入后重新启动本机程序：</source>
        <translation>Operations staff: connect it as follows, then restart the program on this machine:</translation>
    </message>
    <message>
        <source>1. 在排队叫号服务器上为本机开通终端（记下 terminal_id 和密钥）：</source>
        <translation>1. On the queue server, add a terminal for this display (note its terminal_id and secret):</translation>
    </message>
    <message>
        <source>叫号屏</source>
        <translation>calling display</translation>
    </message>
    <message>
        <source>2. 在本机保存服务器地址和密钥：</source>
        <translation>2. On this machine, store the server&apos;s address and the secret:</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>server address</translation>
    </message>
    <message>
        <source>3. 重新启动本机程序。</source>
        <translation>3. Restart the program on this machine.</translation>
    </message>
    <message>
        <source>详见 docs/display.md。</source>
        <translation>See docs/display.md.</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <source>重要通知：%1</source>
        <translation>Important: %1</translation>
    </message>
    <message>
        <source>通知：%1</source>
        <translation>Notice: %1</translation>
    </message>
    <message>
        <source>查看全文</source>
        <translation>Read all</translation>
    </message>
    <message numerus="yes">
        <source>还有 %n 条通知，点击查看</source>
        <translation>
            <numerusform>%n more notice: tap to read</numerusform>
            <numerusform>%n more notices: tap to read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>共 %n 条 · 查看</source>
        <translation>
            <numerusform>%n notice · Read</numerusform>
            <numerusform>%n notices · Read</numerusform>
        </translation>
    </message>
    <message>
        <source>查看</source>
        <translation>Read</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>重要通知</source>
        <translation>Important</translation>
    </message>
    <message>
        <source>通知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>请留意屏幕和语音叫号。过号的，请到服务台咨询。</source>
        <translation>Please watch this screen and listen for your number. If your number has passed, please ask at the service desk.</translation>
    </message>
</context>
<context>
    <name>NoticeSheet</name>
    <message>
        <source>通知公告</source>
        <translation>Notices</translation>
    </message>
    <message>
        <source>通知</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>重要通知</source>
        <translation>Important</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>NumberDialog</name>
    <message>
        <source>残疾</source>
        <translation>disability</translation>
    </message>
    <message>
        <source>孕妇</source>
        <translation>pregnancy</translation>
    </message>
    <message>
        <source>高龄</source>
        <translation>age</translation>
    </message>
    <message>
        <source>呼叫指定号</source>
        <translation>Call a number</translation>
    </message>
    <message>
        <source>过号归队</source>
        <translation>Requeue a no-show</translation>
    </message>
    <message>
        <source>绿色通道</source>
        <translation>Priority (绿色通道)</translation>
    </message>
    <message>
        <source>恢复挂起的号</source>
        <translation>Resume a held ticket</translation>
    </message>
    <message>
        <source>呼叫（Enter）</source>
        <translation>Call (Enter)</translation>
    </message>
    <message>
        <source>归队（Enter）</source>
        <translation>Requeue (Enter)</translation>
    </message>
    <message>
        <source>标记绿色通道（Enter）</source>
        <translation>Give priority (Enter)</translation>
    </message>
    <message>
        <source>恢复办理（Enter）</source>
        <translation>Resume (Enter)</translation>
    </message>
    <message>
        <source>输入或选择号码，再选原因（1 残疾、2 孕妇、3 高龄），按 Enter。</source>
        <translation>Type or choose the number, press Enter, choose the reason (1 disability, 2 pregnancy, 3 age) and press Enter.</translation>
    </message>
    <message>
        <source>输入号码（如 A012，输入 a12 也可），或用 ↑↓ 在下面选择，按 Enter。</source>
        <translation>Type the number (A012, or just a12), or choose it below with ↑↓, and press Enter.</translation>
    </message>
    <message>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>本窗口最近的过号</source>
        <translation>Latest no-shows here</translation>
    </message>
    <message>
        <source>本窗口挂起的号</source>
        <translation>On hold here</translation>
    </message>
    <message>
        <source>等候（按叫号顺序）</source>
        <translation>Waiting, in calling order</translation>
    </message>
    <message>
        <source>本窗口今天没有过号；更早的号请直接输入</source>
        <translation>No no-shows here today; type an older number</translation>
    </message>
    <message>
        <source>没有挂起的号</source>
        <translation>No ticket on hold</translation>
    </message>
    <message>
        <source>现在没有人在等候</source>
        <translation>Nobody is waiting now</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>OutOfServicePage</name>
    <message>
        <source>暂停服务</source>
        <translation>Out of service</translation>
    </message>
    <message>
        <source>本机暂停服务，给您带来不便，敬请谅解。</source>
        <translation>This terminal is out of service. We apologise for the inconvenience.</translation>
    </message>
    <message>
        <source>您可以到这里办理：</source>
        <translation>You can go here instead:</translation>
    </message>
    <message>
        <source>如需帮助，请咨询工作人员或拨打 12345 政务服务便民热线。</source>
        <translation>For help, ask the staff or call the 12345 government service hotline.</translation>
    </message>
    <message>
        <source>终端编号 %1</source>
        <translation>Terminal %1</translation>
    </message>
</context>
<context>
    <name>OutOfServiceWindow</name>
    <message>
        <source>暂停服务</source>
        <translation>Out of service</translation>
    </message>
    <message>
        <source>正在恢复服务，请稍候…</source>
        <translation>Coming back into service, please wait…</translation>
    </message>
</context>
<context>
    <name>PadCountdown</name>
    <message>
        <source>还剩 %1 秒</source>
        <translation>%1 seconds left</translation>
    </message>
    <message>
        <source>轻触屏幕任意处，可以继续评价</source>
        <translation>Touch the screen anywhere to keep rating</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
</context>
<context>
    <name>PadCounter</name>
    <message>
        <source>正在为 %1 号办理</source>
        <translation>Now serving number %1</translation>
    </message>
    <message>
        <source>工号 %1</source>
        <translation>Staff no. %1</translation>
    </message>
    <message>
        <source>本窗口暂停服务</source>
        <translation>This counter is closed</translation>
    </message>
    <message>
        <source>请留意叫号屏，或到其他窗口办理</source>
        <translation>Please watch the calling screen, or go to another counter</translation>
    </message>
    <message>
        <source>暂停服务，请稍候</source>
        <translation>Service paused, please wait</translation>
    </message>
    <message>
        <source>您好，欢迎办理</source>
        <translation>Hello, welcome</translation>
    </message>
    <message>
        <source>办完后，请在这里为本次服务评价</source>
        <translation>When you are done, please rate the service here</translation>
    </message>
    <message numerus="yes">
        <source>%n 条评价待提交</source>
        <translation>
            <numerusform>%n rating waiting to be sent</numerusform>
            <numerusform>%n ratings waiting to be sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PadEnd</name>
    <message>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>本次没有评价</source>
        <translation>No rating this time</translation>
    </message>
    <message>
        <source>离开后，您仍可以用手机扫描取号凭条上的二维码，为本次服务评价。</source>
        <translation>After you leave, you can still rate this service: scan the QR code on your queue ticket with your phone.</translation>
    </message>
    <message numerus="yes">
        <source>%n 秒后返回</source>
        <translation>
            <numerusform>Back in %n second</numerusform>
            <numerusform>Back in %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PadHeader</name>
    <message>
        <source>%1号窗口</source>
        <translation>Counter %1</translation>
    </message>
    <message>
        <source>服务评价</source>
        <translation>Service rating</translation>
    </message>
    <message>
        <source>长辈模式</source>
        <translation>Elder mode</translation>
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
    <name>PadPhoto</name>
    <message>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
</context>
<context>
    <name>PadProblem</name>
    <message>
        <source>评价器暂时不能使用</source>
        <translation>The rating pad cannot be used yet</translation>
    </message>
    <message>
        <source>您可以扫描取号凭条上的二维码，用手机评价本次服务。</source>
        <translation>You can rate this service with your phone: scan the QR code on your queue ticket.</translation>
    </message>
</context>
<context>
    <name>PadRate</name>
    <message>
        <source>请您为本次服务评价</source>
        <translation>Please rate this service</translation>
    </message>
    <message>
        <source>%1 号 · 工作人员 %2（工号 %3）</source>
        <translation>No. %1 · served by %2 (staff no. %3)</translation>
    </message>
    <message>
        <source>%1 号</source>
        <translation>No. %1</translation>
    </message>
    <message>
        <source>%1 号 · %2</source>
        <translation>No. %1 · %2</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>正在提交您的评价…</source>
        <translation>Sending your rating…</translation>
    </message>
    <message>
        <source>也可以离开后扫描取号凭条上的二维码，用手机评价</source>
        <translation>Or rate later with your phone: scan the QR code on your queue ticket</translation>
    </message>
</context>
<context>
    <name>PadReasons</name>
    <message>
        <source>您选择了：%1</source>
        <translation>You chose: %1</translation>
    </message>
    <message>
        <source>重新选择</source>
        <translation>Choose again</translation>
    </message>
    <message>
        <source>请选择不满意的原因（可多选）</source>
        <translation>What went wrong? (choose one or more)</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Send rating</translation>
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
    <name>ProgressCaseCard</name>
    <message>
        <source>回执编号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>提交时间</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>办理部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>最近更新</source>
        <translation>Last updated</translation>
    </message>
    <message>
        <source>本机已收到您的申请，网络恢复后会自动上传，不需要重新办理。</source>
        <translation>This terminal has your application and will upload it automatically when the network is back. You do not need to apply again.</translation>
    </message>
    <message>
        <source>需要您补正：</source>
        <translation>More documents needed:</translation>
    </message>
    <message>
        <source>办理过程</source>
        <translation>Steps so far</translation>
    </message>
</context>
<context>
    <name>ProgressScreen</name>
    <message>
        <source>办件进度</source>
        <translation>Case progress</translation>
    </message>
    <message>
        <source>证件号码 %1</source>
        <translation>ID number %1</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>共查到 %1 件办件，最近办理的在最前面。</source>
        <translation>Cases found: %1. The most recent comes first.</translation>
    </message>
    <message>
        <source>暂时只能显示本机的记录</source>
        <translation>Only this terminal&apos;s records for now</translation>
    </message>
    <message>
        <source>本机没有您尚未上传的办件。</source>
        <translation>This terminal has no cases of yours waiting to upload.</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Looking it up…</translation>
    </message>
    <message>
        <source>正在查询您的办件进度，请稍候。</source>
        <translation>Looking up your case progress, please wait.</translation>
    </message>
    <message>
        <source>暂时查不到办件进度</source>
        <translation>Case progress cannot be looked up right now</translation>
    </message>
    <message>
        <source>没有查到您的办件</source>
        <translation>No cases found</translation>
    </message>
    <message>
        <source>请稍后再试，或到服务窗口查询。</source>
        <translation>Please try again in a moment, or ask at a service counter.</translation>
    </message>
    <message>
        <source>在本机或服务窗口提交的申请，受理后会显示在这里。如有疑问，请咨询工作人员。</source>
        <translation>Applications made on this terminal or at a service counter show up here once they are received. If you have any questions, please ask a member of staff.</translation>
    </message>
    <message>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
</context>
<context>
    <name>QueueCheckinScreen</name>
    <message>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <source>已在网上或电话预约的，请在这里签到。签到后在预约时段内优先叫号。</source>
        <translation>Booked online or by phone? Check in here. Within your booked time you are called first.</translation>
    </message>
    <message>
        <source>用身份证签到</source>
        <translation>Check in with your ID card</translation>
    </message>
    <message>
        <source>已读取 %1 的证件。</source>
        <translation>The card of %1 has been read.</translation>
    </message>
    <message>
        <source>请用预约时登记的身份证。</source>
        <translation>Use the ID card you booked with.</translation>
    </message>
    <message>
        <source>用这张证件签到</source>
        <translation>Check in with this card</translation>
    </message>
    <message>
        <source>刷身份证签到</source>
        <translation>Check in with ID card</translation>
    </message>
    <message>
        <source>回到数字键输入</source>
        <translation>Back to the number keys</translation>
    </message>
    <message>
        <source>预约码里有字母？用键盘输入</source>
        <translation>Letters in the code? Use the keyboard</translation>
    </message>
    <message>
        <source>正在签到，请稍候…</source>
        <translation>Checking in, please wait…</translation>
    </message>
</context>
<context>
    <name>QueueCodeHeading</name>
    <message>
        <source>输入预约码（右边的数字键）</source>
        <translation>Enter the appointment code (keys on the right)</translation>
    </message>
    <message>
        <source>输入预约码</source>
        <translation>Enter the appointment code</translation>
    </message>
    <message>
        <source>预约码在预约成功的短信里。</source>
        <translation>The code is in the text message that confirmed your booking.</translation>
    </message>
</context>
<context>
    <name>QueueCodePad</name>
    <message>
        <source>预约码</source>
        <translation>Appointment code</translation>
    </message>
    <message>
        <source>请按下面的数字键输入预约码</source>
        <translation>Enter the code with the keys below</translation>
    </message>
    <message numerus="yes">
        <source>%n 位</source>
        <translation>
            <numerusform>%n digit</numerusform>
            <numerusform>%n digits</numerusform>
        </translation>
    </message>
    <message>
        <source>点这里输入预约码</source>
        <translation>Tap here to type the code</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Check in</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>回到数字键输入</source>
        <translation>Back to the number keys</translation>
    </message>
    <message>
        <source>预约码里有字母？用键盘输入</source>
        <translation>Letters in the code? Use the keyboard</translation>
    </message>
</context>
<context>
    <name>QueueProblem</name>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>不取了</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>QueueServiceButton</name>
    <message>
        <source>现在不取号</source>
        <translation>Not giving numbers now</translation>
    </message>
    <message>
        <source>现在无需等候</source>
        <translation>No waiting now</translation>
    </message>
    <message numerus="yes">
        <source>%n 人等候</source>
        <translation>
            <numerusform>%n person waiting</numerusform>
            <numerusform>%n people waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>，约 %n 分钟</source>
        <translation>
            <numerusform>, about %n minute</numerusform>
            <numerusform>, about %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>取号时间 %1</source>
        <translation>Numbers given %1</translation>
    </message>
    <message>
        <source>需刷身份证</source>
        <translation>ID card needed</translation>
    </message>
</context>
<context>
    <name>QueueServicesScreen</name>
    <message>
        <source>取号排队</source>
        <translation>Take a number</translation>
    </message>
    <message>
        <source>请点您要办理的业务，取一个号。</source>
        <translation>Tap the service you need to take a queue number.</translation>
    </message>
    <message>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <source>已在网上或电话预约的，请点这里签到</source>
        <translation>Booked online or by phone? Check in here</translation>
    </message>
    <message>
        <source>等候时间是按今天的办理速度估算的，仅供参考。取号后请留意叫号屏和广播。</source>
        <translation>Waiting times are estimated from today&apos;s pace and may change. After taking a number, watch the call screen and listen for the announcements.</translation>
    </message>
    <message>
        <source>正在读取排队信息…</source>
        <translation>Reading the queue…</translation>
    </message>
    <message>
        <source>暂时不能取号，请咨询工作人员</source>
        <translation>Numbers cannot be taken right now. Please ask the staff</translation>
    </message>
    <message>
        <source>重试</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>正在为您取号，请稍候…</source>
        <translation>Taking your number, please wait…</translation>
    </message>
</context>
<context>
    <name>QueueTicketScreen</name>
    <message>
        <source>您的号码</source>
        <translation>Your number</translation>
    </message>
    <message>
        <source>取号成功</source>
        <translation>Your number</translation>
    </message>
    <message>
        <source>您的号码 %1</source>
        <translation>Your number %1</translation>
    </message>
    <message numerus="yes">
        <source>前面还有 %n 人等候</source>
        <translation>
            <numerusform>%n person ahead of you</numerusform>
            <numerusform>%n people ahead of you</numerusform>
        </translation>
    </message>
    <message>
        <source>前面没有人等候，请留意叫号</source>
        <translation>Nobody ahead of you. Please listen for your number</translation>
    </message>
    <message numerus="yes">
        <source>预计等候约 %n 分钟</source>
        <translation>
            <numerusform>About %n minute&apos;s wait</numerusform>
            <numerusform>About %n minutes&apos; wait</numerusform>
        </translation>
    </message>
    <message>
        <source>办理窗口：%1 号窗口</source>
        <translation>Counters: %1</translation>
    </message>
    <message>
        <source>取号时间：%1</source>
        <translation>Taken at %1</translation>
    </message>
    <message>
        <source>用手机扫右边的二维码，可以随时查看排队进度，办完后还可以评价。</source>
        <translation>Scan the code on the right with your phone to follow the queue, and to rate the service afterwards.</translation>
    </message>
    <message>
        <source>请留意叫号屏和广播。过号了请到服务台咨询。</source>
        <translation>Watch the call screen and listen for the announcements. If your number was missed, ask at the service desk.</translation>
    </message>
    <message>
        <source>用手机扫左边的二维码，可以随时查看排队进度，办完后还可以评价。</source>
        <translation>Scan the code on the left with your phone to follow the queue, and to rate the service afterwards.</translation>
    </message>
    <message>
        <source>重新打印</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>号票没有打印出来，但您的号码有效</source>
        <translation>The ticket did not print, but your number is valid</translation>
    </message>
    <message>
        <source>号票已打印，请从出纸口取走</source>
        <translation>Your ticket is printed. Please take it from the slot</translation>
    </message>
    <message>
        <source>正在打印号票，请稍候…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <source>请用手机拍下这个屏幕，或记住您的号码，叫到号时到窗口办理即可。</source>
        <translation>Take a photo of this screen with your phone, or remember your number. When it is called, go to the counter.</translation>
    </message>
</context>
<context>
    <name>RatingEntry</name>
    <message>
        <source>服务评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>您的评价会帮助我们改进服务。请选择下面一种方式开始：</source>
        <translation>Your rating helps us do better. Please choose one of the ways below to start:</translation>
    </message>
    <message>
        <source>扫描二维码评价</source>
        <translation>Scan a QR code</translation>
    </message>
    <message>
        <source>把回执或取号凭条上的二维码对准扫码窗口，扫到后会自动打开评价。</source>
        <translation>Hold the QR code on your receipt or queue ticket up to the scanner window. The rating opens by itself once the code is read.</translation>
    </message>
    <message>
        <source>输入回执编号评价</source>
        <translation>Type a receipt number</translation>
    </message>
    <message>
        <source>回执编号印在回执上方，共17位数字，按数字键输入即可，不用输入空格。</source>
        <translation>The receipt number is printed at the top of your receipt: 17 digits. Key them in on the digit keys; no spaces needed.</translation>
    </message>
    <message>
        <source>评价本次自助服务</source>
        <translation>Rate this self-service visit</translation>
    </message>
    <message>
        <source>没有回执或取号凭条，也可以评价您这次使用自助终端的感受。</source>
        <translation>No receipt or queue ticket? You can still tell us how this self-service terminal worked for you today.</translation>
    </message>
    <message>
        <source>评价本次服务</source>
        <translation>Rate this visit</translation>
    </message>
</context>
<context>
    <name>RatingForm</name>
    <message>
        <source>请评价这件事的办理服务</source>
        <translation>Please rate how this case was handled</translation>
    </message>
    <message>
        <source>请评价本次窗口服务</source>
        <translation>Please rate the service at the counter</translation>
    </message>
    <message>
        <source>请评价本次自助服务</source>
        <translation>Please rate this self-service visit</translation>
    </message>
    <message>
        <source>回执编号 %1</source>
        <translation>Receipt number %1</translation>
    </message>
    <message>
        <source>取号 %1</source>
        <translation>Queue number %1</translation>
    </message>
    <message>
        <source>评价人：%1（实名评价，您的身份信息严格保密）</source>
        <translation>Rated by: %1 (your name is recorded; your personal details are kept strictly confidential)</translation>
    </message>
    <message>
        <source>没有读取身份证，本次评价不记名</source>
        <translation>No ID card was read, so this rating is anonymous</translation>
    </message>
    <message>
        <source>您对这次服务满意吗？请点击一项</source>
        <translation>Were you happy with the service? Please tap one</translation>
    </message>
    <message>
        <source>请选择不满意的原因（可多选，至少一项）</source>
        <translation>What went wrong? (Tap at least one; you can tap several)</translation>
    </message>
    <message>
        <source>请写下具体原因</source>
        <translation>Please tell us what happened</translation>
    </message>
    <message>
        <source>具体情况（选填）</source>
        <translation>Details (optional)</translation>
    </message>
    <message>
        <source>点这里输入，例如：排队等了很久</source>
        <translation>Tap here to type, e.g. I waited in the queue for a long time</translation>
    </message>
    <message>
        <source>具体情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>已输入 %1 字，最多 %2 字。请不要写身份证号等个人信息。</source>
        <translation>%1 of %2 characters used. Please do not write personal details such as your ID number.</translation>
    </message>
    <message>
        <source>分项评价</source>
        <translation>Rate each part</translation>
    </message>
    <message>
        <source>已按您的选择填好，可以逐项修改；不用修改就直接点“提交评价”。</source>
        <translation>These are filled in from your choice. You can change any of them, or just tap “Submit”.</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <source>请先选择满意程度</source>
        <translation>Please choose a rating first</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Submit</translation>
    </message>
</context>
<context>
    <name>RatingLevelButton</name>
    <message>
        <source>已选择</source>
        <translation>Selected</translation>
    </message>
</context>
<context>
    <name>RatingOutcome</name>
    <message>
        <source>评价已提交</source>
        <translation>Your rating has been sent</translation>
    </message>
    <message>
        <source>这项服务已经评价过了</source>
        <translation>This service has already been rated</translation>
    </message>
    <message>
        <source>评价没有保存成功</source>
        <translation>Your rating was not saved</translation>
    </message>
    <message>
        <source>如需帮助，请联系工作人员，并告知代码 %1</source>
        <translation>If you need help, please ask a member of staff and mention code %1</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
</context>
<context>
    <name>RatingPad</name>
    <message>
        <source>本评价器还没有连接排队服务。请运维人员在本机运行 kiosk hall enroll 登记。</source>
        <translation>This rating pad is not linked to the queue service yet. Operations staff: run kiosk hall enroll on it.</translation>
    </message>
    <message>
        <source>本评价器还没有设置对应的窗口。请运维人员设置 rating_counter（窗口号）。</source>
        <translation>This rating pad has not been told its counter yet. Operations staff: set rating_counter (the counter number).</translation>
    </message>
    <message>
        <source>排队服务中没有 %1 号窗口。请运维人员检查 rating_counter 设置。</source>
        <translation>The queue service has no counter %1. Operations staff: check the rating_counter setting.</translation>
    </message>
    <message>
        <source>我们会认真核实，改进服务。</source>
        <translation>We will look into it and improve our service.</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>服务评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>正在打开评价…</source>
        <translation>Opening the rating…</translation>
    </message>
    <message>
        <source>周一上午排队一个多小时</source>
        <translation>I queued for over an hour on Monday morning</translation>
    </message>
</context>
<context>
    <name>RatingWords</name>
    <message>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>总体满意度</source>
        <translation>Overall</translation>
    </message>
    <message>
        <source>办事效率</source>
        <translation>Speed</translation>
    </message>
    <message>
        <source>服务水平</source>
        <translation>Quality of service</translation>
    </message>
    <message>
        <source>服务态度</source>
        <translation>Staff attitude</translation>
    </message>
    <message>
        <source>办事指南不清晰</source>
        <translation>The guide was unclear</translation>
    </message>
    <message>
        <source>等待时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <source>服务态度差</source>
        <translation>Unfriendly staff</translation>
    </message>
    <message>
        <source>多次跑动</source>
        <translation>Had to come back several times</translation>
    </message>
    <message>
        <source>材料重复提交</source>
        <translation>Same documents asked for twice</translation>
    </message>
    <message>
        <source>系统故障</source>
        <translation>System not working</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>ReceiptNumberPad</name>
    <message>
        <source>回执编号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>请按下面的数字键输入</source>
        <translation>Tap the digit keys below</translation>
    </message>
    <message>
        <source>%1/%2位</source>
        <translation>%1 of %2 digits</translation>
    </message>
    <message>
        <source>点这里输入回执编号</source>
        <translation>Tap here to type the receipt number</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>回到数字键输入</source>
        <translation>Back to the digit keys</translation>
    </message>
    <message>
        <source>回执编号里有字母？用键盘输入</source>
        <translation>Letters in your receipt number? Type it on the keyboard</translation>
    </message>
</context>
<context>
    <name>RecentCalls</name>
    <message>
        <source>最近呼叫</source>
        <translation>Recent calls</translation>
    </message>
    <message>
        <source>%1号窗口</source>
        <translation>Counter %1</translation>
    </message>
    <message>
        <source>今天还没有更早的呼叫</source>
        <translation>No earlier calls today</translation>
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
        <source>只在“%1”里找</source>
        <translation>Searching only in &quot;%1&quot;</translation>
    </message>
    <message>
        <source>搜索全部事项</source>
        <translation>Search all items</translation>
    </message>
    <message>
        <source>找到 %1 多个相关事项，已显示最相关的 %2 个</source>
        <translation>More than %1 matching items; the best %2 are shown</translation>
    </message>
    <message>
        <source>找到 %1 个相关事项，已显示最相关的 %2 个</source>
        <translation>%1 matching items; the best %2 are shown</translation>
    </message>
    <message>
        <source>找到 %1 个相关事项，请点击您要办理的事项</source>
        <translation>Matches: %1. Please tap the one you need.</translation>
    </message>
    <message>
        <source>再显示 %1 个（还有 %2 个）</source>
        <translation>Show %1 more (%2 left)</translation>
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
    <name>SignInPanel</name>
    <message>
        <source>窗口登录</source>
        <translation>Counter sign-in</translation>
    </message>
    <message>
        <source>请输入窗口号、工号和密码。按 Enter 到下一项，最后一项按 Enter 登录。</source>
        <translation>Type the counter number, your staff number and PIN. Enter goes to the next; Enter on the last signs in.</translation>
    </message>
    <message>
        <source>窗口号</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>%1（工号 %2 已登录）</source>
        <translation>%1 (staff %2 signed in)</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff no.</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>登录（Enter）</source>
        <translation>Sign in (Enter)</translation>
    </message>
    <message>
        <source>下一项</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>请在框内签名</source>
        <translation>Please sign in the box</translation>
    </message>
    <message>
        <source>请用手指在白框内写下您的姓名。写错了可以点“重写”。</source>
        <translation>Write your name in the white box with your finger. If you make a mistake, tap “Clear”.</translation>
    </message>
    <message>
        <source>重写</source>
        <translation>Clear</translation>
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
    <name>TicketList</name>
    <message numerus="yes">
        <source>已等 %n 分钟</source>
        <translation>
            <numerusform>Waited %n min</numerusform>
            <numerusform>Waited %n min</numerusform>
        </translation>
    </message>
    <message>
        <source>下一位</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>绿色通道 · %1</source>
        <translation>Priority · %1</translation>
    </message>
    <message>
        <source>转给本窗口</source>
        <translation>Sent here</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>转移 %1 号</source>
        <translation>Transfer %1</translation>
    </message>
    <message>
        <source>服务中</source>
        <translation>open</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>未开放</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>转到另一项业务，按原来的取号时间排队；或只转给另一个窗口。←→ 选列表，↑↓ 选一项，Enter 转移。</source>
        <translation>To another service, keeping the time the number was taken; or to one other counter only. ←→ choose the list, ↑↓ the entry, Enter transfers.</translation>
    </message>
    <message>
        <source>转到业务</source>
        <translation>To a service</translation>
    </message>
    <message>
        <source>等候 %1 人</source>
        <translation>%1 waiting</translation>
    </message>
    <message>
        <source>转到窗口</source>
        <translation>To a counter</translation>
    </message>
    <message>
        <source>转到%1（Enter）</source>
        <translation>To %1 (Enter)</translation>
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
    <message>
        <source>读卡器上已经放着一张证件。如果是您的，请点屏幕上的“读取这张证件”。</source>
        <translation>A card is already on the card reader. If it is yours, tap “Read this card” on the screen.</translation>
    </message>
    <message>
        <source>请用手指在框内写下您的名字。</source>
        <translation>Please write your name in the box with your finger.</translation>
    </message>
    <message>
        <source>表单已提交，正在打印，请稍候。</source>
        <translation>Your form has been submitted and is being printed. Please wait.</translation>
    </message>
    <message>
        <source>请您为本次服务评价，也可以点“跳过”。</source>
        <translation>Please rate our service, or tap “Skip”.</translation>
    </message>
</context>
<context>
    <name>WaitingCounts</name>
    <message>
        <source>等候人数（共 %1 人）</source>
        <translation>Waiting (%1 in all)</translation>
    </message>
    <message>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>%1 人</source>
        <translation>%1</translation>
    </message>
</context>
<context>
    <name>style</name>
    <message>
        <source>中/英</source>
        <translation>中/EN</translation>
    </message>
    <message>
        <source>英/中</source>
        <translation>EN/中</translation>
    </message>
    <message>
        <source>下一项</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>前往</source>
        <translation>Go</translation>
    </message>
    <message>
        <source>换行</source>
        <translation>New line</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>收起</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source>大写锁定</source>
        <translation>CAPS</translation>
    </message>
    <message>
        <source>大写</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>空格（拼音）</source>
        <translation>Space (Pinyin)</translation>
    </message>
    <message>
        <source>空格（English）</source>
        <translation>Space (English)</translation>
    </message>
    <message>
        <source>手写</source>
        <translation>Handwriting</translation>
    </message>
</context>
</TS>
