import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaServiceOrm } from './orm';

describe('CA service database', () => {
  it('creates its own SQLite file; its migrations match its entities; reopening migrates nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-svc-orm-'));
    const file = path.join(dir, 'ca-service', 'orders.sqlite');
    try {
      const orm = await openCaServiceOrm(file);
      expect(fs.existsSync(file)).toBe(true);
      expect((await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
      await orm.close();
      const again = await openCaServiceOrm(file);
      expect(await again.getMigrator().getPendingMigrations()).toEqual([]);
      expect((await again.getMigrator().getExecutedMigrations()).map((m) => m.name)).toEqual(['CaService20261201000001', 'CaService20261206000002']);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
