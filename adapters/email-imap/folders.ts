// Which folders to read: the configured paths, where a special-use name (`\Sent`) stands for the
// folder the server marks with it (Gmail "[Gmail]/Sent Mail", Exmail "Sent Messages", 163 "已发送").
import type { ImapFlow } from 'imapflow';
import type { FolderRole, ResolvedFolder } from './types.js';

export const defaultFolders = ['INBOX', '\\Sent'];

export interface ListedFolder {
  path: string;
  specialUse?: string | undefined;
}

/** Pure: maps wanted names to listed folders. Missing special-use folders are left out (a mailbox
 *  without a Sent folder is fine); a missing explicit path is kept, and fails later as not_found. */
export function pickFolders(wanted: readonly string[], listed: readonly ListedFolder[]): ResolvedFolder[] {
  const names = wanted.length > 0 ? wanted : defaultFolders;
  const out: ResolvedFolder[] = [];
  const seen = new Set<string>();
  const add = (path: string, role: FolderRole) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, role });
  };
  for (const name of names) {
    if (name.startsWith('\\')) {
      const match = listed.find((f) => f.specialUse?.toLowerCase() === name.toLowerCase());
      if (match) add(match.path, roleOf(match));
      continue;
    }
    if (name.toUpperCase() === 'INBOX') {
      add('INBOX', 'inbox');
      continue;
    }
    const match = listed.find((f) => f.path === name);
    add(name, match ? roleOf(match) : 'other');
  }
  return out;
}

function roleOf(folder: ListedFolder): FolderRole {
  if (folder.path.toUpperCase() === 'INBOX' || folder.specialUse === '\\Inbox') return 'inbox';
  if (folder.specialUse === '\\Sent') return 'sent';
  return 'other';
}

export async function resolveFolders(client: ImapFlow, wanted: readonly string[]): Promise<ResolvedFolder[]> {
  const listed = await client.list();
  return pickFolders(wanted, listed.map((l) => ({ path: l.path, specialUse: l.specialUse })));
}
