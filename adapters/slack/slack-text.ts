// Slack's message markup to plain text for storage and search: <@U123> mentions, <#C1|name> channels,
// <url|label> links and the three HTML entities Slack escapes.
export function slackToPlainText(text: string, names: (userId: string) => string | undefined = () => undefined): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `@${label || names(id) || id}`)
    .replace(/<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, label?: string) => label ?? '@group')
    .replace(/<(?:mailto:|tel:)?([^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (label === url || url.endsWith(label) ? label : `${label} (${url})`))
    .replace(/<(?:mailto:|tel:)?([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** One line of at most `max` characters, for cards. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Escapes user text for mrkdwn (Slack asks for &, < and > only). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
