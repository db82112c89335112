import { describe, expect, it } from 'vitest';
import { noiseFlagsOf } from '../../../src/mail/noise-flags.js';
import { ownOriginHeader, ownOriginHeaders } from '../../../src/mail/own-header.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { buildEml, encodedWord } from './build-eml.js';

const mail = (headers: Record<string, string>) =>
  parseEmail(buildEml({ From: 'customer@kehu.cn', Subject: '订单问题', 'Message-ID': `<${Math.random()}@kehu.cn>`, ...headers }, { body: 'Hello' }));

describe('noise flags', () => {
  it('leaves an ordinary customer message unflagged', async () => {
    expect((await mail({})).flags).toEqual([]);
  });

  const autoReplies: [string, Record<string, string>][] = [
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }],
    ['Auto-Submitted: auto-generated', { 'Auto-Submitted': 'auto-generated' }],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }],
    ['X-Autorespond', { 'X-Autorespond': 'Out of office' }],
    ['X-Auto-Response-Suppress', { 'X-Auto-Response-Suppress': 'All' }],
    ['Precedence: bulk', { Precedence: 'bulk' }],
    ['Precedence: junk', { Precedence: 'junk' }],
    ['Precedence: list', { Precedence: 'list' }],
    ['subject 自动回复', { Subject: encodedWord('自动回复：订单问题', 'gbk') }],
    ['subject 自動回覆 (Big5)', { Subject: encodedWord('自動回覆: 訂單', 'big5') }],
    ['subject Automatic reply (Exchange)', { Subject: 'Automatic reply: Order question' }],
    ['subject Out of Office', { Subject: 'Out of Office: back on Monday' }],
    ['subject Auto:', { Subject: 'Auto: Re: invoice' }],
    ['subject [自动回复] in brackets', { Subject: encodedWord('【自动回复】您好，我正在休假', 'utf-8') }],
  ];
  for (const [what, headers] of autoReplies) {
    it(`flags an auto-reply by ${what}`, async () => {
      expect((await mail(headers)).flags).toEqual(['auto_reply']);
    });
  }

  it('does not flag Auto-Submitted: no', async () => {
    expect((await mail({ 'Auto-Submitted': 'no' })).flags).toEqual([]);
  });

  it('does not take a subject that only mentions an auto reply for one', async () => {
    expect((await mail({ Subject: 'Re: why did I get an automatic reply?' })).flags).toEqual([]);
  });

  it('flags a multipart/report delivery-status bounce', async () => {
    const raw = buildEml(
      { From: 'Mail Delivery System <noreply@mx.example.net>', Subject: 'Undelivered Mail Returned to Sender', 'Message-ID': '<dsn-1@mx.example.net>' },
      [
        { body: 'This is the mail system at host mx.example.net. I\'m sorry to have to inform you that your message could not be delivered.' },
        { type: 'message/delivery-status', body: 'Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; gone@kehu.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n', encoding: '7bit' },
      ],
      'report; report-type=delivery-status',
    );
    const msg = await parseEmail(raw);
    expect(msg.flags).toEqual(['bounce']);
  });

  it('flags mail from MAILER-DAEMON and postmaster as bounces', async () => {
    expect((await mail({ From: 'MAILER-DAEMON@mx.kehu.cn' })).flags).toEqual(['bounce']);
    expect((await mail({ From: '"Postmaster" <postmaster@qq.com>' })).flags).toEqual(['bounce']);
  });

  it('flags mailing-list mail by List-Id or List-Unsubscribe, separately from auto-replies', async () => {
    expect((await mail({ 'List-Id': 'Customers <customers.lists.example.com>' })).flags).toEqual(['mailing_list']);
    expect((await mail({ 'List-Unsubscribe': '<mailto:leave@lists.example.com>' })).flags).toEqual(['mailing_list']);
    expect((await mail({ 'List-Id': '<news.example.com>', Precedence: 'bulk' })).flags).toEqual(['auto_reply', 'mailing_list']);
  });

  it('flags mail Rapport sent itself by its origin header', async () => {
    const headers = ownOriginHeaders('digest');
    expect(Object.keys(headers)).toEqual([ownOriginHeader]);
    expect((await mail(headers)).flags).toEqual(['own_message']);
    expect((await mail({ [ownOriginHeader]: 'someone-else' })).flags).toEqual([]);
  });

  it('is a pure function of headers, sender, subject and content type', () => {
    const headers = new Map([['x-autoreply', ['yes']], ['list-id', ['<a.b>']]]);
    expect(noiseFlagsOf({ headers, fromEmail: 'postmaster@x.cn' })).toEqual(['auto_reply', 'bounce', 'mailing_list']);
  });
});
