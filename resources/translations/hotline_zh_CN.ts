<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HistoryReport</name>
    <message>
        <source>Call history of %1</source>
        <translation>%1 的通话记录</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>SAS</source>
        <translation>验证词</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>丢包</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message numerus="yes">
        <source>Filter: %1 · %n call(s) · made %2</source>
        <translation>
            <numerusform>筛选条件：%1 · 共 %n 次通话 · 生成于 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>both</source>
        <translation>双方</translation>
    </message>
    <message>
        <source>one side</source>
        <translation>单方</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>PeersPage</name>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The console cannot listen on %1: another program (or another console) uses that port.

Listen on this address instead (peers then need this console's new card):</source>
        <translation>控制台无法在 %1 上监听：另一个程序（或另一个控制台）正在使用该端口。

改为在此地址上监听（对方随后需要本控制台的新名片）：</translation>
    </message>
    <message>
        <source>Wrong passphrase. Passphrase of this console's key:</source>
        <translation>口令错误。请输入本控制台密钥的口令：</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot create the folder of %1.</source>
        <translation>无法创建 %1 所在的文件夹。</translation>
    </message>
    <message>
        <source>Cannot remove %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>Hotline Console</source>
        <translation>热线控制台</translation>
    </message>
    <message>
        <source>The console cannot start: %1</source>
        <translation>控制台无法启动：%1</translation>
    </message>
    <message>
        <source>Demo passphrases: operator &quot;%1&quot;, administrator &quot;%2&quot;.</source>
        <translation>演示口令：操作员“%1”，管理员“%2”。</translation>
    </message>
    <message>
        <source>Demo: this console uses the machine&apos;s microphone and loudspeakers.</source>
        <translation>演示：本控制台使用本机的麦克风和扬声器。</translation>
    </message>
    <message>
        <source>Demo: no sound card was found, so both consoles run on virtual devices (this one sends a tone).</source>
        <translation>演示：未找到声卡，因此两个控制台均在虚拟设备上运行（本控制台发送测试音）。</translation>
    </message>
    <message>
        <source>Demo: this console speaks a recorded speech sample.</source>
        <translation>演示：本控制台播放一段预先录制的语音样本。</translation>
    </message>
    <message>
        <source>Passphrase of this console&apos;s key:</source>
        <translation>本控制台密钥的口令：</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>official</source>
        <translation>官员</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>call %1 to %2 (key %3): its security words could not be trusted; treat the line as intercepted until the key is verified again</source>
        <translation>呼叫 %2 的通话 %1（密钥 %3）：安全词不可信；在重新核验密钥之前，应视该线路已被窃听</translation>
    </message>
    <message>
        <source>call %1 from %2 (key %3): its security words could not be trusted; treat the line as intercepted until the key is verified again</source>
        <translation>来自 %2 的通话 %1（密钥 %3）：安全词不可信；在重新核验密钥之前，应视该线路已被窃听</translation>
    </message>
    <message>
        <source>%1 reset to its default</source>
        <translation>%1 恢复为默认值</translation>
    </message>
    <message>
        <source>%1 = %2 (at start-up: %3 was in use)</source>
        <translation>%1 = %2（启动时 %3 已被占用）</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source>%1: replay protection reset; its next call starts it again</source>
        <translation>%1：防重放记录已重置；下一次呼叫时重新建立</translation>
    </message>
    <message>
        <source>%1: removed; fingerprint %2; its calls are refused</source>
        <translation>%1：已删除；指纹 %2；其来电将被拒绝</translation>
    </message>
    <message>
        <source>%1: disabled; its calls are refused</source>
        <translation>%1：已停用；其来电将被拒绝</translation>
    </message>
    <message>
        <source>%1: enabled</source>
        <translation>%1：已启用</translation>
    </message>
    <message>
        <source>%1: pre-shared key removed</source>
        <translation>%1：已删除预共享密钥</translation>
    </message>
    <message>
        <source>%1: pre-shared key changed</source>
        <translation>%1：已更换预共享密钥</translation>
    </message>
    <message>
        <source>%1: pre-shared key set</source>
        <translation>%1：已设置预共享密钥</translation>
    </message>
    <message>
        <source>%1: addresses %2 → %3</source>
        <translation>%1：地址 %2 → %3</translation>
    </message>
    <message>
        <source>%1: fingerprint %2 compared with the other side by %3</source>
        <translation>%1：指纹 %2 已由 %3 与对方核对</translation>
    </message>
    <message>
        <source>%1: imported, unverified; fingerprint %2; addresses %3</source>
        <translation>%1：已导入，未核验；指纹 %2；地址 %3</translation>
    </message>
    <message>
        <source>%1: key replaced, now unverified; old fingerprint %2; new fingerprint %3; addresses %4</source>
        <translation>%1：密钥已更换，现为未核验；旧指纹 %2；新指纹 %3；地址 %4</translation>
    </message>
    <message>
        <source>all calls</source>
        <translation>全部通话</translation>
    </message>
    <message>
        <source>%1, %2 calls, filter: %3</source>
        <translation>%1，%2 次通话，筛选：%3</translation>
    </message>
    <message>
        <source>call %1: note set to “%2”</source>
        <translation>通话 %1：备注设为“%2”</translation>
    </message>
    <message>
        <source>call %1: note written (%2 characters)</source>
        <translation>通话 %1：已写入备注（%2 个字符）</translation>
    </message>
    <message>
        <source>%1 passphrase changed</source>
        <translation>%1口令已更改</translation>
    </message>
    <message>
        <source>operator passphrase set (first set-up)</source>
        <translation>已设置操作员口令（首次设置）</translation>
    </message>
    <message>
        <source>administrator passphrase set (first set-up)</source>
        <translation>已设置管理员口令（首次设置）</translation>
    </message>
    <message>
        <source>wrong %1 passphrase (%2 in a row)</source>
        <translation>%1口令错误（连续第 %2 次）</translation>
    </message>
    <message>
        <source>%1 role locked after %2 wrong passphrases; refused unchecked</source>
        <translation>%1角色在 %2 次口令错误后锁定；未经核对即拒绝</translation>
    </message>
    <message>
        <source>no %1 passphrase is set</source>
        <translation>未设置%1口令</translation>
    </message>
    <message>
        <source>%1 role unlocked</source>
        <translation>%1角色已解锁</translation>
    </message>
    <message>
        <source>listening address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>role idle time (minutes)</source>
        <translation>角色空闲时限（分钟）</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>echo cancellation</source>
        <translation>回声消除</translation>
    </message>
    <message>
        <source>noise suppression</source>
        <translation>噪声抑制</translation>
    </message>
    <message>
        <source>bitrate (b/s)</source>
        <translation>码率（比特/秒）</translation>
    </message>
    <message>
        <source>frame size (ms)</source>
        <translation>帧长（毫秒）</translation>
    </message>
    <message>
        <source>loudspeaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Peer disabled</source>
        <translation>停用对端</translation>
    </message>
    <message>
        <source>Peer enabled</source>
        <translation>启用对端</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>无角色</translation>
    </message>
    <message>
        <source>official</source>
        <translation>官员</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Call ended: interception suspected</source>
        <translation>通话已结束：怀疑遭到窃听</translation>
    </message>
    <message>
        <source>Setting reset</source>
        <translation>恢复默认设置</translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>Role unlock refused (locked)</source>
        <translation>拒绝解锁角色（已锁定）</translation>
    </message>
    <message>
        <source>Role unlock refused (no passphrase)</source>
        <translation>拒绝解锁角色（未设口令）</translation>
    </message>
    <message>
        <source>Wrong role passphrase</source>
        <translation>角色口令错误</translation>
    </message>
    <message>
        <source>Role unlocked</source>
        <translation>解锁角色</translation>
    </message>
    <message>
        <source>Role passphrase set</source>
        <translation>设置角色口令</translation>
    </message>
    <message>
        <source>Peer&apos;s key verified</source>
        <translation>核验对端密钥</translation>
    </message>
    <message>
        <source>Peer&apos;s replay protection reset</source>
        <translation>重置对端防重放记录</translation>
    </message>
    <message>
        <source>Peer removed</source>
        <translation>删除对端</translation>
    </message>
    <message>
        <source>Pre-shared key set</source>
        <translation>设置预共享密钥</translation>
    </message>
    <message>
        <source>Pre-shared key removed</source>
        <translation>删除预共享密钥</translation>
    </message>
    <message>
        <source>Peer&apos;s key replaced</source>
        <translation>更换对端密钥</translation>
    </message>
    <message>
        <source>Peer card imported</source>
        <translation>导入对端名片</translation>
    </message>
    <message>
        <source>Peer&apos;s addresses changed</source>
        <translation>修改对端地址</translation>
    </message>
    <message>
        <source>Peer enabled or disabled</source>
        <translation>启用或停用对端</translation>
    </message>
    <message>
        <source>Note on a call written</source>
        <translation>填写通话备注</translation>
    </message>
    <message>
        <source>Call history exported</source>
        <translation>导出通话记录</translation>
    </message>
    <message>
        <source>The security words did not match: interception suspected</source>
        <translation>安全词不一致：怀疑遭到窃听</translation>
    </message>
    <message>
        <source>A problem on this console (sound device or call options)</source>
        <translation>本控制台出现问题（声音设备或通话选项）</translation>
    </message>
    <message>
        <source>Refused: the peer is disabled or removed</source>
        <translation>已拒绝：该对端已停用或已删除</translation>
    </message>
    <message>
        <source>The connection was lost</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <source>The other console could not be reached</source>
        <translation>无法连通对方控制台</translation>
    </message>
    <message>
        <source>The caller hung up before an answer</source>
        <translation>主叫方在接听前挂断</translation>
    </message>
    <message>
        <source>Nobody answered within the ring time</source>
        <translation>振铃时间内无人接听</translation>
    </message>
    <message>
        <source>The callee was on another call</source>
        <translation>被叫方正在另一通话中</translation>
    </message>
    <message>
        <source>Declined by the callee</source>
        <translation>被叫方拒接</translation>
    </message>
    <message>
        <source>Hung up on the other console</source>
        <translation>对方控制台挂断</translation>
    </message>
    <message>
        <source>Hung up on this console</source>
        <translation>本控制台挂断</translation>
    </message>
    <message>
        <source>This console stopped during the call (closed at its next start)</source>
        <translation>通话期间本控制台停止运行（在下次启动时结束记录）</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Dialling…</source>
        <translation>正在拨号…</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Ringing…</source>
        <translation>正在振铃…</translation>
    </message>
    <message>
        <source>Connected — link interrupted, waiting for the other side</source>
        <translation>已接通 — 链路中断，正在等待对方</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>You ended the call with %1.</source>
        <translation>您已结束与 %1 的通话。</translation>
    </message>
    <message>
        <source>%1 ended the call.</source>
        <translation>%1 已结束通话。</translation>
    </message>
    <message>
        <source>You declined the call from %1.</source>
        <translation>您拒绝了来自 %1 的呼叫。</translation>
    </message>
    <message>
        <source>%1 declined the call.</source>
        <translation>%1 拒绝了呼叫。</translation>
    </message>
    <message>
        <source>%1 is busy on another call.</source>
        <translation>%1 占线：正在进行另一通话。</translation>
    </message>
    <message>
        <source>No answer from %1.</source>
        <translation>%1 无应答。</translation>
    </message>
    <message>
        <source>Missed call from %1.</source>
        <translation>来自 %1 的未接来电。</translation>
    </message>
    <message>
        <source>You cancelled the call to %1.</source>
        <translation>您取消了对 %1 的呼叫。</translation>
    </message>
    <message>
        <source>%1 could not be reached: its console is off or offline, or it does not accept this console (not imported, disabled, or a different pre-shared key).</source>
        <translation>无法连通 %1：对方控制台已关闭或离线，或不接受本控制台（未导入本控制台、已将其停用，或预共享密钥不一致）。</translation>
    </message>
    <message>
        <source>The connection to %1 was lost.</source>
        <translation>与 %1 的连接已断开。</translation>
    </message>
    <message>
        <source>The call with %1 was ended because its security words could not be trusted: someone may be listening in. Do not call again on this console until an administrator has verified %1&apos;s key through another channel.</source>
        <translation>与 %1 的通话已结束：验证词不可信，可能有人在窃听。在管理员通过其他渠道核实 %1 的密钥之前，请勿再用本控制台拨打。</translation>
    </message>
    <message>
        <source>A call from %1 was refused: this peer is disabled or removed.</source>
        <translation>已拦截来自 %1 的呼叫：该对端已被停用或移除。</translation>
    </message>
    <message>
        <source>%1 is disabled in the directory: calls to it are refused.</source>
        <translation>%1 已在对端目录中停用：对其发起的呼叫会被拦截。</translation>
    </message>
    <message>
        <source>The call to %1 failed.</source>
        <translation>呼叫 %1 失败。</translation>
    </message>
    <message>
        <source>The call failed: %1</source>
        <translation>呼叫失败：%1</translation>
    </message>
    <message>
        <source>The call ended.</source>
        <translation>通话已结束。</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>占线</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>无法连通</translation>
    </message>
    <message>
        <source>Connection lost</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>呼出</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n 秒前</numerusform>
        </translation>
    </message>
    <message>
        <source>Echo Test</source>
        <translation>回声测试</translation>
    </message>
</context>
<context>
    <name>hotline::ui::AuditPage</name>
    <message>
        <source>Details, as recorded</source>
        <translation>详情（按原记录）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Check the hash chain and every signature</source>
        <translation>检查哈希链及每一条签名</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>(sealed text that the administrator&apos;s key does not open: written before the present passphrase, or changed in the file)</source>
        <translation>（管理员密钥无法打开的密封文本：写于当前口令设置之前，或已在文件中被改动）</translation>
    </message>
    <message>
        <source>  [not signed yet]</source>
        <translation>  [尚未签名]</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message numerus="yes">
        <source>Intact: %n entries, hash chain and signatures check.</source>
        <translation>
            <numerusform>完好：共 %n 条记录，哈希链和签名均校验通过。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not signed yet.</source>
        <translation>
            <numerusform>其中 %n 条尚未签名。</numerusform>
        </translation>
    </message>
    <message>
        <source>TAMPERED: %1</source>
        <translation>已遭篡改：%1</translation>
    </message>
</context>
<context>
    <name>hotline::ui::CallPanel</name>
    <message>
        <source>Read these words, or the numbers below them, to each other:</source>
        <translation>请与对方互相朗读以下验证词，或其下方的数字：</translation>
    </message>
    <message>
        <source>We read the same words</source>
        <translation>双方读出的验证词一致</translation>
    </message>
    <message>
        <source>The words do not match</source>
        <translation>验证词不一致</translation>
    </message>
    <message>
        <source>End the call at once and put it on record as a suspected interception</source>
        <translation>立即结束通话，并记录为疑似被窃听</translation>
    </message>
    <message>
        <source>Report that the words do not match</source>
        <translation>报告验证词不一致</translation>
    </message>
    <message>
        <source>Waiting for the security words…</source>
        <translation>正在等待验证词…</translation>
    </message>
    <message>
        <source>Put on record that both sides read the same words (Ctrl+Shift+Y)</source>
        <translation>记录双方读出的验证词一致 (Ctrl+Shift+Y)</translation>
    </message>
    <message>
        <source>Confirm the short authentication string</source>
        <translation>确认短认证字符串</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Mute the microphone (Ctrl+M); the other side hears silence</source>
        <translation>麦克风静音 (Ctrl+M)；对方将听不到任何声音</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Loudspeaker volume</source>
        <translation>扬声器音量</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>麦克风电平</translation>
    </message>
    <message>
        <source>Loudspeaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>Loudspeaker level</source>
        <translation>扬声器电平</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Accept the call (Ctrl+Return)</source>
        <translation>接听呼叫 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Accept the call</source>
        <translation>接听呼叫</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Decline the call (Ctrl+D)</source>
        <translation>拒绝呼叫 (Ctrl+D)</translation>
    </message>
    <message>
        <source>Decline the call</source>
        <translation>拒绝呼叫</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>This peer&apos;s key has NOT been verified by an administrator.</source>
        <translation>该对端的密钥尚未经管理员验证。</translation>
    </message>
    <message>
        <source>✓ You confirmed</source>
        <translation>✓ 您已确认</translation>
    </message>
    <message>
        <source>You have not confirmed yet</source>
        <translation>您尚未确认</translation>
    </message>
    <message>
        <source>✓ %1 confirmed</source>
        <translation>✓ %1 已确认</translation>
    </message>
    <message>
        <source>%1 has not confirmed yet</source>
        <translation>%1 尚未确认</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Hang up (Ctrl+H)</source>
        <translation>挂断 (Ctrl+H)</translation>
    </message>
    <message>
        <source>Cancel the call (Ctrl+H)</source>
        <translation>取消呼叫 (Ctrl+H)</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>已静音</translation>
    </message>
    <message>
        <source>Loss %1 % · Jitter %2 ms · Round trip %3 ms · Concealed %4 %</source>
        <translation>丢包 %1 % · 抖动 %2 ms · 往返时延 %3 ms · 丢包隐藏 %4 %</translation>
    </message>
    <message>
        <source>Audio problem: %1</source>
        <translation>音频故障：%1</translation>
    </message>
    <message>
        <source>Warning: a key change was answered by someone who was not in this call from its start. Possible interception: the call keeps its verified keys. If this repeats, hang up and report it.</source>
        <translation>警告：有一方在通话中途应答了密钥更换，但它并非从通话开始就在通话中。可能遭到截听：通话仍使用已核实的密钥。如果再次出现，请挂断并报告。</translation>
    </message>
</context>
<context>
    <name>hotline::ui::FirstRunWizard</name>
    <message>
        <source>With a passphrase the console&apos;s secret key is stored encrypted, and the passphrase is asked for at every start. Leave both empty for a console that must start unattended — but then anyone who can read this computer&apos;s copy of the profile can use the key: place and answer calls as this console and sign its audit log.</source>
        <translation>设置口令后，控制台的私钥将加密保存，每次启动时都需输入口令。如控制台须无人值守启动，可将两栏留空——但这样一来，任何能读取本机配置文件的人都能使用该密钥：以本控制台的身份拨打和接听电话，并签署其审计日志。</translation>
    </message>
    <message>
        <source>The role passphrases must differ from the key passphrase.</source>
        <translation>角色口令必须与密钥口令不同。</translation>
    </message>
    <message>
        <source>Each role passphrase needs at least %1 characters.</source>
        <translation>每个角色口令至少需要 %1 个字符。</translation>
    </message>
    <message>
        <source>The administrator passphrase and its repetition differ.</source>
        <translation>管理员口令与其重复输入不一致。</translation>
    </message>
    <message>
        <source>The operator passphrase and its repetition differ.</source>
        <translation>操作员口令与其重复输入不一致。</translation>
    </message>
    <message>
        <source>The key passphrase needs at least %1 characters (or none at all).</source>
        <translation>密钥口令至少需要 %1 个字符（或完全不设）。</translation>
    </message>
    <message>
        <source>Set up this Hotline Console</source>
        <translation>设置本热线控制台</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>This console has no identity yet. The next pages create one: a name the other side sees, the address it listens on, and the passphrases of the operator and the administrator roles. Officials need no passphrase to call and answer.</source>
        <translation>本控制台尚未创建身份。接下来的页面将创建身份：对方看到的名称、本控制台的监听地址，以及操作员和管理员角色的口令。官员呼叫和接听无需口令。</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Console name</source>
        <translation>控制台名称</translation>
    </message>
    <message>
        <source>Listening address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>Console name (e.g. the ministry):</source>
        <translation>控制台名称（如部委名称）：</translation>
    </message>
    <message>
        <source>Listening address (HOST:PORT):</source>
        <translation>监听地址（主机:端口）：</translation>
    </message>
    <message>
        <source>Key passphrase (optional)</source>
        <translation>密钥口令（可选）</translation>
    </message>
    <message>
        <source>With a passphrase the console&apos;s secret key is stored encrypted, and the passphrase is asked for at every start. Leave both empty for a console that must start unattended.</source>
        <translation>设置口令后，控制台的私钥将加密存储，每次启动时都需输入该口令。如控制台须在无人值守的情况下启动，请将两栏均留空。</translation>
    </message>
    <message>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <source>Key passphrase again</source>
        <translation>再次输入密钥口令</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>口令：</translation>
    </message>
    <message>
        <source>Again:</source>
        <translation>再次输入：</translation>
    </message>
    <message>
        <source>Role passphrases</source>
        <translation>角色口令</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Operator passphrase</source>
        <translation>操作员口令</translation>
    </message>
    <message>
        <source>Operator passphrase again</source>
        <translation>再次输入操作员口令</translation>
    </message>
    <message>
        <source>Administrator passphrase</source>
        <translation>管理员口令</translation>
    </message>
    <message>
        <source>Administrator passphrase again</source>
        <translation>再次输入管理员口令</translation>
    </message>
    <message>
        <source>Operator (reads the call history):</source>
        <translation>操作员（查阅通话记录）：</translation>
    </message>
    <message>
        <source>Administrator (keys and settings):</source>
        <translation>管理员（管理密钥和设置）：</translation>
    </message>
    <message>
        <source>Creating the console</source>
        <translation>正在创建控制台</translation>
    </message>
    <message>
        <source>The console is ready. Give its card to the other side&apos;s administrator (Peers page) and compare fingerprints by voice.</source>
        <translation>控制台已就绪。请将本控制台的名片交给对方管理员（见“对端”页面），并通过语音核对指纹。</translation>
    </message>
    <message>
        <source>The console could not be created: %1</source>
        <translation>无法创建控制台：%1</translation>
    </message>
    <message>
        <source>Please check</source>
        <translation>请检查</translation>
    </message>
    <message>
        <source>The console needs a name.</source>
        <translation>请为控制台填写名称。</translation>
    </message>
    <message>
        <source>The two key passphrases differ.</source>
        <translation>两次输入的密钥口令不一致。</translation>
    </message>
    <message>
        <source>Both role passphrases are needed.</source>
        <translation>两个角色的口令均须填写。</translation>
    </message>
    <message>
        <source>A passphrase and its repetition differ.</source>
        <translation>有口令与再次输入的内容不一致。</translation>
    </message>
    <message>
        <source>The operator and administrator passphrases must differ.</source>
        <translation>操作员口令与管理员口令不得相同。</translation>
    </message>
    <message>
        <source>Creating the identity and hashing the passphrases…</source>
        <translation>正在创建身份并对口令进行哈希处理…</translation>
    </message>
</context>
<context>
    <name>hotline::ui::HistoryModel</name>
    <message>
        <source>Fingerprint %1%2</source>
        <translation>指纹 %1%2</translation>
    </message>
    <message>
        <source> (not verified at the time)</source>
        <translation>（当时未验证）</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Both confirmed</source>
        <translation>双方已确认</translation>
    </message>
    <message>
        <source>One side confirmed</source>
        <translation>单方已确认</translation>
    </message>
    <message>
        <source>Not confirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>%1 % lost</source>
        <translation>丢包 %1 %</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>SAS</source>
        <translation>验证词</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>通话质量</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>hotline::ui::HistoryPage</name>
    <message numerus="yes">
        <source>%n call(s) in the store cannot be opened with this passphrase (sealed before it was set, or changed in the file); they are not shown</source>
        <translation>
            <numerusform>存储中有 %n 次通话无法用此口令打开（在设置此口令之前封存，或文件被改动），未予显示</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by peer</source>
        <translation>按对端筛选</translation>
    </message>
    <message>
        <source>All peers</source>
        <translation>全部对端</translation>
    </message>
    <message>
        <source>Filter by direction</source>
        <translation>按方向筛选</translation>
    </message>
    <message>
        <source>Both directions</source>
        <translation>全部方向</translation>
    </message>
    <message>
        <source>Filter by outcome</source>
        <translation>按结果筛选</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Search name, fingerprint, SAS, reason or note</source>
        <translation>搜索名称、指纹、验证词、原因或备注</translation>
    </message>
    <message>
        <source>Search the history</source>
        <translation>搜索通话记录</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Call history</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>Call details</source>
        <translation>通话详情</translation>
    </message>
    <message>
        <source>Operator&apos;s note:</source>
        <translation>操作员备注：</translation>
    </message>
    <message>
        <source>Operator&apos;s note</source>
        <translation>操作员备注</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export PDF report…</source>
        <translation>导出 PDF 报告…</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) match</source>
        <translation>
            <numerusform>共有 %n 次通话符合条件</numerusform>
        </translation>
    </message>
    <message>
        <source>Note saved</source>
        <translation>备注已保存</translation>
    </message>
    <message>
        <source>Select a call to see its details.</source>
        <translation>请选择一次通话以查看详情。</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>End reason</source>
        <translation>结束原因</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>接听时间</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Key verified</source>
        <translation>密钥已验证</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>NO</source>
        <translation>否</translation>
    </message>
    <message>
        <source>SAS</source>
        <translation>验证词</translation>
    </message>
    <message>
        <source>SAS confirmed here</source>
        <translation>本方已确认验证词</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>SAS confirmed there</source>
        <translation>对方已确认验证词</translation>
    </message>
    <message>
        <source>Mean round trip</source>
        <translation>平均往返时延</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>丢包</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Jitter</source>
        <translation>抖动</translation>
    </message>
    <message>
        <source>Concealed</source>
        <translation>丢包隐藏</translation>
    </message>
    <message>
        <source>Rebuilt by FEC</source>
        <translation>经 FEC 恢复</translation>
    </message>
    <message numerus="yes">
        <source>%n frame(s)</source>
        <translation>
            <numerusform>%n 帧</numerusform>
        </translation>
    </message>
    <message>
        <source>Interruptions</source>
        <translation>中断次数</translation>
    </message>
    <message>
        <source>Export the history as a PDF report</source>
        <translation>将通话记录导出为 PDF 报告</translation>
    </message>
    <message>
        <source>Export the history as CSV</source>
        <translation>将通话记录导出为 CSV</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出至 %1</translation>
    </message>
