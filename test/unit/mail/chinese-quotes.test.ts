import { describe, expect, it } from 'vitest';
import { extractReply } from '../../../src/mail/extract-reply.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { buildEml, encodedWord } from './build-eml.js';
import { chineseReplies } from './chinese-clients.js';

describe('clean text of Chinese mail clients', () => {
  for (const c of chineseReplies) {
    it(`keeps only the new part of a ${c.client} reply (${c.charset})`, async () => {
      const parts = [{ charset: c.charset, body: c.plain }, ...(c.html ? [{ type: 'text/html', charset: c.charset, body: c.html }] : [])];
      const raw = buildEml(
        {
          From: `${encodedWord('客户', c.charset)} <customer@kehu.cn>`,
          To: 'support@rapport-demo.cn',
          Subject: encodedWord('回复：订单问题', c.charset),
          Date: 'Sat, 21 Nov 2026 09:12:33 +0800',
          'Message-ID': `<${c.client.length}.${c.charset}@kehu.cn>`,
        },
        c.html ? parts : parts[0]!,
      );
      const msg = await parseEmail(raw);
      expect(msg.text).toBe(c.text);
      expect(msg.fullText).toContain(c.plain.split('\n').at(-2)!.trim());
      expect(msg.flags).not.toContain('forwarded');
    });
  }

  it('reads the reply out of the HTML part when a QQ Mail message has no text part', async () => {
    const qq = chineseReplies.find((c) => c.client === 'QQ Mail')!;
    const raw = buildEml({ From: 'a@qq.com', Subject: 'Re', 'Message-ID': '<qq-html@qq.com>' }, { type: 'text/html', charset: 'gb18030', body: qq.html! });
    expect((await parseEmail(raw)).text).toBe(qq.text);
  });

  const htmlOnly: [string, string, string][] = [
    [
      '163 Mail',
      `<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial"><div>好的，周二上午可以安装。</div><br><div style="position:relative;zoom:1">--<br><div>张伟</div></div><div id="divNeteaseMailCard"></div><br>在 2026-11-20 17:40:12，"客服" &lt;support@rapport-demo.cn&gt; 写道：<br> <blockquote id="isReplyContent" style="PADDING-LEFT: 1ex; MARGIN: 0px 0px 0px 0.8ex; BORDER-LEFT: #ccc 1px solid"><div>张先生您好，请确认安装时间。</div></blockquote></div>`,
      '好的，周二上午可以安装。',
    ],
    [
      'Outlook (zh-CN)',
      `<html><head><style>p.MsoNormal{margin:0cm;font-size:11.0pt}</style></head><body lang="ZH-CN"><div class="WordSection1"><p class="MsoNormal">可以，按这个价格下单。<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>发件人<span lang="EN-US">:</span></b><span lang="EN-US"> </span>客服<span lang="EN-US"> &lt;support@rapport-demo.cn&gt;<br></span><b>发送时间<span lang="EN-US">:</span></b><span lang="EN-US"> 2026</span>年<span lang="EN-US">11</span>月<span lang="EN-US">20</span>日<span lang="EN-US"> 17:40<br></span><b>收件人<span lang="EN-US">:</span></b><span lang="EN-US"> </span>赵敏<br><b>主题<span lang="EN-US">:</span></b><span lang="EN-US"> </span>报价<o:p></o:p></p></div><p class="MsoNormal">赵经理，报价见附件。<o:p></o:p></p></div></body></html>`,
      '可以，按这个价格下单。',
    ],
  ];
  for (const [client, html, text] of htmlOnly) {
    it(`reads the new part of an HTML-only ${client} reply`, async () => {
      const raw = buildEml({ From: 'a@163.com', Subject: 'Re', 'Message-ID': `<html-${client.length}@163.com>` }, { type: 'text/html', charset: 'gbk', body: html });
      const msg = await parseEmail(raw);
      expect(msg.text).toBe(text);
      expect(msg.fullText).toMatch(/请确认安装时间|报价见附件/);
    });
  }

  it('does not cut a message that merely mentions 发件人 or a date', () => {
    const text = '请把发件人改成我的邮箱。\n日期：下周一\n在 2026年11月20日 我们开会讨论了价格。\n谢谢';
    expect(extractReply(text)).toBe(text);
  });
});
