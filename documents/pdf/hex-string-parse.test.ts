import * as base from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { parseHexStringFast, type ByteStreamInternals } from './hex-string-parse';
import { loadPdf } from './safe-load';
import { makePdf } from './test-helpers';

type Parser = { bytes: ByteStreamInternals; parseHexString(): base.PDFHexString };

function parsers(text: string): [Parser, Parser] {
  const bytes = Buffer.from(text, 'latin1');
  const make = () => base.PDFObjectParser.forBytes(bytes, base.PDFContext.create()) as unknown as Parser;
  return [make(), make()];
}

const outcome = (run: () => base.PDFHexString, p: Parser) => {
  let value: string | null = null;
  let error: string | null = null;
  try {
    value = run().asString();
  } catch (err) {
    error = (err as Error).constructor.name;
  }
  return { value, error, idx: p.bytes.idx, line: p.bytes.line, column: p.bytes.column };
};

describe('parseHexStringFast', () => {
  it("gives pdf-lib's value, offset, line and column (newlines, odd bytes, a missing '>')", () => {
    const cases = [
      '<>',
      '<3082abcdef>',
      '<30 82\n ab\r\ncd\n>/Next',
      `<${'00'.repeat(16_384)}>`,
      '<de\xff\x80ad',
      '<\n\n\n>',
      'x<00>',
    ];
    for (const text of cases) {
      const [slow, fast] = parsers(text);
      const reference = outcome(() => slow.parseHexString(), slow);
      const candidate = outcome(() => parseHexStringFast(fast.bytes, base), fast);
      expect(candidate, JSON.stringify(text.slice(0, 40))).toEqual(reference);
    }
  });

  it('loadPdf reads the same objects as pdf-lib itself (hex strings in a signed-size file)', async () => {
    const doc = await base.PDFDocument.load(await makePdf({ pages: 2 }));
    doc.setKeywords(['x']);
    doc.context.trailerInfo.ID = doc.context.obj([base.PDFHexString.of('00ff'.repeat(4000)), base.PDFHexString.of('AB cd\nEF')]);
    (doc as unknown as { getInfoDict(): base.PDFDict }).getInfoDict().set(base.PDFName.of('Big'), base.PDFHexString.of(`${'0'.repeat(30_000)}\n1`));
    const bytes = await doc.save({ useObjectStreams: false });
    const ours = await loadPdf(bytes);
    const theirs = await base.PDFDocument.load(bytes, { updateMetadata: false });
    const dump = (ctx: base.PDFContext) => ctx.enumerateIndirectObjects().map(([ref, obj]) => `${ref.toString()} ${obj.toString()}`);
    expect(dump(ours.doc.context as base.PDFContext)).toEqual(dump(theirs.context));
    expect(String(ours.doc.context.trailerInfo.ID)).toBe(String(theirs.context.trailerInfo.ID));
  });
});
