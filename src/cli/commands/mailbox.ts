// `rapport mailbox add|list|remove|failures`: the IMAP mailboxes Rapport reads. Passwords and
// tokens are read from stdin or a hidden prompt (never from argv, which `ps` shows), sealed with
// RAPPORT_SECRET_KEY before they reach the database, and never printed.
import type { Command } from 'commander';
import { validationError } from '../../core/errors.js';
import { SecretBoxError } from '../../core/secret-box.js';
import { checkMailbox, configuredMailboxes, isValidSince, type MailboxSettings } from '../../channels/email.js';
import { secretBoxFor } from '../../secret-key.js';
import {
  createMailbox, getMailboxByName, listFolderStates, listSyncFailures, removeMailbox,
} from '../../store/mailboxes-repo.js';
import { formatTable } from '../format-table.js';
import { action, type CommandIo } from '../runner.js';
import { readSecret } from './read-secret.js';

interface AddFlags {
  host: string;
  port?: string;
  tls: boolean;
  user: string;
  passwordStdin?: boolean;
  tokenStdin?: boolean;
  folders?: string;
  since: string;
  verify: boolean;
}

const namePattern = /^[a-z0-9][a-z0-9._-]*$/i;

/** Prints a failure with its own stable code (secret_key_*, auth, …) the way the runner does. */
export function failWith(io: CommandIo, code: string, message: string, exitCode = 1): number {
  if (io.json) process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else process.stderr.write(`rapport: ${message}\n`);
  return exitCode;
}

