import { Container, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../lib/title';
import { AnchorLink } from '../components/links';

/**
 * There is no self-service reset: accounts are made and reset by DGA's administrators (the users
 * API), so this page says whom to ask and what to send, in Thai and English.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('forgot.title'));
  return (
    <Container size="md">
      <Stack>
        <Title order={1}>{t('forgot.title')}</Title>
        <section lang="th" aria-labelledby="forgot-th">
          <Title order={2} id="forgot-th">
            ภาษาไทย
          </Title>
          <Text>
            ระบบนี้ไม่มีการตั้งรหัสผ่านใหม่ด้วยตนเอง รหัสผ่านของผู้ประสานงานและผู้บริหารหน่วยงานตั้งใหม่โดยผู้ดูแลระบบของ
            สำนักงานพัฒนารัฐบาลดิจิทัล (สพร.) เท่านั้น
          </Text>
          <List>
            <List.Item>ติดต่อผู้ดูแลระบบของ สพร. หรือทีมสนับสนุนการสำรวจ (ทางอีเมลหรือ LINE Official Account ที่แจ้งไว้ในหนังสือเชิญ)</List.Item>
            <List.Item>แจ้งชื่อ-นามสกุล ตำแหน่ง ชื่อหน่วยงาน และอีเมลที่ใช้เข้าสู่ระบบ</List.Item>
            <List.Item>ส่งคำขอจากอีเมลของหน่วยงาน เพื่อให้ตรวจสอบตัวตนได้</List.Item>
            <List.Item>เมื่อได้รหัสผ่านชั่วคราวแล้ว ให้เข้าสู่ระบบและเปลี่ยนรหัสผ่านทันที (อย่างน้อย 12 ตัวอักษร)</List.Item>
          </List>
          <Text>ผู้ดูแลระบบจะไม่ขอรหัสผ่านของท่านทางโทรศัพท์หรืออีเมลไม่ว่ากรณีใด</Text>
        </section>
        <section lang="en" aria-labelledby="forgot-en">
          <Title order={2} id="forgot-en">
            English
          </Title>
          <Text>
            There is no self-service password reset. Passwords of agency coordinators and heads are reset only by the
            administrators of the Digital Government Development Agency (DGA).
          </Text>
          <List>
            <List.Item>
              Contact DGA&apos;s administrators or the survey support team (by the e-mail or LINE Official Account given in
              the invitation letter).
            </List.Item>
            <List.Item>Give your full name, position, agency and the e-mail you sign in with.</List.Item>
            <List.Item>Write from your agency&apos;s e-mail address so that they can check who you are.</List.Item>
            <List.Item>Sign in with the temporary password and change it at once (12 characters at least).</List.Item>
          </List>
          <Text>The administrators will never ask for your password by phone or e-mail.</Text>
        </section>
        <AnchorLink to="/login">
          {t('auth.signIn')}
        </AnchorLink>
      </Stack>
    </Container>
  );
}
