// Replies written the way Chinese mail clients write them (layouts copied from real messages of
// each client, names and addresses made up). `text` is what the new part must be exactly.
export interface ClientReply {
  client: string;
  charset: string;
  plain: string;
  html?: string;
  text: string;
}

export const chineseReplies: ClientReply[] = [
  {
    client: 'Foxmail 7.2',
    charset: 'gbk',
    plain: `收到，谢谢！请周一前发货，我们仓库周末不收货。

lina@kehu-tech.cn
 
发件人： 客服
发送时间： 2026-11-20 17:40
收件人： 李娜
主题： 订单 #20261120 发货时间
李经理您好，

您的订单预计下周发货，请确认收货地址。
`,
    text: '收到，谢谢！请周一前发货，我们仓库周末不收货。\n\nlina@kehu-tech.cn',
  },
  {
    client: 'QQ Mail',
    charset: 'gb18030',
    plain: `好的，已经收到发票了，下个月一起付款。


------------------ 原始邮件 ------------------
发件人: "客服"<support@rapport-demo.cn>;
发送时间: 2026年11月20日(星期五) 下午5:40
收件人: "王强"<12345678@qq.com>;

主题: 发票已开具

王先生您好，发票已寄出，请查收。
`,
    html: `<div>好的，已经收到发票了，下个月一起付款。</div><div><br></div><div><br></div><div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">------------------&nbsp;原始邮件&nbsp;------------------</div><div style="font-size: 12px;background:#efefef;padding:8px;"><div><b>发件人:</b>&nbsp;"客服"&lt;support@rapport-demo.cn&gt;;</div><div><b>发送时间:</b>&nbsp;2026年11月20日(星期五) 下午5:40</div><div><b>收件人:</b>&nbsp;"王强"&lt;12345678@qq.com&gt;;<wbr></div><div></div><div><b>主题:</b>&nbsp;发票已开具</div></div><div><br></div>王先生您好，发票已寄出，请查收。`,
    text: '好的，已经收到发票了，下个月一起付款。',
  },
  {
    client: '163 Mail (Coremail)',
    charset: 'gbk',
    plain: `好的，我们下周二上门安装，请留人在家。

--
张伟
在 2026-11-20 17:40:12，"客服" <support@rapport-demo.cn> 写道：
>张先生您好，
>请确认安装时间。
>
`,
    text: '好的，我们下周二上门安装，请留人在家。',
  },
  {
    client: 'Outlook (zh-CN)',
    charset: 'utf-8',
    plain: `没问题，附件是更新后的报价单，请查收。

发件人: 客服 <support@rapport-demo.cn>
发送时间: 2026年11月20日 17:40
收件人: 赵敏 <zhaomin@huaxin-trade.com>
抄送: 销售 <sales@rapport-demo.cn>
主题: 报价单确认

赵经理，请确认报价单。
`,
    text: '没问题，附件是更新后的报价单，请查收。',
  },
  {
    client: 'Outlook 2010 (zh-CN, 邮件原件)',
    charset: 'gb2312',
    plain: `价格可以接受，请安排合同。

-----邮件原件-----
发件人: 客服 [mailto:support@rapport-demo.cn] 
发送时间: 2026年11月20日 17:40
收件人: 孙丽
主题: 新报价

孙经理，新报价见附件。
`,
    text: '价格可以接受，请安排合同。',
  },
  {
    client: 'Outlook (zh-CN, English headers)',
    charset: 'utf-8',
    plain: `周五之前可以完成吗？

________________________________
From: Support <support@rapport-demo.cn>
Sent: Friday, November 20, 2026 5:40 PM
To: 周杰 <zhoujie@chenguang.com.cn>
Subject: 维修进度

周先生，维修预计需要三天。
`,
    text: '周五之前可以完成吗？',
  },
  {
    client: 'Tencent Exmail (腾讯企业邮)',
    charset: 'utf-8',
    plain: `王总，合同已盖章寄回，快递单号 SF1234567890。

 
 
------------------ 原始邮件 ------------------
发件人: "客服"<support@rapport-demo.cn>;
发送时间: 2026年11月20日(星期五) 下午5:40
收件人: "王总"<wang@jiahe-group.com>;
主题: 合同
`,
    text: '王总，合同已盖章寄回，快递单号 SF1234567890。',
  },
  {
    client: '"在 … 写道：" (Foxmail / 163, date in 年月日)',
    charset: 'utf-8',
    plain: `已付款，请查收。
在 2026年11月20日 17:40，"客服"<support@rapport-demo.cn> 写道：
> 您好，订单已确认，请付款。
`,
    text: '已付款，请查收。',
  },
  {
    client: 'Gmail (zh-CN)',
    charset: 'utf-8',
    plain: `谢谢，问题已经解决了。

客服 <support@rapport-demo.cn> 于2026年11月20日周五 17:40写道：

> 请重启路由器后再试一次。
>
`,
    text: '谢谢，问题已经解决了。',
  },
  {
    client: 'Apple Mail / iPhone (zh-CN)',
    charset: 'utf-8',
    plain: `明天上午十点可以。

发自我的iPhone

> 2026年11月20日 下午5:40，客服 <support@rapport-demo.cn> 写道：
> 
> 请问明天什么时间方便上门？
`,
    text: '明天上午十点可以。',
  },
  {
    client: 'Outlook (zh-TW, Big5)',
    charset: 'big5',
    plain: `報價沒問題，請寄合約過來。

寄件者: 客服 <support@rapport-demo.cn>
寄件日期: 2026年11月20日 下午 05:40
收件者: 陳先生 <chen@taipei-trading.com.tw>
主旨: 報價

陳先生您好，報價如附件。
`,
    text: '報價沒問題，請寄合約過來。',
  },
];