</context>
<context>
    <name>hotline::ui::ImportDialog</name>
    <message>
        <source>Import a peer card</source>
        <translation>导入对端名片</translation>
    </message>
    <message>
        <source>Addresses: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Fingerprint of the key on this card:</source>
        <translation>此名片上密钥的指纹：</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>WARNING: %1 is already in the directory with a DIFFERENT key.</source>
        <translation>警告：%1 已在对端目录中，但其密钥与此名片上的密钥不同！</translation>
    </message>
    <message>
        <source>Old fingerprint: %1</source>
        <translation>原指纹：%1</translation>
    </message>
    <message>
        <source>Replace the key only if the other side&apos;s administrator has told you, by voice on a channel you trust, that their console has a new key. Otherwise this card may come from an impostor.</source>
        <translation>只有在对方管理员已通过您信任的渠道以语音告知其控制台已启用新密钥时，才可替换密钥。否则，此名片可能来自冒充者。</translation>
    </message>
    <message>
        <source>I confirmed the new key with the other side by voice</source>
        <translation>我已通过语音与对方确认新密钥</translation>
    </message>
    <message>
        <source>Replace the key</source>
        <translation>替换密钥</translation>
    </message>
    <message>
        <source>The peer is stored as unverified. Next, compare the fingerprint with the other side.</source>
        <translation>该对端将以“未验证”状态保存。下一步，请与对方核对指纹。</translation>
    </message>
