import type archiveEn from './en.ts';

/** 协商归档（简体中文）。 */
export default {
  'errors.archive_corrupt': '无法将此文件作为归档读取：文件已损坏、不完整，或在导出后被修改过。',
  'errors.archive_unsupported': '此文件不是 Convene 协商归档，或来自本服务器无法读取的 Convene 版本。',
  'errors.archive_invalid': '此归档内容不一致，因此未导入任何内容。',
  'errors.archive_exists': '此协商已在本服务器上（之前已导入过，或归档就是从这里导出的）。未导入任何内容。',
  'archive.export.title': '归档',
  'archive.export.intro':
    '将整个协商下载为一个文件，用于保存或迁移到另一台 Convene 服务器：包括文档及其完整历史、评论和立场、会议和投票、建议登记册、审核记录、审计日志，以及成员的姓名和群体。请像对待协商本身一样妥善保管。',
  'archive.export.button': '导出归档',
  'archive.export.started': '归档正在下载。',
  'archive.import.title': '导入归档',
  'archive.import.intro':
    '从 Convene 服务器导出的归档恢复一个协商。你将成为它的协调人之一。其成员在此没有账户：他们的贡献仍归属于其化名和群体。',
  'archive.import.file': '归档文件',
  'archive.import.fileRequired': '请选择一个归档文件。',
  'archive.import.group': '你所属的利益相关方群体',
  'archive.import.submit': '导入',
  'archive.import.uploading': '正在上传… {percent}%',
  'archive.import.restoring': '正在检查并恢复协商…',
  'archive.import.done': '“{title}”已恢复。',
  'archive.invalid.schema': '归档中有一条记录无效（{collection}）。',
  'archive.invalid.duplicate': '归档中同一条记录出现了两次（{collection}）。',
  'archive.invalid.foreign': '归档中包含另一个协商的记录（{collection}）。',
  'archive.invalid.missing': '归档缺少其他记录所引用的记录（{collection}）。',
  'archive.invalid.order': '归档中的记录顺序不正确（{collection}）。',
} as const satisfies Record<keyof typeof archiveEn, string>;
