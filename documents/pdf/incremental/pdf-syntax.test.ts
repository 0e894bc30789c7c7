import { describe, expect, it } from 'vitest';
import { appendUpdate, rawPdf } from '../hostile-pdfs';
import { Lexer, serialize, Unsupported } from './pdf-syntax';
import { XrefReader } from './xref-reader';

const parse = (text: string) => new Lexer(Buffer.from(text, 'latin1'), 0).value();

describe('pdf-syntax', () => {
  it('parses and re-serializes every direct object kind, keeping numbers, names and strings as written', () => {
    const v = parse('<< /A 1 0 R /B [1 2.50 -.5 +3] /C (a \\) b (nested)) /D <FEFF59D3> /E true /F null /G#20H /x %comment\n /K << /L 2 >> >>');
    expect(v.t).toBe('dict');
    if (v.t !== 'dict') return;
    expect([...v.entries.keys()]).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G H', 'K']);
    expect(v.entries.get('A')).toEqual({ t: 'ref', num: 1, gen: 0 });
    expect(v.entries.get('G H')).toMatchObject({ t: 'name', v: 'x' });
    expect(serialize(v)).toBe('<< /A 1 0 R /B [1 2.50 -.5 +3] /C (a \\) b (nested)) /D <FEFF59D3> /E true /F null /G#20H /x /K << /L 2 >> >>');
    expect(serialize(parse(serialize(v)))).toBe(serialize(v));
  });

  it('refuses what it does not know instead of guessing (the caller falls back)', () => {
    expect(() => parse('<< /A (unterminated >>')).toThrow(Unsupported);
    expect(() => parse('<< 1 2 >>')).toThrow(Unsupported);
    expect(() => parse(`${'['.repeat(100)}${']'.repeat(100)}`)).toThrow(Unsupported);
    expect(() => parse('{ }')).toThrow(Unsupported);
  });
});

describe('XrefReader', () => {
  const base = rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', '(old)']);

  it('reads objects at the offsets of the newest table; a free entry hides older definitions', () => {
    const updated = appendUpdate(base, [{ num: 3, body: '(new)' }]);
    const reader = new XrefReader(updated);
    expect(reader.object(3)).toMatchObject({ t: 'str', raw: '(new)' });
    expect(reader.trailer.get('Root')).toEqual({ t: 'ref', num: 1, gen: 0 });
    expect(reader.nextObjectNumber).toBe(4);
    expect(new XrefReader(appendUpdate(base, [], { free: [3] })).object(3)).toBeUndefined();
  });

  it('refuses a table that points at another object, a /Prev loop and cross-reference streams', () => {
    const wrong = appendUpdate(base, [{ num: 3, body: '(x)' }], { xrefOverrides: { 3: 15 } });
    expect(() => new XrefReader(wrong).object(3)).toThrow(Unsupported);
    const text = Buffer.from(base).toString('latin1');
    const xrefAt = Number(/startxref\s+(\d+)/.exec(text)![1]);
    const loop = Buffer.from(text.replace('/Root 1 0 R >>', `/Root 1 0 R /Prev ${xrefAt} >>`), 'latin1');
    expect(() => new XrefReader(loop)).toThrow(Unsupported);
    expect(() => new XrefReader(Buffer.from('%PDF-1.7\n1 0 obj << /Type /XRef >> endobj\nstartxref\n9\n%%EOF\n', 'latin1'))).toThrow(Unsupported);
  });
});
