import type { AppConfig } from '../../config';
import type { OfficeConverter } from './office-converter';
import { createSimpleOfficeConverter } from './simple-office-converter';
import { createWarmOfficeConverter } from './warm-office-converter';

export { looksLikePdf, type OfficeConverter } from './office-converter';
export { createSimpleOfficeConverter, type SimpleOfficeOptions } from './simple-office-converter';
export { createWarmOfficeConverter, liveProcessesInGroup, type WarmOfficeConverter, type WarmOfficeOptions } from './warm-office-converter';

/** The configured Word → PDF converter (OFFICE_CONVERTER). Starts no process until the first document. */
export function createOfficeConverter(office: AppConfig['office']): OfficeConverter {
  if (office.converter === 'simple') return createSimpleOfficeConverter({ concurrency: office.processes, maxQueue: office.maxQueue, timeoutMs: office.timeoutMs, memoryLimitBytes: office.memoryLimitBytes });
  return createWarmOfficeConverter({ processes: office.processes, maxQueue: office.maxQueue, timeoutMs: office.timeoutMs, profileRoot: office.profileRoot, memoryLimitBytes: office.memoryLimitBytes });
}
