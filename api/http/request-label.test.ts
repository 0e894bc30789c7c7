import { describe, expect, it } from 'vitest';
import { requestLabel } from './errors';

describe('requestLabel (how the server log names a failed request)', () => {
  it('names a routed request by its pattern: a capture link token in the path never reaches the log', () => {
    const token = 'yUSkFp4qf5ADNBTC2eQ5cQY85cz_m7qrHjFAOL9C6yI';
    expect(requestLabel({ method: 'POST', path: `/signature-captures/${token}`, route: { path: '/signature-captures/:token' } })).toBe('POST /signature-captures/:token');
  });

  it('masks the long segments of a path that matched no route', () => {
    expect(requestLabel({ method: 'GET', path: '/contracts/0b8e4c52-9d7e-4a40-9a57-4f0f4f1c0d11/document' })).toBe('GET /contracts/…/document');
    expect(requestLabel({ method: 'GET', path: '/me' })).toBe('GET /me');
  });
});
