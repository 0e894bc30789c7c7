import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives an AppConfig.
 * Documented in .env.example.
 */
const schema = z.object({
  DATABASE_URL: z.string().default('sqlite:.data/sealflow.sqlite'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('sealflow'),
  TEMPORAL_UI_URL: z.string().default('http://localhost:8233'),
  DATA_DIR: z.string().default('.data'),
  MASTER_KEY: z.string().min(16, 'MASTER_KEY must be at least 16 characters').default('dev-only-master-key-change-me'),
  SMS_PROVIDER: z.enum(['outbox']).default('outbox'),
  CA_PROVIDER: z.enum(['local']).default('local'),
  IDENTITY_PROVIDER: z.enum(['operator_review']).default('operator_review'),
  OPERATOR_MOBILE: z.string().regex(/^1[3-9]\d{9}$/, 'OPERATOR_MOBILE must be a mobile number').default('13900000000'),
  OPERATOR_PASSWORD: z.string().optional().refine((v) => !v || v.length >= 8, 'OPERATOR_PASSWORD must be at least 8 characters'),
  CA_NAME: z.string().default('SealFlow'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().optional(),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(20),
  MAX_PAGES: z.coerce.number().int().positive().default(500),
  ADMIN_TRANSFER_TTL_SECONDS: z.coerce.number().int().positive().default(24 * 3600),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; dbName: string };

export interface AppConfig {
  database: DatabaseConfig;
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string };
  dataDir: string;
  masterKey: string;
  smsProvider: 'outbox';
  caProvider: 'local';
  identityProvider: 'operator_review';
  /** The first platform operator, created at first start when there is none. */
  operator: { mobile: string; password: string | null };
  caName: string;
  apiPort: number;
  publicUrl: string;
  maxUploadBytes: number;
  maxPages: number;
  /** How long an administrator transfer waits for both confirmations. */
  adminTransferTtlMs: number;
  cookieSecure: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function parseDatabaseUrl(url: string, dataDir: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === ':memory:') return { dialect: 'sqlite', file };
    return { dialect: 'sqlite', file: path.resolve(file || path.join(dataDir, 'sealflow.sqlite')) };
  }
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) {
    const u = new URL(url);
    return {
      dialect: 'mysql',
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      dbName: u.pathname.replace(/^\//, ''),
    };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:, got "${url}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    database: parseDatabaseUrl(e.DATABASE_URL, dataDir),
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE, uiUrl: e.TEMPORAL_UI_URL },
    dataDir,
    masterKey: e.MASTER_KEY,
    smsProvider: e.SMS_PROVIDER,
    caProvider: e.CA_PROVIDER,
    identityProvider: e.IDENTITY_PROVIDER,
    operator: { mobile: e.OPERATOR_MOBILE, password: e.OPERATOR_PASSWORD || null },
    caName: e.CA_NAME,
    apiPort: e.API_PORT,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.API_PORT}`,
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    maxPages: e.MAX_PAGES,
    adminTransferTtlMs: e.ADMIN_TRANSFER_TTL_SECONDS * 1000,
    cookieSecure: e.COOKIE_SECURE === 'true',
    logLevel: e.LOG_LEVEL,
  };
}

/** Names of environment variables the app understands (checked against docker-compose.yml by a test). */
export const CONFIG_KEYS = Object.keys(schema.shape);
