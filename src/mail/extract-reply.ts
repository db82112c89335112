// The new part of a reply: quoted text removed with planer (mailgun/talon's algorithm, ported),
// extended with the Chinese and localised markers in quote-patterns.ts.
import planer from 'planer';
import { htmlToText } from './html-text.js';
import { registerQuotePatterns } from './quote-patterns.js';

registerQuotePatterns();

// talon marks at most 1000 lines and skips its date-line fix-up above 200k characters; a longer
// body is scanned by its head, and only a quotation found there is cut.
const maxScanLines = 1000;
const maxScanChars = 200_000;

const contentLines = (s: string) => s.split('\n').filter((l) => l.trim() !== '').length;

/** Removes quoted replies (e.g. "On … wrote:", "-----原始邮件-----", "> …") from plain text. */
export function extractReply(text: string): string {
  const body = text.replace(/\r\n?/g, '\n');
  const lines = body.split('\n');
  if (lines.length <= maxScanLines && body.length <= maxScanChars) return planer.extractFromPlain(body).trim();
  let head = lines.slice(0, maxScanLines).join('\n');
  if (head.length > maxScanChars) head = head.slice(0, head.lastIndexOf('\n', maxScanChars) + 1 || maxScanChars);
  const cut = planer.extractFromPlain(head).trim();
  // Nothing was cut in the head: the quotation (if any) is further down — keep the whole body.
  return contentLines(cut) < contentLines(head) ? cut : body.trim();
}

/** The new part of an HTML reply, as text. */
export function extractHtmlReply(html: string): string {
  return extractReply(htmlToText(html));
}
