import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { describeDatabase, type AppConfig } from '../config';
import { reasonOf, StartupError } from './startup-error';

/**
 * Start-up checks that turn a misconfiguration into one clear line at start instead of a failure
 * at the first upload, signature or request.
 */

/** DATA_DIR must be writable: create it, then write, fsync and delete a probe file. */
export function checkDataDir(dataDir: string): void {
  const probe = path.join(dataDir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const fd = fs.openSync(probe, 'wx', 0o600);
    try {
      fs.writeSync(fd, 'sealflow write probe\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.unlinkSync(probe);
  } catch (err) {
    throw new StartupError(`DATA_DIR ${dataDir} is not writable (${reasonOf(err)})`);
  }
}

/** Wraps opening the database so a failure names the database (never its password). */
export async function withDatabase<T>(config: AppConfig, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    throw new StartupError(`cannot open the database ${describeDatabase(config.database)} (${reasonOf(err)})`);
  }
}

/** Connects to Temporal, waiting at most TEMPORAL_CONNECT_TIMEOUT_SECONDS. */
export async function connectTemporal(config: AppConfig): Promise<Connection> {
  const { address, connectTimeoutMs } = config.temporal;
  try {
    return await Connection.connect({ address, connectTimeout: connectTimeoutMs });
  } catch (err) {
    throw new StartupError(`Temporal is unreachable at ${address} after ${Math.round(connectTimeoutMs / 1000)} s (${reasonOf(err)})`);
  }
}
