import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { LONGEST_UPDATE_ACCEPTANCE_MS } from '../domain/contracts/signing-timing';

/**
 * The one place that reads the environment. Everything else receives an AppConfig.
 * Documented in .env.example.
 */
const DEV_MASTER_KEY = 'dev-only-master-key-change-me';
/** The first operator's number outside production (the demo operator's: templates/demo/demo-data.ts). */
const DEV_OPERATOR_MOBILE = '13900000000';
/** Development default of the CA staff password (printed by `npm start`; production must set its own). */
export const DEV_CA_STAFF_PASSWORD = 'CaStaff@2026';
/** Production minimums for the CA order service's shared API key and its staff password. */
export const PRODUCTION_CA_API_KEY_MIN = 32;
export const PRODUCTION_CA_STAFF_PASSWORD_MIN = 12;
/** A production MASTER_KEY must be at least this long (e.g. `openssl rand -base64 32` gives 44). */
export const PRODUCTION_MASTER_KEY_MIN = 32;

const bool = z.enum(['true', 'false']);

/**
 * A service URL carries no user name or password: a secret in a URL ends up in every error message that quotes it
 * (fetch refuses such a URL with the whole URL in its message, which would reach logs and workflow history).
 */
function noCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  } catch {
    return true; // not a URL: the format check says so
  }
}

const schema = z.object({
  /** development (default), demo (a public demonstration: outbox SMS allowed) or production. */
  APP_ENV: z.enum(['development', 'demo', 'production']).optional(),
  /** NODE_ENV=production counts as APP_ENV=production unless APP_ENV says otherwise. */
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('sealflow'),
  TEMPORAL_UI_URL: z.string().default('http://localhost:8233'),
  TEMPORAL_CONNECT_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(20),
  TEMPORAL_CALL_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(5),
  SIGN_WAIT_SECONDS: z.coerce.number().positive().max(120).default(12),
  UPDATE_WAIT_SECONDS: z.coerce.number().positive().max(300).default(30),
  DATA_DIR: z.string().default('.data'),
  MASTER_KEY: z.string().min(16, 'MASTER_KEY must be at least 16 characters').default(DEV_MASTER_KEY),
  SMS_PROVIDER: z.enum(['outbox', 'http']).default('outbox'),
  SMS_HTTP_URL: z.string().optional(),
  SMS_HTTP_SECRET: z.string().optional(),
  SMS_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5000),
  SMS_HTTP_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  CA_PROVIDER: z.enum(['local']).default('local'),
  IDENTITY_PROVIDER: z.enum(['operator_review']).default('operator_review'),
  /** Required in production to create the first operator (a default number would hand its SMS login codes to whoever holds it); elsewhere the demo operator's. */
  OPERATOR_MOBILE: z.string().regex(/^1[3-9]\d{9}$/, 'OPERATOR_MOBILE must be a mobile number').optional(),
  OPERATOR_PASSWORD: z.string().optional().refine((v) => !v || (v.length >= 8 && v.length <= 64), 'OPERATOR_PASSWORD must be 8–64 characters (a longer one could not be typed at login)'),
  CA_NAME: z.string().default('SealFlow'),
  /** Where the platform reaches the CA order service (machine API). Default: http://127.0.0.1:CA_SERVICE_PORT. */
  CA_ORDER_SERVICE_URL: z.string().url('CA_ORDER_SERVICE_URL must be an http(s) URL').refine(noCredentials, 'CA_ORDER_SERVICE_URL must not carry a user name or password (the CA service takes CA_SERVICE_API_KEY)').optional(),
  CA_ORDER_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(5000),
  /** The CA order service (ca-service/main.ts): its port, public base URL (applicant + staff pages), shared API key, staff password, price. */
  CA_SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  CA_SERVICE_PUBLIC_URL: z.string().url('CA_SERVICE_PUBLIC_URL must be an http(s) URL').optional(),
  CA_SERVICE_API_KEY: z.string().min(16, 'CA_SERVICE_API_KEY must be at least 16 characters').optional(),
  CA_SERVICE_STAFF_PASSWORD: z.string().min(8, 'CA_SERVICE_STAFF_PASSWORD must be at least 8 characters').optional(),
  CA_SERVICE_PRICE_FEN: z.coerce.number().int().min(0).max(100_000_000).default(30_000),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().optional(),
  TRUST_PROXY: z.string().default('loopback'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(20),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(20),
  MAX_PAGES: z.coerce.number().int().positive().default(500),
  ADMIN_TRANSFER_TTL_SECONDS: z.coerce.number().int().positive().default(24 * 3600),
  COOKIE_SECURE: bool.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Record where each database connection is taken, for the warning when a wait for one times out (domain/persistence/connection-pool.ts). */
  DB_POOL_TRACE: bool.default('false'),
  /** Word → PDF (integrations/office): warm LibreOffice listeners (default) or libreoffice-convert per document. */
  OFFICE_CONVERTER: z.enum(['warm', 'simple']).default('warm'),
  OFFICE_PROCESSES: z.coerce.number().int().min(1).max(16).default(2),
  OFFICE_MAX_QUEUE: z.coerce.number().int().min(0).max(1000).default(32),
  OFFICE_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(60),
  OFFICE_PROFILE_DIR: z.string().optional(),
  /**
   * Address space of each LibreOffice process (warm and simple converter), MiB (0: no limit; under 1024 LibreOffice
   * does not start); a document growing past it fails instead of exhausting the machine.
   */
  OFFICE_MEMORY_LIMIT_MB: z.coerce
    .number()
    .int()
    .max(1_048_576)
    .refine((mb) => mb === 0 || mb >= 1024, 'OFFICE_MEMORY_LIMIT_MB must be 0 (no limit) or at least 1024: LibreOffice does not start under 400 MB of address space')
    .default(3072),
});

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; dbName: string };

