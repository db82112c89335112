// `/crm …` text → a command, or the usage problem to show. Pure: no Slack, no I/O.
// Slack escapes the text (manifest: should_escape), so emails, links, users and channels arrive as
// <mailto:a@b.com|a@b.com>, <http://acme.com|acme.com>, <@U123|ann>, <#C123|support>.
import { cleanText } from '../../src/core/clean-text.js';
import { slackToPlainText } from './slack-text.js';

export type CrmCommand =
  | { name: 'lookup'; query: string; share: boolean }
  | { name: 'note'; customer: string; text: string; share: boolean }
  | { name: 'link'; channelId: string | null; target: string; share: boolean }
  | { name: 'unlink'; channelId: string | null; share: boolean }
  | { name: 'digest'; share: boolean }
  | { name: 'help'; share: boolean; problem: string | null };

export const subcommands = ['lookup', 'note', 'link', 'unlink', 'digest', 'help'] as const;

interface Token {
  value: string;
  end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    tokens.push({ value: m[1] ?? m[2] ?? m[3] ?? m[4] ?? '', end: m.index + m[0].length });
  }
  return tokens;
}

/** An escaped mention of a person, an email, a link or a phone, as the bare value to look up. */
export function unwrapSlackToken(token: string): string {
  const user = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (user) return `<@${user[1]}>`;
  const link = /^<(?:mailto:|tel:)?([^|>]+)(?:\|([^>]*))?>$/.exec(token);
  if (link) return (link[2] ?? link[1] ?? '').trim();
  return token;
}

function channelId(token: string): string | null {
  const m = /^<#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token) ?? /^(C[A-Z0-9]{6,}|G[A-Z0-9]{6,})$/.exec(token);
  return m ? m[1]! : null;
}

export function parseCrmCommand(input: string): CrmCommand {
  // NUL bytes and lone surrogates cannot be searched for (PostgreSQL refuses them): clean them here.
  const raw = cleanText(input).text.trim();
  const share = /(^|\s)--share(\s|$)/.test(raw);
  const text = raw.replace(/(^|\s)--share(?=\s|$)/g, ' ').trim();
  const tokens = tokenize(text);
  const first = tokens[0]?.value.toLowerCase();
  const rest = tokens.slice(1);
  const help = (problem: string | null): CrmCommand => ({ name: 'help', share, problem });
  const restText = (from: Token | undefined) => (from ? text.slice(from.end) : '').trim();

  switch (first) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      return help(null);
    case 'lookup':
    case 'find':
    case 'who': {
      const query = rest.map((t) => unwrapSlackToken(t.value)).join(' ').trim();
      return query ? { name: 'lookup', query, share } : help('`lookup` needs an email, domain, phone, name or company.');
    }
    case 'note': {
      const who = rest[0];
      const body = slackToPlainText(restText(who));
      if (!who || !body) return help('`note` needs a customer and the note, e.g. `/crm note ann@acme.com Called about the renewal`.');
      return { name: 'note', customer: unwrapSlackToken(who.value), text: body, share };
    }
    case 'link': {
      const channel = rest[0] ? channelId(rest[0].value) : null;
      const targetTokens = channel ? rest.slice(1) : rest;
      const target = targetTokens.map((t) => unwrapSlackToken(t.value)).join(' ').trim();
      if (!target) return help('`link` needs a company or customer, e.g. `/crm link #acme-support Acme`.');
      return { name: 'link', channelId: channel, target, share };
    }
    case 'unlink': {
      const channel = rest[0] ? channelId(rest[0].value) : null;
      if (rest[0] && !channel) return help('`unlink` takes a channel, e.g. `/crm unlink #acme-support` (or nothing, for this channel).');
      return { name: 'unlink', channelId: channel, share };
    }
    case 'digest':
      return { name: 'digest', share };
    default:
      // `/crm ann@acme.com` is a lookup; an unknown word is a mistake worth pointing out.
      if (tokens.length === 1 && /[@.+\d<]/.test(tokens[0]!.value)) {
        return { name: 'lookup', query: unwrapSlackToken(tokens[0]!.value), share };
      }
      return help(`Unknown subcommand \`${first.slice(0, 40)}\`.`);
  }
}
