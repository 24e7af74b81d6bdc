import { Box, Group, Stack, Text } from '@mantine/core';
import { NO_DATA_COLOR, PALETTE } from './mapScale';

export interface LevelRow {
  key: string;
  label: string;
  /** Agencies per level "1".."5". */
  levels: Record<string, number>;
  /** Agencies scored (some may have no level: a score below the first cut-off). */
  n: number;
}

/** Text on a bar segment: dark on the three lighter blues, white on the two dark ones (contrast ≥ 4.5:1 each). */
const INK = ['#1a1b1e', '#1a1b1e', '#1a1b1e', '#ffffff', '#ffffff'];

/**
 * One stacked bar per agency group: each segment is a maturity level, as wide as its share of the
 * group's agencies, with its count on it when there is room. Plain HTML (no chart library); the
 * figures are in the data table beside it, so the bars themselves are hidden from screen readers.
 */
export function LevelBars({ rows, levelName }: { rows: LevelRow[]; levelName: (level: number) => string }) {
  return (
    <Stack gap="md" aria-hidden>
      {rows.map((row) => {
        const counted = [1, 2, 3, 4, 5].map((l) => row.levels[String(l)] ?? 0);
        const none = Math.max(0, row.n - counted.reduce((a, b) => a + b, 0));
        const total = Math.max(1, row.n);
        return (
          <Stack key={row.key} gap={4}>
            <Text fw={700}>
              {row.label} <Text span c="dimmed">({row.n.toLocaleString()})</Text>
            </Text>
            <Box
              style={{
                display: 'flex',
                width: '100%',
                minHeight: '2rem',
                borderRadius: 4,
                overflow: 'hidden',
                border: '1px solid var(--mantine-color-gray-5)',
                background: NO_DATA_COLOR,
              }}
            >
              {counted.map((count, i) =>
                count === 0 ? null : (
                  <Box
                    key={i}
                    title={`${levelName(i + 1)}: ${count}`}
                    style={{
                      width: `${(100 * count) / total}%`,
                      background: PALETTE[i],
                      color: INK[i],
                      display: 'flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                      fontSize: '0.875rem',
                      lineHeight: 1.6,
                      overflow: 'hidden',
                    }}
                  >
                    {count / total >= 0.06 ? count.toLocaleString() : ''}
                  </Box>
                ),
              )}
              {none > 0 && <Box style={{ width: `${(100 * none) / total}%` }} title={String(none)} />}
            </Box>
          </Stack>
        );
      })}
      <Group gap="md" wrap="wrap">
        {[1, 2, 3, 4, 5].map((l) => (
          <Group key={l} gap={6} wrap="nowrap">
            <Box w={16} h={16} style={{ background: PALETTE[l - 1], border: '1px solid var(--mantine-color-gray-6)', flex: 'none' }} />
            <Text size="sm">{levelName(l)}</Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
