import { describe, expect, it } from 'vitest';
import { findCjkFonts } from './fonts';
import { readFontCoverage } from './font-coverage';
import { renderNameSeal } from './name-seal';
import { seededRandom } from '../../test/harness/seeded-random';
import { PERSON_NAME_MAX_LENGTH, normalizePersonName, personNameProblem, sealFontCoverage } from './person-name';

/** Code points of a block that the seal font covers. */
function covered(from: number, to: number): number[] {
  const coverage = sealFontCoverage();
  const out: number[] = [];
  for (let cp = from; cp <= to; cp++) if (coverage.has(cp)) out.push(cp);
  return out;
}

describe('person names: one rule for 实名认证 and the seal', () => {
  it('reads the seal font coverage: common Han, Latin and kana yes; Arabic, Thai and emoji no', () => {
    const c = sealFontCoverage();
    for (const ch of '张伟王小明阿依古丽买买提AaÉéЖжかカ') expect(c.has(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of ['م', 'ส', 'क', '😀']) expect(c.has(ch.codePointAt(0)!), ch).toBe(false);
    // Every face of the collection agrees (intersection), and a second read gives the same answer.
    const fonts = findCjkFonts();
    const again = readFontCoverage((fonts.serif[0] ?? fonts.sans[0])!);
    expect(again.has(0x4e00)).toBe(true);
  });

  it('normalises NFC, spaces and middle-dot look-alikes', () => {
    expect(normalizePersonName('  Jose\u0301   Garci\u0301a ')).toBe('José García');
    expect(normalizePersonName('阿依古丽・买买提')).toBe('阿依古丽·买买提');
    expect(normalizePersonName('阿依古丽 • 买买提')).toBe('阿依古丽·买买提');
    expect(normalizePersonName('张\u3000伟')).toBe('张 伟');
  });

  it.each([
    ['张\u200b伟', 'INVISIBLE_CHARACTER'], // zero-width space
    ['张\u200d伟', 'INVISIBLE_CHARACTER'], // zero-width joiner
    ['\u202e伟张', 'INVISIBLE_CHARACTER'], // right-to-left override
    ['张伟\u2066', 'INVISIBLE_CHARACTER'], // left-to-right isolate
    ['张\u00ad伟', 'INVISIBLE_CHARACTER'], // soft hyphen
    ['张\u0007伟', 'INVISIBLE_CHARACTER'], // control
    ['张\ud800伟', 'INVISIBLE_CHARACTER'], // lone surrogate
    ['张伟\ufe0f', 'INVISIBLE_CHARACTER'], // variation selector
    ['张\u3164伟', 'INVISIBLE_CHARACTER'], // Hangul filler (an invisible "letter")
    ['张\ue000伟', 'INVISIBLE_CHARACTER'], // private use
    ['张', 'TOO_SHORT'],
    ['张'.repeat(PERSON_NAME_MAX_LENGTH + 1), 'TOO_LONG'],
    ['张伟1', 'INVALID_CHARACTER'],
    ['张伟!', 'INVALID_CHARACTER'],
    ['·张伟', 'INVALID_CHARACTER'],
    ['张··伟', 'INVALID_CHARACTER'],
    ['Anna-', 'INVALID_CHARACTER'],
    ['\u0301ab', 'INVALID_CHARACTER'], // leading combining mark
    ['a\u0301\u0302\u0303\u0304b', 'INVALID_CHARACTER'], // stacked marks
    ['محمد علي', 'UNRENDERABLE_CHARACTER'],
    ['สมชาย', 'UNRENDERABLE_CHARACTER'],
  ])('refuses %j (%s)', (raw, code) => {
    expect(personNameProblem(normalizePersonName(raw))).toMatchObject({ code });
  });

  it.each(['张伟', '欧阳小明', '阿依古丽·买买提', 'José García', "Mary-Jane O'Neil", 'J. R. R. Tolkien', 'Иван Петров', '王'.repeat(PERSON_NAME_MAX_LENGTH)])(
    'accepts %j',
    (name) => {
      expect(personNameProblem(normalizePersonName(name))).toBeNull();
    },
  );

  it('renders every name the rule accepts (property test over the allowed classes, incl. rare CJK from the font)', async () => {
    const seed = Number(process.env.NAME_SEED ?? 20261201);
    const rand = seededRandom(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const classes = {
      common: covered(0x4e00, 0x9fff),
      extA: covered(0x3400, 0x4dbf),
      extB: covered(0x20000, 0x2a6df),
      latin: [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèüöñçåøßÉÖ'].map((c) => c.codePointAt(0)!),
      cyrillic: covered(0x0410, 0x044f),
    };
    expect(classes.extA.length).toBeGreaterThan(1000);
    expect(classes.extB.length).toBeGreaterThan(10); // rare characters the font carries
    const names: string[] = [];
    for (let i = 0; i < 14; i++) {
      const cls = pick(Object.values(classes));
      const words = 1 + Math.floor(rand() * 3);
      const sep = pick(['·', ' ', '-']);
      const parts: string[] = [];
      for (let w = 0; w < words; w++) {
        const len = 1 + Math.floor(rand() * 6);
        parts.push(String.fromCodePoint(...Array.from({ length: len }, () => pick(rand() < 0.25 ? classes.extB : cls))));
      }
      let name = parts.join(sep);
      if ([...name].length < 2) name += String.fromCodePoint(pick(classes.common));
      names.push([...name].slice(0, PERSON_NAME_MAX_LENGTH).join('').replace(/[·\- ]+$/u, ''));
    }
    names.push('张'.repeat(PERSON_NAME_MAX_LENGTH), String.fromCodePoint(...classes.extB.slice(0, 4)), `${String.fromCodePoint(classes.extA[7]!)}·${String.fromCodePoint(classes.extB[3]!)}`);
    for (const name of names) {
      const problem = personNameProblem(normalizePersonName(name));
      expect(problem, `seed ${seed}: ${name}`).toBeNull();
      const png = await renderNameSeal(name);
      expect(png.length, `seed ${seed}: ${name}`).toBeGreaterThan(1000);
    }
  }, 60_000);
});
