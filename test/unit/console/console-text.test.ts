// Pure pieces of the console: language negotiation, CSV cells, and search highlighting.
import { describe, expect, it } from 'vitest';
import { fromAcceptLanguage } from '../../../src/console/i18n.js';
import { highlight, searchTerms } from '../../../src/console/highlight.js';
import { csvCell } from '../../../src/console/routes/customers.js';
import { safeJson } from '../../../src/console/views/components.js';
import { safeNext } from '../../../src/console/render.js';

describe('Accept-Language', () => {
  it('picks Chinese or English by preference, honouring q-values', () => {
    expect(fromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(fromAcceptLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(fromAcceptLanguage('fr-FR, zh-TW;q=0.5, en;q=0.7')).toBe('en');
    expect(fromAcceptLanguage('de-DE')).toBeNull();
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });
});

describe('CSV cells', () => {
  it('quotes separators and quotes, and keeps spreadsheet formulas inert', () => {
    expect(csvCell('张伟')).toBe('张伟');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+8613800138000')).toBe("'+8613800138000");
    expect(csvCell(null)).toBe('');
  });
});

describe('search highlighting', () => {
  it('marks Chinese words as segmented and English words by stem, never excluded ones', () => {
    const terms = searchTerms('refunds 发货延迟 -invoice');
    expect(terms).toEqual(expect.arrayContaining(['refunds', 'refund', '发货']));
    expect(terms).not.toContain('invoice');
    const pieces = highlight('Refund for the invoice: 发货延迟了', terms);
    expect(pieces.filter((p) => p.hit).map((p) => p.text)).toEqual(['Refund', '发货延迟']);
  });

  it('cuts long text around the first match', () => {
    const text = `${'x'.repeat(500)} needle ${'y'.repeat(500)}`;
    const joined = highlight(text, ['needle'], 100).map((p) => p.text).join('');
    expect(joined.startsWith('…')).toBe(true);
    expect(joined).toContain('needle');
    expect(joined.length).toBeLessThan(110);
  });
});

describe('page safety', () => {
  it('keeps JSON from ending its script element', () => {
    expect(safeJson({ a: '</script><script>alert(1)</script>' })).not.toContain('<');
    expect(JSON.parse(safeJson({ a: '</script>&' }))).toEqual({ a: '</script>&' });
  });

  it('only follows "next" within the site', () => {
    expect(safeNext('/customers?q=1')).toBe('/customers?q=1');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
  });
});
