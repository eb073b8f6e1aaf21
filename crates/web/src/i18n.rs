//! Every visible string in English and 简体中文.
//!
//! One table of `(key, en, zh)`. Static HTML refers to keys with
//! `data-i18n` (text), `data-i18n-title` (tooltip and aria-label) and
//! `data-i18n-ph` (placeholder); Rust code calls [`t`]. A unit test checks
//! that every key used in `www/index.html` is in the table and that no entry
//! is empty in either language.

/// A user interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Parses `en`, `zh`, `zh-CN`, `zh-Hans` … (case-insensitive); `None` otherwise.
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t == "en" || t.starts_with("en-") {
            Some(Lang::En)
        } else if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Some(Lang::Zh)
        } else {
            None
        }
    }
    /// The code stored in localStorage and used in `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
    /// The short code (`en`, `zh`).
    pub fn short(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// `(key, English, 简体中文)`.
pub const TABLE: &[(&str, &str, &str)] = &[
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
    ("partition_help", "Click nodes to move them between groups A, B and C, then apply.", "点击节点，把它们分到 A、B、C 组，然后应用。"),
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
    ("scenario_text", "This run as a scenario", "本次运行的场景脚本"),
    // Help
    ("help_title", "Keyboard shortcuts", "键盘快捷键"),
    ("help_mouse", "Click a node for its actions, a line between nodes to cut it, a moving message to inspect or drop it. Drag the timeline to travel in time; acting in the past starts a new future.", "点击节点可以操作它，点击节点之间的连线可以切断它，点击飞行中的消息可以查看或丢弃它。拖动时间线可以回到过去；在过去做出操作会开启一条新的时间线。"),
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
    ("k_reset", "Reset / new seed", "重置 / 换随机种子"),
    ("k_link", "Share this moment", "分享此刻"),
    ("k_help", "This help", "本帮助"),
    ("k_escape", "Close menus and dialogs", "关闭菜单和对话框"),
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
    ("next_index", "next", "next"),
    ("match_index", "match", "match"),
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
    ("bad_link", "This link could not be opened: {}. Showing the default cluster instead.", "无法打开这个链接：{}。改为显示默认集群。"),
    ("bad_scenario", "The scenario could not be read: {}. Showing the default cluster instead.", "无法读取场景：{}。改为显示默认集群。"),
    ("unknown_lesson", "There is no lesson called “{}”. Showing the default cluster instead.", "没有名为“{}”的课程。改为显示默认集群。"),
    ("action_failed", "That did not work: {}", "操作失败：{}"),
    ("need_leader", "There is no leader right now; the request goes nowhere.", "当前没有领导者，请求无处可发。"),
    ("too_many_nodes", "A cluster has at most 16 servers.", "一个集群最多 16 台服务器。"),
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
];

/// The text for `key` in `lang`; the key itself if it is missing (a test
/// makes sure no key used by the code is missing).
pub fn t(lang: Lang, key: &str) -> &'static str {
    for &(k, en, zh) in TABLE {
        if k == key {
            return match lang {
                Lang::En => en,
                Lang::Zh => zh,
            };
        }
    }
    debug_assert!(false, "missing i18n key {key}");
    ""
}

/// `t` with each `{}` replaced by the next argument.
pub fn tf(lang: Lang, key: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = t(lang, key);
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// Keys referenced by `data-i18n*` attributes in an HTML text.
pub fn html_keys(html: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for attr in ["data-i18n=\"", "data-i18n-title=\"", "data-i18n-ph=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                keys.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every key used by the static page exists in both languages.
    #[test]
    fn every_html_key_exists_in_en_and_zh() {
        let html = include_str!("../../../www/index.html");
        let keys = html_keys(html);
        assert!(keys.len() > 50, "found only {} keys", keys.len());
        let known: BTreeSet<&str> = TABLE.iter().map(|e| e.0).collect();
        for k in &keys {
            assert!(
                known.contains(k.as_str()),
                "index.html uses unknown key {k}"
            );
        }
    }

    /// No key is duplicated and no text is empty or left untranslated.
    #[test]
    fn table_is_complete_and_unique() {
        let mut seen = BTreeSet::new();
        for &(k, en, zh) in TABLE {
            assert!(seen.insert(k), "duplicate key {k}");
            assert!(!en.trim().is_empty(), "{k}: empty English");
            assert!(!zh.trim().is_empty(), "{k}: empty Chinese");
            assert_eq!(
                en.matches("{}").count(),
                zh.matches("{}").count(),
                "{k}: placeholders differ"
            );
        }
    }

    /// Every safety property of the simulator has a label.
    #[test]
    fn every_property_has_a_label() {
        for p in sim::Property::ALL {
            let key = format!("p_{}", crate::eventlog::property_name(p));
            assert!(TABLE.iter().any(|e| e.0 == key), "missing {key}");
        }
    }

    #[test]
    fn tf_fills_placeholders_in_order() {
        assert_eq!(tf(Lang::En, "msg_from_to", &["1", "2"]), "from 1 to 2");
        assert_eq!(tf(Lang::Zh, "msg_from_to", &["1", "2"]), "从 1 发往 2");
    }

    #[test]
    fn lang_parse_accepts_common_codes() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
