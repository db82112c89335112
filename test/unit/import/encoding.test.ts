// CSV encodings: Big5 is told from GBK/GB18030 (Big5 bytes are valid GB18030 too, and read as
// nonsense there), and bytes an encoding cannot read are counted, never silently replaced.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeStream, sniffEncoding, type DecodeCount } from '../../../src/importing/encoding.js';

const big5Csv = 'name,emails,phones\n黃磊,huang@example.tw,+886 2 2345 6789\n陳美玲,chen@example.tw,\n林志明,lin@example.tw,\n';
const gbkCsv = 'name,emails,phones\n王芳,wang@huaxin.cn,+86 138 0013 8000\n张伟,zhang@huaxin.cn,\n李强,li@163.com,\n';

async function decode(bytes: Buffer, encoding: 'big5' | 'gbk' | 'utf-8'): Promise<{ out: string; count: DecodeCount }> {
  const count: DecodeCount = { replaced: 0 };
  // Small chunks, so characters are cut between chunks as they are in a real stream.
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
  const out = await text(Readable.from(chunks).pipe(decodeStream(encoding, 0, count)));
  return { out, count };
}

describe('sniffEncoding', () => {
  it('tells Big5 from GBK', () => {
    expect(sniffEncoding(iconv.encode(big5Csv, 'big5')).encoding).toBe('big5');
    expect(sniffEncoding(iconv.encode(gbkCsv, 'gbk')).encoding).toBe('gb18030');
    expect(sniffEncoding(Buffer.from(big5Csv, 'utf8')).encoding).toBe('utf-8');
  });
});

describe('decodeStream', () => {
  it('counts the characters an encoding cannot read', async () => {
    const ok = await decode(iconv.encode(big5Csv, 'big5'), 'big5');
    expect(ok.out).toBe(big5Csv);
    expect(ok.count.replaced).toBe(0);
    // Big5 bytes read as UTF-8: the multi-byte characters are not UTF-8 at all.
    const wrong = await decode(iconv.encode(big5Csv, 'big5'), 'utf-8');
    expect(wrong.count.replaced).toBeGreaterThan(0);
    expect(wrong.count.replaced).toBe([...wrong.out].filter((c) => c === '\uFFFD').length);
  });

  it('does not count U+FFFD that a UTF-8 file holds itself', async () => {
    const r = await decode(Buffer.from('name\nbroken \uFFFD name\n\uFFFD\uFFFD\n', 'utf8'), 'utf-8');
    expect(r.count.replaced).toBe(0);
    const bad = await decode(Buffer.concat([Buffer.from('name\n\uFFFD'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]), 'utf-8');
    expect(bad.count.replaced).toBe(2);
  });
});
