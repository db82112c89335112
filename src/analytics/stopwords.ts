// Stop words for keywords. Chinese: our own list (function words, pronouns, auxiliaries, common
// politeness and filler of support mail), written here rather than pulled from a package so its
// contents are reviewable; jieba's output decides the granularity (多个 and 我们 are single words).
// English: wink-nlp's own stop-word flag, plus the greetings, sign-offs, generic words and
// address fragments of business mail below.

export const chineseStopWords: ReadonlySet<string> = new Set(
  `的 了 着 过 是 在 有 和 与 及 或 而 但 也 都 就 还 又 再 才 只 很 太 更 最 非常 比较 十分 特别 已经 曾经 正在
  我 你 您 他 她 它 我们 你们 您们 他们 她们 它们 咱们 大家 自己 别人 人家 这 那 这个 那个 这些 那些 这里 那里 这样
  那样 这么 那么 哪 哪个 哪些 哪里 什么 怎么 怎样 怎么样 为什么 为何 多少 几 谁 啥 吗 呢 吧 啊 呀 哦 嗯 哈 嘛 呗 啦 哇
  之 其 此 该 各 每 某 本 另 另外 其他 其它 其中 一些 一点 一下 一个 一种 一样 一直 一起 一般 个 位 种 次 些 点
  把 被 让 给 对 向 从 自 到 往 于 以 为 为了 因为 所以 因此 由于 如果 假如 要是 虽然 但是 可是 然而 不过 而且 并且
  或者 还是 以及 然后 接着 于是 那么 就是 只是 即使 尽管 无论 不管 只要 只有 除了 关于 对于 根据 通过 按照 随着
  能 会 可以 可能 应该 需要 要 想 得 地 去 来 上 下 里 中 内 外 前 后 时 时候 现在 今天 昨天 明天 目前 当时 之前
  不能 不会 不要 不用 不想 之后 以后 以前 刚才 马上 已 将 将要 没 没有 不 不是 别 也许 大概 当然 其实 确实 真的 的确 还有 以上 以下 如下
  等 等等 等到 之类 方面 情况 问题 事情 东西 时间 这种 那种 这次 上次 下次 你好 您好 谢谢 感谢 麻烦 请 请问 烦请
  辛苦 收到 好的 好 是的 对的 嗯嗯 哈哈 呵呵 一下子 一切 所有 全部 任何 有些 有点 有的 一边 同时 然而 并 且 则
  即 既 便 该 如 若 因 故 乃 亦 皆 均 已 曾 于是 因而 从而 进而 总之 例如 比如 譬如 包括 希望 觉得 认为 知道 看到
  说 做 用 看 找 告诉 帮 帮忙 一下 下午 上午 晚上 早上
  此致 敬礼 此致敬礼 顺祝 商祺 顺祝商祺 祝好 祝 敬上 敬启 致敬 顺颂 时祺 顺颂时祺 多谢 谢谢您 谢谢你们 辛苦了 打扰 打扰了
  先生 女士 小姐 各位 大家好 发自 您们`
    .split(/\s+/)
    .filter(Boolean),
);

export const englishExtraStopWords: ReadonlySet<string> = new Set(
  `hi hello hey dear regards best thanks thank thx please pls kindly cheers sincerely team sir madam
  also just would could should might may must shall will can get got getting let us i'm i've i'd
  you're we're they're it's that's there's don't doesn't didn't can't won't isn't aren't wasn't
  yes no ok okay sure well still even really very much many lot lots thing things something anything
  one two twice once today yesterday tomorrow week day time re fw fwd etc via per
  new business hope forward hear reach soon asap kind warm wish wishes yours faithfully truly
  greetings morning afternoon evening everyone guys folks attach attached send sent note keep
  street st road rd avenue ave suite floor blvd zip tel phone fax mobile www http https com`
    .split(/\s+/)
    .filter(Boolean),
);
