//! The string table: `(key, English, 简体中文)`, grouped by where the
//! text appears. Placeholders: `{}` is the next argument, `{N}` argument N
//! (a translation may reorder them; see `i18n::tf`). Where a closed set of
//! values is still free text in the trace (reasons, notes), the English
//! side is exactly the text the code writes, so `i18n::retranslate` can
//! read its arguments back.
//!
//! Size budget: the entries are written as tuples but stored as one string
//! (`table!` joins them with separators), read into a slice on first use.
//! A `&[(&str, &str, &str)]` constant costs 24 bytes of pointers per entry
//! in the wasm, ~4 KB gzipped for this table, more than the code that
//! splits the string.

use std::sync::OnceLock;

/// One entry: `(key, English, 简体中文)`.
pub type Entry = (&'static str, &'static str, &'static str);

/// Between the three parts of an entry.
const PART: char = '\u{1f}';
/// After each entry.
const END: char = '\u{1e}';

/// Joins `(key, en, zh)` tuples into one string, `TEXT`: `key PART en PART
/// zh END`… natively. In the page (wasm) `TEXT` holds `key PART en END`…
/// only: the Chinese column is the file `www/i18n/zh.txt` (checked against
/// this table by a test), fetched when the page shows Chinese (see
/// [`super::load_zh`]), so a reader of English does not download it.
macro_rules! table {
    ($(($key:literal, $en:literal, $zh:literal $(,)?)),* $(,)?) => {
        /// The table as stored (see the macro).
        #[cfg(not(target_arch = "wasm32"))]
        const TEXT: &str = concat!($($key, '\u{1f}', $en, '\u{1f}', $zh, '\u{1e}'),*);
        /// The table as stored, without Chinese (see the macro).
        #[cfg(target_arch = "wasm32")]
        const TEXT: &str = concat!($($key, '\u{1f}', $en, '\u{1e}'),*);
    };
}

table![

    // Toolbar
    ("toolbar", "Simulation controls", "模拟控制"),
    ("play", "Play", "播放"),
    ("pause", "Pause", "暂停"),
    ("step", "Step", "单步"),
    ("speed", "Speed", "速度"),
    ("reset", "Reset", "重置"),
    ("new_seed", "New seed", "换随机种子"),
    ("client_request", "Client request", "客户端请求"),
    ("partition", "Partition", "网络分区"),
    ("heal", "Heal", "恢复网络"),
    ("add_server", "Add server", "添加节点"),
    ("settings", "Settings", "设置"),
    ("share", "Share", "分享"),
    ("more", "More", "更多"),
    ("tip_play", "Play or pause (Space)", "播放或暂停（空格）"),
    ("tip_step", "Run exactly one event: a delivery or a timer (S)", "只运行一个事件：一次消息送达或一次计时器（S）"),
    ("tip_speed", "Simulated time per real second", "每一秒真实时间对应的模拟时间"),
    ("tip_reset", "Start this run again from time 0 (R)", "从 0 时刻重新开始本次运行（R）"),
    ("tip_seed", "The same cluster with different random timings (N)", "同样的集群，换一组随机时间（N）"),
    ("tip_request", "Send a write to the leader (Q)", "向领导者发送一次写请求（Q）"),
    ("tip_partition", "Split the network into groups (P)", "把网络分成几组（P）"),
    ("tip_heal", "Remove every partition and cut link (H)", "消除所有分区和断开的连接（H）"),
    ("tip_add", "Add a new server to the cluster (membership change)", "向集群添加一台新服务器（成员变更）"),
    ("tip_help", "Keyboard shortcuts (?)", "键盘快捷键（?）"),
    ("close", "Close", "关闭"),
    ("apply", "Apply", "应用"),
    ("cancel", "Cancel", "取消"),
    ("partition_help", "Click nodes to move them between groups ①, ② and ③, then apply.", "点击节点，把它们分到 ①、②、③ 组，然后应用。"),
    ("group_label", "group {}", "分组 {}"),
    ("canvas_label", "The cluster. Click a node, a link or a message.", "集群视图。可点击节点、连线或消息。"),
    ("timeline_label", "Timeline: drag to travel in time", "时间线：拖动以回到任意时刻"),
    // Node menu
    ("m_timeout", "Time out now", "立即超时"),
    ("m_crash", "Crash", "宕机"),
    ("m_restart", "Restart", "重启"),
    ("m_request", "Client request here", "向此节点发送请求"),
    ("m_isolate", "Isolate", "隔离"),
    ("m_transfer", "Transfer leadership here", "把领导权转移到这里"),
    ("m_compact", "Compact log (snapshot)", "压缩日志（快照）"),
    ("m_remove", "Remove from cluster", "移出集群"),
    ("m_details", "Show full state", "查看完整状态"),
    ("drop_message", "Drop this message", "丢弃这条消息"),
    // Panels
    ("safety", "Safety properties", "安全性"),
    ("details", "Node details", "节点详情"),
    ("details_hint", "Click a node to see its full state.", "点击一个节点查看它的完整状态。"),
    ("event_log", "Event log", "事件日志"),
    // The rule panel (rules_ui): its rule texts are the fetched www/rules/rules.txt.
    ("rules_title", "Rules of the paper", "论文中的规则"),
    ("rules_loading", "Loading the rules…", "正在加载规则…"),
    ("rules_failed", "The rules could not be loaded ({0}). Reload the page to try again.", "无法加载规则（{0}）。请刷新页面重试。"),
    ("rules_hint", "Click an event in the log to see the rule behind it.", "点击事件日志中的一条事件，查看它依据的规则。"),
    ("rules_latest", "Latest event: {0}", "最新事件：{0}"),
    ("rules_selected", "Selected event: {0}", "所选事件：{0}"),
    ("log_filter", "Show only some events", "只显示部分事件"),
    ("f_all", "All events", "全部事件"),
    ("f_election", "Elections", "选举"),
    ("f_replication", "Replication", "日志复制"),
    ("f_client", "Client", "客户端"),
    ("f_fault", "Faults", "故障"),
    ("f_membership", "Membership", "成员变更"),
    ("f_message", "Messages", "消息"),
    ("search", "Filter…", "筛选…"),
    ("open_full", "Open in Raftlab ↗", "在 Raftlab 中打开 ↗"),
    // Settings dialog
    ("new_run", "New run", "新的运行"),
    ("new_run_hint", "These settings start a new run.", "这些设置会开始一次新的运行。"),
    ("cluster_size", "Cluster size", "集群大小"),
    ("seed", "Seed", "随机种子"),
    ("election_timeout", "Election timeout (ms)", "选举超时（毫秒）"),
    ("heartbeat", "Heartbeat (ms)", "心跳间隔（毫秒）"),
    ("latency", "Latency (ms)", "网络延迟（毫秒）"),
    ("loss", "Message loss (%)", "丢包率（%）"),
    ("apply_restart", "Start new run", "开始新的运行"),
    ("protocol", "Protocol (takes effect now)", "协议（立即生效）"),
    ("prevote", "Pre-Vote", "预投票（Pre-Vote）"),
    ("checkquorum", "CheckQuorum", "法定人数检查（CheckQuorum）"),
    (
        "sticky_leader",
        "Ignore RequestVote while a leader is heard (§6)",
        "听得到领导者时忽略投票请求（§6）",
    ),
    ("backoff_hint", "Fast log back-off (conflict hint)", "快速回退（冲突提示）"),
    ("membership", "Membership change", "成员变更"),
    ("membership_hint", "Choose the new set of voters.", "选择新的投票成员集合。"),
    ("joint_change", "Change by joint consensus", "用联合共识变更"),
    ("unsafe_change", "Change in one step (unsafe)", "一步直接变更（不安全）"),
    ("unsafe_title", "⚠ UNSAFE: teaching switches", "⚠ 不安全：教学开关"),
    ("unsafe_hint", "Each switch breaks one of Raft's safety rules on purpose, to show why the rule exists.", "每个开关都故意破坏 Raft 的一条安全规则，用来说明这条规则为什么存在。"),
    ("u_commit_old_terms", "Commit entries of old terms by counting", "按副本数提交旧任期的日志"),
    ("u_vote_without_log_check", "Vote without the log check", "投票时不检查日志"),
    ("u_forget_vote_on_restart", "Forget the vote on restart", "重启后忘记投票"),
    ("u_direct_change", "Allow one-step membership change", "允许一步完成成员变更"),
    ("confirm_unsafe", "Turn on an unsafe switch?", "打开不安全开关？"),
    ("turn_on", "Turn it on", "打开"),
    ("confirm_text", "“{}” breaks Raft on purpose: the cluster may lose committed data or elect two leaders. The safety panel will show what goes wrong.", "“{}”会故意破坏 Raft：集群可能丢失已提交的数据，或选出两个领导者。安全性面板会显示出了什么问题。"),
    // Share dialog
    ("share_link", "Link to this run at this moment", "指向本次运行此刻的链接"),
    ("copy", "Copy", "复制"),
    ("copied", "Copied to the clipboard.", "已复制到剪贴板。"),
    ("copy_failed", "Could not copy: select the text and copy it yourself.", "无法复制：请选中文字后手动复制。"),
    ("embed_snippet", "Embed in a course page", "嵌入课程页面"),
    ("export_trace", "Export trace (JSON Lines)", "导出事件记录（JSON Lines）"),
    ("export_png", "Export picture (PNG)", "导出图片（PNG）"),
    ("scenario_text", "This run as a scenario (you may edit it)", "本次运行的场景脚本（可以修改）"),
    ("open_scenario", "Open this scenario", "打开此场景"),
    ("scenario_bad", "Not opened: {}", "未打开：{}"),
    // Help
    ("help_title", "Keyboard shortcuts", "键盘快捷键"),
    ("help_mouse", "Click a node for its actions, a line between nodes to cut it, a moving message to inspect or drop it. Drag the timeline to travel in time; acting in the past starts a new future. Drag a server to move it, pinch or scroll with two fingers to zoom and pan; a double-click or double-tap on empty space puts everything back.", "点击节点可以操作它，点击节点之间的连线可以切断它，点击飞行中的消息可以查看或丢弃它。拖动时间线可以回到过去；在过去做出操作会开启一条新的时间线。拖动节点可以移动它，双指捏合或滑动可以缩放和平移；在空白处双击或轻点两下可以全部复原。"),
    ("k_space", "Play / pause", "播放 / 暂停"),
    ("k_step", "Step one event", "单步执行一个事件"),
    ("k_speed", "Slower / faster", "更慢 / 更快"),
    ("k_seek", "Back / forward 100 ms (Shift: 1 s)", "后退 / 前进 100 毫秒（Shift：1 秒）"),
    ("k_select", "Select node 1–9", "选择节点 1–9"),
    ("k_menu", "Actions of the selected node", "所选节点的操作菜单"),
    ("k_crash", "Crash / restart the selected node", "让所选节点宕机 / 重启"),
    ("k_timeout", "Time out the selected node now", "让所选节点立即超时"),
    ("k_request", "Client request to the leader", "向领导者发送客户端请求"),
    ("k_partition", "Partition mode / heal", "分区模式 / 恢复网络"),
    ("k_cut", "Cut or restore the selected node's link to another (then its number)", "切断或恢复所选节点与另一节点之间的链路（再按其编号）"),
    ("k_messages", "Previous / next message in flight (then Enter drops it)", "上一条 / 下一条传输中的消息（再按回车丢弃）"),
    ("k_reset", "Reset / new seed (not in a lesson)", "重置 / 换随机种子（课程中不可用）"),
    ("k_link", "Share this moment", "分享此刻"),
    ("k_help", "This help", "本帮助"),
    ("k_escape", "Close menus and dialogs", "关闭菜单和对话框"),
    ("k_lesson_next", "Lesson: Next (a clicker)", "课程：下一步（翻页笔）"),
    ("k_lesson_back", "Lesson: Back", "课程：上一步"),
    ("k_present", "Presentation mode", "演示模式"),
    ("present", "Present", "演示"),
    ("tip_present", "Large text, no side panel (F)", "大字号，隐藏侧栏（F）"),
    ("bad_controls", "controls={}? Use controls=lesson (or all).", "无法识别 controls={}，请用 controls=lesson。"),
    // Panic
    ("panic_title", "Something went wrong", "出错了"),
    ("panic_hint", "Raftlab hit an internal error. Please send us the bug report; it includes a link that replays your run.", "Raftlab 遇到了内部错误。请把错误报告发给我们；报告中包含可以重放本次运行的链接。"),
    ("copy_bug", "Copy bug report", "复制错误报告"),
    ("reload", "Reload", "重新加载"),
    // Canvas and panels, generated text
    ("follower", "follower", "跟随者"),
    ("precandidate", "pre-candidate", "预候选人"),
    ("candidate", "candidate", "候选人"),
    ("leader", "leader", "领导者"),
    ("crashed", "crashed", "已宕机"),
    ("learner", "learner", "学习者"),
    ("removed", "not a member", "非成员"),
    ("term", "term", "任期"),
    ("term_short", "T", "任期"),
    ("voted_for", "voted for", "投票给"),
    ("votes", "votes", "得票"),
    ("no_vote", "no vote", "未投票"),
    ("commit_index", "commitIndex", "commitIndex"),
    ("index", "index", "索引"),
    ("snapshot", "snapshot", "快照"),
    ("next_index", "next", "nextIndex"),
    ("match_index", "match", "matchIndex"),
    ("groups", "groups", "分组"),
    ("partitioned", "Partitioned", "网络已分区"),
    ("link_cut", "link cut", "连接已断开"),
    ("paused", "paused", "已暂停"),
    ("in_past", "viewing the past", "正在查看过去"),
    ("msg_from_to", "from {} to {}", "从 {} 发往 {}"),
    ("sent_at", "sent", "发送于"),
    ("arrives_at", "arrives", "到达于"),
    ("entries", "entries", "条目"),
    ("none", "none", "无"),
    ("role", "role", "角色"),
    ("leader_hint", "believes the leader is", "认为的领导者"),
    ("last_applied", "lastApplied", "lastApplied"),
    ("membership_role", "membership", "成员身份"),
    ("voters", "voters", "投票成员"),
    ("old_voters", "old voters (joint)", "旧配置（联合共识）"),
    ("learners", "learners", "学习者"),
    ("kv", "key-value store", "键值存储"),
    ("log", "log", "日志"),
    ("progress", "replication progress", "复制进度"),
    ("election_timer", "election timer", "选举计时器"),
    ("node", "node", "节点"),
    ("ok", "holds", "成立"),
    ("violated", "VIOLATED", "被违反"),
    ("violation_paused", "A safety property was violated; the run is paused.", "安全性被违反，运行已暂停。"),
    ("zh_failed", "Chinese text could not be loaded ({}); the page stays in English.", "无法加载中文文本（{}），页面保持英文。"),
    ("bad_link", "This link could not be opened: {}. Showing the default cluster instead.", "无法打开这个链接：{}。改为显示默认集群。"),
    ("bad_scenario", "The scenario could not be read: {}. Showing the default cluster instead.", "无法读取场景：{}。改为显示默认集群。"),
    ("unknown_lesson", "There is no lesson called “{}”. Showing the default cluster instead.", "没有名为“{}”的课程。改为显示默认集群。"),
    ("action_failed", "That did not work: {}", "操作失败：{}"),
    ("need_leader", "There is no leader right now; the request goes nowhere.", "当前没有领导者，请求无处可发。"),
    ("too_many_nodes", "A cluster has at most 16 servers.", "一个集群最多 16 台服务器。"),
    ("kb_no_message", "No message is in flight right now.", "当前没有正在传输的消息。"),
    ("kb_link_pick", "Cut or restore S{}'s link: press the other server's number.", "切断或恢复 S{} 的链路：请按另一台服务器的编号。"),
    ("kb_link_select", "Select a server first (1 … 9), then press X.", "请先选择一台服务器（1 … 9），再按 X。"),
    ("seek_too_far", "One seek goes at most 24 simulated hours past the known run: seek nearer first, or let it play.", "一次跳转最多越过已知运行 24 个模拟小时：请先跳到更近处，或让它继续运行。"),
    ("legend_rv", "RequestVote", "请求投票 RequestVote"),
    ("legend_vote_yes", "vote granted", "同意投票"),
    ("legend_vote_no", "vote denied", "拒绝投票"),
    ("legend_prevote", "PreVote", "预投票 PreVote"),
    ("legend_ae", "AppendEntries with entries", "带日志的 AppendEntries"),
    ("legend_hb", "heartbeat", "心跳"),
    ("legend_ae_ok", "append succeeded", "追加成功"),
    ("legend_ae_fail", "append failed", "追加失败"),
    ("legend_snap", "InstallSnapshot", "安装快照 InstallSnapshot"),
    ("legend_timeout_now", "TimeoutNow", "立即超时 TimeoutNow"),
    ("legend_committed", "committed entry", "已提交条目"),
    ("legend_uncommitted", "uncommitted entry", "未提交条目"),
    // Clients and values on the canvas (issue 12, item 3)
    ("client_label", "client", "客户端"),
    ("client_ok", "ok", "成功"),
    ("client_redirect_to", "redirect to {}", "重定向到 {}"),
    ("legend_client_request", "client request", "客户端请求"),
    ("legend_client_answer", "answer", "回复"),
    ("legend_kv", "state machine", "状态机"),
    ("legend_kv_written", "value just written", "刚写入的值"),
    // Safety properties (paper, Figure 3)
    ("p_election-safety", "Election Safety: at most one leader per term", "选举安全：每个任期最多一个领导者"),
    ("p_leader-append-only", "Leader Append-Only: a leader never overwrites its log", "领导者只追加：领导者从不覆盖自己的日志"),
    ("p_log-matching", "Log Matching: same index and term, same log before", "日志匹配：索引和任期相同，则之前的日志也相同"),
    ("p_leader-completeness", "Leader Completeness: committed entries are in every later leader's log", "领导者完整性：已提交的条目出现在之后所有领导者的日志中"),
    ("p_state-machine-safety", "State Machine Safety: no two servers apply different entries at one index", "状态机安全：任何两台服务器不会在同一索引应用不同的条目"),
    // Lessons (lessons_ui.rs); the lesson texts themselves come from the lesson files.
    ("lessons", "Lessons", "课程"),
    ("tip_lessons", "Guided lessons: Raft step by step", "引导课程：一步一步学 Raft"),
    ("l_list_title", "Learn Raft step by step", "一步一步学 Raft"),
    ("l_list_intro", "Each lesson tells one part of the algorithm on a live cluster. Step through it with Next and Back (Back travels in time), then try it yourself. The cluster behind this list keeps running.", "每一课在一个真实运行的集群上讲解算法的一个部分。用“下一步”和“上一步”逐步浏览（“上一步”会回到过去的时刻），最后自己动手试试。这个列表后面的集群一直在运行。"),
    ("l_free_play", "Free play", "自由探索"),
    ("l_authors", "Course authors: open your own lesson file (docs/lessons.md) or a scenario .txt file.", "课程作者：可以打开自己的课程文件（见 docs/lessons.md）或场景 .txt 文件。"),
    ("l_open_file", "Open a file…", "打开文件…"),
    ("l_url_label", "Lesson file URL", "课程文件网址"),
    ("l_open", "Open", "打开"),
    ("l_url_empty", "Type the address of a lesson file first.", "请先输入课程文件的网址。"),
    ("l_badge_switch", "teaching switch", "教学开关"),
    ("l_all_lessons", "All lessons", "全部课程"),
    ("l_back", "← Back", "← 上一步"),
    ("l_next", "Next →", "下一步 →"),
    ("l_close", "Close the lesson (the cluster stays)", "关闭课程（集群保留）"),
    ("l_step_of", "Step {} of {}", "第 {} 步，共 {} 步"),
    ("l_claims", "True right now", "此刻成立"),
    ("l_claim_ok", "This holds in the run right now", "在当前运行中成立"),
    ("l_claim_no", "This does not hold at this moment of the run", "在运行的这一刻不成立"),
    ("l_try", "Now try it yourself.", "现在自己动手试试。"),
    ("l_controls_yours", "Every control is yours: nodes, messages, the toolbar and the timeline.", "所有控制都交给你了：节点、消息、工具栏和时间线。"),
    ("l_take_controls", "Play freely", "自由操作"),
    ("l_switch_on", "⚠ This lesson turns on a teaching switch: {}. It breaks one of Raft's safety rules on purpose, so the safety panel will flag {}.", "⚠ 本课打开了教学开关：{}。它故意违反 Raft 的一条安全规则，因此安全面板会标出：{}。"),
    ("l_run_safe", "Run it again with the rule", "遵守规则再运行一次"),
    ("l_safe_on", "✓ The same run with every teaching switch off: the rule is kept and the safety panel stays green. The narration describes the unsafe run.", "✓ 同一次运行，但所有教学开关都已关闭：规则得到遵守，安全面板保持绿色。讲解内容描述的是不安全的那次运行。"),
    ("l_run_unsafe", "Back to the lesson's run", "回到课程中的运行"),
    ("l_changed", "You changed the run, so the narration may no longer match what you see.", "你改变了这次运行，讲解可能与你看到的不再一致。"),
    ("l_restart", "Restart the lesson's run", "重新开始课程中的运行"),
    ("l_share_link", "Link to this lesson", "本课链接"),
    ("l_embed_link", "Embed link (for an iframe in a course page)", "嵌入链接（用于课程网页中的 iframe）"),
    ("l_no_link", "This lesson was opened from a file on your computer, so no link can carry it. Put the file on the web and share ?lesson-url=ADDRESS.", "这节课是从你电脑上的文件打开的，链接无法携带它。请把文件放到网上，再分享 ?lesson-url=网址。"),
    ("l_bad_file", "The file {} could not be read: {}", "无法读取文件 {}：{}"),
    ("l_too_big", "it is {} KB; at most {} KB is accepted", "文件有 {} KB，最多只接受 {} KB"),
    ("l_opened", "Opened {}.", "已打开 {}。"),
    ("l_fetch_failed", "The lesson at {} could not be loaded: {}. Showing the default cluster instead.", "无法加载位于 {} 的课程：{}。改为显示默认集群。"),
    ("l_network", "the request failed (a wrong address, a server that is down, or a server that does not let other sites read the file: CORS)", "请求失败（网址错误、服务器未运行，或服务器不允许其他网站读取该文件：CORS）"),
    ("no_streams", "this browser cannot compress or decompress links (Chrome 80, Firefox 113, Safari 16.4 and later can)", "这个浏览器无法压缩或解压链接（Chrome 80、Firefox 113、Safari 16.4 及更新版本可以）"),
    ("link_failed", "The share link could not be made: {}", "无法生成分享链接：{}"),
    ("l_list_loading", "Loading the lessons…", "正在加载课程…"),
    ("l_list_failed", "Some lessons could not be loaded: {}", "有些课程无法加载：{}"),
    ("l_http_status", "the server answered {}", "服务器返回 {}"),
    ("l_expected_violation", "As this lesson expects, the safety panel flags {}: the teaching switch broke the rule. The run is paused.", "正如本课所预期，安全面板标出了：{}。是教学开关破坏了规则。运行已暂停。"),
    // Lesson questions, scores and the review (issue 13; lessons_ui).
    ("l_answer_first", "Choose an answer first: the run waits at this question for your prediction.", "请先选择一个答案：运行停在这个问题上，等待你的预测。"),
    ("q_question", "Predict", "预测"),
    ("q_pick", "Pick an answer (or press its number). The run then plays on and shows which one was right.", "选一个答案（或按它的数字键）。然后运行会继续播放，并显示哪个答案是对的。"),
    ("q_watch", "Your answer: {}. Watch the run play on to the answer…", "你的回答：{}。看运行继续播放，揭晓答案……"),
    ("q_right", "✓ Right.", "✓ 答对了。"),
    ("q_wrong", "✗ Not this time: the run shows {}.", "✗ 这次没答对：运行给出的答案是 {}。"),
    ("q_ungraded", "You changed the run, so it cannot answer this question: at the reveal no choice holds, or more than one does. This answer is not scored.", "你改变了这次运行，所以它无法回答这个问题：揭晓时没有一个选项成立，或者不止一个成立。这个回答不计分。"),
    ("q_held", "The run is at the next step now: press Next for its question.", "运行已到下一步：按“下一步”看它的问题。"),
    ("q_again", "Answered questions keep their result. To answer them again, use “Reset progress” in the lesson list.", "已回答的问题会保留结果。想重新回答，请在课程列表中使用“重置进度”。"),
    ("q_score", "Score {}/{}", "得分 {}/{}"),
    ("q_done", "Completed", "已完成"),
    ("r_review", "Review missed questions", "复习答错的问题"),
    ("r_title", "Questions you missed", "你答错的问题"),
    ("r_none", "No missed questions so far.", "目前还没有答错的问题。"),
    ("r_go", "Go to this question", "回到这个问题"),
    ("r_answers", "You answered {}; the run showed {}.", "你的回答：{}；运行给出的答案：{}。"),
    ("r_reset", "Reset progress", "重置进度"),
    ("r_reset_ask", "Forget every answer and completed lesson kept in this browser?", "要清除这个浏览器里保存的所有回答和已完成的课程吗？"),
    ("r_reset_done", "Progress cleared: every question will be asked again.", "进度已清除：所有问题都会重新提问。"),
    ("node_term", "term {}", "任期 {}"),
    ("details_snapshot", "≤ {0} (term {1})", "≤ {0}（任期 {1}）"),
    ("on", "on", "开"),
    ("off", "off", "关"),
    ("yes", "true", "是"),
    ("no", "false", "否"),
    // Event log (eventlog::describe): one sentence per trace event.
    ("ev_role", "node {0} became {1} in term {2}", "节点 {0} 成为任期 {2} 的{1}"),
    ("ev_leader", "node {0} became leader of term {1} with votes from {2}", "节点 {0} 获得 {2} 的选票，成为任期 {1} 的领导者"),
    ("ev_send", "{0} → {1} sent #{2} {3}", "{0} → {1} 发送 #{2} {3}"),
    ("ev_deliver", "{0} → {1} delivered #{2} {3}", "{0} → {1} 送达 #{2} {3}"),
    ("ev_drop", "{0} → {1} #{2} {3} was lost ({4})", "{0} → {1} 的消息 #{2} {3} 丢失（{4}）"),
    ("ev_commit", "node {0} committed entry {1} (term {2}): {3}", "节点 {0} 提交了条目 {1}（任期 {2}）：{3}"),
    ("ev_commit_noop", "no-op", "空操作"),
    ("ev_commit_config", "configuration {}", "配置 {}"),
    ("ev_crash", "node {} crashed", "节点 {} 宕机"),
    ("ev_removed_excluded", "node {0} shut down: removed by the configuration committed at entry {1}", "节点 {0} 已被移出集群（配置条目 {1} 已提交），关机"),
    ("ev_removed_lost", "node {0} shut down: the change that added it (entry {1}) was lost, another entry committed there", "节点 {0} 关机：加入它的配置变更（条目 {1}）被另一条已提交的条目取代"),
    ("ev_restart", "node {} restarted", "节点 {} 重启"),
    ("ev_timeout_forced", "node {} was made to time out", "节点 {} 被强制超时"),
    ("ev_timeout", "node {}'s election timer fired", "节点 {} 的选举计时器到期"),
    ("ev_partition", "network partitioned: {}", "网络分区：{}"),
    ("ev_isolate", "node {} isolated", "节点 {} 被隔离"),
    ("ev_cut", "link {0} → {1} cut", "断开连接 {0} → {1}"),
    ("ev_restore", "link {0} → {1} restored", "恢复连接 {0} → {1}"),
    ("ev_heal", "network healed", "网络恢复正常"),
    ("ev_request", "leader {0} received “{1}” as entry {2} (term {3})", "领导者 {0} 收到请求“{1}”，写入条目 {2}（任期 {3}）"),
    ("ev_client", "client “{0}” → node {1}: {2}{3}", "客户端请求“{0}”→ 节点 {1}：{2}{3}"),
    ("ev_client_entry", ", entry {}", "，条目 {}"),
    ("ev_client_leader", ", leader is {}", "，领导者是 {}"),
    ("ev_aside", " ({})", "（{}）"),
    ("ev_change", "membership change “{0}” at node {1}: {2}{3}", "成员变更“{0}”在节点 {1}：{2}{3}"),
    ("ev_membership", "node {0} now uses voters {1}", "节点 {0} 的配置：投票成员 {1}"),
    ("ev_membership_old", ", old voters {}", "，旧配置 {}"),
    ("ev_membership_learners", ", learners {}", "，学习者 {}"),
    ("ev_stepdown", "node {0} stepped down: {1}", "节点 {0} 下台：{1}"),
    ("ev_reject", "node {0} ignored an input: {1}", "节点 {0} 忽略了输入：{1}"),
    ("ev_compact", "node {0} compacted its log up to {1}", "节点 {0} 把日志压缩到 {1}"),
    ("ev_snapshot", "node {0} installed a snapshot up to {1} (term {2})", "节点 {0} 安装了快照（到 {1}，任期 {2}）"),
    ("ev_setting", "setting: {}", "设置：{}"),
    ("ev_violation", "⚠ VIOLATION of {0} (nodes {1}): {2}", "⚠ 违反{0}（节点 {1}）：{2}"),
    // One log line for a burst at one moment (eventlog::describe_burst).
    ("ev_commit_many", "node {0} committed entries {1}–{2}", "节点 {0} 提交了条目 {1}–{2}"),
    ("ev_send_many", "{0} → {1} sent {2}", "{0} → {1} 发送 {2}"),
    // What just happened (session::happened), and acting in the past (session::fork).
    ("hp_received", "node {0} received {1} from node {2}", "节点 {0} 收到节点 {2} 的 {1}"),
    ("hp_sent", "node {0} sent {1} to {2}", "节点 {0} 向节点 {2} 发送 {1}"),
    ("hp_more", " (and {} earlier)", "（此前还有 {} 件）"),
    ("hp_label", "Just happened", "刚刚发生"),
    // The canvas in words (summary.rs): the list after the canvas, the live region.
    ("sum_title", "The cluster in words", "用文字描述的集群"),
    ("sum_server", "S{0}: {1}, term {2}, log up to {3}, committed up to {4}", "S{0}：{1}，任期 {2}，日志到第 {3} 条，已提交到第 {4} 条"),
    ("sum_leader", "S{0} is the leader of term {1}", "S{0} 是任期 {1} 的领导者"),
    ("sum_no_leader", "No server leads now", "现在没有领导者"),
    ("sum_down", "S{} is down", "S{} 已宕机"),
    ("sum_up", "S{} is up again", "S{} 已恢复运行"),
    ("sum_commit", "Entries up to {} are committed", "已提交到第 {} 条"),
    ("fork_ask", "This drops the {0} of run after {1}. Continue?", "这会丢弃 {1} 之后已经运行的 {0}。继续吗？"),
    ("fork_yes", "Drop it and act", "丢弃并执行"),
    ("fork_done", "A new future from {}; the old one is kept until you close this.", "新的未来从 {} 开始；关闭此提示之前，旧的未来仍保留。"),
    ("fork_undo", "Undo: bring the old future back", "撤销：恢复旧的未来"),
    // Message summaries (eventlog::message_summary).
    ("msg_heartbeat", "heartbeat (term {})", "心跳（任期 {}）"),
    ("msg_append", "AppendEntries ({0} entries, term {1})", "AppendEntries（{0} 条，任期 {1}）"),
    ("msg_append_one", "AppendEntries ({0} entry, term {1})", "AppendEntries（{0} 条，任期 {1}）"),
    ("msg_append_ok", "AppendEntries reply: ok up to {0} (term {1})", "AppendEntries 回复：匹配到 {0}（任期 {1}）"),
    ("msg_append_fail", "AppendEntries reply: rejected (term {})", "AppendEntries 回复：拒绝（任期 {}）"),
    ("msg_granted", "{0}: granted (term {1})", "{0}：同意（任期 {1}）"),
    ("msg_denied", "{0}: denied (term {1})", "{0}：拒绝（任期 {1}）"),
    ("msg_other", "{0} (term {1})", "{0}（任期 {1}）"),
    // Message popup fields (words::message_fields): Figure 2's arguments.
    ("mf_term", "term", "任期"),
    ("mf_candidate", "candidate", "候选人"),
    ("mf_last_log_index", "last_log_index", "lastLogIndex"),
    ("mf_last_log_term", "last_log_term", "lastLogTerm"),
    ("mf_transfer", "transfer", "领导权转移"),
    ("mf_granted", "granted", "同意"),
    ("mf_leader", "leader", "领导者"),
    ("mf_prev_log_index", "prev_log_index", "prevLogIndex"),
    ("mf_prev_log_term", "prev_log_term", "prevLogTerm"),
    ("mf_entries", "entries", "条目"),
    ("mf_leader_commit", "leader_commit", "leaderCommit"),
    ("mf_success", "success", "成功"),
    ("mf_match_index", "match_index", "matchIndex"),
    ("mf_conflict_term", "conflict_term", "冲突任期"),
    ("mf_conflict_index", "conflict_index", "冲突索引"),
    ("mf_last_index", "last_index", "快照最后索引"),
    ("mf_last_term", "last_term", "快照最后任期"),
    ("mf_config", "config {}", "配置 {}"),
    // Membership roles (sim::view::NodeView::membership_role).
    ("mr_voter", "voter", "投票成员"),
    ("mr_learner", "learner", "学习者"),
    ("mr_outgoing", "outgoing", "旧配置成员"),
    ("mr_none", "none", "非成员"),
    // Why a message was lost (Ev::Drop.reason).
    ("drop_loss", "loss", "随机丢包"),
    ("drop_partition", "partition", "网络分区"),
    ("drop_cut", "link cut", "连接断开"),
    ("drop_down", "receiver down", "接收方宕机"),
    ("drop_removed", "removed", "接收方已被移出集群"),
    ("drop_user", "dropped by you", "被你丢弃"),
    ("drop_unknown", "unknown node", "没有这个节点"),
    // Client results (Ev::Client.result) and reasons.
    ("cr_ok", "committed and answered", "已提交并回复"),
    ("cr_redirect", "not the leader", "不是领导者"),
    ("cr_timeout", "timeout", "超时"),
    ("cr_unavailable", "unavailable", "不可用"),
    ("cr_rejected", "rejected", "被拒绝"),
    ("cr_pending", "proposed, not answered yet", "已提议，尚未回复"),
    ("rs_no_answer", "no answer in time", "没有及时得到回复"),
    ("rs_overwritten", "entry {0} was overwritten by term {1}", "条目 {0} 被任期 {1} 的条目覆盖"),
    ("rs_not_running", "the node is not running", "该节点没有运行"),
    ("rs_no_leader", "there is no leader", "当前没有领导者"),
    // Membership change and transfer results (Ev::Change.result) and details.
    ("chr_proposed", "proposed", "已提议"),
    ("chr_unavailable", "unavailable", "不可用"),
    ("chr_rejected", "rejected", "被拒绝"),
    ("rs_unsafe_first", "turn on `unsafe direct-change` first", "请先打开教学开关“允许一步完成成员变更”"),
    ("rs_index_term", "index {0} term {1}", "索引 {0}，任期 {1}"),
    // raft::ProposeError and the reasons it carries.
    ("pe_not_leader_try", "not the leader; try {}", "不是领导者；请试试 {}"),
    ("pe_not_leader", "not the leader; leader unknown", "不是领导者；领导者未知"),
    ("pe_transfer", "leadership transfer to {} in progress", "正在把领导权转移给 {}"),
    ("pe_pending", "a configuration change is still uncommitted", "还有一个配置变更尚未提交"),
    ("pe_no_commit", "the leader has not committed an entry of its term yet", "领导者还没有提交本任期的条目"),
    ("pe_invalid", "invalid configuration change: {}", "无效的配置变更：{}"),
    ("pe_unsafe_off", "direct membership change needs unsafe_switches.direct_membership_change", "一步成员变更需要打开教学开关“允许一步完成成员变更”"),
    ("pe_target", "cannot transfer leadership to {0}: {1}", "无法把领导权转移给 {0}：{1}"),
    ("pe_log_full", "log index space exhausted", "日志索引空间已用尽"),
    ("cc_voter", "already a voter", "已经是投票成员"),
    ("cc_learner", "already a learner", "已经是学习者"),
    ("cc_joint", "joint consensus in progress", "联合共识正在进行中"),
    ("cc_not_member", "not a member", "不是成员"),
    ("cc_last_voter", "cannot remove the last voter", "不能移除最后一个投票成员"),
    ("cc_no_voters", "C_new has no voters", "C_new 没有投票成员"),
    ("cc_same", "C_new equals C_old", "C_new 与 C_old 相同"),
    ("cc_already_leader", "already the leader", "已经是领导者"),
    ("cc_not_voter", "not a voter", "不是投票成员"),
    // raft's step-down reasons (Event::SteppedDown).
    ("sd_check_quorum", "CheckQuorum: no majority heard", "CheckQuorum：没有听到多数派的回应"),
    ("sd_removed", "removed from the configuration", "已被移出配置"),
    // raft's rejection reasons (Event::Rejected; only in verbose traces), those a
    // simulation can produce.
    ("rj_timeout_not_voter", "election timeout ignored: not a voter", "忽略选举超时：不是投票成员"),
    ("rj_transfer_timed_out", "leadership transfer to {} timed out", "领导权转移给 {} 超时"),
    ("rj_vote_not_voter", "vote from {} ignored: not a voter", "忽略来自 {} 的选票：它不是投票成员"),
    ("rj_prevote_not_voter", "pre-vote from {} ignored: not a voter", "忽略来自 {} 的预投票：它不是投票成员"),
    ("rj_rv_lease", "RequestVote from {} ignored: heard from a current leader (§6)", "忽略来自 {} 的 RequestVote：仍能听到当前领导者（§6）"),
    ("rj_stale", "stale {0} from {1}: term {2} < {3}", "来自 {1} 的过期 {0}：任期 {2} < {3}"),
    ("rj_term_exhausted", "term space exhausted: cannot campaign", "任期编号已用尽：无法参选"),
    ("rj_ae_two_leaders", "AppendEntries from {0}: another leader in my term {1}", "来自 {0} 的 AppendEntries：我的任期 {1} 里出现了另一个领导者"),
    ("rj_ae_conflict", "AppendEntries from {0} conflicts with committed entry {1}: refused", "来自 {0} 的 AppendEntries 与已提交的条目 {1} 冲突：拒绝"),
    ("rj_ae_overwrite", "UNSAFE: AppendEntries from {0} overwrites committed entry {1}", "不安全：来自 {0} 的 AppendEntries 覆盖了已提交的条目 {1}"),
    ("rj_aer_member", "AppendEntriesReply from {}: not a member", "来自 {} 的 AppendEntriesReply：它不是成员"),
    ("rj_is_two_leaders", "InstallSnapshot from {0}: another leader in my term {1}", "来自 {0} 的 InstallSnapshot：我的任期 {1} 里出现了另一个领导者"),
    ("rj_isr_member", "InstallSnapshotReply from {}: not a member", "来自 {} 的 InstallSnapshotReply：它不是成员"),
    ("rj_tn_leader", "TimeoutNow from {}: already leader", "来自 {} 的 TimeoutNow：已经是领导者"),
    ("rj_tn_voter", "TimeoutNow from {}: not a voter", "来自 {} 的 TimeoutNow：不是投票成员"),
    // The simulator's notes (Ev::Note): an action that found nothing to do.
    ("nt_timeout_down", "timeout {0}: node {0} is not running", "超时 {0}：节点 {0} 没有运行"),
    ("nt_drop_none", "drop {}: no such message in flight", "丢弃消息 {}：没有这条飞行中的消息"),
    ("nt_compact_none", "compact {}: no such node", "压缩 {}：没有这个节点"),
    ("nt_compact_down", "compact {0}: node {0} is not running", "压缩 {0}：节点 {0} 没有运行"),
    ("nt_compact_error", "compact {0}: {1}", "压缩 {0}：{1}"),
    ("nt_compacted", "cannot compact up to {0}: snapshot already covers {1}", "无法压缩到 {0}：快照已经覆盖到 {1}"),
    ("nt_not_applied", "cannot compact up to {0}: only {1} applied", "无法压缩到 {0}：只应用到 {1}"),
    ("nt_crash_none", "crash {}: no such node", "宕机 {}：没有这个节点"),
    ("nt_crash_removed", "crash {0}: node {0} was removed from the cluster", "宕机 {0}：节点 {0} 已被移出集群"),
    ("nt_crash_down", "crash {0}: node {0} is already down", "宕机 {0}：节点 {0} 已经宕机"),
    ("nt_restart_none", "restart {}: no such node", "重启 {}：没有这个节点"),
    ("nt_restart_removed", "restart {0}: node {0} was removed from the cluster; `add {0}` brings it back as a new, empty server", "重启 {0}：节点 {0} 已被移出集群；“添加节点 {0}”可以把它作为一台全新的空服务器加回来"),
    ("nt_restart_up", "restart {0}: node {0} is already running", "重启 {0}：节点 {0} 已经在运行"),
    // Settings as the log shows them (directives::setting_text); English is the directive.
    ("set_election_timeout", "election-timeout {0} {1}", "选举超时 {0}–{1}"),
    ("set_heartbeat", "heartbeat {}", "心跳间隔 {}"),
    ("set_latency", "latency {0} {1}", "网络延迟 {0}–{1}"),
    ("set_loss", "loss {}", "丢包率 {}"),
    ("set_duplicate", "duplicate {}", "重复发送率 {}"),
    ("set_reorder", "reorder {}", "乱序率 {}"),
    ("set_prevote", "prevote {}", "预投票（PreVote）{}"),
    ("set_check_quorum", "check-quorum {}", "法定人数检查（CheckQuorum）{}"),
    ("set_sticky_leader", "sticky-leader {}", "听得到领导者时忽略投票请求：{}"),
    ("set_noop", "noop {}", "新领导者先追加空操作条目：{}"),
    ("set_backoff_decrement", "backoff decrement", "日志回退：每次退一条"),
    ("set_backoff_hint", "backoff hint", "日志回退：冲突提示"),
    ("set_unsafe", "unsafe {0} {1}", "⚠ 教学开关“{0}”：{1}"),
    ("set_snapshot_every", "snapshot-every {}", "每 {} 条日志做一次快照"),
    ("set_snapshot_off", "snapshot-every off", "不自动做快照"),
    // Membership changes as the log shows them (directives::change_text).
    ("act_add", "add {}", "添加节点 {}"),
    ("act_add_learner", "add-learner {}", "添加学习者 {}"),
    ("act_remove", "remove {}", "移除节点 {}"),
    ("act_change", "change {}", "把投票成员改为 {}"),
    ("act_unsafe_change", "unsafe-change {}", "一步把投票成员改为 {}（不安全）"),
    ("act_transfer", "transfer {}", "把领导权转移给 {}"),
    // A configuration entry's text (directives::config_text).
    ("cfg_voters", "voters {}", "投票成员 {}"),
    ("cfg_old", " old {}", "，旧配置 {}"),
    ("cfg_learners", " learners {}", "，学习者 {}"),
    // Claims read as sentences (claims::sentence).
    ("cl_node", "node {}", "节点 {}"),
    ("cl_nodes", "nodes {}", "节点 {}"),
    ("cl_role", "{0} {1}{2}", "{0} {1}{2}"),
    ("cl_is_follower", "is a follower", "是跟随者"),
    ("cl_are_follower", "are followers", "都是跟随者"),
    ("cl_is_precandidate", "is a pre-candidate", "是预候选人"),
    ("cl_are_precandidate", "are pre-candidates", "都是预候选人"),
    ("cl_is_candidate", "is a candidate", "是候选人"),
    ("cl_are_candidate", "are candidates", "都是候选人"),
    ("cl_is_leader", "is a leader", "是领导者"),
    ("cl_are_leader", "are leaders", "都是领导者"),
    ("cl_is_down", "is down", "已宕机"),
    ("cl_are_down", "are down", "都已宕机"),
    ("cl_in_term", " in term {}", "（任期 {}）"),
    ("cl_no_leader", "no running node is a leader", "没有正在运行的节点是领导者"),
    ("cl_leaders", "the leaders are exactly {}", "领导者恰好是{}"),
    ("cl_leaders_none", "no running node believes it leads", "没有正在运行的节点认为自己是领导者"),
    ("cl_votes", "{0} holds the votes of {1}", "{0} 持有{1} 的选票"),
    ("cl_committed", "“{0}” is committed on {1}", "“{0}”已在{1} 上提交"),
    ("cl_committed_at", "“{0}” is committed at index {2} on {1}", "“{0}”已在{1} 的索引 {2} 处提交"),
    ("cl_log_of", "the log of node {}", "节点 {} 的日志"),
    ("cl_logs_of", "the logs of nodes {}", "节点 {} 的日志"),
    ("cl_uncommitted", "“{0}” is in {1}, not committed yet", "“{0}”在{1}中，尚未提交"),
    ("cl_uncommitted_at", "“{0}” is at index {2} in {1}, not committed yet", "“{0}”在{1}中的索引 {2} 处，尚未提交"),
    ("cl_absent", "“{0}” is not in {1}", "{1}中没有“{0}”"),
    ("cl_commit_index", "commitIndex is {0} on {1}", "{1} 的 commitIndex 是 {0}"),
    ("cl_kv", "{2} has {0} = {1} in its state machine", "{2} 的状态机中 {0} = {1}"),
    ("cl_kv_many", "{2} have {0} = {1} in their state machines", "{2} 的状态机中 {0} = {1}"),
    ("cl_log_terms", "{1} holds entries of terms {0}", "{1} 的日志依次是任期 {0} 的条目"),
    ("cl_log_terms_many", "{1} each hold entries of terms {0}", "{1} 的日志依次是任期 {0} 的条目"),
    ("cl_log_empty", "{} is empty", "{}为空"),
    ("cl_log_empty_many", "{} are empty", "{}都为空"),
    ("cl_logs_match", "the logs of {} are identical", "{} 的日志完全相同"),
    ("cl_next_index", "leader {0}'s nextIndex for node {1} is {2}", "领导者 {0} 对节点 {1} 的 nextIndex 是 {2}"),
    ("cl_rejected_appends", "node {0} has refused {1} AppendEntries so far", "节点 {0} 到目前为止拒绝了 {1} 次 AppendEntries"),
    ("cl_client", "client request “{0}”: {1}", "客户端请求“{0}”：{1}"),
    ("cl_violation", "the safety checker has flagged {}", "安全检查已标出：{}"),
    ("cl_no_violation", "the safety checker has flagged nothing", "安全检查没有发现任何问题"),
    // Why a claim does not hold (claims::unmet): the English side is exactly
    // the text of `sim::claim::Unmet`'s Display. Node and term lists are
    // joined with spaces in English (as the simulator writes them), 、 in Chinese.
    ("un_down", "node {} is down", "节点 {} 已宕机"),
    ("un_role", "node {0} is {1} in term {2}", "节点 {0} 是{1}（任期 {2}）"),
    ("un_leaders", "the leaders are [{}]", "领导者是节点 {}"),
    ("un_leaders_none", "the leaders are []", "没有正在运行的节点是领导者"),
    ("un_votes_of_follower", "node {0} is a follower in term {1}", "节点 {0} 是跟随者（任期 {1}），不持有选票"),
    ("un_votes", "node {0} holds the votes of [{1}]", "节点 {0} 持有节点 {1} 的选票"),
    ("un_votes_none", "node {0} holds the votes of []", "节点 {0} 没有持有任何选票"),
    ("un_log", "[{0}] commit {1}", "各条目的任期依次为 {0}，已提交到索引 {1}"),
    ("un_log_empty", "[] commit {}", "没有条目，已提交到索引 {}"),
    ("un_not_held", "node {0} does not hold \"{1}\" (log {2})", "节点 {0} 的日志中没有“{1}”（{2}）"),
    ("un_not_committed", "node {0} holds \"{1}\" at {2} but has committed only up to {3}", "节点 {0} 在索引 {2} 处有“{1}”，但只提交到索引 {3}"),
    ("un_already_committed", "node {0} has already committed \"{1}\" (index {2})", "节点 {0} 已经提交了“{1}”（索引 {2}）"),
    ("un_present", "node {0} holds \"{1}\" at index {2}", "节点 {0} 的日志在索引 {2} 处有“{1}”"),
    ("un_commit_index", "node {0} has commit index {1}", "节点 {0} 的 commitIndex 是 {1}"),
    ("un_kv_value", "node {0} has {1}={2}", "节点 {0} 的状态机中 {1} = {2}"),
    ("un_kv_missing", "node {0} has no value for {1}", "节点 {0} 的状态机中没有 {1} 的值"),
    ("un_log_is", "node {0}'s log is {1}", "节点 {0} 的日志：{1}"),
    ("un_logs_differ", "node {0}'s log {1} differs from node {2}'s {3}", "节点 {0} 的日志（{1}）与节点 {2} 的日志（{3}）不同"),
    ("un_not_leader", "node {} is not a leader", "节点 {} 不是领导者"),
    ("un_next_index", "leader {0}'s nextIndex for {1} is {2}", "领导者 {0} 对节点 {1} 的 nextIndex 是 {2}"),
    ("un_no_progress", "leader {0} tracks no progress for node {1}", "领导者 {0} 没有记录节点 {1} 的复制进度"),
    ("un_rejected_appends", "node {0} has rejected {1} AppendEntries so far", "节点 {0} 到目前为止拒绝了 {1} 次 AppendEntries"),
    ("un_client", "the request \"{0}\" is {1}", "客户端请求“{0}”目前的结果：{1}"),
    ("un_not_asked", "nobody has asked for \"{}\" yet", "还没有客户端请求“{}”"),
    ("un_nothing_flagged", "the safety checker has flagged nothing", "安全检查没有发现任何问题"),
    ("un_flagged_only", "the safety checker flagged only: {}", "安全检查只标出了：{}"),
    ("un_flagged", "the safety checker flagged {0}: {1}", "安全检查标出了{0}：{1}"),
    // Safety property titles (paper, Figure 3).
    ("pt_election-safety", "Election Safety", "选举安全"),
    ("pt_leader-append-only", "Leader Append-Only", "领导者只追加"),
    ("pt_log-matching", "Log Matching", "日志匹配"),
    ("pt_leader-completeness", "Leader Completeness", "领导者完整性"),
    ("pt_state-machine-safety", "State Machine Safety", "状态机安全"),
    // Violations composed from their typed fields (violations::sentence).
    ("v_election-safety", "nodes {0} and {1} were both elected leader of term {2}.", "节点 {0} 和 {1} 都当选了任期 {2} 的领导者。"),
    ("v_leader-append-only", "leader {0} of term {1} removed or overwrote its own entry {2}.", "任期 {1} 的领导者 {0} 删除或覆盖了自己的条目 {2}。"),
    ("v_log-matching", "nodes {0} and {1} both hold an entry at index {2} of term {3}, but their logs differ up to it.", "节点 {0} 和 {1} 在索引 {2} 处都有任期 {3} 的条目，但在它之前的日志不同。"),
    ("v_leader-completeness", "node {0} became leader of term {1} without entry {2} of term {4}, which node {3} had already committed.", "节点 {0} 成为任期 {1} 的领导者，却没有节点 {3} 已经提交的条目 {2}（任期 {4}）。"),
    ("v_state-machine-safety", "node {0} applied entry {1} of term {2}, but node {3} had applied a different entry (term {4}) at that index.", "节点 {0} 应用了索引 {1} 处任期 {2} 的条目，但节点 {3} 在该索引处应用的是另一个条目（任期 {4}）。"),
];

/// The table, read from [`TEXT`] on first use (see [`TABLE`]).
pub struct Table(OnceLock<Vec<Entry>>);

impl std::ops::Deref for Table {
    type Target = [Entry];
    fn deref(&self) -> &[Entry] {
        self.0.get_or_init(|| {
            TEXT.split_terminator(END)
                .map(|e| {
                    let mut parts = e.split(PART);
                    let mut next = || parts.next().unwrap_or("");
                    (next(), next(), next())
                })
                .collect()
        })
    }
}

/// Every entry, `(key, English, 简体中文)`, in the order written.
pub static TABLE: Table = Table(OnceLock::new());

#[cfg(test)]
mod tests {
    use super::*;

    /// No text holds a separator, so every entry reads back whole.
    #[test]
    fn entries_read_back_whole() {
        assert_eq!(TABLE.len(), TEXT.matches(END).count());
        for &(k, en, zh) in TABLE.iter() {
            for part in [k, en, zh] {
                assert!(!part.contains([PART, END]), "{k}");
            }
        }
        assert_eq!(TABLE[0], ("toolbar", "Simulation controls", "模拟控制"));
    }

    /// `www/i18n/zh.txt`, the Chinese column the page fetches, is exactly
    /// this table's (`RAFTLAB_REWRITE=1 cargo test -p web` rewrites it), and
    /// reads back into every Chinese text.
    #[test]
    fn the_chinese_file_is_the_tables_chinese_column() {
        let want = super::super::zh_file();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/i18n/zh.txt");
        if std::env::var_os("RAFTLAB_REWRITE").is_some() {
            std::fs::write(path, &want).expect("write www/i18n/zh.txt");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "www/i18n/zh.txt differs from the string table: run RAFTLAB_REWRITE=1 cargo test -p web"
        );
        let texts = super::super::parse_zh(&have);
        let zh: Vec<&str> = TABLE.iter().map(|e| e.2).collect();
        assert_eq!(texts, zh);
    }
}
