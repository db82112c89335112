// The in-process Pacer: turns a fixed gap apart per lane, none while a message is on its way, the gap
// counted from when it finished, nobody during a 429 pause, lanes independent of each other.
import { describe, expect, it } from 'vitest';
import { localPacer } from '../../src/core/pacer.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('localPacer', () => {
  it('spaces the turns of one lane and leaves other lanes alone', async () => {
    const c = clock();
    const p = localPacer(c.now);
    expect(await p.reserve('C1', 1000)).toBe(0);
    expect(await p.reserve('C1', 1000)).toBe(1000);
    expect(await p.reserve('C1', 1000)).toBe(2000);
    expect(await p.reserve('C2', 1000)).toBe(0);
  });

  it('holds a lane while its message is on the way, and counts the gap from when it finished', async () => {
    const c = clock();
    const p = localPacer(c.now);
    await p.reserve('C1', 1000);
    expect(await p.begin('C1')).toBe(0);
    expect(await p.begin('C1')).toBeGreaterThan(0);
    c.advance(300);
    await p.done('C1', 1000);
    expect(await p.begin('C1')).toBe(1000);
    expect(await p.reserve('C1', 1000)).toBe(1000);
    c.advance(1000);
    expect(await p.begin('C1')).toBe(0);
  });

  it('gives no turn during a pause, on any lane', async () => {
    const c = clock();
    const p = localPacer(c.now);
    await p.pause(2000);
    await p.pause(500); // a shorter pause never cuts a longer one short
    expect(await p.pausedFor()).toBe(2000);
    expect(await p.reserve('C9', 1000)).toBe(2000);
    c.advance(2500);
    expect(await p.pausedFor()).toBe(0);
  });
});
