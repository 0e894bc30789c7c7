import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEnterpriseSeal } from '../documents/seals/enterprise-seal';
import { SEAL_TYPES } from '../domain/seals/seal-types';
import { sealDrawingSpec } from '../domain/seals/seal-drawing';

/**
 * Writes a PNG of every seal type for a sample enterprise to docs/screenshots/ (or the folder
 * given as the first argument): `npx tsx scripts/render-seal-samples.ts`.
 */
const outDir = process.argv[2] ?? join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });
const enterprise = { name: '杭州云签信息科技有限公司', legalRepresentative: '张伟' };
for (const type of SEAL_TYPES) {
  const started = performance.now();
  const image = await renderEnterpriseSeal(sealDrawingSpec(type, enterprise, { securityCode: '3301060012345', departmentName: type.code === 'department' ? '市场营销部' : null }));
  const file = join(outDir, `seal-${type.code}.png`);
  writeFileSync(file, image.png);
  console.log(`${type.name} ${image.widthMm}×${image.heightMm} mm → ${image.widthPx}×${image.heightPx} px, ${image.png.length} bytes, ${(performance.now() - started).toFixed(0)} ms: ${file}`);
}
