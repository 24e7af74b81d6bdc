import {
  Alert,
  Button,
  Container,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { AgencyGroup, RankingRow, Results, SliceStats } from '@dg/contracts';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { AnchorLink } from '../../components/links';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLang } from '../../i18n';
import { formatDate, type Lang } from '../../lib/dates';
import { usePageTitle } from '../../lib/title';
import { useCycleYear, usePublicResults, useMethodologyLevels, type LevelInfo } from './api';
import { CsvLink } from './CsvLink';
import { DataFigure, DataTable, type Column } from './DataFigure';
import { fmtChange, fmtNumber, pick } from './format';
import { LevelBars } from './LevelBars';
import { binsFromCutoffs, equalBins, legendOf, type Bin } from './mapScale';
import { ProvinceMap, type ProvinceValue } from './ProvinceMap';
import { usePublicText, type PublicText } from './text';
import { ScrollTable } from '../../components/ScrollTable';
import { ListPagination } from '../../components/ListPagination';

const route = getRouteApi('/results/$cycleId');

/** Published results of a cycle (no login): figures by group, maturity levels, the province map, and every agency's rank. */
export function ResultsPage() {
  const { cycleId } = route.useParams();
  const t = usePublicText();
  const lang = useLang();
  const year = useCycleYear(cycleId);
  const title = t.resultsTitle(year);
  usePageTitle(title);
  // The statistics come with every page of rankings; this query is the unfiltered first page.
  const results = usePublicResults(cycleId, { pageSize: 1 });
  const levels = useMethodologyLevels(cycleId);
  const [province, setProvince] = useState<string | null>(null);
  const published = results.data?.state === 'ok' ? results.data.data : null;

  return (
    <Container size="lg">
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{title}</Title>
          {published && <Facts results={published} lang={lang} t={t} />}
          <Group gap="lg">
            <AnchorLink to="/results/$cycleId/methodology" params={{ cycleId }}>
              {t.methodology}
            </AnchorLink>
            {published && (
              <AnchorLink to="/awards/$cycleId" params={{ cycleId }}>
                {t.awards}
              </AnchorLink>
            )}
          </Group>
        </Stack>
        {results.isPending ? (
          <Loading />
        ) : results.isError ? (
          <ProblemAlert error={results.error} onRetry={() => void results.refetch()} />
        ) : results.data.state === 'not_published' ? (
          <Alert role="status" color="blue" variant="light" title={t.notPublished}>
            <Text>{t.notPublishedText}</Text>
          </Alert>
        ) : results.data.state === 'no_cycle' ? (
          <Alert role="status" color="gray" variant="light" title={t.cycleNotFound}>
            <Text>{t.cycleNotFoundText}</Text>
            <AnchorLink to="/">{t.home}</AnchorLink>
          </Alert>
        ) : published ? (
          <>
            <Overview results={published} year={year} lang={lang} t={t} />
            <Levels results={published} year={year} lang={lang} t={t} levels={levels} />
            <Provinces
              results={published}
              year={year}
              lang={lang}
              t={t}
              levels={levels}
              selected={province}
              onSelect={setProvince}
            />
            <Rankings
              cycleId={cycleId}
              results={published}
              lang={lang}
              t={t}
              levels={levels}
              province={province}
              onProvince={setProvince}
            />
          </>
        ) : null}
      </Stack>
    </Container>
  );
}

interface Common {
  results: Results;
  lang: Lang;
  t: PublicText;
}

function groupName(s: SliceStats, lang: Lang, t: PublicText): string {
  return pick(s.name, lang) || t.groups[s.key] || s.key;
}

function Facts({ results, lang, t }: Common) {
  const all = results.statistics.all.overall;
  return (
    <Group gap="lg" wrap="wrap">
      {results.publishedAt && <Text>{t.publishedOn(formatDate(results.publishedAt, lang, 'long'))}</Text>}
      <Text>
        {t.scoredAgencies}: <strong>{fmtNumber(results.scored, lang)}</strong>
      </Text>
      <Text>
        {t.meanOverall}: <strong>{fmtNumber(all.mean, lang)}</strong>
      </Text>
      {results.method && (
        <Text>
          {t.method}: <strong>{results.method === 'raw' ? t.methodRaw : t.methodStandardised}</strong>
        </Text>
      )}
    </Group>
  );
}

