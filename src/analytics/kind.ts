// Kind of a message — feedback, question, issue, complaint, praise or other — by weighted cues
// (keywords and patterns in both languages) plus its sentiment. The learned classifier
// (kind-model.ts) decides kinds now and reads these cues as features; the rules alone are used only
// with RAPPORT_KIND_RULES (a JSON override of KindConfig, deprecated).
// The winner's confidence is its share of the evidence; below `minConfidence` → 'other'.
import type { Sentiment } from './sentiment.js';

export const kinds = ['feedback', 'question', 'issue', 'complaint', 'praise', 'other'] as const;
export type Kind = (typeof kinds)[number];
type ScoredKind = Exclude<Kind, 'other'>;

export interface KindCue {
  /** A regular expression source, matched case-insensitively on the text. */
  pattern: string;
  weight: number;
}

export interface KindConfig {
  cues: Record<ScoredKind, KindCue[]>;
  /** Added to complaint (negative) or praise (positive) per unit of sentiment score. */
  sentimentWeight: number;
  /** Evidence a kind needs before it wins (else 'other'). */
  minScore: number;
  /** Confidence below which the result is 'other'. */
  minConfidence: number;
}

const cue = (weight: number, ...patterns: string[]): KindCue[] => patterns.map((pattern) => ({ pattern, weight }));

export const defaultKindConfig: KindConfig = {
  sentimentWeight: 1.2,
  minScore: 0.8,
  minConfidence: 0.34,
  cues: {
    question: [
      ...cue(1.5, '[?？]\\s*$', '[?？]'),
      ...cue(1, '^(?:hi[,!]?\\s+)?(?:how|what|when|where|which|who|why|can|could|would|is|are|do|does|will|should)\\b',
        '\\b(?:quick question|one question|wondering|is it possible|is there a way|just checking)\\b'),
      ...cue(1, '请问', '吗[?？。]?\\s*$', '(?:能否|是否|可否|可不可以|能不能|有没有|多久|多少|怎么|如何|什么时候|几点)', '想问'),
    ],
    issue: [
      ...cue(1.5, '\\b(?:error|bug|crash(?:es|ed)?|broken|fails?|failed|failing|timeout|stuck|not working|stopped working|does nothing|not arriving|not found|blank|declined|charged twice|double charged)\\b',
        "\\b(?:can't|cannot|unable to) (?:log ?in|login|open|access|download|connect)\\b", '\\b(?:500|404)\\b'),
      ...cue(1.5, '报错', '错误', '失败', '故障', '异常', '闪退', '崩溃', '打不开', '登录不了', '收不到', '不存在', '没有反应', '没反应',
        '卡在', '开不了机', '下载不下来', '点不了', '搜索不到', '扣了两次', '空白', '超时', '错乱', 'bug', '进了垃圾箱', '不对'),
    ],
    complaint: [
      ...cue(2, '\\b(?:complain(?:t)?|unacceptable|disappointed|terrible|awful|worst|rude|furious|ridiculous|outrageous|disgraceful|shame on you|fed up|never (?:order|buy) again|losing patience|dishonest|very poor|not acceptable|very unhappy)\\b',
        '投诉', '失望', '太差', '很差', '最差', '差评', '生气', '离谱', '过分', '受够', '垃圾产品', '骗人', '不满', '寒心', '不像话', '不负责任', '再也不', '不能接受', '耐心已经用完', '态度'),
      ...cue(1, '\\b(?:money back|again|weeks?|nobody|no one|switching providers|report this)\\b', '一再', '又', '没有人回复', '没人回', '换供应商', '等了'),
    ],
    praise: [
      ...cue(2, '\\b(?:thank you so much|great (?:support|job|service)|excellent|fantastic|amazing|brilliant|kudos|impressed|wonderful|much appreciated|love the|best i\'ve|extra mile|works perfectly)\\b',
        '非常感谢', '太棒', '很棒', '点赞', '好评', '惊喜', '满意', '最好的', '推荐给', '完美', '用心', '太好用', '转达谢意', '专业'),
      ...cue(1, '\\b(?:thanks|thank you|great|happy with|helpful|professional|smooth|useful|recommend)\\b', '感谢', '谢谢', '顺利', '周到', '实用', '不错', '喜欢'),
    ],
    feedback: [
      ...cue(2, '\\b(?:suggestion|suggest|feature request|feedback|would be (?:great|nice|welcome)|it would help|we\'d like|i\'d love|we wish|please consider|could be improved|one idea|could use|would make)\\b',
        '建议', '希望', '反馈', '功能建议', '想法', '改进', '就更好了', '就方便多了', '能不能在', '可以少', '就够了'),
      ...cue(1, '\\b(?:could you add|maybe|add a|option to|too frequent|confusing)\\b', '增加', '加一个', '支持', '太频繁', '有点乱', '太多了', '太难找'),
    ],
  },
};

export interface KindResult {
  kind: Kind;
  confidence: number;
  /** Evidence per kind, for explanations and tuning. */
  scores: Record<ScoredKind, number>;
}

interface CompiledCue {
  re: RegExp;
  weight: number;
}

const compiled = new WeakMap<KindConfig, Record<ScoredKind, CompiledCue[]>>();
function compile(config: KindConfig): Record<ScoredKind, CompiledCue[]> {
  let c = compiled.get(config);
  if (!c) {
    const entries = Object.entries(config.cues).map(([k, cues]) => [k, cues.map((x) => ({ re: new RegExp(x.pattern, 'iu'), weight: x.weight }))]);
    c = Object.fromEntries(entries) as Record<ScoredKind, CompiledCue[]>;
    compiled.set(config, c);
  }
  return c;
}

/** Merge a partial override (e.g. from JSON) over the defaults: given cue lists replace, numbers override. */
export interface KindConfigOverride extends Partial<Omit<KindConfig, 'cues'>> {
  cues?: Partial<Record<ScoredKind, KindCue[]>>;
}

export function kindConfigWith(override: KindConfigOverride): KindConfig {
  return { ...defaultKindConfig, ...override, cues: { ...defaultKindConfig.cues, ...(override.cues ?? {}) } };
}

export function classifyKind(text: string, sentiment: Sentiment, config: KindConfig = defaultKindConfig): KindResult {
  const cues = compile(config);
  const scores = { feedback: 0, question: 0, issue: 0, complaint: 0, praise: 0 } satisfies Record<ScoredKind, number>;
  const t = text.trim();
  for (const kind of Object.keys(scores) as ScoredKind[]) {
    for (const c of cues[kind]) if (c.re.test(t)) scores[kind] += c.weight;
  }
  if (sentiment.score < 0) scores.complaint += -sentiment.score * config.sentimentWeight * (scores.complaint > 0 ? 1 : 0.5);
  if (sentiment.score > 0) scores.praise += sentiment.score * config.sentimentWeight * (scores.praise > 0 ? 1 : 0.5);
  const ranked = (Object.entries(scores) as [ScoredKind, number][]).sort((a, b) => b[1] - a[1]);
  const [bestKind, best] = ranked[0] as [ScoredKind, number];
  const total = ranked.reduce((s, [, v]) => s + v, 0);
  // Confidence: the winner's share of all evidence, shrunk when the evidence itself is thin.
  const confidence = total > 0 ? (best / total) * (best / (best + 1)) : 0;
  if (best < config.minScore || confidence < config.minConfidence * (best / (best + 1))) {
    return { kind: 'other', confidence: total > 0 ? 1 - best / (best + 1) : 0.9, scores };
  }
  return { kind: bestKind, confidence, scores };
}
