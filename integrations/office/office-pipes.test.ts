import { describe, expect, it } from 'vitest';
import { officePipePath, singleInstancePipeName } from './office-pipes';

describe('LibreOffice pipe names', () => {
  it('the single-instance pipe of a profile is named as soffice names it (MD5 of the UTF-16LE URL, unpadded hex)', () => {
    // Read from /tmp after starting soffice 7.4 with -env:UserInstallation=file:///tmp/lotest/p: one byte (0x0…) prints as one digit.
    expect(singleInstancePipeName('file:///tmp/lotest/p')).toBe('SingleOfficeIPC_77ee30f3ff93f472c7c974f9d2d1031');
  });

  it('a pipe is a socket under /tmp named for the user', () => {
    expect(officePipePath('sealflow-office-1-2', 1000)).toBe('/tmp/OSL_PIPE_1000_sealflow-office-1-2');
  });
});
