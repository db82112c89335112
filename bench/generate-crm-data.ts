// Generated CRM data for benchmarks, in SQL (generate_series), identical on PGlite and PostgreSQL:
// companies, customers with an email and a phone, two orders each, threads, and communications one
// minute apart going back from now (so the last 24 hours hold 1,440 of them), of mixed kinds and
// sentiment.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/store/database.js';

export interface CrmDataOptions {
  /**
   * Messages of varied wording (one of 40 English and Chinese sentences each, with its own terms),
   * so a search matches a few percent of messages instead of all of them. Off: every message says
   * the same words (what the digest and Slack benchmarks were measured with).
   */
  variedText?: boolean;
  /** Extra messages for the first customer (md5('cu1')), in threads of ten: a customer with a long history. */
  heavyCustomerMessages?: number;
}

/** Bulk generation in SQL (generate_series), identical on PGlite and PostgreSQL. Ids are md5-derived. */
export async function generateCrmData(database: Database, customers: number, communications: number, opts: CrmDataOptions = {}): Promise<void> {
  const db = database.db;
  const companies = Math.max(1, Math.floor(customers / 5));
  await db.execute(sql`insert into companies (id, name, domains)
    select md5('co' || i)::uuid, 'Company ' || i || ' ' || (array['Trading','Logistics','科技','Foods','Labs'])[1 + i % 5], array['company' || i || '.example']
    from generate_series(1, ${companies}) i`);
  await db.execute(sql`insert into customers (id, name, company_id, owner, tags)
    select md5('cu' || i)::uuid, (array['Zhang','Li','Wang','Smith','Garcia','Chen','Liu','Brown'])[1 + i % 8] || ' ' || i,
      md5('co' || (1 + i % ${companies}))::uuid, 'owner' || (i % 7), array['tier' || (i % 3)]
    from generate_series(1, ${customers}) i`);
  await db.execute(sql`insert into identities (customer_id, kind, value, display)
    select md5('cu' || i)::uuid, 'email', 'person' || i || '@company' || (1 + i % ${companies}) || '.example', 'person' || i || '@company' || (1 + i % ${companies}) || '.example'
    from generate_series(1, ${customers}) i`);
  await db.execute(sql`insert into identities (customer_id, kind, value, display)
    select md5('cu' || i)::uuid, 'phone', '+86139' || lpad(i::text, 8, '0'), '+86139' || lpad(i::text, 8, '0')
    from generate_series(1, ${customers}) i`);
  await db.execute(sql`insert into orders (customer_id, external_id, amount, currency, status, ordered_at)
    select md5('cu' || (1 + i % ${customers}))::uuid, 'order-' || i, (10 + i % 990)::numeric, 'CNY', 'paid', now() - (i || ' hours')::interval
    from generate_series(1, ${customers * 2}) i`);
  await db.execute(sql`insert into threads (id, channel, thread_key, customer_id, kind, status, subject, first_at, last_at)
    select md5('th' || i)::uuid, 'email', 'bench-thread-' || i, md5('cu' || (1 + i % ${customers}))::uuid,
      (array['message','feedback','issue'])[1 + i % 3], 'open', 'Subject ' || i, now() - interval '30 days', now() - (i || ' minutes')::interval
    from generate_series(1, ${Math.floor(communications / 5)}) i`);
  const text = opts.variedText
    ? sql`(${sql.param(sentences.map(([t]) => t))}::text[])[1 + i % 40] || ' #' || i`
    : sql`'Message ' || i || ' about the order, delivery and refund. 发货 退款 客服 ' || i`;
  const searchText = opts.variedText ? sql`(${sql.param(sentences.map(([, w]) => w))}::text[])[1 + i % 40]` : sql`'message about the order delivery refund 发货 退款 客服'`;
  for (let start = 1; start <= communications; start += 20_000) {
    const end = Math.min(communications, start + 19_999);
    await db.execute(sql`insert into communications (channel, direction, kind, external_id, thread_id, customer_id, company_id, subject, text, participants, occurred_at, keywords, search_text, sentiment)
      select 'email', (array['inbound','outbound'])[1 + i % 2], (array['message','feedback','issue','complaint','question'])[1 + i % 5], 'bench-' || i, md5('th' || (1 + i % ${Math.floor(communications / 5)}))::uuid,
        md5('cu' || (1 + i % ${customers}))::uuid, md5('co' || (1 + (1 + i % ${customers}) % ${companies}))::uuid,
        'Subject ' || i, ${text},
        jsonb_build_array(jsonb_build_object('role', 'from', 'email', 'person' || (1 + i % ${customers}) || '@example.com', 'name', 'Person ' || i)),
        now() - (i || ' minutes')::interval, array[(array['refund','delivery','invoice','发货','退款'])[1 + i % 5], 'order'],
        ${searchText}, ((i % 21) - 10) / 10.0
      from generate_series(${start}::int, ${end}::int) i`);
  }
  if (opts.heavyCustomerMessages) await addHeavyCustomer(database, opts.heavyCustomerMessages);
  // As a database in steady state: vacuumed (visibility map, GIN pending lists merged) and analyzed, so
  // autovacuum does not start on the fresh million rows in the middle of a measurement.
  await db.execute(sql`vacuum analyze`);
}