function Overview({ results, year, lang, t }: Common & { year: string }) {
  const slices = [results.statistics.all, ...results.statistics.byGroup];
  const columns: Column[] = [
    { label: t.colGroup },
    { label: t.colN, numeric: true },
    { label: t.colMean, numeric: true },
    { label: t.colMedian, numeric: true },
    { label: t.colQ1, numeric: true },
    { label: t.colQ3, numeric: true },
    { label: t.colMin, numeric: true },
    { label: t.colMax, numeric: true },
    { label: t.colChange, numeric: true },
  ];
  const data = slices.map((s) => [
    groupName(s, lang, t),
    s.overall.n,
    s.overall.mean,
    s.overall.median,
    s.overall.q1,
    s.overall.q3,
    s.overall.min,
    s.overall.max,
    s.change.mean,
  ]);
  const csvRows = [columns.map((c) => c.label), ...data];
  const caption = t.overviewCaption(year);
  return (
    <Stack component="section" aria-labelledby="overview" gap="sm">
      <Title order={2} id="overview">
        {t.overviewTitle}
      </Title>
      <DataTable
        caption={caption}
        columns={columns}
        rows={data.map((r) => r.map((v, i) => (i === 0 ? v : i === 8 ? fmtChange(v as number | null, lang) : fmtNumber(v as number | null, lang))))}
      />
      <Group className="no-print">
        <CsvLink rows={csvRows} fileName={`results-${results.cycleId}-groups.csv`} what={caption} />
      </Group>
    </Stack>
  );
}

function levelLabel(level: number, levels: LevelInfo[] | null, lang: Lang, t: PublicText): string {
  const found = levels?.find((l) => l.level === level);
  return found ? `${t.level(level)} ${pick(found.name, lang)}` : t.level(level);
}

function Levels({ results, year, lang, t, levels }: Common & { year: string; levels: LevelInfo[] | null }) {
  const groups = results.statistics.byGroup;
  const name = (l: number) => levelLabel(l, levels, lang, t);
  const columns: Column[] = [
    { label: t.colGroup },
    ...[1, 2, 3, 4, 5].map((l) => ({ label: name(l), numeric: true })),
    { label: t.colTotal, numeric: true },
  ];
  const csvRows = groups.map((g) => [groupName(g, lang, t), ...[1, 2, 3, 4, 5].map((l) => g.levels[String(l)] ?? 0), g.overall.n]);
  const summary = groups
    .map((g) => `${groupName(g, lang, t)} ${[1, 2, 3, 4, 5].map((l) => `${t.level(l)} ${g.levels[String(l)] ?? 0}`).join(', ')}`)
    .join('; ');
  return (
    <DataFigure
      title={t.levelsTitle}
      description={t.levelsText}
      chartLabel={t.levelsChart(summary)}
      chart={
        <LevelBars
          rows={groups.map((g) => ({ key: g.key, label: groupName(g, lang, t), levels: g.levels, n: g.overall.n }))}
          levelName={name}
        />
      }
      table={{
        caption: t.levelsCaption(year),
        columns,
        rows: csvRows.map((r) => r.map((v, i) => (i === 0 ? v : fmtNumber(v as number, lang)))),
        csvRows,
      }}
      fileName={`results-${results.cycleId}-levels.csv`}
    />
  );
}

type Metric = 'mean' | 'count';

