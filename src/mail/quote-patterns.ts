// Reply and forward markers that planer (the JavaScript port of mailgun/talon) does not know:
// Chinese mail clients (Foxmail, QQ Mail, 163/126, Exmail, Outlook and Gmail in Chinese, Apple
// Mail in Chinese) and Russian/localised Outlook header blocks. They are registered into planer's
// own pattern table (registerQuotePatterns) so talon's line-marking algorithm — splitter, quoted
// lines, inline replies, forwards — applies to them unchanged.
import planerRegexes from 'planer/lib/regexes.js';

const colon = '[ \\t\\u00a0\\u3000]*[:：]';
const sp = '[ \\t\\u00a0\\u3000]*';

/** "From"-like labels that open a quoted header block, in the languages our users' clients use. */
const fromLabels = ['发件人', '發件人', '寄件者', '寄件人', 'От', 'Отправитель', 'Von', 'De', 'Van', 'Fra', 'Från'];
/** Labels that follow the "From" line in the same block (date, recipients, subject). */
const nextLabels = [
  '发送时间', '發送時間', '发送日期', '發送日期', '时间', '時間', '日期', '寄件日期', '收件人', '收件者', '主题', '主旨', '抄送', '副本',
  'Отправлено', 'Дата', 'Кому', 'Тема', 'Gesendet', 'Datum', 'Envoyé', 'Enviado', 'Sendt', 'Skickat', 'Sent', 'Date', 'To', 'An', 'À',
];

/** `发件人: …` followed within two lines by `发送时间: …` / `收件人: …` (Outlook-zh, QQ, Foxmail, Exmail). */
const headerBlock = new RegExp(
  `^(?:_+\\r?\\n)?${sp}[*]?(?:${fromLabels.join('|')})[*]?${colon}.*\\r?\\n(?:.*\\r?\\n){0,2}?${sp}[*]?(?:${nextLabels.join('|')})[*]?${colon}`,
);

/** `-----原始邮件-----`, `------------------ 原始邮件 ------------------`, `-----邮件原件-----`. */
const originalMessage = new RegExp(`^${sp}[-—–_]{2,}${sp}(?:原始邮件|原始郵件|邮件原件|郵件原件|原邮件|原郵件|回复邮件|Исходное сообщение)${sp}[-—–_]{2,}`);

/** `在 2026年11月20日 …，张三 <a@b.cn> 写道：` (163/126, Foxmail, Apple Mail zh) — may wrap onto 3 lines. */
const onDateWrote = new RegExp(`^${sp}>?${sp}(?:在|於|于)${sp}\\d{2,4}[-年/.]\\d{1,2}[-月/.]\\d{1,2}.*(?:\\r?\\n.*){0,2}?[写寫]道${sp}[:：]`);

/** `2026年11月20日 下午2:13，张三 <a@b.cn> 写道：` and Gmail zh `张三 <a@b.cn> 于2026年11月20日周五 14:13写道：`. */
const dateWrote = new RegExp(`^${sp}>?${sp}(?:.{0,120}?[于於]${sp})?\\d{4}[-年/.]\\d{1,2}[-月/.]\\d{1,2}日?.*(?:\\r?\\n.*){0,2}?[写寫]道${sp}[:：]`);

/** Forward separators: the message body IS the forwarded mail, so nothing is cut. */
const chineseForward = `[-—–]{2,}${sp}(?:转发邮件信息|轉寄郵件資訊|转发的邮件|轉發的郵件|转发邮件|轉寄郵件|原始转发邮件)${sp}[-—–]{2,}`;

export const extraSplitterPatterns: readonly RegExp[] = [originalMessage, headerBlock, onDateWrote, dateWrote];

let registered = false;

/** Adds our patterns to planer's tables once per process (planer reads them at call time). */
export function registerQuotePatterns(): void {
  if (registered) return;
  registered = true;
  planerRegexes.SPLITTER_PATTERNS.push(...extraSplitterPatterns);
  const fwd = planerRegexes.FWD;
  planerRegexes.FWD = new RegExp(`${fwd.source}|^${sp}${chineseForward}${sp}$`, fwd.flags);
}