</context>
<context>
    <name>hotline::ui::MainWindow</name>
    <message>
        <source>Call history key warning</source>
        <translation>通话记录密钥警告</translation>
    </message>
    <message>
        <source>⚠ A role&apos;s call-history key was changed outside the console; calls are not sealed to it until an administrator sets that role&apos;s passphrase again: %1</source>
        <translation>⚠ 某一角色的通话记录密钥在控制台之外被改动；在管理员重新设置该角色的口令之前，通话不会封存给它：%1</translation>
    </message>
    <message>
        <source>Call history key changed outside the console</source>
        <translation>通话记录密钥在控制台之外被改动</translation>
    </message>
    <message>
        <source>Stay in the call</source>
        <translation>继续通话</translation>
    </message>
    <message>
        <source>End the call and quit</source>
        <translation>结束通话并退出</translation>
    </message>
    <message>
        <source>A call with %1 is in progress. Quitting ends it, and no call reaches this console until it is started again.</source>
        <translation>正在与 %1 通话。退出将结束此通话，并且在再次启动之前，任何来电都无法接通本控制台。</translation>
    </message>
    <message>
        <source>Quit during a call?</source>
        <translation>通话中退出？</translation>
    </message>
    <message>
        <source>Still running</source>
        <translation>仍在运行</translation>
    </message>
    <message>
        <source>Hotline Console keeps running and rings for calls. To stop it, choose Quit (Ctrl+Q).</source>
        <translation>热线控制台继续运行，来电时照常振铃。要停止它，请选择“退出”（Ctrl+Q）。</translation>
    </message>
    <message>
        <source>Hotline Console keeps running in the tray and rings for calls. To stop it, choose Quit in its menu (or Ctrl+Q).</source>
        <translation>热线控制台在系统托盘中继续运行，来电时照常振铃。要停止它，请在托盘菜单中选择“退出”（或按 Ctrl+Q）。</translation>
    </message>
    <message>
        <source>Calling %1: Ctrl+H cancels.</source>
        <translation>正在呼叫 %1：Ctrl+H 取消。</translation>
    </message>
    <message>
        <source>In a call with %1: Ctrl+H hangs up, Ctrl+M mutes.</source>
        <translation>正在与 %1 通话：Ctrl+H 挂断，Ctrl+M 静音。</translation>
    </message>
    <message>
        <source>%1 is calling: Ctrl+Enter answers, Ctrl+D declines.</source>
        <translation>%1 来电：Ctrl+Enter 接听，Ctrl+D 拒绝。</translation>
    </message>
    <message>
        <source>Calls · call in progress</source>
        <translation>通话 · 正在通话</translation>
    </message>
    <message>
        <source>Show the call</source>
        <translation>显示通话</translation>
    </message>
    <message>
        <source>Quit the console</source>
        <translation>退出控制台</translation>
    </message>
    <message>
        <source>Stop the console: no call reaches it until it is started again (Ctrl+Q). Closing the window keeps it running.</source>
        <translation>停止控制台：在再次启动之前，任何来电都无法接通 (Ctrl+Q)。关闭窗口不会停止控制台。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Show the console</source>
        <translation>显示控制台</translation>
    </message>
    <message>
        <source>Records not written</source>
        <translation>记录未写入</translation>
    </message>
    <message>
        <source>Records warning</source>
        <translation>记录警告</translation>
    </message>
    <message>
        <source>Peer directory warning</source>
        <translation>对端目录警告</translation>
    </message>
    <message>
        <source>Peer directory changed outside the console</source>
        <translation>对端目录在控制台之外被修改</translation>
    </message>
    <message>
        <source>⚠ The peer directory was changed outside the console; those peers are refused until an administrator removes them and imports their cards again: %1</source>
        <translation>⚠ 对端目录在控制台之外被修改；在管理员删除这些对端并重新导入其名片之前，将拒绝与其通话：%1</translation>
    </message>
    <message>
        <source>⚠ The console cannot write its records now (call history, replay protection): %1. Calls go on; what waits is kept in memory and retried every %2 seconds.</source>
        <translation>⚠ 控制台目前无法写入记录（通话历史、重放保护）：%1。通话照常进行；待写内容保存在内存中，每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message numerus="yes">
        <source>%n missed call(s) on %1</source>
        <translation>
            <numerusform>%1 有 %n 个未接来电</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — Hotline Console</source>
        <translation>%1 — 热线控制台</translation>
    </message>
    <message>
        <source>This console&apos;s fingerprint: %1</source>
        <translation>本控制台的指纹：%1</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Lock the operator and administrator roles now</source>
        <translation>立即锁定操作员和管理员角色</translation>
    </message>
    <message>
        <source>Lock the roles</source>
        <translation>锁定角色</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>History</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message numerus="yes">
        <source>Calls (%n missed)</source>
        <translation>
            <numerusform>呼叫（%n 个未接）</numerusform>
        </translation>
    </message>
    <message>
        <source>Official</source>
        <translation>官员</translation>
    </message>
    <message>
        <source>Unlocked: %1</source>
        <translation>已解锁：%1</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>%1 is calling %2</source>
        <translation>%1 正在呼叫 %2</translation>
    </message>