export type AppEnv = 'development' | 'demo' | 'production';

/** Express's `trust proxy` setting: false, a hop count, or addresses / subnets / names (loopback, linklocal, uniquelocal). */
export type TrustProxy = false | number | string[];

export type SmsConfig =
  | { provider: 'outbox' }
  | { provider: 'http'; url: string; secret: string; timeoutMs: number; attempts: number };

export interface AppConfig {
  appEnv: AppEnv;
  database: DatabaseConfig;
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string; connectTimeoutMs: number };
  dataDir: string;
  masterKey: string;
  smsProvider: 'outbox' | 'http';
  sms: SmsConfig;
  caProvider: 'local';
  identityProvider: 'operator_review';
  /** The first platform operator, created at first start when there is none. */
  /** The first operator's, created at first start; `mobile` null in production without OPERATOR_MOBILE (first start refuses). */
  operator: { mobile: string | null; password: string | null };
  caName: string;
  /** The platform's side of the CA adapter (integrations/ca-orders). */
  caOrders: { serviceUrl: string; apiKey: string; timeoutMs: number };
  /**
   * The CA order service process (ca-service/). `staffPassword` is null in production when unset (the
   * service then refuses to start); `staffPasswordIsDefault`: the development default is in use (npm start prints it).
   */
  caService: { port: number; publicUrl: string; apiKey: string; staffPassword: string | null; staffPasswordIsDefault: boolean; priceFen: number; dataDir: string };
  apiPort: number;
  publicUrl: string;
  trustProxy: TrustProxy;
  /** How long the API waits for in-flight requests after SIGTERM before closing connections. */
  shutdownGraceMs: number;
  maxUploadBytes: number;
  maxPages: number;
  /** How long an administrator transfer waits for both confirmations. */
  adminTransferTtlMs: number;
  /**
   * Temporal calls of HTTP requests: a call (start, Update accepted) gives up after callTimeoutMs (503);
   * a sign request waits signWaitMs in all, then answers 202 正在处理; another Update's request waits
   * updateWaitMs in all for its outcome, then answers 503 UPDATE_STILL_RUNNING.
   */
  contracts: { callTimeoutMs: number; signWaitMs: number; updateWaitMs: number };
  cookieSecure: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** DB_POOL_TRACE: a stack per connection acquisition, printed when a wait for a connection times out. */
  dbPoolTrace: boolean;
  /** Word → PDF: which converter, its processes, queue bound, timeout per document, where its LibreOffice profiles go. */
  office: { converter: 'warm' | 'simple'; processes: number; maxQueue: number; timeoutMs: number; profileRoot: string; memoryLimitBytes: number };
}

