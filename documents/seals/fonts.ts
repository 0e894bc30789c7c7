import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentError } from '../errors';

/**
 * Locates the Noto CJK font files (Debian/Ubuntu: fonts-noto-cjk; Fedora: google-noto-*-cjk).
 * resvg silently drops text it has no font for, so seal rendering loads these files explicitly
 * and refuses to run without them. SEALFLOW_CJK_FONT_DIR adds a directory to search first.
 */

export interface CjkFonts {
  /** Noto Serif CJK files (.ttc/.otf), bold first. */
  serif: string[];
  /** Noto Sans CJK files, as a fallback. */
  sans: string[];
  /** Family name to use in SVG. */
  serifFamily: string;
  sansFamily: string;
}

const SEARCH_DIRS = [
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/truetype/noto',
  '/usr/share/fonts/noto-cjk',
  '/usr/share/fonts/google-noto-cjk',
  '/usr/share/fonts/google-noto-serif-cjk-vf-fonts',
  '/usr/share/fonts/opentype',
  '/usr/share/fonts',
  '/usr/local/share/fonts',
];
const SERIF = /^NotoSerifCJK.*\.(ttc|otf|ttf)$/i;
const SANS = /^NotoSansCJK.*\.(ttc|otf|ttf)$/i;

function listFonts(dir: string, depth: number, out: string[]): void {
  if (depth < 0 || !existsSync(dir)) return;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    try {
      if (statSync(path).isDirectory()) listFonts(path, depth - 1, out);
      else if (SERIF.test(name) || SANS.test(name)) out.push(path);
    } catch {
      /* unreadable entry */
    }
  }
}

const boldFirst = (a: string, b: string) => Number(/bold/i.test(b)) - Number(/bold/i.test(a)) || a.localeCompare(b);

let cached: CjkFonts | undefined;

/** Finds the fonts (cached). `searchDirs` replaces the default search path (tests, custom installs). */
export function findCjkFonts(searchDirs?: string[]): CjkFonts {
  if (cached && !searchDirs) return cached;
  const dirs = searchDirs ?? SEARCH_DIRS;
  const found = new Set<string>();
  for (const dir of dirs) {
    const out: string[] = [];
    listFonts(dir, 3, out);
    out.forEach((f) => found.add(f));
    if (found.size > 0) break;
  }
  const files = [...found];
  const serif = files.filter((f) => SERIF.test(f.split('/').pop()!)).sort(boldFirst);
  const sans = files.filter((f) => SANS.test(f.split('/').pop()!)).sort(boldFirst);
  if (serif.length === 0 && sans.length === 0) {
    throw new DocumentError(
      'FONT_NOT_FOUND',
      `no Noto CJK font found (searched ${dirs.join(', ')}); install fonts-noto-cjk or set SEALFLOW_CJK_FONT_DIR`,
    );
  }
  const fonts = { serif, sans, serifFamily: 'Noto Serif CJK SC', sansFamily: 'Noto Sans CJK SC' };
  if (!searchDirs) cached = fonts;
  return fonts;
}
