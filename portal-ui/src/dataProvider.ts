import { createDataProvider } from '../../ui-shared/src/api/createDataProvider';

/** Resource "contracts" → /api/contracts (list filtered by box, getOne). */
export const dataProvider = createDataProvider();
