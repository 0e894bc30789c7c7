import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { documentXml, PNG_1X1_BASE64, svgImage } from './hostile-docx';
import { checkSvg, isSvgImage } from './svg-content';

/**
 * The SVG check on its own: which bytes are SVG (as LibreOffice would pick the format), and which SVG documents
 * may be rendered (references only to themselves or to embedded PNG/JPEG/GIF data, no code, no style sheets).
 */

const bytes = (text: string) => new TextEncoder().encode(text);
const check = (svg: string | Uint8Array) => checkSvg({ name: 'word/media/image1.svg', data: typeof svg === 'string' ? bytes(svg) : svg });

function refusal(svg: string | Uint8Array): DocumentError {
  try {
    check(svg);
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentError);
    return err as DocumentError;
  }
  throw new Error('expected a DocumentError');
}

const base64 = (data: string | Uint8Array) => Buffer.from(data).toString('base64');
/** A (nested) SVG that reads a local file, to hide in a data: URI. */
const NESTED = svgImage('<image href="file:///etc/passwd"/>');

describe('isSvgImage: what LibreOffice would read as an SVG, whatever the part is called', () => {
  /** The budget's side of the decompressed starts of gzip parts (docx-content.ts counts them). */
  const uncounted = () => undefined;
  it.each<[string, string | Uint8Array]>([
    ['a plain SVG', svgImage('<rect width="1" height="1"/>')],
    ['no XML declaration', svgImage('', '')],
    ['a byte order mark, white space, a comment and a processing instruction first', svgImage('', '\uFEFF \n<?xml version="1.0"?>\n<!-- Generator: Adobe Illustrator 27.0 --><?foo bar?>\n')],
    ['a prefixed root element', '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:rect/></s:svg>'],
    ['an upper-case root element', '<SVG/>'],
    ['an <svg> below another root', '<html><body><svg/></body></html>'],
    ['UTF-16 text', new Uint8Array(Buffer.from(`\uFEFF${svgImage('')}`, 'utf16le'))],
    ['a DOCTYPE naming svg', '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><x/>'],
    ['gzip-compressed (an .svgz)', new Uint8Array(gzipSync(svgImage('')))],
    ['gzip data that cannot be read', new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff])],
  ])('%s → SVG', (_name, data) => {
    expect(isSvgImage(typeof data === 'string' ? bytes(data) : data, uncounted)).toBe(true);
  });

  const emf = new Uint8Array(88);
  emf.set([0x01, 0, 0, 0]);
  emf.set([0x20, 0x45, 0x4d, 0x46], 40);
  it.each<[string, string | Uint8Array]>([
    ['a PNG', new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64'))],
    ['a PNG with "<svg " in its bytes', new Uint8Array([...Buffer.from(PNG_1X1_BASE64, 'base64'), ...bytes('<svg ')])],
    ['word/document.xml', documentXml(['{甲方}'])],
    ['an <asvg:svgBlip> element', '<a:blip xmlns:a="a"><asvg:svgBlip xmlns:asvg="b"/></a:blip>'],
    ['text before the root element (no XML parser reads it)', 'x<svg/>'],
    ['an EMF compressed with gzip (an .emz)', new Uint8Array(gzipSync(emf))],
    ['a placeable WMF compressed with gzip (a .wmz)', new Uint8Array(gzipSync(new Uint8Array([0xd7, 0xcd, 0xc6, 0x9a, 0, 0])))],
  ])('%s → not SVG', (_name, data) => {
    expect(isSvgImage(typeof data === 'string' ? bytes(data) : data, uncounted)).toBe(false);
  });
});