</context>
<context>
    <name>hotline::ui::PeerTile</name>
    <message>
        <source>Online · round trip —</source>
        <translation>在线 · 往返时延 —</translation>
    </message>
    <message>
        <source>Echo Test</source>
        <translation>回声测试</translation>
    </message>
    <message>
        <source>Hear yourself through the whole pipeline before a real call</source>
        <translation>正式通话前，经由完整通话链路收听自己的声音</translation>
    </message>
    <message>
        <source>Disabled by the administrator</source>
        <translation>已被管理员停用</translation>
    </message>
    <message>
        <source>Key verified</source>
        <translation>密钥已验证</translation>
    </message>
    <message>
        <source>Key NOT verified</source>
        <translation>密钥未验证</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Call the Echo Test line</source>
        <translation>呼叫回声测试线路</translation>
    </message>
    <message>
        <source>Call %1</source>
        <translation>呼叫 %1</translation>
    </message>
    <message>
        <source>Always available</source>
        <translation>始终可用</translation>
    </message>
    <message>
        <source>Line status not known yet</source>
        <translation>线路状态尚不明确</translation>
    </message>
    <message>
        <source>Online · round trip %1 ms</source>
        <translation>在线 · 往返时延 %1 ms</translation>
    </message>
    <message>
        <source>Offline · last seen %1</source>
        <translation>离线 · 最后在线 %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>hotline::ui::PeersPage</name>
    <message>
        <source>Show as QR code</source>
        <translation>显示为二维码</translation>
    </message>
    <message>
        <source>This console&apos;s fingerprint</source>
        <translation>本控制台的指纹</translation>
    </message>
    <message>
        <source>This console, %1 — fingerprint: %2</source>
        <translation>本控制台 %1 — 指纹：%2</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Disable %1? Its calls are refused, and it cannot be called, until it is enabled again.</source>
        <translation>停用 %1？在重新启用之前，将拒绝其来电，也无法呼叫它。</translation>
    </message>
    <message>
        <source>Disable %1?</source>
        <translation>停用 %1？</translation>
    </message>
    <message>
        <source>%1 is too large to be a peer card (%2 bytes; a card is about one kilobyte).</source>
        <translation>%1 太大，不可能是对方名片（%2 字节；名片约为 1 KB）。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Drop a peer card file here, or use the buttons below.</source>
        <translation>将对端名片文件拖放到此处，或使用下方的按钮。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation>验证人</translation>
    </message>
    <message>
        <source>Peer directory</source>
        <translation>对端目录</translation>
    </message>
    <message>
        <source>Import card…</source>
        <translation>导入名片…</translation>
    </message>
    <message>
        <source>Paste card</source>
        <translation>粘贴名片</translation>
    </message>
    <message>
        <source>Verify…</source>
        <translation>验证…</translation>
    </message>
    <message>
        <source>Addresses…</source>
        <translation>地址…</translation>
    </message>
    <message>
        <source>Pre-shared key…</source>
        <translation>预共享密钥…</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Export this console&apos;s card…</source>
        <translation>导出本控制台名片…</translation>
    </message>
    <message>
        <source>Show this console&apos;s card as a QR code</source>
        <translation>以二维码显示本控制台名片</translation>
    </message>
    <message>
        <source>Import a peer card</source>
        <translation>导入对端名片</translation>
    </message>
    <message>
        <source>Peer cards (*.card);;All files (*)</source>
        <translation>对端名片 (*.card);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>DISABLED</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>pre-shared key</source>
        <translation>预共享密钥</translation>
    </message>
    <message numerus="yes">
        <source>%n refused line-status probe(s)</source>
        <translation>
            <numerusform>已拒绝 %n 次线路状态探测</numerusform>
        </translation>
    </message>
    <message>
        <source>NOT VERIFIED</source>
        <translation>未验证</translation>
    </message>
    <message>
        <source>This card cannot be imported</source>
        <translation>无法导入此名片</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>未导入：%1</translation>
    </message>
    <message>
        <source>This key is already in the directory as %1.</source>
        <translation>该密钥已在对端目录中，名称为 %1。</translation>
    </message>
    <message>
        <source>%1 imported, not verified yet.</source>
        <translation>已导入 %1，尚未验证。</translation>
    </message>
    <message>
        <source>%1 is verified.</source>
        <translation>%1 已验证。</translation>
    </message>
    <message>
        <source>Addresses of %1</source>
        <translation>%1 的地址</translation>
    </message>
    <message>
        <source>One to four HOST:PORT, separated by spaces:</source>
        <translation>一至四个地址（主机:端口），以空格分隔：</translation>
    </message>
    <message>
        <source>Addresses of %1 changed.</source>
        <translation>%1 的地址已更改。</translation>
    </message>
    <message>
        <source>Generate a new key (shown once)</source>
        <translation>生成新密钥（仅显示一次）</translation>
    </message>
    <message>
        <source>Set the key from a file…</source>
        <translation>从文件设置密钥…</translation>
    </message>
    <message>
        <source>Remove the key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>New pre-shared key for %1</source>
        <translation>%1 的新预共享密钥</translation>
    </message>
    <message>
        <source>Hand this key to the other side&apos;s administrator out of band. It is shown only now. Calls fail until both sides have it.</source>
        <translation>请通过带外渠道将此密钥交给对方管理员。密钥仅在此时显示。双方均配置此密钥之前，呼叫将无法建立。</translation>
    </message>
    <message>
        <source>Pre-shared key of %1 set.</source>
        <translation>已设置 %1 的预共享密钥。</translation>
    </message>
    <message>
        <source>Pre-shared key file</source>
        <translation>预共享密钥文件</translation>
    </message>
    <message>
        <source>Pre-shared key of %1 removed.</source>
        <translation>已移除 %1 的预共享密钥。</translation>
    </message>
    <message>
        <source>%1 is disabled: its calls are refused.</source>
        <translation>%1 已停用：其呼叫将被拦截。</translation>
    </message>
    <message>
        <source>%1 is enabled.</source>
        <translation>%1 已启用。</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>移除 %1？</translation>
    </message>
    <message>
        <source>Remove %1 from the directory? Its calls will be refused. The call history keeps its name and fingerprint.</source>
        <translation>确定要从对端目录中移除 %1 吗？其呼叫将被拦截。通话记录中仍会保留其名称和指纹。</translation>
    </message>
    <message>
        <source>%1 removed.</source>
        <translation>已移除 %1。</translation>
    </message>
    <message>
        <source>This console listens on every address: set the address peers reach in the settings before exporting its card.</source>
        <translation>本控制台正在监听所有地址：导出名片前，请先在设置中填写对端可访问的地址。</translation>
    </message>
    <message>
        <source>Export this console&apos;s card</source>
        <translation>导出本控制台名片</translation>
    </message>
    <message>
        <source>Peer cards (*.card)</source>
        <translation>对端名片 (*.card)</translation>
    </message>
    <message>
        <source>Card written to %1</source>
        <translation>名片已写入 %1</translation>
    </message>
    <message>
        <source>This console&apos;s card</source>
        <translation>本控制台名片</translation>
    </message>
    <message>
        <source>QR code of this console&apos;s card</source>
        <translation>本控制台名片的二维码</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>指纹：</translation>
    </message>
