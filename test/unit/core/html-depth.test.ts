import { describe, expect, it } from 'vitest';
import { maxHtmlDepth, nestsDeeperThan, stripTags } from '../../../src/core/html-depth.js';
import { htmlToText } from '../../../src/mail/html-text.js';

describe('nestsDeeperThan', () => {
  it('measures nesting, not the number of tags', () => {
    expect(nestsDeeperThan('<html><body><div><p>Hello <b>there</b><br>friend</p></div></body></html>', 5)).toBe(false);
    expect(nestsDeeperThan('<html><body><div><p>Hello <b>there</b><br>friend</p></div></body></html>', 4)).toBe(true);
    expect(nestsDeeperThan('<p>a</p>'.repeat(10_000))).toBe(false);
    expect(nestsDeeperThan(`${'<div>'.repeat(maxHtmlDepth + 1)}x`)).toBe(true);
  });

  it('does not count void and self-closing elements as nesting', () => {
    expect(nestsDeeperThan(`<div>${'<br><img src="x"/>'.repeat(5_000)}text</div>`, 1)).toBe(false);
  });

  it('is linear on a megabyte of "<" without ">"', () => {
    const started = performance.now();
    nestsDeeperThan('<a '.repeat(350_000));
    stripTags('<a '.repeat(350_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('stripTags', () => {
  it('keeps the words, drops tags, scripts and styles, and decodes the common entities', () => {
    expect(stripTags('<style>p{}</style><p>Tom &amp; Jerry</p><script>alert(1)</script><i>&lt;ok&gt;</i>')).toBe('Tom & Jerry <ok>');
  });
});

describe('htmlToText on hostile HTML', () => {
  it('converts 20,000-deep nesting without a stack overflow', () => {
    expect(htmlToText(`<html><body>${'<div>'.repeat(20_000)}deep mail${'</div>'.repeat(20_000)}</body></html>`)).toContain('deep mail');
  });

  it('keeps the words of 20,000 unclosed nested tables', () => {
    expect(htmlToText(`${'<table><tr><td>'.repeat(20_000)}cell text`)).toContain('cell text');
  });
});