describe('checkSvg: an SVG refers only to itself or to embedded raster images, and runs no code', () => {
  it.each<[string, string]>([
    ['plain shapes', svgImage('<rect x="1" y="1" width="50" height="20" rx="3" fill="#c00" stroke="black"/><circle cx="80" cy="20" r="10"/><path d="M0 0L10 10Z"/><text x="5" y="35" font-family="SimSun">甲方 url(http://example.com) @import</text>')],
    ['a gradient used with fill="url(#g)" and in a style attribute', svgImage('<defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/><rect width="10" height="10" style="fill: url( \'#g\' ); stroke:url(&quot;#g&quot;)"/>')],
    ['<use href="#a"> and <use xlink:href=" #a ">', svgImage('<rect id="a" width="10" height="10"/><use href="#a" x="20"/><use xlink:href=" #a " x="40"/>')],
    ['an embedded PNG (base64 wrapped over lines, as Inkscape writes it)', svgImage(`<image width="1" height="1" xlink:href="data:image/png;base64,${PNG_1X1_BASE64.slice(0, 40)}&#10;${PNG_1X1_BASE64.slice(40)}"/>`)],
    ['an embedded JPEG with a media-type parameter, and a pattern of it in CSS', svgImage(`<image href="DATA:image/jpeg;name=a.jpg;base64,${base64(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))}"/><rect style="fill:url(data:image/gif;base64,${base64('GIF89a')})"/>`)],
    ['a <style> sheet with classes and a comment', svgImage('<style type="text/css"><![CDATA[ .st0{fill:#FFFFFF;} /* Illustrator */ .st1{clip-path:url(#c);font-family:\'\\5FAE\\8F6F\\96C5\\9ED1\'} ]]></style><clipPath id="c"><rect width="5" height="5"/></clipPath><rect class="st0 st1" width="10" height="10"/>')],
    ['an Illustrator/Inkscape file: metadata, other namespaces, an offset attribute', svgImage('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata><sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" pagecolor="#fff"/><linearGradient id="h"><stop offset="0.5"/></linearGradient>', '<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator 27.0.0 -->\n')],
    ['an animation of a colour', svgImage('<rect width="10" height="10"><animate attributeName="fill" values="red;blue" dur="1s"/></rect>')],
  ])('accepts %s', (_name, svg) => {
    expect(() => check(svg)).not.toThrow();
  });

  it.each<[string, string]>([
    // Every external reference form.
    ['<image href="file:///etc/passwd">', svgImage('<image href="file:///etc/passwd"/>')],
    ['<image xlink:href="http://…">', svgImage('<image xlink:href="http://169.254.169.254/latest/meta-data/"/>')],
    ['<use href="http://…#x">', svgImage('<use href="http://attacker.example/sprite.svg#x"/>')],
    ['<use xlink:href="other.svg#x"> (relative: a file beside the document)', svgImage('<use xlink:href="other.svg#x"/>')],
    ['<feImage href="//host/x.png"> (scheme-relative)', svgImage('<filter id="f"><feImage href="//attacker.example/x.png"/></filter>')],
    ['an href in an unknown namespace', svgImage('<image z:href="/etc/passwd" xmlns:z="urn:z"/>')],
    ['an empty href (the document itself)', svgImage('<image href=""/>')],
    ['<a href="javascript:…">', svgImage('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>')],
    ['src', svgImage('<audio src="http://attacker.example/a.mp3"/>')],
    ['xml:base', svgImage('<g xml:base="http://attacker.example/"><use href="#a"/></g>')],
    ['<?xml-stylesheet href?>', svgImage('', '<?xml version="1.0"?><?xml-stylesheet type="text/css" href="http://attacker.example/a.css"?>')],
    ['url(http:…) in a style attribute', svgImage('<rect width="1" height="1" style="fill:url(http://attacker.example/p.svg#p)"/>')],
    ['url(…) in a presentation attribute', svgImage('<rect width="1" height="1" filter="url(file:///etc/passwd#f)"/>')],
    ['url(…) in <style>', svgImage('<style>rect { fill: url("http://attacker.example/p.svg#p") }</style>')],
    ['@font-face src: url(…)', svgImage('<style>@font-face { font-family: x; src: url(file:///etc/passwd) }</style>')],
    ['@import', svgImage('<style>@import "http://attacker.example/a.css";</style>')],
    ['@import in a style attribute', svgImage('<rect style="@import \'a.css\'"/>')],
    ['@import in CDATA', svgImage('<style><![CDATA[ @IMPORT url(a.css); ]]></style>')],
    ['@import split by an XML comment', svgImage('<style>@im<!-- x -->port "a.css";</style>')],
    ['image-set()', svgImage('<rect style="fill: -webkit-image-set(\'http://attacker.example/a.png\' 1x)"/>')],
    // Code and embedded documents.
    ['<script>', svgImage('<script>fetch("http://attacker.example/")</script>')],
    ['<SCRIPT> in another namespace', svgImage('<h:SCRIPT xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:SCRIPT>')],
    ['<foreignObject>', svgImage('<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>')],
    ['<iframe>', svgImage('<iframe xmlns="http://www.w3.org/1999/xhtml"/>')],
    ['<embed>', svgImage('<embed xmlns="http://www.w3.org/1999/xhtml"/>')],
    ['<object>', svgImage('<object xmlns="http://www.w3.org/1999/xhtml"/>')],
    ['onload', svgImage('<rect width="1" height="1" onload="alert(1)"/>')],
    ['ONCLICK in upper case', svgImage('<rect width="1" height="1" ONCLICK="alert(1)"/>')],
    ['onbegin on an animation', svgImage('<rect><animate attributeName="x" onbegin="alert(1)"/></rect>')],
    ['<set attributeName="href">', svgImage('<image href="#a"><set attributeName="xlink:href" to="file:///etc/passwd"/></image>')],
    // Decoded values: character references (by the parser), case, white space, CSS escapes.
    ['xlink:href="&#104;ttp://…" (a character reference)', svgImage('<image xlink:href="&#104;ttp://attacker.example/x.png"/>')],
    ['HTTP:// in upper case with spaces around', svgImage('<image href="  HTTP://ATTACKER.EXAMPLE/x.png "/>')],
    ['a newline inside the scheme (java&#10;script:)', svgImage('<a href="java&#10;script:alert(1)"/>')],
    ['a tab before a fragment-looking path', svgImage('<use href="&#9;/etc/passwd#x"/>')],
    ['url(…) written with CSS escapes', svgImage('<style>rect { fill: \\75 rl(http://attacker.example/p.svg#p) }</style>')],
    ['@import written with a CSS escape', svgImage('<style>@\\69mport "a.css";</style>')],
    ['url(…) after a character reference', svgImage('<rect style="fill:&#117;rl(http://attacker.example/)"/>')],
    // data: URIs that are not an embedded raster image.
    ['data:image/svg+xml (a nested SVG)', svgImage(`<image href="data:image/svg+xml;base64,${base64(NESTED)}"/>`)],
    ['data:image/png holding an SVG (LibreOffice sniffs the bytes)', svgImage(`<image href="data:image/png;base64,${base64(NESTED)}"/>`)],
    ['data:image/gif that is "GIF8" then XBM text (LibreOffice detects the decoded bytes: XBM)', svgImage(`<image href="data:image/gif;base64,${base64('GIF8\n#define x_width 16\n#define x_height 16\nstatic char x_bits[] = { 0xf0 };\n')}"/>`)],
    ['data:image/png not in base64', svgImage('<image href="data:image/png,%89PNG"/>')],
    ['data:image/png with percent-encoding in its base64', svgImage(`<image href="data:image/png;base64,${PNG_1X1_BASE64.replace('V', '%56')}"/>`)],
    ['data:text/html', svgImage(`<use href="data:text/html;base64,${base64('<script>alert(1)</script>')}#x"/>`)],
    ['url(data:image/svg+xml,…) in CSS', svgImage(`<rect style="fill:url('data:image/svg+xml;base64,${base64(NESTED)}')"/>`)],
  ])('refuses %s', (_name, svg) => {
    expect(refusal(svg).code).toBe('DOCX_UNSAFE_CONTENT');
  });

  it.each<[string, string | Uint8Array]>([
    ['a DTD with an external entity', svgImage('<text>&xxe;</text>', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')],
    ['a DOCTYPE alone (Illustrator writes one)', svgImage('', '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">')],
    ['malformed XML', '<svg xmlns="http://www.w3.org/2000/svg"><image href=file:///etc/passwd /></svg>'],
    ['an unbound prefix', '<svg xmlns="http://www.w3.org/2000/svg"><image xlink:href="#a"/></svg>'],
    ['UTF-16', new Uint8Array(Buffer.from(`\uFEFF${svgImage('<image href="file:///etc/passwd"/>', '')}`, 'utf16le'))],
    ['another declared encoding', svgImage('', '<?xml version="1.0" encoding="ISO-8859-1"?>')],
    ['gzip-compressed (an .svgz is not read)', new Uint8Array(gzipSync(svgImage('')))],
  ])('refuses an SVG it cannot check: %s (DOCX_UNSAFE_CONTENT, not NOT_A_DOCX)', (_name, svg) => {
    expect(refusal(svg).code).toBe('DOCX_UNSAFE_CONTENT');
  });

  it('names the part and the attribute in the message (for the logs)', () => {
    expect(refusal(svgImage('<image xlink:href="&#104;ttp://attacker.example/x.png"/>')).message).toContain('word/media/image1.svg refers to an external resource in <image xlink:href="http://attacker.example/x.png">');
  });

  it('checks a large SVG in linear time (10,000 elements with styles and references)', () => {
    // The best of three runs (the first pays for JIT; a loaded CI machine adds spikes: one run read 1.1 s
    // against ~0.35 s alone), and 4× the elements must cost about 4× the time, not 16× as a quadratic check.
    const bestTime = (elements: number) => {
      const body = Array.from({ length: elements }, (_, i) => `<rect id="r${i}" width="1" height="1" style="fill:url(#g);stroke:#000" filter="url(#f)"/><use href="#r${i}"/>`).join('');
      const svg = svgImage(`<linearGradient id="g"/><filter id="f"/>${body}`);
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        check(svg);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const small = bestTime(2_500);
    const large = bestTime(10_000);
    expect(large).toBeLessThan(1000);
    expect(large / small).toBeLessThan(8);
  });

  it('reads a reference with 200,000 spaces before its last character in linear time (the trim was n²: 1.4 s for 60,000)', () => {
    const started = performance.now();
    check(svgImage(`<rect id="a"/><use href="#${' '.repeat(200_000)}a"/>`));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
