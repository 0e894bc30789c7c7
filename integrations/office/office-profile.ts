import { childProcessEnv } from '../../config';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * LibreOffice user profiles for the converter processes (one per process: LibreOffice locks its profile).
 *
 * LibreOffice 7.4 headless never records its version in a fresh profile and then reruns its first-start work
 * (graphics self-tests…) on every start: ≈ 8 s. Seeding `registrymodifications.xcu` with
 * /org.openoffice.Setup/Product/ooSetupLastVersion = the installed version brings a start to ≈ 1 s. The same file
 * turns off macros and link updates (the documents are templates uploaded by users).
 */

export const SOFFICE_PROGRAM_DIR = '/usr/lib/libreoffice/program';
/** The fontconfig file the soffice processes use (Chinese font names → Noto CJK SC). */
export const OFFICE_FONTS_CONF = fileURLToPath(new URL('./fonts.conf', import.meta.url));

/**
 * The environment of every LibreOffice process: the platform's fonts, the headless VCL plugin, and no EMF+
 * (EMF_PLUS_DISABLE). LibreOffice's EMF reader hands the payloads of EMF+ image objects and of GDIC
 * multiformat comments (a PDF for pdfium) to its full image import, whatever their format: a checked EMF or
 * WMF picture (word/picture-parts.ts) would carry TIFF, XBM, XPM or PDF bytes past the template check. Without
 * EMF+ an EMF is drawn from its plain EMF records.
 * Nothing else of the platform's environment: LibreOffice parses documents uploaded by users, so it and its UNO
 * bridge inherit only PATH, HOME, the locale, TZ and TMPDIR (`childProcessEnv`), never MASTER_KEY, DATABASE_URL
 * or another secret.
 */
export const officeProcessEnv = () => childProcessEnv({ FONTCONFIG_FILE: OFFICE_FONTS_CONF, SAL_USE_VCLPLUGIN: 'svp', EMF_PLUS_DISABLE: '1' });

let cachedVersion: string | null = null;

/** The installed LibreOffice's setup version (e.g. "7.4"), read from its registry; "7.4" if unknown. */
export function installedOfficeVersion(programDir = SOFFICE_PROGRAM_DIR): string {
  if (cachedVersion) return cachedVersion;
  let version = '7.4';
  try {
    const xcd = fs.readFileSync(path.join(programDir, '..', 'share', 'registry', 'main.xcd'), 'utf8');
    const m = /<prop oor:name="ooSetupVersion">\s*<value>([0-9.]+)<\/value>/.exec(xcd);
    if (m?.[1]) version = m[1];
  } catch {
    // keep the default
  }
  cachedVersion = version;
  return version;
}

const item = (p: string, name: string, value: string) => `<item oor:path="${p}"><prop oor:name="${name}" oor:op="fuse"><value>${value}</value></prop></item>`;

export function registryModifications(version: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    item('/org.openoffice.Setup/Product', 'ooSetupLastVersion', version),
    item('/org.openoffice.Setup/Office', 'ooSetupInstCompleted', 'true'),
    item('/org.openoffice.Office.Common/Misc', 'FirstRun', 'false'),
    item('/org.openoffice.Office.Common/Security/Scripting', 'MacroSecurityLevel', '3'),
    item('/org.openoffice.Office.Common/Security/Scripting', 'DisableMacrosExecution', 'true'),
    item('/org.openoffice.Office.Common/Misc', 'UseLocking', 'false'),
    '</oor:items>',
    '',
  ].join('\n');
}

/** Creates (or resets) a seeded profile in `dir`; answers the `-env:UserInstallation=` URL. */
export function seedOfficeProfile(dir: string, version = installedOfficeVersion()): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'user'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'user', 'registrymodifications.xcu'), registryModifications(version));
  return pathToFileURL(dir).href;
}
