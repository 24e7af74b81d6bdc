import { Box, Group, Progress as Bar, Stack, Text } from '@mantine/core';
import { GENERAL, type Filter } from '../../features/answers/progress';
import { AnchorLink } from '../../components/links';
import { useLang } from '../../i18n';
import { useResponse } from './context';
import { Marker } from './Marker';
import { useResponseText } from './text';
import { useProgressOf } from './useProgress';

/**
 * The questionnaire's sections (general, then each pillar) as links that keep the filter, each
 * with answered / required and what is missing or returned. `nav` named "ส่วนของแบบสำรวจ"; the
 * current section is `aria-current="page"`.
 */
export function SectionNav({ current, filter }: { current: string; filter: Filter }) {
  const { cycleId } = useResponse();
  const progress = useProgressOf();
  const s = useResponseText();
  const lang = useLang();
  return (
    <nav aria-label={s.sectionsNav}>
      <Stack gap={4} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {progress.sections.map((section) => {
          const active = section.id === current;
          const name = section.id === GENERAL ? s.general : `${s.pillarLabel(section.number ?? 0)} ${section.title[lang]}`;
          const pct = section.required ? Math.round((100 * section.answered) / section.required) : 100;
          return (
            <li key={section.id}>
              <AnchorLink
                to="/cycles/$cycleId/response"
                params={{ cycleId }}
                search={{ pillar: section.id, filter: filter === 'all' ? undefined : filter }}
                aria-current={active ? 'page' : undefined}
                underline="never"
                display="block"
                px="sm"
                py={6}
                c={active ? 'blue.9' : 'dark.7'}
                style={{
                  borderRadius: 6,
                  background: active ? 'var(--mantine-color-blue-0)' : undefined,
                  borderLeft: `4px solid ${active ? 'var(--mantine-color-blue-8)' : 'transparent'}`,
                }}
              >
                <Text fw={active ? 700 : 500} size="sm" lh={1.6}>
                  {name}
                </Text>
                <Group gap={6} mt={2} wrap="wrap">
                  <Text size="xs" c="dimmed">
                    {s.answeredOf(section.answered, section.required)}
                  </Text>
                  {section.missing > 0 && <Marker tone="missing">{s.missingCount(section.missing)}</Marker>}
                  {section.returned > 0 && <Marker tone="returned">{s.returnedBadge(section.returned)}</Marker>}
                </Group>
                <Box mt={4} aria-hidden>
                  <Bar value={pct} size="xs" color={pct === 100 ? 'green.8' : 'blue.8'} />
                </Box>
              </AnchorLink>
            </li>
          );
        })}
      </Stack>
    </nav>
  );
}
