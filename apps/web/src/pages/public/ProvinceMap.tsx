import { Box, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { colorOf, NO_DATA_COLOR, type Bin } from './mapScale';
import classes from './ProvinceMap.module.css';
import { usePublicText } from './text';

/** The shapes of `@react-jvectormap/thailand` (MIT): SVG path data per ISO 3166-2:TH code, Mercator. */
interface Shapes {
  width: number;
  height: number;
  paths: Record<string, { path: string; name: string }>;
}

/**
 * Only the path data of the package is used (no jVectorMap runtime), loaded on demand in its own
 * chunk so the results page shows its figures before the map arrives.
 */
async function loadShapes(): Promise<Shapes> {
  const mod = (await import('@react-jvectormap/thailand/dist/thMerc.json')) as unknown as {
    default: { content: Shapes };
  };
  return mod.default.content;
}

export function useProvinceShapes() {
  return useQuery({ queryKey: ['th-province-shapes'], queryFn: loadShapes, staleTime: Infinity, gcTime: Infinity, retry: 1 });
}

export interface ProvinceValue {
  code: string;
  name: string;
  value: number | null;
  /** How the value reads in the tooltip ("62.5", "12 หน่วยงาน"). */
  text: string;
}

/**
 * The 77 provinces coloured by `values` through `bins`; a province without a value is grey. A
 * click selects a province (the same choice as the province filter below the map, which is the way
 * to choose one by keyboard). Every figure is also in the data table beside the map.
 */
export function ProvinceMap({
  values,
  bins,
  selected,
  onSelect,
  legend,
}: {
  values: ReadonlyMap<string, ProvinceValue>;
  bins: readonly Bin[];
  selected: string | null;
  onSelect: (code: string | null) => void;
  legend: { color: string; label: string }[];
}) {
  const t = usePublicText();
  const shapes = useProvinceShapes();
  const legendBox = (
    <Stack gap={6} aria-hidden style={{ minWidth: 0 }}>
      <Text fw={700}>{t.legend}</Text>
      {legend.map((e) => (
        <Group key={e.label} gap={8} wrap="nowrap" align="flex-start">
          <Box
            w={18}
            h={18}
            mt={4}
            style={{ background: e.color, border: '1px solid var(--mantine-color-gray-6)', flex: 'none' }}
          />
          <Text size="sm">{e.label}</Text>
        </Group>
      ))}
    </Stack>
  );
  if (shapes.isPending) return <Text role="status">{t.mapLoading}</Text>;
  if (shapes.isError) return <Text role="status">{t.mapFailed}</Text>;
  const { width, height, paths } = shapes.data;
  // The selected province last, so its outline is drawn over its neighbours'.
  const codes = Object.keys(paths).sort((a, b) => (a === selected ? 1 : b === selected ? -1 : 0));
  return (
    <Group align="flex-start" gap="lg" wrap="wrap">
      <svg
        viewBox={`0 0 ${width} ${Math.ceil(height)}`}
        style={{ width: 'min(100%, 24rem)', height: 'auto', flex: 'none' }}
        aria-hidden
        focusable="false"
        data-testid="province-map"
      >
        {codes.map((code) => {
          const shape = paths[code]!;
          const v = values.get(code);
          // A shape without a province code (the package draws one such area) is background.
          if (!/^TH-\d\d$/.test(code)) return <path key={code} d={shape.path} fill={NO_DATA_COLOR} stroke="#ffffff" />;
          return (
            <path
              key={code}
              d={shape.path}
              fill={colorOf(v?.value ?? null, bins)}
              className={`${classes.province} ${code === selected ? classes.selected : ''}`}
              data-code={code}
              onClick={() => onSelect(code === selected ? null : code)}
            >
              <title>{`${v?.name ?? shape.name}: ${v?.text ?? t.provinceNoData}`}</title>
            </path>
          );
        })}
      </svg>
      {legendBox}
    </Group>
  );
}
