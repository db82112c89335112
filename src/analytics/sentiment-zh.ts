// Chinese sentiment lexicon (written for Rapport; covers customer-service language, not literature).
// Each word has a polarity in [-1, 1]. Scoring walks jieba's words: an intensifier (很, 非常, 太…)
// multiplies the next sentiment word, a negator (不, 没, 别…) within three words before it flips
// and damps it (不好 → −0.8 × 好), and punctuation ends a negation's reach.
// Limits: no sarcasm, no domain shifts (便宜 is positive for a buyer), one polarity per word.

const positive: Record<string, number> = {
  好: 0.6, 很好: 0.8, 不错: 0.7, 满意: 0.8, 非常满意: 1, 感谢: 0.7, 谢谢: 0.5, 多谢: 0.6, 谢意: 0.6, 喜欢: 0.8, 爱: 0.7,
  棒: 0.9, 很棒: 0.9, 太棒了: 1, 赞: 0.8, 点赞: 0.8, 好评: 0.9, 优秀: 0.9, 专业: 0.6, 耐心: 0.6, 用心: 0.7, 周到: 0.7,
  及时: 0.5, 快: 0.4, 迅速: 0.5, 高效: 0.7, 顺利: 0.6, 方便: 0.5, 好用: 0.7, 实用: 0.6, 完美: 1, 推荐: 0.6, 开心: 0.8,
  高兴: 0.8, 惊喜: 0.8, 放心: 0.6, 稳定: 0.5, 清楚: 0.3, 热情: 0.6, 贴心: 0.8, 靠谱: 0.7, 给力: 0.8, 优质: 0.8,
  漂亮: 0.6, 精美: 0.6, 划算: 0.5, 值得: 0.6, 超值: 0.8, 解决: 0.3, 感激: 0.8, 节省: 0.4, 流畅: 0.6, 期待: 0.3,
  挺好: 0.7, 太好了: 1,
};

const negative: Record<string, number> = {
  差: -0.8, 很差: -0.9, 太差: -1, 最差: -1, 差评: -1, 失望: -0.9, 糟糕: -0.9, 生气: -0.9, 愤怒: -1, 气愤: -1, 不满: -0.8,
  不满意: -0.8, 投诉: -0.8, 垃圾: -1, 骗: -1, 骗人: -1, 欺骗: -1, 坑: -0.8, 烂: -0.9, 慢: -0.5, 太慢: -0.8, 延迟: -0.5,
  延误: -0.6, 错误: -0.5, 报错: -0.6, 失败: -0.6, 故障: -0.7, 异常: -0.5, 崩溃: -0.8, 闪退: -0.7, 卡顿: -0.6, 坏: -0.7,
  坏了: -0.7, 损坏: -0.7, 压坏: -0.7, 弄坏: -0.7, 难用: -0.8, 麻烦: -0.4, 离谱: -0.9, 过分: -0.9, 无语: -0.7,
  受够: -1, 寒心: -0.9, 不像话: -0.9, 不负责任: -0.9, 无视: -0.7, 态度恶劣: -1, 恶劣: -0.9, 丢失: -0.6, 扣费: -0.4,
  宕机: -0.8, 乱: -0.4, 错乱: -0.6, 空白: -0.3, 超时: -0.5, 无法: -0.5, 不了: -0.4, 不到: -0.3, 不能接受: -1,
  担心: -0.4, 遗憾: -0.5, 抱怨: -0.7, 退款: -0.2, 退货: -0.3, 缺货: -0.4, 少发: -0.6, 晚: -0.3, 湿: -0.3, 不透明: -0.7,
  涨价: -0.4, 挂: -0.4, 一再: -0.3, 难找: -0.5, 收不到: -0.6, 打不开: -0.6, 开不了机: -0.7, 不存在: -0.4, 没反应: -0.6,
  没有反应: -0.6, 用完: -0.3, 登录不了: -0.6, 搜索不到: -0.5, 下载不下来: -0.6, 点不了: -0.6, 卡在: -0.5, 扣了两次: -0.7,
  没有人回复: -0.7, 没人回: -0.7, 垃圾箱: 0,
};

