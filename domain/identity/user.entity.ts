import { EntitySchema } from '@mikro-orm/core';

export type PlatformRole = 'operator';

export interface User {
  id: string;
  mobile: string;
  name: string;
  passwordHash: string;
  platformRole: PlatformRole | null;
  createdAt: Date;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    mobile: { type: 'string', length: 20, unique: true },
    name: { type: 'string', length: 100 },
    passwordHash: { type: 'string', length: 255 },
    platformRole: { type: 'string', length: 20, nullable: true },
    createdAt: { type: 'datetime' },
  },
});
