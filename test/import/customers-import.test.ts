import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeCustomer } from '../../src/core/customers.js';
import { importCustomers } from '../../src/importing/import-customers.js';
import { createCustomer, findCustomerByIdentity, getCustomer, softDeleteCustomer } from '../../src/store/customers-repo.js';
import { count, importEnv, rejectionOf, type ImportEnv } from './import-helpers.js';

let env: ImportEnv;
beforeAll(async () => {
  env = await importEnv();
});
afterAll(async () => env?.close());
beforeEach(async () => {
  await env.db.execute(sql`truncate customers, identities, companies, orders cascade`);
});

const header = 'name,emails,phones,company,domains,tags,owner,external_id\n';

describe('importing customers from CSV', () => {
  it('creates customers, then updates them on a second run without duplicating anything', async () => {
    const file = await env.dir.write(
      'twice.csv',
      header +
        '王芳,wang.fang@huaxin.cn;wf@qq.com,13800138000,华信科技,huaxin.cn,vip;beta,li,HX-1\n' +
        'Ann Lee,ann@acme.io,+1 415 555 2671,Acme,acme.io,trial,sam,AC-1\n' +
        'No External,noext@acme.io,,Acme,,,,\n',
    );
    const first = await importCustomers(env.deps, file);
    expect(first).toMatchObject({ rows: 3, created: 3, updated: 0, rejected: 0 });
    const counts = [await count(env.db, 'customers'), await count(env.db, 'identities'), await count(env.db, 'companies')];

    const second = await importCustomers(env.deps, file);
    expect(second).toMatchObject({ rows: 3, created: 0, updated: 3, rejected: 0 });
    expect([await count(env.db, 'customers'), await count(env.db, 'identities'), await count(env.db, 'companies')]).toEqual(counts);

    const wang = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'HX-1'))!);
    expect(wang).toMatchObject({
      name: '王芳',
      emails: ['wang.fang@huaxin.cn', 'wf@qq.com'],
      phones: ['+8613800138000'],
      company: { name: '华信科技', domains: ['huaxin.cn'] },
      tags: ['beta', 'vip'],
      owner: 'li',
    });
  });

  it('updates the customer matched by external id, then by email, with the values of the file', async () => {
    await importCustomers(env.deps, await env.dir.write('v1.csv', `${header}Ann,ann@acme.io,,Acme,,trial,sam,AC-1\nBo,bo@beta.io,,,,,,\n`));
    const v2 = await importCustomers(
      env.deps,
      await env.dir.write('v2.csv', `${header}Ann Lee,ann.lee@acme.io,,Acme,,vip,kim,AC-1\nBo Chen,BO@beta.io,,,,,,B-9\n`),
    );
    expect(v2).toMatchObject({ created: 0, updated: 2 });
    const ann = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'AC-1'))!);
    expect(ann).toMatchObject({ name: 'Ann Lee', owner: 'kim', emails: ['ann@acme.io', 'ann.lee@acme.io'], tags: ['trial', 'vip'] });
    const bo = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'email', 'bo@beta.io'))!);
    expect(bo).toMatchObject({ name: 'Bo Chen', externalId: 'B-9' });
    expect(await count(env.db, 'customers')).toBe(2);
  });

  it('reports every bad row with its line number and reason, and imports the rest', async () => {
    await createCustomer(env.db, normalizeCustomer({ name: 'Taken', emails: ['taken@corp.cn'], externalId: 'T-1' }, { defaultRegion: 'CN' }));
    const file = await env.dir.write(
      'bad.csv',
      header +
        'Good One,good1@corp.cn,,,,,,G-1\n' + // line 2
        'Bad Email,not-an-email,,,,,,B-1\n' + // 3
        'Bad Phone,bp@corp.cn,12,,,,,B-2\n' + // 4
        ',noname@corp.cn,,,,,,B-3\n' + // 5
        '"Multi\nLine Name",ml@corp.cn,,,,,,G-2\n' + // 6-7
        'Claims Taken,taken@corp.cn,13900139000,,,,,B-4\n' + // 8
        'Short Row,short@corp.cn\n' + // 9
        'Bad Domain,bd@corp.cn,,Corp,not a domain,,,B-5\n' + // 10
        'No Company,nc@corp.cn,,,corp.cn,,,B-6\n' + // 11
        'Two Wrongs,bad@@mail,abc,,,,,B-7\n' + // 12
        'Good Two,good2@corp.cn,,,,,,G-3\n', // 13
    );
    const summary = await importCustomers(env.deps, file);
    expect(summary).toMatchObject({ rows: 11, created: 3, updated: 0, rejected: 8 });
    expect(summary.rejectedRows.map((r) => [r.line, r.code])).toEqual([
      [3, 'invalid_email'],
      [4, 'unparseable_phone'],
      [5, 'missing_name'],
      [8, 'identity_conflict'],
      [9, 'field_count'],
      [10, 'invalid_domain'],
      [11, 'domains_without_company'],
      [12, 'invalid_email'],
    ]);
    const reason = (line: number) => summary.rejectedRows.find((r) => r.line === line)!.reason;
    expect(reason(3)).toBe('invalid email: "not-an-email"');
    expect(reason(4)).toBe('unparseable phone: "12"');
    expect(reason(5)).toBe('missing name');
    expect(reason(8)).toMatch(/taken@corp\.cn already belongs to another customer \(external id T-1\)/);
    expect(reason(9)).toMatch(/2 fields, the header has 8/);
    expect(reason(12)).toMatch(/invalid email.*unparseable phone/);
    // Nothing of a rejected row is written: not its customer, not its other identities.
    expect(await count(env.db, 'customers')).toBe(4);
    expect(await findCustomerByIdentity(env.db, 'phone', '+8613900139000')).toBeNull();
    expect(await findCustomerByIdentity(env.db, 'external_id', 'B-4')).toBeNull();
    expect(await findCustomerByIdentity(env.db, 'email', 'bp@corp.cn')).toBeNull();
  });

  it('rolls back a row that fails half-way and keeps the rest of its batch', async () => {
    // The email belongs to a deleted customer, which the batch's identity lookup does not see: the
    // row takes the fast path, its customer row is inserted, then adding its identity conflicts; the
    // batch is written again with a savepoint per row, and this row's takes the customer back out.
    const gone = await createCustomer(env.db, normalizeCustomer({ name: 'Gone', emails: ['gone@corp.cn'] }, { defaultRegion: 'CN' }));
    await softDeleteCustomer(env.db, gone);
    const summary = await importCustomers(env.deps, await env.dir.write('half.csv', `${header}Before,b@corp.cn,,,,,,\nRevived,gone@corp.cn,,,,,,R-1\nAfter,a@corp.cn,,,,,,\n`), {
      batchSize: 10,
    });
    expect(summary).toMatchObject({ created: 2, rejected: 1 });
    expect(summary.rejectedRows).toEqual([{ line: 3, code: 'identity_conflict', reason: expect.stringMatching(/already belongs to another customer/) }]);
    const names = await env.db.execute<{ name: string }>(sql`select name from customers order by name`);
    expect((names as unknown as { rows: { name: string }[] }).rows.map((r) => r.name)).toEqual(['After', 'Before', 'Gone']);
  });

  it('writes a batch mixing new customers, existing ones and duplicates within the file as it writes them one row a batch', async () => {
    // New customers of a batch are written together before its other rows; the outcome must be the
    // one of writing the rows one by one in file order (here: one row a batch, so nothing is reordered).
    const file = await env.dir.write(
      'mixed.csv',
      header +
        'New One,n1@x.io,,Newco,newco.io,a,,N-1\n' + // 2 new, creates Newco
        'Old Renamed,old@x.io,,ACME,acme.io;acme.cn,,kim,O-1\n' + // 3 existing customer, existing company with a new domain
        'New Two,n2@x.io,,newco,newco.cn,"q""uote;back\\slash;NULL",,\n' + // 4 new, Newco again with a new domain; awkward tags
        'New One Again,N1@x.io,+86 139 0000 0001,,,vip,,\n' + // 5 duplicate of line 2 by email: updates it
        'Claims Old,old@x.io,,,,,,X-9\n' + // 6 conflict: old@x.io belongs to O-1
        'Old Again,old@x.io,,Shared Co,,,,O-1\n' + // 7 existing customer, names a company new to the batch first
        'New Three,n3@x.io,,shared co,shared.io,,,N-3\n' + // 8 new, the same new company: its name stays as line 7 wrote it
        'New One Thrice,n1b@x.io,,,,,,N-1\n' + // 9 duplicate of line 2 by external id
        'Bad Email,nope,,,,,,B-1\n' + // 10 rejected before writing
        'New Four,n4@x.io,,Later Co,later.io,,,\n', // 11 new
    );
    const seed = async () => {
      await env.db.execute(sql`truncate customers, identities, companies, orders cascade`);
      await createCustomer(env.db, normalizeCustomer({ name: 'Old', emails: ['old@x.io'], externalId: 'O-1', company: 'Acme', domains: ['acme.io'] }, { defaultRegion: 'CN' }));
    };
    const state = async () => {
      const rows = await env.db.execute(sql`
        select c.name, c.owner, c.tags, co.name as company, co.domains,
          (select array_agg(i.kind || ':' || i.value || ':' || i.display order by i.kind, i.value) from identities i where i.customer_id = c.id) as identities
        from customers c left join companies co on co.id = c.company_id order by c.name`);
      const companies = await env.db.execute(sql`select name, domains from companies order by name`);
      return { customers: (rows as unknown as { rows: unknown[] }).rows, companies: (companies as unknown as { rows: unknown[] }).rows };
    };
    const outcome = (s: Awaited<ReturnType<typeof importCustomers>>) => ({
      counts: [s.rows, s.created, s.updated, s.rejected, s.warnings],
      rejectedRows: s.rejectedRows,
      warningRows: s.warningRows,
    });

    await seed();
    const oneByOne = await importCustomers(env.deps, file, { batchSize: 1 });
    const expected = await state();
    await seed();
    const together = await importCustomers(env.deps, file, { batchSize: 500 });
    expect(outcome(together)).toEqual(outcome(oneByOne));
    expect(await state()).toEqual(expected);

    expect(together).toMatchObject({ rows: 10, created: 4, updated: 4, rejected: 2 });
    expect(together.rejectedRows.map((r) => [r.line, r.code])).toEqual([
      [6, 'identity_conflict'],
      [10, 'invalid_email'],
    ]);
    const n1 = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'N-1'))!);
    expect(n1).toMatchObject({ name: 'New One Thrice', emails: ['n1@x.io', 'n1b@x.io'], phones: ['+8613900000001'], tags: ['a', 'vip'], company: { name: 'Newco' } });
    const n2 = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'email', 'n2@x.io'))!);
    expect(n2).toMatchObject({ tags: ['q"uote', 'back\\slash', 'NULL'], company: { name: 'Newco', domains: ['newco.cn', 'newco.io'] } });
    const n3 = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'N-3'))!);
    expect(n3!.company).toMatchObject({ name: 'Shared Co', domains: ['shared.io'] });
    const old = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'O-1'))!);
    expect(old).toMatchObject({ name: 'Old Again', owner: 'kim', company: { name: 'Shared Co' } });
    expect(await count(env.db, 'customers')).toBe(5);
  });

  it('refuses a free-mail provider as a company domain, with a warning, and keeps the row', async () => {
    const summary = await importCustomers(
      env.deps,
      await env.dir.write('free.csv', `${header}Li Lei,lilei@qq.com,,Lei Studio,qq.com;leistudio.cn,,,\nHan,han@163.com,,Han Co,163.com,,,\n`),
    );
    expect(summary).toMatchObject({ created: 2, rejected: 0, warnings: 2 });
    expect(summary.warningRows).toEqual([
      { line: 2, message: expect.stringMatching(/qq\.com is a free-mail provider/) },
      { line: 3, message: expect.stringMatching(/163\.com is a free-mail provider/) },
    ]);
    const li = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'email', 'lilei@qq.com'))!);
    expect(li!.company).toMatchObject({ name: 'Lei Studio', domains: ['leistudio.cn'] });
    const han = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'email', 'han@163.com'))!);
    expect(han!.company).toMatchObject({ name: 'Han Co', domains: [] });
  });

  it('reads headers case-insensitively, ignores extra columns and lists them', async () => {
    const summary = await importCustomers(env.deps, await env.dir.write('case.csv', 'Notes,NAME,E-mail,Emails,External ID\nhi,Zoe,,zoe@z.io,Z-1\n'));
    expect(summary).toMatchObject({ created: 1, ignoredColumns: ['Notes', 'E-mail'] });
    expect(await findCustomerByIdentity(env.db, 'external_id', 'Z-1')).not.toBeNull();
  });

  it('refuses a file that is not CSV before writing anything', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const binary = await rejectionOf(importCustomers(env.deps, await env.dir.write('photo.csv', png)));
    expect(binary).toMatchObject({ code: 'validation', details: { reason: 'not_csv' } });
    expect(binary.message).toMatch(/binary data/);

    // Valid rows first, then a broken quote far down: nothing may be written.
    const good = Array.from({ length: 2000 }, (_, i) => `P${i},p${i}@corp.cn,,,,,,P-${i}\n`).join('');
    const broken = await rejectionOf(importCustomers(env.deps, await env.dir.write('broken.csv', `${header}${good}"Unclosed,x@corp.cn,,,,,,X\n`)));
    expect(broken).toMatchObject({ code: 'validation', details: { reason: 'not_csv' } });

    const empty = await rejectionOf(importCustomers(env.deps, await env.dir.write('empty.csv', '')));
    expect(empty).toMatchObject({ code: 'validation', details: { reason: 'not_csv' } });
    expect(await count(env.db, 'customers')).toBe(0);
  });

  it('refuses a customer file without a name column before writing anything', async () => {
    const e = await rejectionOf(importCustomers(env.deps, await env.dir.write('noname.csv', 'emails,company\na@b.io,B\n')));
    expect(e).toMatchObject({ code: 'validation', details: { reason: 'missing_columns', missing: ['name'] } });
    expect(e.message).toMatch(/has no name column/);
    const semicolons = await rejectionOf(importCustomers(env.deps, await env.dir.write('semi.csv', 'name;emails\nA;a@b.io\n')));
    expect(semicolons.message).toMatch(/separated by commas/);
    expect(await count(env.db, 'customers')).toBe(0);
  });

  it('reads GBK files from Chinese spreadsheets, detected without being told', async () => {
    const file = await env.dir.write('gbk.csv', iconv.encode(`${header}张伟,zhang.wei@huaxin.cn,,华信科技,,重要客户,,ZW-1\n`, 'gbk'));
    const summary = await importCustomers(env.deps, file);
    expect(summary).toMatchObject({ created: 1, encoding: 'gb18030' });
    const zhang = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'ZW-1'))!);
    expect(zhang).toMatchObject({ name: '张伟', company: { name: '华信科技' }, tags: ['重要客户'] });
  });

  it('reads UTF-8 and UTF-16 files with a byte-order mark (Excel "CSV UTF-8", "Unicode text")', async () => {
    const file = await env.dir.write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}李娜,li.na@corp.cn,,,,,,LN-1\n`)]));
    expect(await importCustomers(env.deps, file)).toMatchObject({ created: 1, rejected: 0, encoding: 'utf-8' });
    const utf16 = await env.dir.write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}陈静,chen.jing@corp.cn,,,,,,CJ-1\n`, 'utf16le')]));
    expect(await importCustomers(env.deps, utf16)).toMatchObject({ created: 1, rejected: 0, encoding: 'utf-16le' });
    expect((await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', 'CJ-1'))!))!.name).toBe('陈静');
  });
});
