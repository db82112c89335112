// One ImapFlow client per mailbox connection. Password → LOGIN/AUTH PLAIN; OAuth2 access token →
// XOAUTH2 (Gmail, Outlook). ImapFlow's own logger is off: it would log addresses and subjects.
import { createRequire } from 'node:module';
import type { ImapFlow } from 'imapflow';
import { toEmailError } from './errors.js';
import type { MailboxSettings } from './types.js';

/** imapflow (CommonJS build), loaded with the first mailbox connection: a process that connects to no
 * mailbox (`rapport serve` without mailboxes or with RAPPORT_EMAIL_SYNC=off) never holds its ~6 MB of heap. */
const imapFlow = (): typeof ImapFlow => (createRequire(import.meta.url)('imapflow') as typeof import('imapflow')).ImapFlow;

export function createImapClient(settings: MailboxSettings): ImapFlow {
  const auth =
    settings.auth.kind === 'oauth2'
      ? { user: settings.user, accessToken: settings.auth.accessToken }
      : { user: settings.user, pass: settings.auth.password };
  const Client = imapFlow();
  const client = new Client({
    host: settings.host,
    port: settings.port,
    secure: settings.tls,
    auth,
    logger: false,
    clientInfo: { name: 'Rapport' },
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  });
  // Errors also reach the pending command or the 'close' event; an unhandled 'error' would crash.
  client.on('error', () => {});
  return client;
}

/** Connects and logs in; failures come back as EmailSyncError with a code (auth, temporary, config…). */
export async function connectImap(settings: MailboxSettings): Promise<ImapFlow> {
  const client = createImapClient(settings);
  try {
    await client.connect();
    return client;
  } catch (e) {
    client.close();
    throw toEmailError(e, `connecting to ${settings.host}:${settings.port} as mailbox ${settings.name}`);
  }
}

export async function disconnect(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  await Promise.race([client.logout().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
  client.close();
}