</context>
<context>
    <name>hotline::ui::RoleGatedPage</name>
    <message>
        <source>This page needs the %1 role.</source>
        <translation>此页面需要%1角色。</translation>
    </message>
    <message>
        <source>Unlock…</source>
        <translation>解锁…</translation>
    </message>
    <message>
        <source>Unlock the %1 role</source>
        <translation>解锁%1角色</translation>
    </message>
</context>
<context>
    <name>hotline::ui::ScreenshotTour</name>
    <message>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n screenshot(s) in %1</source>
        <translation>
            <numerusform>已在 %1 中保存 %n 张截图</numerusform>
        </translation>
    </message>
    <message>
        <source>timed out at step &apos;%1&apos;</source>
        <translation>在步骤“%1”处超时</translation>
    </message>
</context>
<context>
    <name>hotline::ui::SettingsPage</name>
    <message>
        <source>This console&apos;s key has no passphrase: anyone who can read this computer&apos;s copy of the profile can use it to place and answer calls as this console and to sign its audit log. To protect the key, create the console again with a key passphrase.</source>
        <translation>本控制台的密钥没有口令：任何能读取本机配置文件的人都能用它以本控制台的身份拨打和接听电话，并签署其审计日志。如需保护密钥，请重新创建控制台并设置密钥口令。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Nothing to save: no setting was changed.</source>
        <translation>没有需要保存的内容：没有更改任何设置。</translation>
    </message>
    <message>
        <source>Enter the address this console listens on, such as 0.0.0.0:47000.</source>
        <translation>请输入本控制台的监听地址，例如 0.0.0.0:47000。</translation>
    </message>
    <message>
        <source>The settings cannot be read: %1</source>
        <translation>无法读取设置：%1</translation>
    </message>
    <message>
        <source>Loading the settings…</source>
        <translation>正在读取设置…</translation>
    </message>
    <message>
        <source>Not during a call: the tone would play into the call.</source>
        <translation>通话期间不可用：测试音会播放到通话中。</translation>
    </message>
    <message>
        <source>This console no longer starts when you log in.</source>
        <translation>本控制台不再在您登录时启动。</translation>
    </message>
    <message>
        <source>This console now starts when you log in.</source>
        <translation>本控制台将在您登录时启动。</translation>
    </message>
    <message>
        <source>So that calls reach it after every login (%1)</source>
        <translation>以便每次登录后都能接到来电 (%1)</translation>
    </message>
    <message>
        <source>Start this console when I log in</source>
        <translation>登录时启动本控制台</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Loudspeaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Loudspeaker:</source>
        <translation>扬声器：</translation>
    </message>
    <message>
        <source>Test tone and microphone</source>
        <translation>测试音与麦克风</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>麦克风电平</translation>
    </message>
    <message>
        <source>20 ms (default)</source>
        <translation>20 ms（默认）</translation>
    </message>
    <message>
        <source>10 ms (lower delay, 32 kb/s or more)</source>
        <translation>10 ms（延迟更低，需 32 kb/s 或以上）</translation>
    </message>
    <message>
        <source>Frame size:</source>
        <translation>帧长：</translation>
    </message>
    <message>
        <source> b/s</source>
        <translation> b/s</translation>
    </message>
    <message>
        <source>Bitrate:</source>
        <translation>比特率：</translation>
    </message>
    <message>
        <source>Echo cancellation</source>
        <translation>回声消除</translation>
    </message>
    <message>
        <source>Noise suppression</source>
        <translation>噪声抑制</translation>
    </message>
    <message>
        <source>Also takes out the echo that echo cancellation leaves</source>
        <translation>同时消除回声消除后残留的回声</translation>
    </message>
    <message>
        <source>Listening address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>Listening address (after a restart):</source>
        <translation>监听地址（重启后生效）：</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Lock roles after idle:</source>
        <translation>空闲多久后锁定角色：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Playing a 440 Hz tone; speak to see the microphone level.</source>
        <translation>正在播放 440 Hz 测试音；请说话以查看麦克风电平。</translation>
    </message>
    <message>
        <source>10 ms frames need a bitrate of 32000 b/s or more.</source>
        <translation>10 ms 帧长需要 32000 b/s 或以上的比特率。</translation>
    </message>
    <message>
        <source>Saved. Echo cancellation, noise suppression and the listening address apply from the next start of the console.</source>
        <translation>已保存。回声消除、噪声抑制和监听地址将在控制台下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>hotline::ui::UnlockDialog</name>
    <message>
        <source>Unlock the %1 role</source>
        <translation>解锁%1角色</translation>
    </message>
    <message>
        <source>Passphrase of the %1 role:</source>
        <translation>%1角色的口令：</translation>
    </message>
    <message>
        <source>Role passphrase</source>
        <translation>角色口令</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
