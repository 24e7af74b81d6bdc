import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/results/$cycleId');

/** Published results of a cycle (no login): search by agency, levels per group, the province map. */
export function ResultsPage() {
  const { cycleId } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `ผลการสำรวจ รอบ ${cycleId}` : `Results, cycle ${cycleId}`;
  usePageTitle(title);
  return (
    <Container size="lg">
      <Stack>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{lang === 'th' ? 'หน้านี้กำลังจัดทำ' : 'This page is being built'}</Text>
      </Stack>
    </Container>
  );
}
