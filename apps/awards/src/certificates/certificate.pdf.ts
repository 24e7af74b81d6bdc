import PDFDocument from 'pdfkit';

/**
 * A winner's certificate (เกียรติบัตร) as a one-page A4 landscape PDF: Thai first, English second,
 * set in Sarabun (SIL OFL 1.1, from the npm package @expo-google-fonts/sarabun, which ships the full
 * Google Fonts TTFs with Thai, Latin and digits in one file and the Thai GSUB/GPOS tables).
 *
 * Thai text and extraction. pdfkit shapes through fontkit, which applies the font's ccmp (SARA AM
 * decomposition, tone + NIKHAHIT ligatures), the .small/.narrow mark variants and GPOS mark
 * positioning, so the page looks right. Text extraction from the glyphs alone does not: the
 * ToUnicode map has one entry per glyph, so the two glyphs that SARA AM (ำ) becomes cannot map back
 * to one ำ, and poppler starts a new word (and, in -layout mode, a new line) at a mark that GPOS
 * moves vertically by more than 0.5pt (e.g. the tone mark in "สิ้น"). Two measures:
 *  1. every line is wrapped in a marked-content span with /ActualText (the line exactly as given)
 *     and /Lang, placed inside the text object (see `drawLine`): pdftotext, Acrobat and screen
 *     readers read that text instead of the glyphs;
 *  2. SARA AM is decomposed to NIKHAHIT + SARA AA before shaping (what the font's ccmp does anyway:
 *     same glyphs, same positions), so the glyph-level ToUnicode fallback that readers without
 *     ActualText use gives "ํา", the compatibility-equivalent of ำ, instead of "ำา".
 *
 * The output is deterministic: the same input gives the same bytes (the creation date and the file
 * ID come from `announcedAt`; pdfkit adds nothing random without encryption).
 */
export interface CertificateInput {
  /** The agency's Thai name, e.g. 'กรมการปกครอง'. */
  agencyName: string;
  agencyNameEn?: string | null;
  categoryName: { th: string; en: string };
  /** The cycle's Buddhist Era year, e.g. 2565. */
  cycleYearBE: number;
  /** 1 = winner; a higher rank is printed as "อันดับที่ n". */
  rank: number;
  /** Printed as a Thai date with the B.E. year (Asia/Bangkok); also the PDF's creation date. */
  announcedAt: Date;
  certificateNo: string;
  /** Defaults to DGA. */
  issuer?: { th: string; en: string };
}

export const DEFAULT_CERTIFICATE_ISSUER: Readonly<{ th: string; en: string }> = Object.freeze({
  th: 'สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)',
  en: 'Digital Government Development Agency (Public Organization)',
});

const TIME_ZONE = 'Asia/Bangkok';
const BE_OFFSET = 543;