const sentences: [string, string][] = [
  ['The invoice total is wrong, please check the refund', 'invoice total wrong please check refund'],
  ['Our order has not shipped yet', 'order not shipped yet'],
  ['Can you add more seats to our subscription', 'add more seats subscription'],
  ['The API integration keeps timing out', 'api integration keeps timing out'],
  ['Thanks, the delivery arrived on time', 'thanks delivery arrived time'],
  ['We would like a discount for the annual plan', 'like discount annual plan'],
  ['The dashboard is slow since the update', 'dashboard slow since update'],
  ['Please reset the password of our admin account', 'please reset password admin account'],
  ['Is there an SSO option for enterprise customers', 'sso option enterprise customers'],
  ['The mobile app crashes when exporting reports', 'mobile app crashes exporting reports'],
  ['Can we schedule a training session next week', 'schedule training session next week'],
  ['The coupon code does not work at checkout', 'coupon code work checkout'],
  ['We need a copy of the contract renewal', 'need copy contract renewal'],
  ['The warehouse sent the wrong items', 'warehouse sent wrong items'],
  ['Great support, the issue is solved', 'great support issue solved'],
  ['How do we migrate data from the old system', 'migrate data old system'],
  ['The shipping label printer stopped working', 'shipping label printer stopped working'],
  ['Please update the billing address on file', 'please update billing address file'],
  ['Our team loves the new reporting features', 'team loves new reporting features'],
  ['The webhook deliveries are failing with errors', 'webhook deliveries failing errors'],
  ['我们的订单还没有发货，请尽快处理', '我们 订单 还 没有 发货 请 尽快 处理'],
  ['发票抬头需要修改，请帮忙', '发票 抬头 需要 修改 请 帮忙'],
  ['优惠券无法使用，结账时报错', '优惠券 无法 使用 结账 报错'],
  ['客服一直没有回复，我很失望', '客服 一直 没有 回复 我 很 失望'],
  ['退款还没到账，请查一下', '退款 还 没 到账 请 查 一下'],
  ['仓库发错了货，需要换货', '仓库 发错 了 货 需要 换货'],
  ['新版本的报表功能很好用', '新 版本 报表 功能 很 好用'],
  ['能不能安排一次培训', '能 不能 安排 一次 培训'],
  ['系统登录很慢，影响工作', '系统 登录 很 慢 影响 工作'],
  ['合同续约的事情想和你们聊聊', '合同 续约 事情 想 和 你们 聊聊'],
  ['批发价格能不能再优惠一些', '批发 价格 能 不能 再 优惠 一些'],
  ['物流信息一直没有更新', '物流 信息 一直 没有 更新'],
  ['接口对接总是超时', '接口 对接 总是 超时'],
  ['感谢你们的快速响应', '感谢 你们 快速 响应'],
  ['账号密码需要重置', '账号 密码 需要 重置'],
  ['数据迁移需要多长时间', '数据 迁移 需要 多 长 时间'],
  ['打印机打不出快递单', '打印机 打 不出 快递单'],
  ['请更新我们的开票地址', '请 更新 我们 开票 地址'],
  ['手机应用导出报表时闪退', '手机 应用 导出 报表 时 闪退'],
  ['年度套餐有没有折扣', '年度 套餐 有没有 折扣'],
];

/** `n` more messages for customer 1, ten per thread, one an hour going back from now. */
async function addHeavyCustomer(database: Database, n: number): Promise<void> {
  const db = database.db;
  const threads = Math.ceil(n / 10);
  await db.execute(sql`insert into threads (id, channel, thread_key, customer_id, kind, status, subject, first_at, last_at)
    select md5('heavy-th' || i)::uuid, (array['email','slack'])[1 + i % 2], 'heavy-thread-' || i, md5('cu1')::uuid, 'message', 'open', 'Heavy thread ' || i,
      now() - ((i * 10 + 9) || ' hours')::interval, now() - ((i * 10) || ' hours')::interval
    from generate_series(0, ${threads - 1}) i`);
  await db.execute(sql`insert into communications (channel, direction, kind, external_id, thread_id, customer_id, subject, text, participants, occurred_at, search_text, sentiment)
    select (array['email','slack'])[1 + (i / 10) % 2], (array['inbound','outbound'])[1 + i % 2], (array['question','feedback','issue'])[1 + i % 3], 'heavy-' || i,
      md5('heavy-th' || (i / 10))::uuid, md5('cu1')::uuid, 'Heavy thread ' || (i / 10),
      repeat('A long message about the order and its delivery, with details. ', 8) || i,
      jsonb_build_array(jsonb_build_object('role', 'from', 'email', 'person1@example.com', 'name', 'Person 1')),
      now() - (i || ' hours')::interval, 'long message order delivery details', ((i % 11) - 5) / 10.0
    from generate_series(0, ${n - 1}) i`);
}
