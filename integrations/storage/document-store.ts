import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface StoredEntry {
  key: string;
  modifiedAt: Date;
  /** A write that never completed (`*.tmp`): never readable under a key. */
  partial: boolean;
}

/** Where document bytes live. The embedded default is a directory (a shared volume when scaled out). */
export interface DocumentStore {
  /** Atomic: readers see the old bytes or the complete new ones, also after a crash. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Writes a NEW object (refused if the key exists), durable once it resolves. For keys nothing
   * refers to until the write has resolved (a document version's file, before its row commits): a
   * crash during the write can leave a partial object under such a key, which nothing reads and the
   * orphan sweep removes. Fewer file-system steps than `put` (no temporary file, no rename).
   */
  create(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  /**
   * The object's bytes a chunk at a time (64 KiB), for work that must not hold a whole document or the event loop
   * (hashing a stored contract: 轨迹校验). A missing key fails when read.
   */
  readStream(key: string): AsyncIterable<Uint8Array>;
  delete(key: string): Promise<void>;
  /** Every stored object (and left-over partial write) under a prefix, for the orphan sweep. */
  list(prefix: string): AsyncIterable<StoredEntry>;
  /** Removes a left-over partial write found by `list`. */
  deletePartial(entry: StoredEntry): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9/_.-]*$/;
const TMP_SUFFIX = '.tmp';

export function createFileDocumentStore(rootDir: string): DocumentStore {
  const resolve = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes('..') || key.endsWith(TMP_SUFFIX)) throw new Error(`Invalid storage key: ${key}`);
    return path.join(rootDir, key);
  };
  const toKey = (file: string) => path.relative(rootDir, file).split(path.sep).join('/');
  return {
    async put(key, bytes) {
      const file = resolve(key);
      const dir = path.dirname(file);
      // Write a temporary file, flush it to disk, rename it over the key, then flush the directory
      // entry: a crash leaves either no file or the complete one (plus at most a *.tmp to sweep).
      const tmp = `${file}.${randomUUID()}${TMP_SUFFIX}`;
      await writeDurably(tmp, bytes);
      try {
        await fs.rename(tmp, file);
      } catch (err) {
        await fs.rm(tmp, { force: true });
        throw err;
      }
      await syncDirectory(dir);
    },
    async create(key, bytes) {
      const file = resolve(key);
      await writeDurably(file, bytes);
      await syncDirectory(path.dirname(file));
    },
    async get(key) {
      return new Uint8Array(await fs.readFile(resolve(key)));
    },
    readStream(key) {
      return createReadStream(resolve(key), { highWaterMark: 64 * 1024 });
    },
    async delete(key) {
      await fs.rm(resolve(key), { force: true });
    },
    async *list(prefix) {
      const start = path.join(rootDir, prefix);
      for await (const file of walk(start)) {
        const stat = await fs.stat(file).catch(() => null);
        if (!stat?.isFile()) continue;
        yield { key: toKey(file), modifiedAt: stat.mtime, partial: file.endsWith(TMP_SUFFIX) };
      }
    },
    async deletePartial(entry) {
      if (!entry.partial || entry.key.includes('..')) throw new Error(`Not a partial write: ${entry.key}`);
      await fs.rm(path.join(rootDir, entry.key), { force: true });
    },
  };
}

/** Creates `file` (refused if it exists; its directory made when missing), writes the bytes and flushes them to disk. */
async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  // Open first: the directory usually exists (a contract's later versions), so no mkdir per write.
  const handle = await fs.open(file, 'wx').catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    const dir = path.dirname(file);
    const first = await fs.mkdir(dir, { recursive: true });
    if (first) await syncNewDirectories(first, dir);
    return fs.open(file, 'wx');
  });
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Errors of a directory fsync that mean the file system does not support it (the entries are then as durable as it makes them). */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR']);

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // An I/O error is not swallowed: the caller must not commit a row naming a file that may be lost.
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}

/**
 * After `mkdir -p` made `first` … `leaf`: the entry of each new directory is made durable in its
 * parent (the leaf's own contents are synced by the caller once the file is written).
 */
async function syncNewDirectories(first: string, leaf: string): Promise<void> {
  const made = [leaf];
  while (made[0] !== first && path.dirname(made[0]!) !== made[0]) made.unshift(path.dirname(made[0]!));
  for (const dir of [path.dirname(first), ...made.slice(0, -1)]) await syncDirectory(dir);
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}
