// Signatures and sign-offs removed from the new part of a message. Western signatures come from
// email-reply-parser (the "-- " delimiter, "Sent from my …", "Best regards," …); mobile-client
// taglines of Chinese mail apps are added here because that library's list cannot be extended.
import EmailReplyParser from 'email-reply-parser';

/** "发自我的iPhone", "来自网易邮箱大师", "发自手机QQ邮箱", "从我的 iPad 发送", "获取 Outlook for iOS"… */
const chineseTagline =
  /^[ \t]*(?:(?:发自|來自|来自|寄自|从|從)[ \t]*(?:我的)?[ \t]*(?:iPhone|iPad|Android|华为|華為|小米|荣耀|OPPO|vivo|魅族|手机|手機|网易|網易|QQ|企业微信|钉钉|Foxmail|移动|Outlook|Samsung|三星)[^\n]{0,40}|获取[ \t]*Outlook[^\n]{0,30}|[-—]{2,}[ \t]*(?:来自|发自)[^\n]{0,40})[ \t]*$/m;

/** Drops trailing signature blocks; the text before the first signature line is kept. */
export function stripSignature(text: string): string {
  const fragments = new EmailReplyParser().read(text).getFragments();
  let kept = fragments.filter((f) => !f.isSignature()).map((f) => f.getContent()).join('\n');
  const m = chineseTagline.exec(kept);
  // Only a tagline in the last lines is a signature; the same words mid-message are content.
  if (m && kept.slice(m.index).split('\n').length <= 6) kept = kept.slice(0, m.index);
  const out = kept.trim();
  // A message that is nothing but a signature keeps its text rather than becoming empty.
  return out === '' ? text.trim() : out;
}
