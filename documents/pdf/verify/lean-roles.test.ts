import * as L from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNameSeal } from '../../seals/name-seal';
import { appendUpdate } from '../hostile-pdfs';
import { prepareForSigning } from '../normalize-pdf';
import { objectRoles, type Role } from '../object-roles';
import { loadPdf } from '../safe-load';
import { signPdf } from '../sign-pdf';
import { makeCa, makePdf, makeSigner } from '../test-helpers';
import { readLeanFile } from './lean-file';
import { leanObjectRoles } from './lean-roles';
import { catalogOf, listLeanFields } from './lean-structure';

/** The lean walk's role per object number against objectRoles (the general walk), object by object. */
describe('lean roles', () => {
  const files: [string, Uint8Array][] = [];

  beforeAll(async () => {
    const ca = await makeCa('SealFlow');
    const png = await renderNameSeal('张三');
    const sign = async (pdf: Uint8Array, name: string, page: number) =>
      signPdf({ pdf, signer: await makeSigner(ca, name), signerName: name, fieldName: name, appearance: { page, x: 60, y: 60, width: 57, height: 57, png } });
    const ten = await prepareForSigning(await makePdf({ pages: 10 }));
    const twice = await sign(await sign(ten, '张三', 10), '李四', 3);
    files.push(['two signatures, 10 pages', twice]);
    const doc = await L.PDFDocument.load(twice);
    const catalogRef = doc.context.trailerInfo.Root as L.PDFRef;
    // References to numbers past every object the file defines (and to none at all).
    const catalog = doc.catalog.toString().replace(/>>\s*$/, '/PieceInfo 70000 0 R /OpenAction [90000 0 R] /DSS 40 0 R\n>>');
    files.push(['dangling references past the last object', appendUpdate(twice, [{ num: catalogRef.objectNumber, body: catalog }, { num: 40, body: '<< /Certs [80000 0 R] >>' }])]);
    const form = await L.PDFDocument.create();
    const page = form.addPage();
    form.getForm().createTextField('amount').addToPage(page, { x: 50, y: 700, width: 200, height: 20 });
    files.push(['form with a text field, signed', await sign(await prepareForSigning(await form.save()), '王五', 1)]);
  }, 60_000);

  it('gives every object the roles objectRoles gives it', async () => {
    const seen = new Set<Role>();
    for (const [name, pdf] of files) {
      const file = readLeanFile(pdf);
      const catalog = catalogOf(file);
      const lean = leanObjectRoles(file, catalog, listLeanFields(file, catalog));
      const { doc } = await loadPdf(pdf);
      const general = objectRoles(doc).roles;
      const numbers = new Set<number>([...general.keys(), ...file.definitions.map((d) => d.objectNumber), 40, 70000, 80000, 90000]);
      const sorted = (roles: Iterable<Role>) => [...roles].sort();
      for (const n of numbers) expect({ name, n, roles: sorted(lean.of(n)) }).toEqual({ name, n, roles: sorted(general.get(n) ?? []) });
      for (const n of numbers) lean.of(n).forEach((r) => seen.add(r));
    }
    expect(seen.size).toBeGreaterThanOrEqual(10); // the files exercise most roles
  });
});