/** A configuration problem; its message is one line naming the variable (and never a secret). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MYSQL_SHAPE = 'mysql://user:password@host:3306/dbname';

/** Parses DATABASE_URL. Malformed URLs are refused (e.g. `mysql:sealflow` does not silently mean localhost). */
export function parseDatabaseUrl(url: string, dataDir: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === ':memory:') return { dialect: 'sqlite', file };
    return { dialect: 'sqlite', file: path.resolve(file || path.join(dataDir, 'sealflow.sqlite')) };
  }
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) {
    const scheme = url.slice(0, url.indexOf(':'));
    const bad = (why: string) => new ConfigError(`DATABASE_URL is not a valid ${scheme} URL (${why}); expected ${MYSQL_SHAPE}`);
    if (!url.startsWith(`${scheme}://`)) throw bad('missing "//" and host');
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw bad('cannot be parsed');
    }
    if (!u.hostname) throw bad('no host');
    const dbName = u.pathname.replace(/^\//, '');
    if (!dbName || dbName.includes('/')) throw bad('no database name');
    if (!u.username) throw bad('no user');
    if (u.search || u.hash) throw bad('unexpected query or fragment');
    return {
      dialect: 'mysql',
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      dbName: decodeURIComponent(dbName),
    };
  }
  throw new ConfigError(`DATABASE_URL must start with sqlite: or mysql:, got "${redactUrl(url)}"`);
}

/** The URL with any password replaced, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** Where a database is, for messages: never the password. */
export function describeDatabase(db: DatabaseConfig): string {
  return db.dialect === 'sqlite' ? `sqlite:${db.file}` : `mysql://${db.user}@${db.host}:${db.port}/${db.dbName}`;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    const [address, bits, extra] = item.split('/');
    const ok = PROXY_NAMES.has(item) || (extra === undefined && address !== undefined && isIP(address) !== 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128))));
    if (!ok) throw new ConfigError(`TRUST_PROXY: "${item}" is not an address, subnet, hop count, false, loopback, linklocal or uniquelocal`);
  }
  return items;
}

