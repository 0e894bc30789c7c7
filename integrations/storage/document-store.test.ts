import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileDocumentStore, type DocumentStore, type StoredEntry } from './document-store';

let root: string;
let store: DocumentStore;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  store = createFileDocumentStore(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** The prototype of node:fs/promises FileHandle (the class is not exported), to watch its sync calls. */
async function fileHandlePrototype(): Promise<{ sync(): Promise<void> }> {
  const handle = await fs.promises.open(os.tmpdir(), 'r');
  await handle.close();
  return Object.getPrototypeOf(handle);
}

const all = async (prefix: string) => {
  const out: StoredEntry[] = [];
  for await (const e of store.list(prefix)) out.push(e);
  return out.sort((a, b) => a.key.localeCompare(b.key));
};

describe('file document store', () => {
  it('writes atomically: the key holds the full bytes and no temporary file is left', async () => {
    const bytes = new Uint8Array(256 * 1024).fill(7);
    await store.put('contracts/c1/v0.pdf', bytes);
    expect(await store.get('contracts/c1/v0.pdf')).toEqual(bytes);
    expect(fs.readdirSync(path.join(root, 'contracts/c1'))).toEqual(['v0.pdf']);
    await store.put('contracts/c1/v0.pdf', new Uint8Array([1, 2, 3]));
    expect(await store.get('contracts/c1/v0.pdf')).toEqual(new Uint8Array([1, 2, 3]));
  });
  it('reads an object a chunk at a time (64 KiB); a missing key fails when read', async () => {
    const bytes = new Uint8Array(200 * 1024).map((_, i) => i % 251);
    await store.put('contracts/c1/v1.pdf', bytes);
    const chunks: Uint8Array[] = [];
    for await (const chunk of store.readStream('contracts/c1/v1.pdf')) chunks.push(chunk);
    expect(chunks.map((c) => c.byteLength)).toEqual([65536, 65536, 65536, 8192]);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    const read = async () => {
      for await (const chunk of store.readStream('contracts/c1/none.pdf')) void chunk;
    };
    await expect(read()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lists stored objects and flags partial writes left by a crash; only those can be removed as partial', async () => {
    await store.put('contracts/c1/v0.pdf', new Uint8Array([1]));
    fs.writeFileSync(path.join(root, 'contracts/c1/v1.pdf.0b7c.tmp'), 'half');
    await store.put('letters/l1.pdf', new Uint8Array([2]));
    const entries = await all('contracts');
    expect(entries.map((e) => [e.key, e.partial])).toEqual([
      ['contracts/c1/v0.pdf', false],
      ['contracts/c1/v1.pdf.0b7c.tmp', true],
    ]);
    await expect(store.deletePartial(entries[0]!)).rejects.toThrow(/Not a partial write/);
    await store.deletePartial(entries[1]!);
    expect((await all('contracts')).map((e) => e.key)).toEqual(['contracts/c1/v0.pdf']);
  });
  it('creates a new object (its directory made when missing), durable and readable at once; an existing key is refused, its bytes kept', async () => {
    const sync = vi.spyOn(await fileHandlePrototype(), 'sync');
    await store.create('contracts/c2/v0.pdf', new Uint8Array([1, 2]));
    // New directories contracts/ and contracts/c2/: their entries (in the root, in contracts/), the file, then its directory.
    expect(sync).toHaveBeenCalledTimes(4);
    sync.mockClear();
    await store.create('contracts/c2/v1-ab.pdf', new Uint8Array([3]));
    expect(sync).toHaveBeenCalledTimes(2); // the directory exists: the file and its directory
    sync.mockRestore();
    expect(await store.get('contracts/c2/v0.pdf')).toEqual(new Uint8Array([1, 2]));
    expect(fs.readdirSync(path.join(root, 'contracts/c2')).sort()).toEqual(['v0.pdf', 'v1-ab.pdf']);
    await expect(store.create('contracts/c2/v0.pdf', new Uint8Array([9]))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await store.get('contracts/c2/v0.pdf')).toEqual(new Uint8Array([1, 2]));
    await expect(store.create('../x.pdf', new Uint8Array([1]))).rejects.toThrow(/Invalid storage key/);
  });
  it('a directory fsync that fails with an I/O error fails the write (a row must not name a file that may be lost)', async () => {
    await store.put('contracts/c3/v0.pdf', new Uint8Array([1])); // makes the directories
    const sync = vi.spyOn(await fileHandlePrototype(), 'sync');
    sync.mockResolvedValueOnce(undefined).mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(store.create('contracts/c3/v1-cd.pdf', new Uint8Array([2]))).rejects.toMatchObject({ code: 'EIO' });
    sync.mockReset();
    sync.mockResolvedValueOnce(undefined).mockRejectedValueOnce(Object.assign(new Error('not supported'), { code: 'EINVAL' }));
    await expect(store.create('contracts/c3/v2-ef.pdf', new Uint8Array([3]))).resolves.toBeUndefined(); // a file system without directory fsync
    sync.mockRestore();
  });
  it('refuses keys that escape the root or name a temporary file', async () => {
    await expect(store.put('../x.pdf', new Uint8Array([1]))).rejects.toThrow(/Invalid storage key/);
    await expect(store.put('contracts/a.pdf.tmp', new Uint8Array([1]))).rejects.toThrow(/Invalid storage key/);
  });
});
