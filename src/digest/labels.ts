// Section titles in English and Chinese together: teams here often read both, and a digest posted
// to a shared channel cannot know its reader's language.
export const labels = {
  late: 'Sent late: Rapport was not running at the scheduled time · 补发：计划时间服务未运行',
  newByChannel: 'New conversations · 新沟通',
  newFeedback: 'New feedback and issues · 新反馈与问题',
  negativeHighValue: 'Negative messages from high-value customers · 高价值客户负面消息',
  waiting: 'Waiting for our reply · 等待我们回复',
  keywords: 'Top keywords · 热门关键词',
  rising: 'Rising keywords · 上升关键词',
  changes: 'Segment and value changes · 分群与价值变化',
  nothing: 'Nothing new today · 今日无新动态',
} as const;

export function digestTitle(day: string, filters: { owner: string | null; segment: string | null }): string {
  const scope = [filters.owner && `owner ${filters.owner}`, filters.segment && `segment ${filters.segment}`].filter(Boolean).join(', ');
  return `Rapport daily digest · 每日摘要 — ${day}${scope ? ` (${scope})` : ''}`;
}