</context>
<context>
    <name>hotline::ui::VerifyDialog</name>
    <message>
        <source>The name of whoever read the digits</source>
        <translation>核对数字者的姓名</translation>
    </message>
    <message>
        <source>Verify %1</source>
        <translation>验证 %1</translation>
    </message>
    <message>
        <source>Call the administrator of %1 on a channel you trust and read these 60 digits to each other. Mark the peer verified only if every digit matches.</source>
        <translation>请通过您信任的渠道致电 %1 的管理员，双方互相朗读这 60 位数字。只有每一位数字都一致时，才可将该对端标记为已验证。</translation>
    </message>
    <message>
        <source>Compared by:</source>
        <translation>核对人：</translation>
    </message>
    <message>
        <source>Who compared the fingerprint</source>
        <translation>核对指纹的人员</translation>
    </message>
    <message>
        <source>The digits match: mark verified</source>
        <translation>数字一致：标记为已验证</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>hotline::ui::CallWindow</name>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
</context>
<context>
    <name>hotline::ui::CallsPage</name>
    <message>
        <source>No calls yet</source>
        <translation>尚无通话</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>最近通话</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The %1 and %2 passphrases must differ: whoever learns one must not hold the other.</source>
        <translation>%1口令与%2口令必须不同：得知其一的人不应同时掌握另一个。</translation>
    </message>
    <message>
        <source>The %1 passphrase is too short: it needs at least %2 characters.</source>
        <translation>%1口令太短：至少需要 %2 个字符。</translation>
    </message>
    <message>
        <source>key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>The console reports a technical problem (in English): %1</source>
        <translation>控制台报告技术问题（英文原文）：%1</translation>
    </message>
    <message>
        <source>The file %1 cannot be written (a folder that does not exist, or no permission to write there).</source>
        <translation>无法写入文件 %1（文件夹不存在，或没有写入权限）。</translation>
    </message>
    <message>
        <source>A key of all zeros is no key. Generate one instead.</source>
        <translation>全零的密钥不能作为密钥。请改为生成一个。</translation>
    </message>
    <message>
        <source>This is not a pre-shared key: a key is 32 bytes written as one line of base64 (44 characters).</source>
        <translation>这不是预共享密钥：密钥为 32 字节，写成一行 base64（44 个字符）。</translation>
    </message>
    <message>
        <source>Line %1 of the card: %2</source>
        <translation>名片第 %1 行：%2</translation>
    </message>
    <message>
        <source>The name must not begin or end with a space.</source>
        <translation>名称首尾不能是空格。</translation>
    </message>
    <message>
        <source>The name contains a control or invisible character.</source>
        <translation>名称含有控制字符或不可见字符。</translation>
    </message>
    <message>
        <source>The name is too long: %1 bytes, at most %2 (a Chinese character takes 3).</source>
        <translation>名称过长：%1 字节，最多 %2 字节（一个汉字占 3 字节）。</translation>
    </message>
    <message>
        <source>The name is empty.</source>
        <translation>名称为空。</translation>
    </message>
    <message>
        <source>The card is damaged (%1). Ask the other side to send it again.</source>
        <translation>名片已损坏（%1）。请对方重新发送。</translation>
    </message>
    <message>
        <source>The card&apos;s signature does not match its contents: the card was changed after it was signed. Do not import it; ask the other side for its card again.</source>
        <translation>名片签名与内容不符：名片在签名后被改动。请勿导入，并请对方重新发送名片。</translation>
    </message>
    <message>
        <source>The card&apos;s fingerprint does not belong to its key: the card was changed. Do not import it; ask the other side for its card again.</source>
        <translation>名片中的指纹与其密钥不符：名片已被改动。请勿导入，并请对方重新发送名片。</translation>
    </message>
    <message>
        <source>The card&apos;s public key is not a usable key. Ask the other side to send its card again.</source>
        <translation>名片中的公钥不可用。请对方重新发送名片。</translation>
    </message>
    <message>
        <source>This text is too long to be a peer card (%1 bytes; a card has at most %2).</source>
        <translation>此文本过长，不是对端名片（%1 字节；名片最多 %2 字节）。</translation>
    </message>
    <message>
        <source>This card is of version %1, which this console does not read. Update the console, or ask for a card of version 1.</source>
        <translation>此名片为第 %1 版，本控制台无法读取。请升级控制台，或索取第 1 版名片。</translation>
    </message>
    <message>
        <source>This is not a Hotline Console peer card (it has no “hotline-card 1” line).</source>
        <translation>这不是热线控制台的对端名片（缺少“hotline-card 1”一行）。</translation>
    </message>
    <message>
        <source>The address %1 cannot be used from this computer (its network interface does not exist here). Set an address that works here with Addresses….</source>
        <translation>地址 %1 在本机上无法使用（其网络接口在本机不存在）。请通过“地址…”设置本机可用的地址。</translation>
    </message>
    <message>
        <source>This is this console&apos;s own card. Import the other console&apos;s card.</source>
        <translation>这是本控制台自己的名片。请导入对方控制台的名片。</translation>
    </message>
    <message>
        <source>This key is already in the directory, as peer “%1”.</source>
        <translation>此密钥已在目录中，对应对端“%1”。</translation>
    </message>
    <message>
        <source>A peer named “%1” is already in the directory.</source>
        <translation>目录中已有名为“%1”的对端。</translation>
    </message>
    <message>
        <source>There is no peer named “%1” (it may have just been removed).</source>
        <translation>没有名为“%1”的对端（可能刚被删除）。</translation>
    </message>
    <message>
        <source>No %1 passphrase is set on this console yet. An administrator sets it in Settings.</source>
        <translation>本控制台尚未设置%1口令。请由管理员在“设置”中设置。</translation>
    </message>
    <message>
        <source>Too many wrong %1 passphrases: try again in %2 s.</source>
        <translation>%1口令错误次数过多：请在 %2 秒后重试。</translation>
    </message>
    <message>
        <source>Wrong %1 passphrase. After %2 wrong tries in a row the role is locked for %3 s.</source>
        <translation>%1口令错误。连续错误 %2 次后，该角色锁定 %3 秒。</translation>
    </message>
    <message>
        <source>Wrong %1 passphrase.</source>
        <translation>%1口令错误。</translation>
    </message>
    <message>
        <source>In “%1”, the network interface after ‘%’ does not exist on this computer.</source>
        <translation>“%1”中“%”之后的网络接口在本机上不存在。</translation>
    </message>
    <message>
        <source>In “%1”, the part after ‘%’ must be a network interface name or number.</source>
        <translation>“%1”中“%”之后必须是网络接口名称或编号。</translation>
    </message>
    <message>
        <source>In “%1”, the network interface after ‘%’ is missing.</source>
        <translation>“%1”中“%”之后缺少网络接口。</translation>
    </message>
    <message>
        <source>“%1” is not an IP address. Give the numeric IPv4 or IPv6 address (names are not looked up, so that no third party learns whom this console calls).</source>
        <translation>“%1”不是 IP 地址。请填写数字形式的 IPv4 或 IPv6 地址（本控制台不解析域名，以免第三方得知它呼叫谁）。</translation>
    </message>
    <message>
        <source>In “%1”, the port must be between 1 and 65535.</source>
        <translation>“%1”中的端口必须在 1 到 65535 之间。</translation>
    </message>
    <message>
        <source>In “%1”, the port must be a number.</source>
        <translation>“%1”中的端口必须是数字。</translation>
    </message>
    <message>
        <source>“%1” has no port: add a colon and the port, for example :47000.</source>
        <translation>“%1”缺少端口：请加上冒号和端口号，例如 :47000。</translation>
    </message>
    <message>
        <source>“%1” has a port but no address before it.</source>
        <translation>“%1”有端口，但前面没有地址。</translation>
    </message>
    <message>
        <source>In “%1”, write the IPv6 address in brackets, then the port, for example [2001:db8::7]:47000.</source>
        <translation>“%1”：IPv6 地址须写在方括号内，后接端口，例如 [2001:db8::7]:47000。</translation>
    </message>
    <message>
        <source>In “%1”, a colon and the port must follow ‘]’, for example [2001:db8::7]:47000.</source>
        <translation>“%1”：“]”之后必须是冒号和端口，例如 [2001:db8::7]:47000。</translation>
    </message>
    <message>
        <source>In “%1”, brackets are only for IPv6 addresses; write an IPv4 address without them, for example 192.0.2.7:47000.</source>
        <translation>“%1”：方括号只用于 IPv6 地址；IPv4 地址请不加方括号，例如 192.0.2.7:47000。</translation>
    </message>
    <message>
        <source>In “%1”, the IPv6 address has no closing ‘]’.</source>
        <translation>“%1”中的 IPv6 地址缺少右方括号“]”。</translation>
    </message>
    <message>
        <source>The address “%1” contains a space or a character that cannot be in an address. Separate several addresses with spaces or commas.</source>
        <translation>地址“%1”含有空格或地址中不能出现的字符。多个地址请用空格或逗号分隔。</translation>
    </message>
    <message>
        <source>No address was given. Write it as HOST:PORT, for example 192.0.2.7:47000 or [2001:db8::7]:47000.</source>
        <translation>未填写地址。请按“主机:端口”填写，例如 192.0.2.7:47000 或 [2001:db8::7]:47000。</translation>
    </message>
</context>
<context>
    <name>hotline::ui::EndpointsDialog</name>
    <message>
        <source>Give one to %1 addresses.</source>
        <translation>请填写一至 %1 个地址。</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>One to four addresses as HOST:PORT, separated by spaces or commas, for example 192.0.2.7:47000, [2001:db8::7]:47000</source>
        <translation>一至四个“主机:端口”形式的地址，用空格或逗号分隔，例如 192.0.2.7:47000, [2001:db8::7]:47000</translation>
    </message>
    <message>
        <source>Addresses of %1</source>
        <translation>%1 的地址</translation>
    </message>
</context>
</TS>
