import type { AppConfig } from '../config';
import { upgradeCaMaterialEncryption } from '../domain/certificates/ca-material-store';
import { ensureFirstOperator } from './first-operator';
import { createServices, type Services } from './services';

/**
 * The set-up path (docker compose `migrate` service, `npm run seed`, `npm start`): migrations, the
 * CA (created on first run), legacy CA keys re-encrypted in the current format, the first operator
 * (not for the demo seed, which creates its own operator).
 * It is the only code that opens the CA root key; the API and the worker never do.
 */
export async function setUpPlatform(config: AppConfig, options: { firstOperator?: boolean; print?: (line: string) => void } = {}): Promise<Services> {
  const print = options.print ?? console.log;
  const services = await createServices(config);
  try {
    const upgraded = await upgradeCaMaterialEncryption(services.orm, config.masterKey);
    if (upgraded.length) print(`[setup] re-encrypted the CA ${upgraded.join(' and ')} in the current format`);
    if (options.firstOperator ?? true) await ensureFirstOperator(services.orm.em.fork(), config, print);
    return services;
  } catch (err) {
    await services.close();
    throw err;
  }
}
