import sharp from 'sharp';

/** A transparent canvas with one dark stroke from (x0,y0) to (x1,y1), `thick` px wide: a stand-in for a drawn signature. */
export async function drawnSignature(width = 600, height = 300, stroke = { x0: 100, y0: 120, x1: 400, y1: 180, thick: 6 }): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><line x1="${stroke.x0}" y1="${stroke.y0}" x2="${stroke.x1}" y2="${stroke.y1}" stroke="#111" stroke-width="${stroke.thick}"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

export const pngDataUrl = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
