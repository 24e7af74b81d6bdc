import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Results, SliceStats } from '@dg/contracts';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../app/providers';
import { methodologyFixture } from './__fixtures__/methodology';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
function problem(status: number, code: string): Response {
  return new Response(JSON.stringify({ status, code }), { status, headers: { 'content-type': 'application/problem+json' } });
}

/** How long a page may take to load a chunk or an answer on a busy CI machine. */
const LOADED = { timeout: 10_000 };

const stats = (n: number, mean: number) => ({ n, mean, median: mean, q1: mean, q3: mean, min: mean, max: mean });
const slice = (key: string, name: [string, string] | null, n: number, mean: number, levels: number[]): SliceStats => ({
  key,
  name: name && { th: name[0], en: name[1] },
  overall: stats(n, mean),
  pillars: {},
  levels: Object.fromEntries(levels.map((c, i) => [String(i + 1), c])),
  change: { n: 0, mean: null },
});

const row = (code: string, name: string, rank: number, overall: number) => ({
  rank,
  tied: false,
  agencyId: `00000000-0000-4000-8000-${String(rank).padStart(12, '0')}`,
  agencyCode: code,
  agencyName: name,
  group: 'department' as const,
  ministryId: null,
  provinceCode: 'TH-50',
  value: overall,
  overall,
  pillars: {},
  level: 4,
  band: 'high',
  verified: true,
  previous: null,
  change: null,
});

function results(items: ReturnType<typeof row>[]): Results {
  return {
    cycleId: '2565',
    status: 'published',
    publishedAt: '2022-11-30T03:00:00Z',
    rulesVersion: 2,
    method: 'raw',
    previousCycleId: '2564',
    scored: 3,
    failed: 0,
    statistics: {
      all: slice('all', ['ทุกหน่วยงาน', 'All agencies'], 3, 61.5, [0, 1, 0, 2, 0]),
      byGroup: [slice('department', ['หน่วยงานระดับกรมหรือเทียบเท่า', 'Department-level agencies'], 3, 61.5, [0, 1, 0, 2, 0])],
      byMinistry: [],
      byProvince: [slice('TH-50', ['เชียงใหม่', 'Chiang Mai'], 2, 70, [0, 0, 0, 2, 0]), slice('TH-10', ['กรุงเทพมหานคร', 'Bangkok'], 1, 30, [0, 1, 0, 0, 0])],
    },
    rankings: { items, total: items.length, page: 1, pageSize: 20 },
  };
}

const ALL = [row('DEP-001', 'กรมพัฒนาดิจิทัล', 1, 72.5), row('DEP-002', 'กรมการปกครอง', 2, 68), row('DEP-003', 'กรมทดสอบ', 3, 30)];

/** A stand-in for the gateway's public routes, recording what was asked. */
function gateway(overrides: (url: URL) => Response | undefined = () => undefined) {
  const asked: URL[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL) => {
    const url = new URL(String(input as string), 'http://localhost');
    asked.push(url);
    const own = overrides(url);
    if (own) return Promise.resolve(own);
    if (url.pathname === '/api/v1/auth/refresh') return Promise.resolve(problem(401, 'UNAUTHENTICATED'));
    if (url.pathname === '/api/v1/public/cycles')
      return Promise.resolve(json({ items: [{ id: '2565', yearBE: 2565, title: null, publishedAt: '2022-11-30T03:00:00Z' }] }));
    if (url.pathname === '/api/v1/public/cycles/2565/methodology') return Promise.resolve(json(methodologyFixture()));
    if (url.pathname === '/api/v1/public/cycles/2565/results') {
      const q = url.searchParams.get('q');
      return Promise.resolve(json(results(q ? ALL.filter((r) => r.agencyName.includes(q) || r.agencyCode.includes(q)) : ALL)));
    }
    return Promise.resolve(problem(404, 'NOT_FOUND'));
  });
  vi.stubGlobal('fetch', fetchMock);
  return asked;
}

