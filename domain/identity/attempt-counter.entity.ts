import { EntitySchema } from '@mikro-orm/core';

/**
 * Failed attempts of one kind for one key (e.g. password logins for a mobile number, or from an
 * IP address), counted with conditional updates so that parallel attempts are all counted.
 * Rows exist for unknown numbers too: an unknown number locks exactly like a known one.
 */
export interface AttemptCounter {
  /** `<kind>:<key>`, e.g. `login:13800000000`, `login-ip:10.0.0.1`, `login-ip:2001:db8:1:2::/64`. */
  id: string;
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export const AttemptCounterSchema = new EntitySchema<AttemptCounter>({
  name: 'AttemptCounter',
  tableName: 'attempt_counters',
  properties: {
    id: { type: 'string', length: 120, primary: true },
    failures: { type: 'integer' },
    windowStartedAt: { type: 'datetime', length: 3 },
    lockedUntil: { type: 'datetime', length: 3, nullable: true },
  },
});
