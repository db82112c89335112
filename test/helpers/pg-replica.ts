// A throwaway PostgreSQL primary and a streaming replica of it, in a temporary directory on free
// ports (the machine's own server on 5432 is left alone). The server binaries refuse to run as
// root, so they run as the `postgres` user, who is given the directory.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const bin = process.env.RAPPORT_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrimaryAndReplica {
  primaryUrl: string;
  replicaUrl: string;
  /** Runs one statement on the replica as the superuser (pg_wal_replay_pause() …). */
  onReplica(statement: string): Promise<void>;
  /** Stops the replica at once (as a crash would), and starts it again. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { timeout: 120_000 });

export async function startPrimaryAndReplica(): Promise<PrimaryAndReplica> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-replica-'));
  const { uid, gid } = await run('id', ['-u', 'postgres']).then(async (u) => ({ uid: Number(u.stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) }));
  chownSync(dir, uid, gid);
  const primaryPort = await freePort();
  const replicaPort = await freePort();
  const primary = join(dir, 'p');
  const replica = join(dir, 'r');
  const started: string[] = [];
  const start = async (data: string, port: number) => {
    await asPostgres('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', `${data}.log`, 'start', '-w']);
    if (!started.includes(data)) started.push(data);
  };
  const stop = async (data: string, mode: 'fast' | 'immediate') => {
    await asPostgres('pg_ctl', ['-D', data, 'stop', '-m', mode]).catch(() => {});
  };
  const close = async () => {
    for (const data of started.reverse()) await stop(data, 'fast');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await asPostgres('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres']);
    // 'all' in pg_hba.conf does not cover replication connections.
    await run('runuser', ['-u', 'postgres', '--', 'sh', '-c', `echo "host replication all 127.0.0.1/32 trust" >> ${primary}/pg_hba.conf`]);
    await start(primary, primaryPort);
    await asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream']);
    await start(replica, replicaPort);
  } catch (e) {
    await close();
    throw e;
  }
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
    replicaUrl,
    async onReplica(statement) {
      const client = new pg.Client({ connectionString: replicaUrl });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    },
    stopReplica: () => stop(replica, 'immediate'),
    startReplica: () => start(replica, replicaPort),
    close,
  };
}