/** "30 พฤศจิกายน พ.ศ. 2565": the date in Bangkok, Thai month name, Buddhist Era year, Arabic digits. */
export function formatThaiDate(date: Date): string {
  const parts = new Intl.DateTimeFormat('th-TH-u-ca-buddhist-nu-latn', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} พ.ศ. ${part('year')}`;
}

function formatEnglishDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);
}

/**
 * The font files, resolved through Node's module resolution at run time, so the built service
 * (dist/) finds them in node_modules wherever it is installed; nothing is copied next to src.
 */
function fontFiles(): { regular: string; bold: string } {
  return {
    regular: require.resolve('@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf'),
  };
}

// A4 landscape in points.
const PAGE = { width: 841.89, height: 595.28 };
const COLOURS = { ink: '#1b2a41', accent: '#1f4e8c', gold: '#b08d3c', muted: '#4a5568' };
const TEXT_WIDTH = PAGE.width - 2 * 90;

type Doc = PDFKit.PDFDocument;
type Face = 'regular' | 'bold';

interface Block {
  text: string;
  face: Face;
  size: number;
  /** The smallest size the text may shrink to before it wraps, and below which it wraps anyway. */
  minSize?: number;
  maxLines?: number;
  lang: 'th-TH' | 'en';
  colour?: string;
  /** Space above the block, in points. */
  gap?: number;
}

interface LaidOutBlock extends Block {
  lines: string[];
  fittedSize: number;
}

/** SARA AM as the font's own ccmp decomposes it (see the header comment). */
const forShaping = (text: string) => text.replace(/\u0E33/g, '\u0E4D\u0E32');

function widthOf(doc: Doc, fonts: Record<Face, string>, text: string, face: Face, size: number): number {
  return doc.font(fonts[face]).fontSize(size).widthOfString(forShaping(text));
}

/**
 * Breaks a text into lines no wider than `width` at word boundaries (Intl.Segmenter knows Thai
 * words, which are not separated by spaces), never inside a word and so never between a consonant
 * and its marks. A single word wider than the line gets a line of its own.
 */
function wrap(measure: (s: string) => number, text: string, width: number, lang: string): string[] {
  if (measure(text) <= width) return [text];
  const words = [...new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)].map((s) => s.segment);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current + word;
    if (current.trim() !== '' && measure(candidate.trim()) > width) {
      lines.push(current.trim());
      current = word.trimStart();
    } else {
      current = candidate;
    }
  }
  if (current.trim() !== '') lines.push(current.trim());
  return lines;
}

/** The largest size from `size` down to `minSize` at which the text fits in `maxLines` lines. */
function layOut(doc: Doc, fonts: Record<Face, string>, block: Block): LaidOutBlock {
  const minSize = block.minSize ?? block.size;
  const maxLines = block.maxLines ?? 1;
  let lines: string[];
  let size = block.size;
  for (; size >= minSize; size -= 1) {
    const at = size;
    // One line at a smaller size reads better than two: wrap only when one line would need to go
    // below two thirds of the intended size.
    if (widthOf(doc, fonts, block.text, block.face, at) <= TEXT_WIDTH)
      return { ...block, lines: [block.text], fittedSize: at };
    if (at > Math.max(minSize, (block.size * 2) / 3)) continue;
    lines = wrap((s) => widthOf(doc, fonts, s, block.face, at), block.text, TEXT_WIDTH, block.lang);
    if (
      lines.length <= maxLines &&
      lines.every((l) => widthOf(doc, fonts, l, block.face, at) <= TEXT_WIDTH)
    ) {
      return { ...block, lines, fittedSize: at };
    }
  }
  // Even the smallest size needs more lines: print them all at that size.
  size = minSize;
  lines = wrap((s) => widthOf(doc, fonts, s, block.face, size), block.text, TEXT_WIDTH, block.lang);
  return { ...block, lines, fittedSize: size };
}

const lineHeight = (size: number) => size * 1.45;

function pdfTextString(text: string): string {
  return `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

/**
 * Draws one line centred at `top`, its text object wrapped in a /Span with /ActualText and /Lang.
 * pdfkit's markContent() would put the span around pdfkit's own q … Q, and poppler computes an
 * ActualText's position with the graphics state at EMC, by then restored (wrong matrix, no font):
 * the whole page's text came out on one line. So the BDC is written right after pdfkit's BT and the
 * EMC right before its ET, through addContent, the hook pdfkit writes every operator through.
 */
function drawLine(
  doc: Doc,
  fonts: Record<Face, string>,
  line: string,
  face: Face,
  size: number,
  top: number,
  lang: string,
) {
  const width = widthOf(doc, fonts, line, face, size);
  const x = (PAGE.width - width) / 2;
  const span = `/Span << /Lang ${pdfTextString(lang)} /ActualText ${pdfTextString(line)} >> BDC`;
  const write = doc.addContent.bind(doc);
  let textObjects = 0;
  let open = false;
  doc.addContent = (data: unknown) => {
    if (data === 'ET' && open) {
      write('EMC');
      open = false;
    }
    write(data);
    if (data === 'BT') {
      textObjects += 1;
      write(span);
      open = true;
    }
    return doc;
  };
  try {
    doc.font(fonts[face]).fontSize(size).text(forShaping(line), x, top, { lineBreak: false });
  } finally {
    doc.addContent = write;
  }
  if (textObjects !== 1 || open) {
    throw new Error(`certificate: expected one text object per line, pdfkit wrote ${textObjects}`);
  }
}

function drawBorder(doc: Doc) {
  const outer = 22;
  const inner = 32;
  doc.save();
  doc
    .lineWidth(3)
    .strokeColor(COLOURS.accent)
    .rect(outer, outer, PAGE.width - 2 * outer, PAGE.height - 2 * outer)
    .stroke();
  doc
    .lineWidth(1)
    .strokeColor(COLOURS.gold)
    .rect(inner, inner, PAGE.width - 2 * inner, PAGE.height - 2 * inner)
    .stroke();
  // Small corner squares on the inner frame.
  for (const [x, y] of [
    [inner, inner],
    [PAGE.width - inner, inner],
    [inner, PAGE.height - inner],
    [PAGE.width - inner, PAGE.height - inner],
  ] as const) {
    doc
      .rect(x - 4, y - 4, 8, 8)
      .fillColor(COLOURS.gold)
      .fill();
  }
  doc.restore();
}

function validate(input: CertificateInput): void {
  const problems: string[] = [];
  if (!input.agencyName?.trim()) problems.push('agencyName is empty');
  if (!input.categoryName?.th?.trim() || !input.categoryName?.en?.trim())
    problems.push('categoryName needs th and en');
  if (!Number.isInteger(input.cycleYearBE) || input.cycleYearBE < 2500 || input.cycleYearBE > 2800) {
    problems.push(`cycleYearBE ${input.cycleYearBE} is not a Buddhist Era year`);
  }
  if (!Number.isInteger(input.rank) || input.rank < 1)
    problems.push(`rank ${input.rank} is not a positive integer`);
  if (!(input.announcedAt instanceof Date) || Number.isNaN(input.announcedAt.getTime()))
    problems.push('announcedAt is not a valid date');
  if (!input.certificateNo?.trim()) problems.push('certificateNo is empty');
  if (input.issuer && (!input.issuer.th?.trim() || !input.issuer.en?.trim()))
    problems.push('issuer needs th and en');
  if (problems.length) throw new RangeError(`certificate: ${problems.join('; ')}`);
}

/** Renders a winner's certificate; the same input always gives the same bytes. */
export async function renderCertificate(input: CertificateInput): Promise<Buffer> {
  validate(input);
  const fonts = fontFiles();
  const issuer = input.issuer ?? DEFAULT_CERTIFICATE_ISSUER;
  const agencyName = input.agencyName.trim();
  const agencyNameEn = input.agencyNameEn?.trim() || null;
  const category = { th: input.categoryName.th.trim(), en: input.categoryName.en.trim() };
  const yearCE = input.cycleYearBE - BE_OFFSET;

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    // /ActualText on marked content is PDF 1.5; pdfkit otherwise writes a 1.3 header.
    pdfVersion: '1.7',
    font: fonts.regular,
    lang: 'th-TH',
    displayTitle: true,
    info: {
      Title: `เกียรติบัตร ${category.th} ประจำปี พ.ศ. ${input.cycleYearBE}`,
      Author: issuer.th,
      Subject: `${agencyName} — ${category.en} (${input.certificateNo})`,
      Keywords: input.certificateNo,
      Creator: '@dg/awards',
      CreationDate: input.announcedAt,
      ModDate: input.announcedAt,
    },
  });
  const chunks: Uint8Array[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  try {
    drawBorder(doc);

    const blocks: Block[] = [
      { text: 'เกียรติบัตร', face: 'bold', size: 40, lang: 'th-TH', colour: COLOURS.accent },
      { text: 'Certificate of Award', face: 'regular', size: 16, lang: 'en', colour: COLOURS.muted },
      { text: 'มอบให้แก่', face: 'regular', size: 18, lang: 'th-TH', gap: 16 },
      {
        text: agencyName,
        face: 'bold',
        size: 32,
        minSize: 16,
        maxLines: 2,
        lang: 'th-TH',
        colour: COLOURS.ink,
      },
      ...(agencyNameEn
        ? [
            {
              text: agencyNameEn,
              face: 'regular',
              size: 15,
              minSize: 10,
              maxLines: 2,
              lang: 'en',
              colour: COLOURS.muted,
            } as const,
          ]
        : []),
      {
        text: category.th,
        face: 'bold',
        size: 22,
        minSize: 13,
        maxLines: 2,
        lang: 'th-TH',
        colour: COLOURS.accent,
        gap: 14,
      },
      {
        text: category.en,
        face: 'regular',
        size: 14,
        minSize: 10,
        maxLines: 2,
        lang: 'en',
        colour: COLOURS.muted,
      },
      ...(input.rank > 1
        ? [{ text: `อันดับที่ ${input.rank}`, face: 'bold', size: 18, lang: 'th-TH', gap: 6 } as const]
        : []),
      { text: `ประจำปี พ.ศ. ${input.cycleYearBE}`, face: 'regular', size: 18, lang: 'th-TH', gap: 10 },
      { text: `ให้ไว้ ณ วันที่ ${formatThaiDate(input.announcedAt)}`, face: 'regular', size: 16, lang: 'th-TH' },
      {
        text: `${input.rank > 1 ? `Rank ${input.rank} · ` : ''}Awarded for ${yearCE} (B.E. ${input.cycleYearBE}) · Given on ${formatEnglishDate(input.announcedAt)}`,
        face: 'regular',
        size: 11,
        lang: 'en',
        colour: COLOURS.muted,
      },
    ];
    const laidOut = blocks.map((b) => layOut(doc, fonts, b));
    const height = laidOut.reduce(
      (sum, b) => sum + (b.gap ?? 0) + b.lines.length * lineHeight(b.fittedSize),
      0,
    );
    // The body is centred between the top of the frame and the issuer's block.
    const bodyTop = 60;
    const bodyBottom = 470;
    let y = bodyTop + Math.max(0, (bodyBottom - bodyTop - height) / 2);
    for (const b of laidOut) {
      y += b.gap ?? 0;
      for (const line of b.lines) {
        doc.fillColor(b.colour ?? COLOURS.ink);
        drawLine(doc, fonts, line, b.face, b.fittedSize, y, b.lang);
        y += lineHeight(b.fittedSize);
      }
    }

    // A rule above the issuer, then the issuer, then the certificate number.
    doc
      .save()
      .lineWidth(0.8)
      .strokeColor(COLOURS.gold)
      .moveTo(PAGE.width / 2 - 150, 480)
      .lineTo(PAGE.width / 2 + 150, 480)
      .stroke()
      .restore();
    doc.fillColor(COLOURS.ink);
    const issuerTh = layOut(doc, fonts, {
      text: issuer.th,
      face: 'bold',
      size: 16,
      minSize: 11,
      lang: 'th-TH',
    });
    drawLine(doc, fonts, issuerTh.lines.join(' '), 'bold', issuerTh.fittedSize, 487, 'th-TH');
    doc.fillColor(COLOURS.muted);
    const issuerEn = layOut(doc, fonts, {
      text: issuer.en,
      face: 'regular',
      size: 11,
      minSize: 8,
      lang: 'en',
    });
    drawLine(doc, fonts, issuerEn.lines.join(' '), 'regular', issuerEn.fittedSize, 511, 'en');
    drawLine(doc, fonts, `เลขที่ ${input.certificateNo.trim()}`, 'regular', 10, 535, 'th-TH');

    doc.end();
  } catch (error) {
    doc.end();
    await done.catch(() => undefined);
    throw error;
  }
  return done;
}
