// HTML mail as readable text: no CSS, no scripts, no tags; links keep their address in brackets;
// blockquotes become "> " lines so reply extraction can see what was quoted.
import { convert, type HtmlToTextOptions } from 'html-to-text';
import { nestsDeeperThan, stripTags } from '../core/html-depth.js';

const options: HtmlToTextOptions = {
  wordwrap: false,
  preserveNewlines: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false, noAnchorUrl: true, linkBrackets: ['[', ']'] } },
    { selector: 'img', format: 'skip' },
    { selector: 'hr', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'blockquote', options: { trimEmptyLines: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

/** Converts an HTML body to plain text (quoted parts kept, prefixed with "> "). */
export function htmlToText(html: string): string {
  // A mailto: link shows as its address; the bracketed duplicate would only add noise.
  const text = convertBounded(html);
  return text.replace(/ \[mailto:([^\]\s]+)\]/g, (m, addr: string, offset: number, all: string) =>
    all.slice(Math.max(0, offset - addr.length), offset) === addr ? '' : m,
  ).replace(/\u00a0/g, ' ').trim();
}

/** html-to-text on HTML nested no deeper than it can walk; plain tag stripping otherwise. */
function convertBounded(html: string): string {
  if (nestsDeeperThan(html)) return stripTags(html);
  try {
    return convert(html, options);
  } catch (e) {
    if (e instanceof RangeError) return stripTags(html);
    throw e;
  }
}
