// ra-data-simple-rest against /api, with a resource name → API path map so that react-admin
// resource names (and thus URLs) stay short: e.g. resource "contracts" → /api/admin/contracts.
import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider } from 'react-admin';
import { httpClient } from './httpClient';

export const API_BASE = '/api';

export function createDataProvider(paths: Record<string, string> = {}): DataProvider {
  const rest = simpleRestProvider(API_BASE, httpClient);
  const path = (resource: string) => paths[resource] ?? resource;
  return {
    getList: (resource, params) => rest.getList(path(resource), params),
    getOne: (resource, params) => rest.getOne(path(resource), params),
    getMany: (resource, params) => rest.getMany(path(resource), params),
    getManyReference: (resource, params) => rest.getManyReference(path(resource), params),
    create: (resource, params) => rest.create(path(resource), params),
    update: (resource, params) => rest.update(path(resource), params),
    updateMany: (resource, params) => rest.updateMany(path(resource), params),
    delete: (resource, params) => rest.delete(path(resource), params),
    deleteMany: (resource, params) => rest.deleteMany(path(resource), params),
  };
}
