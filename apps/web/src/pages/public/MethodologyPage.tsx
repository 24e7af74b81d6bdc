import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/results/$cycleId/methodology');

/** How scores are made in a cycle, generated from its scoring rules and questionnaire (no login). */
export function MethodologyPage() {
  const { cycleId } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `วิธีคิดคะแนน รอบ ${cycleId}` : `How scores are made, cycle ${cycleId}`;
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
