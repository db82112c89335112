// A throwaway dovecot IMAP server per test file (../shared/recipes/dovecot-for-tests.md): its own
// temp config, users file and Maildir, a free loopback port, run in the foreground (`dovecot -F`)
// so SIGTERM stops it and frees the port. Mail is delivered the way a real server receives it:
// APPEND over IMAP from a separate client.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Connection settings for Rapport's mailbox config (plain IMAP on loopback). */
  settings(): { host: string; port: number; tls: boolean; user: string; password: string };
  /** APPENDs raw messages to a folder over IMAP (one connection); returns their UIDs. */
  append(folder: string, messages: (string | Buffer)[], opts?: { user?: string }): Promise<{ uids: number[]; uidValidity: bigint }>;
  /** A logged-in client for the test to use directly (caller logs out). */
  client(): Promise<ImapFlow>;
  /** SIGTERM and start again on the same port with the same mail. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Deletes the user's Maildir (the server gives the folders a new UIDVALIDITY). */
  wipeMaildir(user?: string): Promise<void>;
  /** The server log (for failures). */
  log(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the server sends its IMAP greeting. */
async function waitForGreeting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const done = (v: boolean) => {
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('data', (d) => done(d.toString().startsWith('* OK')));
      socket.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not greet on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function config(dir: string, maildir: string, port: number): string {
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${maildir}/%u
mail_uid = nobody
mail_gid = nogroup
imap_max_line_length = 64k
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

export async function startDovecot(opts: { users?: Record<string, string> } = {}): Promise<DovecotServer> {
  const users = opts.users ?? { test: 'pass' };
  const [user, password] = Object.entries(users)[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'rapport-dovecot-'));
  chmodSync(dir, 0o755); // nobody must traverse to the Maildir
  const maildir = join(dir, 'mail');
  mkdirSync(maildir);
  chownNobody(maildir);
  const port = await freePort();
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(conf, config(dir, maildir, port));
  writeFileSync(join(dir, 'users'), Object.entries(users).map(([u, p]) => `${u}:{PLAIN}${p}::::::\n`).join(''));

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) return;
    const proc = spawn('dovecot', ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    child = proc;
    proc.once('exit', () => {
      if (child === proc) child = null;
    });
    try {
      await waitForGreeting(port, 10_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${stderr}\n${readLog()}`);
    }
  };
  const stop = async () => {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGTERM');
    await exited;
  };
  const readLog = () => {
    try {
      return readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const client = async (u = user, p = users[u] ?? password) => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: u, pass: p }, logger: false });
    c.on('error', () => {});
    await c.connect();
    return c;
  };

  await start();

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    settings: () => ({ host: '127.0.0.1', port, tls: false, user, password }),
    async append(folder, messages, o = {}) {
      const c = await client(o.user ?? user);
      try {
        const uids: number[] = [];
        let uidValidity = 0n;
        for (const m of messages) {
          const r = await c.append(folder, m);
          if (!r || r.uid === undefined) throw new Error(`APPEND to ${folder} returned no UID`);
          uids.push(r.uid);
          uidValidity = BigInt(r.uidValidity ?? 0);
        }
        return { uids, uidValidity };
      } finally {
        await c.logout().catch(() => c.close());
      }
    },
    client: () => client(),
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async wipeMaildir(u = user) {
      // Dovecot derives UIDVALIDITY from the clock (seconds): make sure the new one differs.
      await new Promise((r) => setTimeout(r, 1100));
      rmSync(join(maildir, u), { recursive: true, force: true });
    },
    log: readLog,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function chownNobody(path: string): void {
  // uid/gid of nobody/nogroup on Debian; read them rather than assume.
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'));
  const group = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('nogroup:'));
  const uid = Number(passwd?.split(':')[2] ?? 65534);
  const gid = Number(group?.split(':')[2] ?? 65534);
  chownSync(path, uid, gid);
}
