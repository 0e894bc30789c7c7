import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { simpleDocx } from './hostile-docx';
import { placeholderInspectModule } from './placeholder-inspect';

type Inspected = Record<string, Record<string, unknown>>;

describe('placeholderInspectModule', () => {
  it('lists the placeholders as InspectModule does, without keeping copies of the lexed and parsed parts', () => {
    const inspect = placeholderInspectModule();
    new Docxtemplater(new PizZip(simpleDocx(['甲方：{甲方}', '乙方：{乙方}，{甲方}'])), { modules: [inspect], paragraphLoop: true, linebreaks: true });
    expect(inspect.getAllStructuredTags().map((t) => t.value)).toEqual(['甲方', '乙方', '甲方']);
    const kept = Object.values((inspect as unknown as { fullInspected: Inspected }).fullInspected);
    expect(kept.length).toBeGreaterThan(0);
    for (const part of kept) expect(Object.keys(part).filter((k) => ['lexed', 'parsed', 'xmllexed'].includes(k))).toEqual([]);
  });

  it('a clone (docxtemplater clones a module attached twice) is one too', () => {
    const inspect = placeholderInspectModule();
    const clone = (inspect as unknown as { clone(): typeof inspect }).clone();
    new Docxtemplater(new PizZip(simpleDocx(['{甲方}'])), { modules: [clone] });
    const kept = Object.values((clone as unknown as { fullInspected: Inspected }).fullInspected);
    for (const part of kept) expect(part.lexed).toBeUndefined();
  });
});
