import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CERTIFICATE_ISSUER,
  formatThaiDate,
  renderCertificate,
  type CertificateInput,
} from './certificate.pdf';

// The text is read back with poppler's pdftotext/pdfinfo/pdffonts (Debian: poppler-utils; .ci/run
// installs it when missing). A missing tool fails the test with that hint rather than skipping it.
let dir: string;
let counter = 0;

function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdffonts', pdf: Buffer, args: string[] = []): string {
  const file = join(dir, `certificate-${++counter}.pdf`);
  writeFileSync(file, pdf);
  try {
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install -y poppler-utils`, { cause: error });
    }
    throw error;
  }
}

const text = (pdf: Buffer) => poppler('pdftotext', pdf, ['-layout', '-enc', 'UTF-8']);
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const noSpaces = (s: string) => s.replace(/\s+/g, '');

const base: CertificateInput = {
  agencyName: 'องค์การบริหารส่วนจังหวัดเชียงใหม่',
  agencyNameEn: 'Chiang Mai Provincial Administrative Organization',
  categoryName: { th: 'รางวัลผู้นำดิจิทัลดีเด่น', en: 'Outstanding digital leadership' },
  cycleYearBE: 2565,
  rank: 1,
  announcedAt: new Date('2022-11-30T03:00:00Z'), // 10:00 in Bangkok
  certificateNo: 'DGA-2565-digital-leader-001',
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awards-certificate-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('renderCertificate', () => {
  it.each([
    // tone marks over upper vowels (ส่วน, ใหม่), a thanthakhat (องค์), lower vowels absent
    ['องค์การบริหารส่วนจังหวัดเชียงใหม่', 'รางวัลผู้นำดิจิทัลดีเด่น', 'Outstanding digital leadership'],
    // ท้อง, ถิ่น (tone over sara i), ส่ง
    [
      'กรมส่งเสริมการปกครองท้องถิ่น',
      'รางวัลหน่วยงานที่มีความพร้อมรัฐบาลดิจิทัลสูงสุด ระดับกรม',
      'Highest digital government readiness, department level',
    ],
    // sara u/uu under consonants, sara am after a tone mark, a mark over sara i after a tall consonant
    [
      'สำนักงานปลัดกระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม',
      'รางวัลท้องถิ่นดิจิทัล สิ้นปีน้ำใจปู่ฟ้า',
      'Local digital innovation',
    ],
  ])('prints %s and its category so that they extract exactly', async (agencyName, th, en) => {
    const pdf = await renderCertificate({
      ...base,
      agencyName,
      agencyNameEn: null,
      categoryName: { th, en },
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const out = squash(text(pdf));
    expect(out).toContain(agencyName);
    expect(out).toContain(th);
    expect(out).toContain(en);
    expect(out).toContain('เกียรติบัตร');
    expect(out).toContain('Certificate of Award');
    expect(out).toContain('มอบให้แก่');
    expect(out).toContain('ประจำปี พ.ศ. 2565');
    expect(out).toContain('ให้ไว้ ณ วันที่ 30 พฤศจิกายน พ.ศ. 2565');
    expect(out).toContain('Given on 30 November 2022');
    expect(out).toContain('DGA-2565-digital-leader-001');
    expect(out).toContain(DEFAULT_CERTIFICATE_ISSUER.th);
    expect(out).toContain(DEFAULT_CERTIFICATE_ISSUER.en);
    expect(out).not.toContain('อันดับที่');
  });

  it('lays the page out in reading order, Thai before English, one line per item', async () => {
    const lines = text(await renderCertificate(base))
      .split('\n')
      .map(squash)
      .filter(Boolean);
    const at = (s: string) => lines.indexOf(s);
    const order = [
      'เกียรติบัตร',
      'Certificate of Award',
      'มอบให้แก่',
      'องค์การบริหารส่วนจังหวัดเชียงใหม่',
      'Chiang Mai Provincial Administrative Organization',
      'รางวัลผู้นำดิจิทัลดีเด่น',
      'Outstanding digital leadership',
      'ประจำปี พ.ศ. 2565',
      'ให้ไว้ ณ วันที่ 30 พฤศจิกายน พ.ศ. 2565',
      'Awarded for 2022 (B.E. 2565) · Given on 30 November 2022',
      DEFAULT_CERTIFICATE_ISSUER.th,
      DEFAULT_CERTIFICATE_ISSUER.en,
      'เลขที่ DGA-2565-digital-leader-001',
    ];
    for (const line of order) expect(lines).toContain(line);
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
  });

  it('embeds Sarabun (a subset) and no other font', async () => {
    const fonts = poppler('pdffonts', await renderCertificate(base));
    const rows = fonts.split('\n').slice(2).filter(Boolean);
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatch(/^[A-Z]{6}\+Sarabun-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('is A4 landscape with the metadata set and the creation date taken from announcedAt', async () => {
    const info = poppler('pdfinfo', await renderCertificate(base), ['-isodates']);
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^Page size:\s+841\.89 x 595\.28 pts \(A4\)$/m);
    expect(info).toMatch(/^Title:\s+เกียรติบัตร รางวัลผู้นำดิจิทัลดีเด่น ประจำปี พ\.ศ\. 2565$/m);
    expect(info).toMatch(/^Author:\s+สำนักงานพัฒนารัฐบาลดิจิทัล \(องค์การมหาชน\)$/m);
    expect(info).toMatch(
      /^Subject:\s+องค์การบริหารส่วนจังหวัดเชียงใหม่ — Outstanding digital leadership \(DGA-2565-digital-leader-001\)$/m,
    );
    expect(info).toMatch(/^CreationDate:\s+2022-11-30T03:00:00Z$/m);
  });

  it('gives the same bytes for the same input, and different bytes for another date', async () => {
    const a = await renderCertificate(base);
    const b = await renderCertificate({ ...base, categoryName: { ...base.categoryName } });
    expect(b.equals(a)).toBe(true);
    const c = await renderCertificate({ ...base, announcedAt: new Date('2022-12-01T03:00:00Z') });
    expect(c.equals(a)).toBe(false);
  });

  it('prints the rank when it is not first, and a given issuer', async () => {
    const out = squash(
      text(
        await renderCertificate({
          ...base,
          rank: 2,
          issuer: { th: 'คณะกรรมการพัฒนารัฐบาลดิจิทัล', en: 'Digital Government Development Committee' },
        }),
      ),
    );
    expect(out).toContain('อันดับที่ 2');
    expect(out).toContain('Rank 2 · Awarded for 2022 (B.E. 2565)');
    expect(out).toContain('คณะกรรมการพัฒนารัฐบาลดิจิทัล');
    expect(out).toContain('Digital Government Development Committee');
    expect(out).not.toContain(DEFAULT_CERTIFICATE_ISSUER.th);
  });

  it('wraps a name too long for one line at Thai word boundaries, losing no character', async () => {
    const agencyName =
      'สำนักงานคณะกรรมการส่งเสริมวิทยาศาสตร์ วิจัยและนวัตกรรม และสำนักงานการวิจัยแห่งชาติ ร่วมกับองค์การบริหารส่วนจังหวัดแม่ฮ่องสอนและกรมส่งเสริมการปกครองท้องถิ่น';
    const out = text(await renderCertificate({ ...base, agencyName }));
    expect(noSpaces(out)).toContain(noSpaces(agencyName));
    // More than one line, and each line a run of whole words of the name.
    const nameLines = out
      .split('\n')
      .map(squash)
      .filter((l) => l && noSpaces(agencyName).includes(noSpaces(l)) && l.length > 20);
    expect(nameLines.length).toBeGreaterThan(1);
  });

  it('rejects input it cannot print', async () => {
    await expect(renderCertificate({ ...base, rank: 0 })).rejects.toThrow(/rank/);
    await expect(renderCertificate({ ...base, announcedAt: new Date('nope') })).rejects.toThrow(
      /announcedAt/,
    );
    await expect(renderCertificate({ ...base, cycleYearBE: 2022 })).rejects.toThrow(/Buddhist Era/);
    await expect(renderCertificate({ ...base, agencyName: '  ' })).rejects.toThrow(/agencyName/);
  });
});

describe('formatThaiDate', () => {
  it('uses the Bangkok date, the Thai month and the Buddhist Era year', () => {
    expect(formatThaiDate(new Date('2022-11-30T03:00:00Z'))).toBe('30 พฤศจิกายน พ.ศ. 2565');
    // 23:30 UTC on 24 May is already 25 May in Bangkok (UTC+7)
    expect(formatThaiDate(new Date('2022-05-24T23:30:00Z'))).toBe('25 พฤษภาคม พ.ศ. 2565');
    expect(formatThaiDate(new Date('2023-01-01T00:00:00+07:00'))).toBe('1 มกราคม พ.ศ. 2566');
  });
});