function parseSms(e: z.infer<typeof schema>): SmsConfig {
  if (e.SMS_PROVIDER === 'outbox') return { provider: 'outbox' };
  if (!e.SMS_HTTP_URL) throw new ConfigError('SMS_HTTP_URL is required when SMS_PROVIDER=http');
  let url: URL;
  try {
    url = new URL(e.SMS_HTTP_URL);
  } catch {
    throw new ConfigError('SMS_HTTP_URL must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('SMS_HTTP_URL must be an http(s) URL');
  if (!noCredentials(e.SMS_HTTP_URL)) throw new ConfigError('SMS_HTTP_URL must not carry a user name or password (the gateway is signed with SMS_HTTP_SECRET)');
  if (!e.SMS_HTTP_SECRET || e.SMS_HTTP_SECRET.length < 16) throw new ConfigError('SMS_HTTP_SECRET must be set (at least 16 characters) when SMS_PROVIDER=http');
  return { provider: 'http', url: url.toString(), secret: e.SMS_HTTP_SECRET, timeoutMs: e.SMS_HTTP_TIMEOUT_MS, attempts: e.SMS_HTTP_ATTEMPTS };
}

export const productionStaffPasswordMessage = `CA_SERVICE_STAFF_PASSWORD must be set to a password of at least ${PRODUCTION_CA_STAFF_PASSWORD_MIN} characters in production`;

/** Production refuses settings that are only safe on a developer's machine. */
function checkProduction(e: z.infer<typeof schema>): void {
  if (e.MASTER_KEY === DEV_MASTER_KEY || e.MASTER_KEY.length < PRODUCTION_MASTER_KEY_MIN) {
    throw new ConfigError(`MASTER_KEY must be set to a random secret of at least ${PRODUCTION_MASTER_KEY_MIN} characters in production (e.g. openssl rand -base64 32)`);
  }
  if (e.SMS_PROVIDER === 'outbox') {
    throw new ConfigError('SMS_PROVIDER=outbox shows verification codes to operators; in production set SMS_PROVIDER=http (or APP_ENV=demo for a demonstration)');
  }
  if (!e.CA_SERVICE_API_KEY || e.CA_SERVICE_API_KEY.length < PRODUCTION_CA_API_KEY_MIN) {
    throw new ConfigError(`CA_SERVICE_API_KEY must be set to a random secret of at least ${PRODUCTION_CA_API_KEY_MIN} characters in production (shared by the platform and the CA order service)`);
  }
  if (e.TEMPORAL_CALL_TIMEOUT_SECONDS * 1000 <= LONGEST_UPDATE_ACCEPTANCE_MS) {
    throw new ConfigError(
      `TEMPORAL_CALL_TIMEOUT_SECONDS must be above ${LONGEST_UPDATE_ACCEPTANCE_MS / 1000} in production: a contract workflow may take that long to accept a request while a signature runs, and a shorter wait answers 503 to requests that would have succeeded`,
    );
  }
  // Only the CA service process needs the staff password: it refuses to start without one in production (ca-service/main.ts).
  if (e.CA_SERVICE_STAFF_PASSWORD && (e.CA_SERVICE_STAFF_PASSWORD === DEV_CA_STAFF_PASSWORD || e.CA_SERVICE_STAFF_PASSWORD.length < PRODUCTION_CA_STAFF_PASSWORD_MIN)) {
    throw new ConfigError(productionStaffPasswordMessage);
  }
}

/** Development: the platform and the CA service derive the same API key from MASTER_KEY, so nothing needs configuring. */
function devCaApiKey(masterKey: string): string {
  return createHmac('sha256', masterKey).update('sealflow/dev/ca-service-api-key').digest('base64url');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty value (`COOKIE_SECURE=` in a .env copied from .env.example) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const appEnv: AppEnv = e.APP_ENV ?? (e.NODE_ENV === 'production' ? 'production' : 'development');
  if (appEnv === 'production') checkProduction(e);
  const dataDir = path.resolve(e.DATA_DIR);
  const sms = parseSms(e);
  return {
    appEnv,
    database: parseDatabaseUrl(e.DATABASE_URL || `sqlite:${path.join(dataDir, 'sealflow.sqlite')}`, dataDir),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL,
      connectTimeoutMs: Math.round(e.TEMPORAL_CONNECT_TIMEOUT_SECONDS * 1000),
    },
    dataDir,
    masterKey: e.MASTER_KEY,
    smsProvider: sms.provider,
    sms,
    caProvider: e.CA_PROVIDER,
    identityProvider: e.IDENTITY_PROVIDER,
    operator: { mobile: e.OPERATOR_MOBILE ?? (appEnv === 'production' ? null : DEV_OPERATOR_MOBILE), password: e.OPERATOR_PASSWORD || null },
    caName: e.CA_NAME,
    caOrders: {
      serviceUrl: (e.CA_ORDER_SERVICE_URL ?? `http://127.0.0.1:${e.CA_SERVICE_PORT}`).replace(/\/+$/, ''),
      apiKey: e.CA_SERVICE_API_KEY ?? devCaApiKey(e.MASTER_KEY),
      timeoutMs: e.CA_ORDER_TIMEOUT_MS,
    },
    caService: {
      port: e.CA_SERVICE_PORT,
      publicUrl: (e.CA_SERVICE_PUBLIC_URL ?? `http://localhost:${e.CA_SERVICE_PORT}`).replace(/\/+$/, ''),
      apiKey: e.CA_SERVICE_API_KEY ?? devCaApiKey(e.MASTER_KEY),
      staffPassword: e.CA_SERVICE_STAFF_PASSWORD ?? (appEnv === 'production' ? null : DEV_CA_STAFF_PASSWORD),
      staffPasswordIsDefault: !e.CA_SERVICE_STAFF_PASSWORD,
      priceFen: e.CA_SERVICE_PRICE_FEN,
      dataDir: path.join(dataDir, 'ca-service'),
    },
    apiPort: e.API_PORT,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.API_PORT}`,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    shutdownGraceMs: Math.round(e.SHUTDOWN_GRACE_SECONDS * 1000),
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    maxPages: e.MAX_PAGES,
    adminTransferTtlMs: e.ADMIN_TRANSFER_TTL_SECONDS * 1000,
    contracts: { callTimeoutMs: Math.round(e.TEMPORAL_CALL_TIMEOUT_SECONDS * 1000), signWaitMs: Math.round(e.SIGN_WAIT_SECONDS * 1000), updateWaitMs: Math.round(e.UPDATE_WAIT_SECONDS * 1000) },
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : appEnv === 'production',
    logLevel: e.LOG_LEVEL,
    dbPoolTrace: e.DB_POOL_TRACE === 'true',
    office: {
      converter: e.OFFICE_CONVERTER,
      processes: e.OFFICE_PROCESSES,
      maxQueue: e.OFFICE_MAX_QUEUE,
      timeoutMs: Math.round(e.OFFICE_TIMEOUT_SECONDS * 1000),
      profileRoot: path.resolve(e.OFFICE_PROFILE_DIR ?? path.join(dataDir, 'office')),
      memoryLimitBytes: e.OFFICE_MEMORY_LIMIT_MB * 1024 * 1024,
    },
  };
}

/**
 * Secret values named by the environment, read even when the rest of the configuration is invalid
 * (start-up failures must not print them either). Values shorter than 6 characters are ignored.
 */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = [env.MASTER_KEY, env.SMS_HTTP_SECRET, env.OPERATOR_PASSWORD, env.CA_SERVICE_API_KEY, env.CA_SERVICE_STAFF_PASSWORD, databasePassword(env.DATABASE_URL)];
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function databasePassword(url: string | undefined): string | undefined {
  const match = url ? /^[a-z]+:\/\/[^:/@]*:([^@/]*)@/i.exec(url) : null;
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** LOG_LEVEL=debug, readable before the configuration is validated. */
export const debugLogging = (env: NodeJS.ProcessEnv = process.env): boolean => env.LOG_LEVEL === 'debug';

/** Names of environment variables the app understands (checked against docker-compose.yml by a test). */
export const CONFIG_KEYS = Object.keys(schema.shape);

/**
 * Variables a child process that reads user input (LibreOffice on an uploaded .docx, its UNO bridge) inherits:
 * where programs are, whose home, language, time zone, temporary directory. Nothing of the platform's
 * configuration: the child gets no MASTER_KEY, DATABASE_URL, SMS_HTTP_SECRET, API key or password, nor anything
 * else the deployment put in the environment.
 */
const CHILD_ENV_NAMES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'XDG_CACHE_HOME']);
const childMayInherit = (name: string) => CHILD_ENV_NAMES.has(name) || name.startsWith('LC_');

/**
 * The environment for a child process the app starts on user input (e.g. LibreOffice): the allow-listed
 * variables of this process's environment, plus `extra`. A variable whose value holds one of the secret values
 * (`secretValues`) is left out even when its name is allowed.
 */
export function childProcessEnv(extra: Record<string, string>, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const secrets = secretValues(env);
  const child: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && childMayInherit(name) && !secrets.some((s) => value.includes(s))) child[name] = value;
  }
  return { ...child, ...extra };
}