export function registerMailbox(program: Command): void {
  const group = program.command('mailbox').description('IMAP mailboxes to capture email from');

  group
    .command('add <name>')
    .description('add a mailbox (password or OAuth2 token on stdin, or asked for on a terminal)')
    .requiredOption('--host <host>', 'IMAP server, e.g. imap.gmail.com')
    .option('--port <port>', 'IMAP port (default 993 with TLS, 143 without)')
    .option('--no-tls', 'connect in plain text and upgrade with STARTTLS when offered (port 143)')
    .requiredOption('--user <user>', 'login, usually the email address')
    .option('--password-stdin', 'read the password (app password / authorization code) from stdin')
    .option('--token-stdin', 'read an OAuth2 access token from stdin (XOAUTH2) instead of a password')
    .option('--folders <list>', 'comma-separated folders; \\Sent means the server\'s Sent folder', 'INBOX,\\Sent')
    .option('--since <window>', 'how far back the first sync goes: 90d, 12w, 6m, 1y, a date, or all', '90d')
    .option('--no-verify', 'save without logging in first')
    .action(
      action<[string, AddFlags]>(async (ctx, io, name, flags) => {
        const port = flags.port === undefined ? (flags.tls ? 993 : 143) : Number(flags.port);
        const issues = [];
        if (!namePattern.test(name)) issues.push({ field: 'name', message: 'letters, digits, . _ - (e.g. support)' });
        if (!Number.isInteger(port) || port < 1 || port > 65535) issues.push({ field: 'port', message: 'a port number' });
        if (!isValidSince(flags.since)) issues.push({ field: 'since', message: 'use 90d, 12w, 6m, 1y, a date (2026-01-31) or all' });
        if (issues.length > 0) throw validationError('invalid mailbox', issues);
        const folders = (flags.folders ?? '').split(',').map((f) => f.trim()).filter(Boolean);
        const oauth = Boolean(flags.tokenStdin);
        const secret = await readSecret({ stdin: Boolean(flags.passwordStdin || flags.tokenStdin), prompt: oauth ? 'OAuth2 access token: ' : `password for ${flags.user}: ` });
        if (!secret) throw validationError('no password given', [{ field: 'password', message: 'pipe it in with --password-stdin (or --token-stdin)' }]);

        const settings: MailboxSettings = {
          name, host: flags.host, port, tls: flags.tls, user: flags.user, folders, since: flags.since,
          auth: oauth ? { kind: 'oauth2', accessToken: secret } : { kind: 'password', password: secret },
        };
        let found: { path: string; role: string }[] = [];
        if (flags.verify) {
          const checked = await checkMailbox(settings, folders);
          if (!Array.isArray(checked)) {
            return failWith(io, checked.code, `cannot log in to ${flags.host}:${port} as ${flags.user} (${checked.code}): ${checked.message}`);
          }
          found = checked;
        }
        let sealed: string;
        try {
          sealed = secretBoxFor(ctx.config, ctx.database).seal(secret);
        } catch (e) {
          if (e instanceof SecretBoxError) return failWith(io, e.code, e.message, 2);
          throw e;
        }
        const row = await createMailbox(ctx.database.db, {
          name, host: flags.host, port, tls: flags.tls, user: flags.user, authKind: oauth ? 'oauth2' : 'password',
          secret: sealed, folders, since: flags.since, source: 'cli',
        });
        io.print(
          { name: row.name, host: row.host, port: row.port, tls: row.tls, user: row.user, auth: row.authKind, folders: row.folders, since: row.since, verified: flags.verify, foldersFound: found },
          (r) =>
            `added mailbox ${r.name} (${r.user} at ${r.host}:${r.port}${r.tls ? ', TLS' : ''})` +
            (r.verified ? `; logged in, will read ${found.map((f) => `${f.path} (${f.role})`).join(', ') || 'no folder found'}` : '') +
            `\nfirst sync goes back ${r.since}: run "rapport sync email --once --mailbox ${r.name}"`,
        );
      }),
    );

  group
    .command('list')
    .description('mailboxes with their folders, cursors and last errors (never passwords)')
    .action(
      action(async (ctx, io) => {
        const mailboxes = (await configuredMailboxes(ctx)).map((m) => m.row);
        const states = await listFolderStates(ctx.database.db, mailboxes.map((m) => m.id));
        const out = mailboxes.map((m) => ({
          name: m.name, host: m.host, port: m.port, tls: m.tls, user: m.user, auth: m.authKind, source: m.source,
          folders: m.folders.length > 0 ? m.folders : ['INBOX', '\\Sent'], since: m.since,
          state: states.filter((s) => s.mailboxId === m.id).map((s) => ({
            path: s.path, role: s.role, uidValidity: s.uidValidity, highestUid: Number(s.highestUid), messagesSeen: Number(s.messagesSeen),
            lastSyncAt: s.lastSyncAt?.toISOString() ?? null, lastErrorCode: s.lastErrorCode,
          })),
        }));
        io.print(out, (list) =>
          list.length === 0
            ? 'no mailbox: add one with "rapport mailbox add NAME --host … --user … --password-stdin" or set RAPPORT_IMAP_HOST'
            : formatTable(
                ['MAILBOX', 'ACCOUNT', 'AUTH', 'FROM', 'FOLDER', 'UIDVALIDITY', 'HIGHEST UID', 'SEEN', 'LAST SYNC', 'LAST ERROR'],
                list.flatMap((m) => {
                  const account = `${m.user} at ${m.host}:${m.port}${m.tls ? ' (TLS)' : ''}`;
                  // A mailbox not synced yet has no folder state: one row with its configured folders.
                  if (m.state.length === 0) return [[m.name, account, m.auth, m.source, m.folders.join(','), '-', '-', '-', 'never', '-']];
                  return m.state.map((s) => [
                    m.name, account, m.auth, m.source, `${s.path} [${s.role}]`, String(s.uidValidity ?? '-'), String(s.highestUid), String(s.messagesSeen), s.lastSyncAt ?? 'never', s.lastErrorCode ?? '-',
                  ]);
                }),
              ),
        );
      }),
    );

  group
    .command('remove <name>')
    .description('remove a mailbox and its cursors (captured messages stay)')
    .action(
      action<[string]>(async (ctx, io, name) => {
        const row = await getMailboxByName(ctx.database.db, name);
        if (row?.source === 'env' && ctx.config.RAPPORT_IMAP_HOST && ctx.config.RAPPORT_IMAP_NAME === name) {
          throw validationError(`mailbox ${name} comes from the environment`, [{ field: 'name', message: 'unset RAPPORT_IMAP_HOST to remove it' }]);
        }
        const removed = row ? await removeMailbox(ctx.database.db, name) : false;
        if (!removed) return failWith(io, 'not_found', `mailbox ${name} not found`);
        io.print({ removed: name }, () => `removed mailbox ${name}`);
      }),
    );

  group
    .command('failures <name>')
    .description('messages of a mailbox that could not be captured, with the reason')
    .action(
      action<[string]>(async (ctx, io, name) => {
        const row = await getMailboxByName(ctx.database.db, name);
        if (!row) return failWith(io, 'not_found', `mailbox ${name} not found`);
        const rows = await listSyncFailures(ctx.database.db, row.id);
        const out = rows.map((f) => ({ folder: f.folder, uidValidity: f.uidValidity, uid: Number(f.uid), messageId: f.messageId, code: f.code, reason: f.reason, size: f.size, at: f.createdAt.toISOString() }));
        io.print(out, (list) =>
          list.length === 0 ? 'no failed message' : formatTable(['FOLDER', 'UID', 'CODE', 'REASON', 'AT'], list.map((f) => [f.folder, String(f.uid), f.code, f.reason ?? '-', f.at])),
        );
      }),
    );
}
