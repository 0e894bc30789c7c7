/**
 * LibreOffice's named pipes are Unix sockets under /tmp (osl: `/tmp/OSL_PIPE_<uid>_<name>`). A soffice
 * that exits normally removes its own; one that is killed — which is how the warm converter stops its
 * processes — leaves them behind, two per process: the `--accept` pipe and the profile's single-instance
 * pipe. Left alone they pile up by the hundred on a machine that runs the tests or restarts workers often.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** Where osl puts the pipe called `name` (its default directory; LibreOffice falls back to /var/tmp only when /tmp is unusable). */
export function officePipePath(name: string, uid = process.getuid?.() ?? 0): string {
  return `/tmp/OSL_PIPE_${uid}_${name}`;
}

/**
 * The single-instance pipe of a profile (desktop's officeipcthread): `SingleOfficeIPC_` and the MD5 of
 * the UserInstallation URL as UTF-16LE, each byte in hex without zero padding.
 */
export function singleInstancePipeName(profileUrl: string): string {
  const digest = createHash('md5').update(Buffer.from(profileUrl, 'utf16le')).digest();
  return `SingleOfficeIPC_${[...digest].map((b) => b.toString(16)).join('')}`;
}

/** Removes the pipes a killed soffice left (no error when they are gone). Only for processes that are stopped: a live one would lose its pipe. */
export function removeOfficePipes(names: readonly string[]): void {
  for (const name of names) fs.rmSync(officePipePath(name), { force: true });
}