describe('the public results page', () => {
  it('shows the figures, a data table with its caption and CSV beside each chart, and searches by agency', async () => {
    const asked = gateway();
    window.history.pushState({}, '', '/results/2565');
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'ผลการสำรวจความพร้อมรัฐบาลดิจิทัล ปี 2565' }, LOADED)).toBeInTheDocument();

    // The levels chart: the table appears on demand, with a caption and scoped headers.
    const user = userEvent.setup();
    const toggle = await screen.findByRole('button', { name: 'แสดงตารางข้อมูล: ระดับความพร้อมตามกลุ่มหน่วยงาน' }, LOADED);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const table = screen.getByRole('table', { name: 'จำนวนหน่วยงานตามระดับความพร้อมและกลุ่มหน่วยงาน ปี 2565' });
    expect(within(table).getByRole('columnheader', { name: 'ระดับ 4 Fully Digital' })).toHaveAttribute('scope', 'col');
    expect(within(table).getByRole('rowheader', { name: 'หน่วยงานระดับกรมหรือเทียบเท่า' })).toBeInTheDocument();
    const csv = screen.getByRole('link', { name: 'ดาวน์โหลด CSV: ระดับความพร้อมตามกลุ่มหน่วยงาน' });
    expect(csv).toHaveAttribute('download', 'results-2565-levels.csv');
    expect(screen.getByRole('link', { name: 'ดาวน์โหลด CSV: ผลการสำรวจรายจังหวัด' })).toHaveAttribute('download', 'results-2565-provinces.csv');

    // The map is drawn from the package's shapes, Chiang Mai in the level-4 colour.
    const map = await screen.findByTestId('province-map', {}, LOADED);
    await waitFor(() => expect(map.querySelector('path[data-code="TH-50"]')).not.toBeNull(), LOADED);
    expect(map.querySelector('path[data-code="TH-50"]')).toHaveAttribute('fill', '#2171b5');
    expect(map.querySelectorAll('path[data-code]')).toHaveLength(77);

    // The search box asks the API for matching agencies and links each to its scorecard.
    const rankings = screen.getByRole('table', { name: /ผลการจัดอันดับ 3 หน่วยงาน/ });
    expect(within(rankings).getAllByRole('row')).toHaveLength(4);
    await user.type(screen.getByRole('searchbox', { name: /ค้นหาหน่วยงาน/ }), 'ปกครอง');
    // Debounced, then asked: give a busy machine time.
    expect(await screen.findByRole('table', { name: /ผลการจัดอันดับ 1 หน่วยงาน/ }, LOADED)).toBeInTheDocument();
    expect(asked.some((u) => u.searchParams.get('q') === 'ปกครอง')).toBe(true);
    expect(screen.getByRole('link', { name: 'กรมการปกครอง' })).toHaveAttribute('href', '/results/2565/agencies/DEP-002');
  });

  it('says in Thai that results are not published yet, instead of an error', async () => {
    gateway((url) => (url.pathname.endsWith('/results') ? problem(404, 'RESULTS_NOT_PUBLISHED') : undefined));
    window.history.pushState({}, '', '/results/2565');
    render(<App />);
    expect(await screen.findByText('ยังไม่ได้ประกาศผลการสำรวจรอบนี้', {}, LOADED)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('link', { name: 'วิธีคิดคะแนน' })).toHaveAttribute('href', '/results/2565/methodology');
  });
});

describe('the certificate check', () => {
  it('shows a genuine certificate, then says plainly that an unknown number is not genuine', async () => {
    gateway((url) => {
      if (url.pathname === '/api/v1/certificates/DGA-2565-top-department-001')
        return json({
          number: 'DGA-2565-top-department-001',
          genuine: true,
          agencyCode: 'DEP-001',
          agencyName: 'กรมพัฒนาดิจิทัล',
          category: { key: 'top-department', name: { th: 'หน่วยงานระดับกรมที่มีความพร้อมสูงสุด', en: 'Top department' } },
          cycleId: '2565',
          cycleYearBE: 2565,
          rank: 1,
          shared: false,
          announcedAt: '2022-11-30T03:00:00Z',
          issuedAt: '2022-12-01T03:00:00Z',
        });
      if (url.pathname.startsWith('/api/v1/certificates/')) return problem(404, 'CERTIFICATE_NOT_FOUND');
      return undefined;
    });
    window.history.pushState({}, '', '/certificates/DGA-2565-top-department-001');
    render(<App />);
    const genuine = await screen.findByTestId('certificate-genuine', {}, LOADED);
    expect(genuine).toHaveTextContent('เกียรติบัตรนี้เป็นของจริง');
    expect(genuine).toHaveTextContent('หน่วยงานระดับกรมที่มีความพร้อมสูงสุด');
    expect(genuine).toHaveTextContent('30 พฤศจิกายน 2565');

    const user = userEvent.setup();
    const input = screen.getByRole('textbox', { name: /เลขที่เกียรติบัตร/ });
    await user.clear(input);
    await user.click(screen.getByRole('button', { name: 'ตรวจสอบ' }));
    expect(await screen.findByText('กรุณากรอกเลขที่เกียรติบัตร', {}, LOADED)).toBeInTheDocument();
    await user.type(input, 'DGA-2565-fake-009');
    await user.click(screen.getByRole('button', { name: 'ตรวจสอบ' }));
    expect(await screen.findByTestId('certificate-not-found', {}, LOADED)).toHaveTextContent('ไม่พบเกียรติบัตรเลขที่นี้');
    expect(window.location.pathname).toBe('/certificates/DGA-2565-fake-009');
  });
});
