import { afterAll, describe, expect, it } from 'vitest';
import { analyzeContent } from '../../../src/analytics/analyze-message.js';
import { defaultKindModel } from '../../../src/analytics-runner/kind-classifier.js';
import { createAnalysisPool, type AnalysisJob } from '../../../src/channels/threads/analysis-pool.js';
import { createLogger } from '../../../src/log.js';

// The models live in the analysis threads only: whatever the size of a batch, a thread's answer is
// the one the same analysis gives on the calling thread.
describe('analysis pool', () => {
  const options = { userWords: ['RapportCloud'], kindModel: defaultKindModel() };
  const pool = createAnalysisPool({ threads: 2, budgetMs: 5_000, options, log: createLogger('silent') });
  afterAll(() => pool.close());

  const texts = [
    '您好，我们上周下的订单到现在还没有发货，请帮忙查一下物流。微信联系也可以。',
    'The refund was requested three days ago and has not arrived yet. This is really frustrating.',
    'Thanks a lot for the quick fix, the RapportCloud export works perfectly now!',
    '发票抬头需要改成上海客户科技有限公司，invoice number stays the same.',
  ];
  const job = (i: number): AnalysisJob => ({ subject: i % 3 === 0 ? undefined : `Order question #${i}`, text: `${texts[i % texts.length]} (#${i})` });

  it('gives a small batch (one thread) the same analysis as the calling thread', async () => {
    const jobs = [0, 1, 2, 3].map(job);
    expect(await pool.analyze(jobs)).toEqual(jobs.map((j) => analyzeContent(j.subject, j.text, options)));
  });

  it('gives the same analysis from the fresh threads that replace threads past their count of messages', async () => {
    const recycling = createAnalysisPool({ threads: 1, budgetMs: 5_000, options, log: createLogger('silent'), recycleAfter: 3 });
    try {
      for (const start of [0, 4, 8]) {
        const jobs = [start, start + 1, start + 2, start + 3].map(job);
        expect(await recycling.analyze(jobs)).toEqual(jobs.map((j) => analyzeContent(j.subject, j.text, options)));
      }
    } finally {
      await recycling.close();
    }
  });

  it('gives a batch split across threads the same analysis, in order', async () => {
    const jobs = Array.from({ length: 400 }, (_, i) => job(i));
    expect(await pool.analyze(jobs)).toEqual(jobs.map((j) => analyzeContent(j.subject, j.text, options)));
  });
});
