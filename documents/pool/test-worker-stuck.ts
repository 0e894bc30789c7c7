// Thread entry for the pool's own tests (not a shipped code path): an entry that never finishes loading.
export {};
setInterval(() => undefined, 1000); // the thread stays alive
await new Promise(() => undefined);
