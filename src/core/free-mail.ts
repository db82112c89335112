// Free-mail providers never identify a company. The list is `email-providers` (maintained, ~8k
// domains) plus Chinese and regional providers it misses.
import allProviders from 'email-providers/all.json' with { type: 'json' };

const MISSING_FROM_LIST = [
  '139.com', '189.cn', 'wo.cn', 'sohu.com', 'vip.sohu.com', 'tom.com', 'vip.tom.com', '21cn.com',
  'vip.163.com', 'vip.126.com', 'vip.qq.com', 'vip.sina.com', 'sina.cn', '2980.com', '88.com',
  'yeah.net', 'foxmail.com', 'aliyun.com', 'hotmail.com.cn', 'live.cn', 'msn.cn', 'outlook.com.cn',
  'naver.com', 'hanmail.net', 'daum.net', 'yahoo.co.jp', 'proton.me', 'pm.me', 'hey.com',
];

const FREE_MAIL = new Set<string>([...(allProviders as string[]), ...MISSING_FROM_LIST].map((d) => d.toLowerCase()));

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL.has(domain.trim().toLowerCase());
}
