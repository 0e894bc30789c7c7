/**
 * Partial uniqueness ("one live X per Y") on SQLite and MariaDB alike: a nullable `liveKey`
 * column with a unique index holds the key while the row is live and NULL once it has ended
 * (NULLs never collide). The key is computed from the row by one function, on every insert and
 * update through the unit of work (entity hooks), so no status change can forget it. Native
 * updates that change status must set it themselves.
 */
import type { EventArgs } from '@mikro-orm/core';

export function liveKeyHooks<T extends { liveKey: string | null }>(keyOf: (row: T) => string | null) {
  const set = ({ entity }: EventArgs<T>) => {
    entity.liveKey = keyOf(entity);
  };
  return { beforeCreate: [set], beforeUpdate: [set] };
}
