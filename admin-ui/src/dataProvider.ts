import { createDataProvider } from '../../ui-shared/src/api/createDataProvider';
import { RESOURCES } from './resources';

/** Short resource names (URLs /admin/<name>) mapped to their API paths (/api/<apiPath>). */
export const dataProvider = createDataProvider(
  Object.fromEntries(RESOURCES.map((r) => [r.name, r.apiPath])),
);
