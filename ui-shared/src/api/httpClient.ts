// httpClient for ra-data-simple-rest: same-origin, cookies included, localized HttpError.
import { HttpError, type fetchUtils } from 'react-admin';
import { ApiError, apiRequest } from './apiFetch';

export async function httpClient(url: string, options: fetchUtils.Options = {}) {
  const { user: _user, ...init } = options;
  try {
    return await apiRequest<any>(url, init);
  } catch (error) {
    if (error instanceof ApiError) throw new HttpError(error.message, error.status, error.body);
    throw error;
  }
}