const negators = new Set(['不', '没', '没有', '别', '未', '无', '并不', '从不', '不太', '不是', '毫不', '绝不', '不会', '不怎么', '再也不']);
const intensifiers: Record<string, number> = {
  很: 1.3, 非常: 1.6, 太: 1.5, 特别: 1.5, 十分: 1.5, 极: 1.7, 极其: 1.7, 超级: 1.6, 超: 1.4, 真: 1.3, 真的: 1.3, 相当: 1.4, 最: 1.6, 挺: 1.2, 有点: 0.7, 有些: 0.7,
};
/** Every word of two characters or more the scorer knows: jieba may cut them into parts (闪退, 收不到). */
const lexiconWords = new Set(
  [...Object.keys(positive), ...Object.keys(negative), ...negators, ...Object.keys(intensifiers)].filter((w) => w.length > 1),
);
const longestWord = Math.max(...[...lexiconWords].map((w) => w.length));

/**
 * jieba's words made ready for scoring: runs of adjacent words that spell a lexicon word are joined
 * back (闪|退 → 闪退, 没有|人|回复 → 没有人回复), the longest first, and an intensifier or negator
 * jieba kept together with a sentiment word is cut off it (太过分 → 太|过分). Scoring thus works on
 * the words jieba gives keywords, where it used a jieba of its own with the lexicon as user words
 * (~40 MB more in every analysis thread). On the 1,367 labelled Chinese messages of corpus/kinds the
 * two agree on 98.4% of labels, and this one is right on 864 against 857.
 */
export function toLexiconWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let take = 1;
    let joined = words[i] as string;
    let spelled = joined;
    for (let j = i + 1; j < words.length && (spelled += words[j] as string).length <= longestWord; j++) {
      if (lexiconWords.has(spelled)) {
        take = j - i + 1;
        joined = spelled;
      }
    }
    out.push(...splitAroundLexiconWords(joined));
    i += take;
  }
  return out;
}

/**
 * A word that is an intensifier or a negator followed by a sentiment word, cut in two (太过分 →
 * 太|过分, 不太满意 → 不太|满意); any other word as it is.
 */
function splitAroundLexiconWords(word: string): string[] {
  if (word.length < 3 || lexicon.has(word)) return [word];
  for (let n = 1; n <= word.length - 2; n++) {
    const head = word.slice(0, n);
    if ((negators.has(head) || head in intensifiers) && lexicon.has(word.slice(n))) return [head, word.slice(n)];
  }
  return [word];
}

const lexicon = new Map<string, number>([...Object.entries(positive), ...Object.entries(negative)]);
const BREAK = /[，。！？；、,.!?;\n]/;

export interface LexiconScore {
  /** Sum of the (signed, intensified, negated) polarities. */
  sum: number;
  /** How many sentiment words were found. */
  hits: number;
}

function polarityOf(word: string): { polarity: number; negated: boolean } | null {
  const p = lexicon.get(word);
  if (p !== undefined) return { polarity: p, negated: false };
  const head = ['不', '没', '没有', '不太'].find((n) => word.startsWith(n) && lexicon.has(word.slice(n.length)));
  return head ? { polarity: lexicon.get(word.slice(head.length)) as number, negated: true } : null;
}

/** Scores jieba words (punctuation included, as jieba returns it) with the lexicon above. */
export function scoreChineseWords(words: readonly string[]): LexiconScore {
  let sum = 0;
  let hits = 0;
  let negatedAt = -10;
  let boost = 1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (BREAK.test(w)) {
      negatedAt = -10;
      boost = 1;
      continue;
    }
    // jieba often keeps a negated word whole (不好, 没用): score it as the negation of its stem.
    const stem = polarityOf(w);
    const polarity = stem?.polarity;
    if (polarity !== undefined) {
      const negated = (i - negatedAt <= 2) !== Boolean(stem?.negated);
      sum += (negated ? -0.8 : 1) * polarity * boost;
      hits += 1;
      negatedAt = -10;
      boost = 1;
      continue;
    }
    if (negators.has(w)) negatedAt = i;
    const k = intensifiers[w];
    if (k !== undefined) boost = k;
  }
  return { sum, hits };
}
