/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits (API and worker also do it at start). */
import { loadConfig } from '../../config';
import { migrate, openOrm } from './orm';

const orm = await openOrm(loadConfig().database);
await migrate(orm);
await orm.close();
