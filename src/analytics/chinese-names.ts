// Which of jieba's tagged words are names of people, places or organisations. jieba's dictionary
// tags many common words as names (明白, 顾问, 卡住 and 宕机 are "nr", 东西 and 城市 "ns"), so a tag
// alone is not enough: a person's name starts with a common surname (or ends with a title: 李女士),
// a place is written as an address (…省, …市, …区, …路, …号), and organisations (nt) are kept out.

/** The ~100 most common Chinese surnames (about 85 % of people). */
const SURNAMES = new Set([...
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧',
]);
const TITLE = /(?:先生|女士|小姐|总|经理|老师|主任|总监)$/u;
const PLACE_SUFFIX = /[省市区县镇乡村路街巷号州]$/u;

export function isChineseName(word: string, tag: string): boolean {
  if (word.length < 2) return false;
  if (tag === 'nt') return true;
  if (tag === 'ns') return PLACE_SUFFIX.test(word);
  if (tag === 'nr' || tag === 'nrfg' || tag === 'nrt') {
    return word.length <= 4 && (SURNAMES.has(word[0] as string) || TITLE.test(word));
  }
  return false;
}
