import { describe, expect, it } from 'vitest';
import { detectForward } from '../../../src/mail/detect-forward.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { buildEml, encodedWord } from './build-eml.js';

const forwards: { client: string; subject: string; body: string; from: { email: string; name?: string } }[] = [
  {
    client: 'Gmail',
    subject: 'Fwd: Broken charger',
    body: `FYI — customer complaint below.

---------- Forwarded message ---------
From: Jane Doe <jane.doe@acme-retail.com>
Date: Thu, Nov 19, 2026 at 4:12 PM
Subject: Broken charger
To: <sales@rapport-demo.cn>

The charger you sent stopped working after two days.
`,
    from: { email: 'jane.doe@acme-retail.com', name: 'Jane Doe' },
  },
  {
    client: 'Outlook',
    subject: 'FW: Renewal',
    body: `Please handle.

________________________________
From: Bob Smith <bob@globex.com>
Sent: Thursday, November 19, 2026 4:12 PM
To: Sales <sales@rapport-demo.cn>
Subject: Renewal

We would like to renew for two more years.
`,
    from: { email: 'bob@globex.com', name: 'Bob Smith' },
  },
  {
    client: 'Apple Mail',
    subject: 'Fwd: Invoice',
    body: `

Begin forwarded message:

From: Carla Ruiz <carla@initech.es>
Subject: Invoice
Date: 19 November 2026 at 16:12:00 CET
To: sales@rapport-demo.cn

Where is my invoice?
`,
    from: { email: 'carla@initech.es', name: 'Carla Ruiz' },
  },
  {
    client: 'QQ Mail (转发)',
    subject: '转发：发货太慢了',
    body: `看一下这个客户的问题。


------------------ 原始邮件 ------------------
发件人: "刘洋"<liuyang@chenguang.com.cn>;
发送时间: 2026年11月19日(星期四) 下午4:12
收件人: "销售"<sales@rapport-demo.cn>;
主题: 发货太慢了

已经一周了还没发货。
`,
    from: { email: 'liuyang@chenguang.com.cn', name: '刘洋' },
  },
  {
    client: '163 Mail (转发邮件信息)',
    subject: '转发:质量问题',
    body: `客户投诉，请跟进。

-------- 转发邮件信息 --------
发件人："赵静" <zhaojing@jiahe-group.com>
发送日期：2026-11-19 16:12:05
收件人：sales@rapport-demo.cn
主题：质量问题

收到的货有破损。
`,
    from: { email: 'zhaojing@jiahe-group.com', name: '赵静' },
  },
  {
    client: 'Outlook (zh-CN)',
    subject: '转发: 合同',
    body: `请看下面。

发件人: 孙丽 <sunli@huaxin-trade.com>
发送时间: 2026年11月19日 16:12
收件人: 销售 <sales@rapport-demo.cn>
主题: 合同

合同已签好。
`,
    from: { email: 'sunli@huaxin-trade.com', name: '孙丽' },
  },
  {
    client: 'Foxmail, plain subject',
    subject: '客户的问题',
    body: `请处理。

-------- 转发邮件信息 --------
发件人: "周杰" <zhoujie@example.com.cn>
发送日期: 2026-11-19 16:12
收件人: "销售" <sales@rapport-demo.cn>
主题: 退货

我要退货。
`,
    from: { email: 'zhoujie@example.com.cn', name: '周杰' },
  },
];

describe('forwarded mail', () => {
  for (const f of forwards) {
    it(`attributes a ${f.client} forward to the original sender`, async () => {
      const raw = buildEml({ From: 'Staff <staff@rapport-demo.cn>', Subject: encodedWord(f.subject), 'Message-ID': `<fwd.${f.client.length}@rapport-demo.cn>` }, { body: f.body });
      const msg = await parseEmail(raw);
      expect(msg.flags).toContain('forwarded');
      expect(msg.forwardedFrom).toEqual(f.from);
      // The forwarded message is the content: it stays in the full text.
      expect(msg.fullText ?? msg.text).toContain(f.body.trim().split('\n').at(-1));
    });
  }

  it('does not take a reply quoting "-----原始邮件-----" for a forward', () => {
    const reply = '好的。\n\n------------------ 原始邮件 ------------------\n发件人: "客服"<support@rapport-demo.cn>;\n发送时间: 2026年11月20日\n主题: 发票\n\n已寄出。';
    expect(detectForward(reply, '回复：发票')).toEqual({ forwarded: false });
  });

  it('does not take an Outlook reply with a header block for a forward', () => {
    const reply = 'Thanks!\n\n________________________________\nFrom: Support <support@rapport-demo.cn>\nSent: Friday\nTo: Bob\nSubject: Renewal\n\nDone.';
    expect(detectForward(reply, 'RE: Renewal')).toEqual({ forwarded: false });
  });
});
