import { EntitySchema } from '@mikro-orm/core';

export type PlatformRole = 'operator';

/** 实名认证 status: 未认证 / 认证中 / 已认证 / 已驳回. */
export type RealNameStatus = 'unverified' | 'pending' | 'verified' | 'rejected';

export interface User {
  id: string;
  mobile: string;
  /** Display name; becomes the verified real name on approval. */
  name: string;
  email: string | null;
  passwordHash: string;
  platformRole: PlatformRole | null;
  realNameStatus: RealNameStatus;
  createdAt: Date;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    mobile: { type: 'string', length: 20, unique: true },
    name: { type: 'string', length: 100 },
    email: { type: 'string', length: 200, nullable: true },
    passwordHash: { type: 'string', length: 255 },
    platformRole: { type: 'string', length: 20, nullable: true },
    realNameStatus: { type: 'string', length: 20, default: 'unverified' },
    createdAt: { type: 'datetime' },
  },
});
