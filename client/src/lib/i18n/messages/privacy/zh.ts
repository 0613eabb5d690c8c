import type privacyEn from './en.ts';

/** zh strings of personal data; the type requires every key of the English ones. */
export default {
  'personalData.formerParticipant': '前参与者（{group}）',
  'personalData.exportTitle': '您的数据',
  'personalData.exportIntro':
    '下载 Convene 保存的关于您的全部数据：您的账户、成员身份、评论、立场和提案、您在非匿名投票中的投票，以及与您有关的审计日志条目。其他人在其中只以角色和利益相关方群体出现。',
  'personalData.exportLink': '下载我的数据（JSON）',
  'personalData.deleteTitle': '删除您的账户',
  'personalData.deleteIntro': '删除账户会从 Convene 中抹去您的身份信息，且无法撤销。',
  'personalData.deleteOpen': '删除我的账户…',
  'personalData.dialogTitle': '要删除您的账户吗？',
  'personalData.goesTitle': '将被清除的内容',
  'personalData.goesIdentity': '您的显示名称、电子邮件地址和密码，以及您在每个磋商中的组织。',
  'personalData.goesSessions': '所有会话：您将在所有地方退出登录，已打开的页面会关闭。',
  'personalData.goesCopies': '您的名字在任何被复制到的地方，例如审计日志。',
  'personalData.staysTitle': '将保留的内容',
  'personalData.staysContributions': '您的评论、立场、提案、编辑和投票仍是每个磋商记录的一部分。',
  'personalData.staysAlias': '它们将以“前参与者”及您的利益相关方群体显示，以保证各群体所说内容的准确。您写到自己的文字将按原样保留。',
  'personalData.staysAudit': '审计日志保留您所做的事，但不含您的名字。',
  'personalData.exportFirst': '您可能想先下载您的数据。',
  'personalData.password': '请输入密码以确认',
  'personalData.confirm': '删除我的账户',
  'personalData.deleting': '正在删除…',
  'personalData.wrongPassword': '密码不正确。',
  'personalData.soleFacilitator': '您是 {titles} 唯一的协调人。请先在那里指定另一位协调人，以免磋商失去协调人。',
  'personalData.deletedNotice': '您的账户已删除。您的贡献以“前参与者”的名义保留。',
} as const satisfies Record<keyof typeof privacyEn, string>;
