import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/cycles/$cycleId/response');

/** The signed-in agency's response in a cycle: the questionnaire one pillar per page, autosave, evidence, check before sending, approval. */
export function ResponsePage() {
  const { cycleId } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `คำตอบแบบสำรวจของหน่วยงาน รอบ ${cycleId}` : `Your agency's response, cycle ${cycleId}`;
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
