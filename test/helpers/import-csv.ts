// Generated CSV files for import tests and the import benchmark: written as a stream to a temp
// dir, never committed. Every generated customer is valid and unique (email, phone, external id).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const customerHeader = ['name', 'emails', 'phones', 'company', 'domains', 'tags', 'owner', 'external_id'];

const given = ['Alice', 'Bo', 'Carmen', 'Dmitri', 'Emeka', 'Fatima', '伟', '芳', '娜', '静', '强', '磊'];
const family = ['Wang', 'Li', 'Zhang', 'Smith', 'García', 'Okafor', '王', '李', '张', '刘', '陈', '杨'];
const owners = ['ana', 'ben', 'chen', 'dee'];

/** Customer number i (0-based) of a generated file: ~1 in 4 has no company, 1 in 3 has a phone. */
export function generatedCustomer(i: number): string[] {
  const company = i % 4 === 3 ? null : Math.floor(i / 4) % 500;
  const domain = company === null ? null : `company${company}.example.cn`;
  const name = `${given[i % given.length]} ${family[Math.floor(i / given.length) % family.length]} ${i}`;
  const email = domain ? `user${i}@${domain}` : `user${i}@mail${i % 7}.example.org`;
  const phone = i % 3 === 0 ? `+86 139 ${String(i).padStart(8, '0').replace(/(\d{4})(\d{4})/, '$1 $2')}` : '';
  return [
    name,
    email,
    phone,
    company === null ? '' : `Company ${company} 有限公司`,
    domain ?? '',
    ['trial', i % 2 ? 'vip' : 'smb'].join(';'),
    owners[i % owners.length]!,
    `CUST-${i}`,
  ];
}

export const csvLine = (fields: string[]): string =>
  `${fields.map((f) => (/[",\n\r]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')}\n`;

/** Streams rows to a file with back-pressure, so a generated file never sits in memory. */
export async function writeCsvFile(path: string, header: string[], rows: Iterable<string[]>): Promise<void> {
  const out = createWriteStream(path);
  out.write(csvLine(header));
  for (const row of rows) {
    if (!out.write(csvLine(row))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export function* generatedCustomers(count: number, from = 0): Iterable<string[]> {
  for (let i = from; i < from + count; i += 1) yield generatedCustomer(i);
}

export interface TempDir {
  path: string;
  file(name: string): string;
  write(name: string, content: string | Buffer): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'rapport-import-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    async write(name, content) {
      const p = join(path, name);
      await writeFile(p, content);
      return p;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
