import { Container, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useLang } from '../../i18n';
import { usePageTitle } from '../../lib/title';

const route = getRouteApi('/certificates/$number');

/** Checks that a certificate number is genuine (no login). */
export function CertificatePage() {
  const { number } = route.useParams();
  const lang = useLang();
  const title = lang === 'th' ? `ตรวจสอบเกียรติบัตรเลขที่ ${number}` : `Check certificate ${number}`;
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
