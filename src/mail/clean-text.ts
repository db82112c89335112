// Full text and new part of a message body: the text/plain part when there is one, otherwise the
// HTML converted to text; the new part has quoted replies and then signatures removed.
import { extractReply } from './extract-reply.js';
import { htmlToText } from './html-text.js';
import { stripSignature } from './strip-signature.js';

export interface CleanText {
  /** The whole body as text. */
  fullText: string;
  /** The new part: no quoted reply, no signature. */
  text: string;
  /** The new part was longer than the limit and was cut. */
  truncated: boolean;
}

/** `maxChars`: a new part longer than this is cut there (its signature, at the end, goes with it). */
export function cleanText(body: { text?: string | undefined; html?: string | undefined }, maxChars = Infinity): CleanText {
  const plain = body.text?.trim() ? body.text : body.html ? htmlToText(body.html) : (body.text ?? '');
  const fullText = plain.replace(/\r\n?/g, '\n').trim();
  const reply = extractReply(fullText);
  if (reply.length > maxChars) return { fullText, text: reply.slice(0, maxChars), truncated: true };
  return { fullText, text: stripSignature(reply), truncated: false };
}