function Provinces({
  results,
  year,
  lang,
  t,
  levels,
  selected,
  onSelect,
}: Common & { year: string; levels: LevelInfo[] | null; selected: string | null; onSelect: (code: string | null) => void }) {
  const [metric, setMetric] = useState<Metric>('mean');
  const provinces = results.statistics.byProvince;
  const bins: Bin[] = useMemo(() => {
    if (metric === 'count') return equalBins(provinces.map((p) => p.overall.n), 5, true);
    // The overall score is on the levels' scale only with the raw method.
    if (levels && results.method === 'raw')
      return binsFromCutoffs(levels.map((l) => ({ min: l.min, name: { th: `${t.level(l.level)} ${l.name.th}`, en: `${t.level(l.level)} ${l.name.en}` } })));
    return equalBins(provinces.flatMap((p) => (p.overall.mean === null ? [] : [p.overall.mean])));
  }, [metric, provinces, levels, results.method, t]);
  const values = useMemo(() => {
    const m = new Map<string, ProvinceValue>();
    for (const p of provinces) {
      const value = metric === 'mean' ? p.overall.mean : p.overall.n;
      m.set(p.key, {
        code: p.key,
        name: pick(p.name, lang) || p.key,
        value,
        text: metric === 'mean' ? `${t.colMean} ${fmtNumber(value, lang)} (${t.colN} ${p.overall.n})` : `${t.colN} ${p.overall.n}`,
      });
    }
    return m;
  }, [provinces, metric, lang, t]);
  const metricName = metric === 'mean' ? t.metricMean : t.metricCount;
  const top = [...provinces].sort((a, b) =>
    metric === 'mean' ? (b.overall.mean ?? -Infinity) - (a.overall.mean ?? -Infinity) : b.overall.n - a.overall.n,
  )[0];
  const topText = top
    ? t.mapTop(pick(top.name, lang) || top.key, metric === 'mean' ? fmtNumber(top.overall.mean, lang) : String(top.overall.n))
    : '';
  const columns: Column[] = [
    { label: t.colProvince },
    { label: t.colCode },
    { label: t.colN, numeric: true },
    { label: t.colMean, numeric: true },
    { label: t.colMedian, numeric: true },
    { label: t.colMin, numeric: true },
    { label: t.colMax, numeric: true },
  ];
  const csvRows = provinces.map((p) => [
    pick(p.name, lang) || p.key,
    p.key,
    p.overall.n,
    p.overall.mean,
    p.overall.median,
    p.overall.min,
    p.overall.max,
  ]);
  return (
    <DataFigure
      title={t.mapTitle}
      description={t.mapText}
      controls={
        <Stack gap={4}>
          <Text id="map-metric" fw={700} size="sm">
            {t.mapMetric}
          </Text>
          <SegmentedControl
            aria-labelledby="map-metric"
            value={metric}
            onChange={(v) => setMetric(v as Metric)}
            data={[
              { value: 'mean', label: t.metricMean },
              { value: 'count', label: t.metricCount },
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
        </Stack>
      }
      chartLabel={t.mapChart(metricName, topText)}
      chart={
        <ProvinceMap
          values={values}
          bins={bins}
          selected={selected}
          onSelect={onSelect}
          legend={legendOf(bins, lang, { integer: metric === 'count', withNoData: true })}
        />
      }
      table={{
        caption: t.mapCaption(year),
        columns,
        rows: csvRows.map((r) => r.map((v, i) => (i < 2 ? v : fmtNumber(v as number | null, lang)))),
        csvRows,
      }}
      fileName={`results-${results.cycleId}-provinces.csv`}
    />
  );
}

const GROUPS: AgencyGroup[] = ['department', 'provincial', 'local'];

function Rankings({
  cycleId,
  results,
  lang,
  t,
  levels,
  province,
  onProvince,
}: Common & {
  cycleId: string;
  levels: LevelInfo[] | null;
  province: string | null;
  onProvince: (code: string | null) => void;
}) {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text, 300);
  const [group, setGroup] = useState<AgencyGroup | null>(null);
  const [page, setPage] = useState(1);
  const filter = { q, group: group ?? undefined, province: province ?? undefined, page, pageSize: 20 };
  const ranked = usePublicResults(cycleId, filter);
  const data = ranked.data?.state === 'ok' ? ranked.data.data : null;
  const pages = data ? Math.max(1, Math.ceil(data.rankings.total / data.rankings.pageSize)) : 1;
  const provinceOptions = results.statistics.byProvince
    .map((p) => ({ value: p.key, label: pick(p.name, lang) || p.key }))
    .sort((a, b) => a.label.localeCompare(b.label, 'th'));
  const groupOptions = GROUPS.filter((g) => results.statistics.byGroup.some((s) => s.key === g)).map((g) => ({
    value: g,
    label: groupName(results.statistics.byGroup.find((s) => s.key === g)!, lang, t),
  }));
  const standardised = results.method === 'standardised';
  const reset = (f: () => void) => {
    f();
    setPage(1);
  };
  return (
    <Stack component="section" aria-labelledby="rankings" gap="sm">
      <Title order={2} id="rankings">
        {t.rankingsTitle}
      </Title>
      <Text>{t.rankingsText}</Text>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            type="search"
            label={t.search}
            description={t.searchHint}
            value={text}
            onChange={(e) => reset(() => setText(e.currentTarget.value))}
            autoComplete="off"
          />
          <Select
            label={t.colGroup}
            placeholder={t.allGroups}
            data={groupOptions}
            value={group}
            onChange={(v) => reset(() => setGroup(v as AgencyGroup | null))}
            clearable
            allowDeselect
          />
          <Select
            label={t.province}
            placeholder={t.allProvinces}
            data={provinceOptions}
            value={province}
            onChange={(v) => reset(() => onProvince(v))}
            searchable
            clearable
            nothingFoundMessage={t.noneFound}
          />
        </SimpleGrid>
      </form>
      {(text || group || province) && (
        <Group>
          <Button
            variant="subtle"
            size="compact-md"
            onClick={() =>
              reset(() => {
                setText('');
                setGroup(null);
                onProvince(null);
              })
            }
          >
            {t.clearFilters}
          </Button>
        </Group>
      )}
      <div aria-live="polite" aria-busy={ranked.isFetching}>
        {ranked.isPending ? (
          <Loading />
        ) : ranked.isError ? (
          <ProblemAlert error={ranked.error} onRetry={() => void ranked.refetch()} />
        ) : !data || data.rankings.total === 0 ? (
          <Text>{t.noneFound}</Text>
        ) : (
          <RankingTable rows={data.rankings.items} caption={t.rankingsCaption(data.rankings.total, page, pages)} cycleId={cycleId} lang={lang} t={t} levels={levels} standardised={standardised} results={results} />
        )}
      </div>
      {pages > 1 && (
        <ListPagination total={pages} value={page} onChange={setPage} label={t.pages} />
      )}
    </Stack>
  );
}

function RankingTable({
  rows,
  caption,
  cycleId,
  lang,
  t,
  levels,
  standardised,
  results,
}: Common & { rows: RankingRow[]; caption: string; cycleId: string; levels: LevelInfo[] | null; standardised: boolean }) {
  const groupOf = (g: string) => {
    const s = results.statistics.byGroup.find((x) => x.key === g);
    return s ? groupName(s, lang, t) : (t.groups[g] ?? g);
  };
  return (
    <ScrollTable minWidth={560} label={caption}>
      <Table striped withTableBorder captionSide="top" verticalSpacing="xs">
        <caption style={{ textAlign: 'start', fontWeight: 700 }}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t.colRank}</Table.Th>
            <Table.Th scope="col">{t.colAgency}</Table.Th>
            <Table.Th scope="col">{t.colGroup}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'end' }}>
              {t.colOverall}
            </Table.Th>
            {standardised && (
              <Table.Th scope="col" style={{ textAlign: 'end' }}>
                {t.colIndex}
              </Table.Th>
            )}
            <Table.Th scope="col">{t.colLevel}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'end' }}>
              {t.colChangeOne}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.agencyId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {r.rank}
                {r.tied && (
                  <Text span size="sm" c="dimmed">
                    {' '}
                    ({t.tied})
                  </Text>
                )}
              </Table.Td>
              <Table.Th scope="row" style={{ fontWeight: 400 }}>
                <AnchorLink to="/results/$cycleId/agencies/$agencyCode" params={{ cycleId, agencyCode: r.agencyCode }}>
                  {r.agencyName}
                </AnchorLink>{' '}
                <Text span size="sm" c="dimmed">
                  {r.agencyCode}
                </Text>
              </Table.Th>
              <Table.Td>{groupOf(r.group)}</Table.Td>
              <Table.Td style={{ textAlign: 'end' }}>{fmtNumber(r.overall, lang)}</Table.Td>
              {standardised && <Table.Td style={{ textAlign: 'end' }}>{fmtNumber(r.value, lang, 4)}</Table.Td>}
              <Table.Td>{r.level === null ? t.noLevel : levelLabel(r.level, levels, lang, t)}</Table.Td>
              <Table.Td style={{ textAlign: 'end', whiteSpace: 'nowrap' }}>{fmtChange(r.change, lang)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
