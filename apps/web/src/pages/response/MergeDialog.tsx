import { Button, Group, Modal, Paper, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { describeAnswer } from '../../features/answers/describe';
import type { Choice, Conflict } from '../../features/answers/merge';
import { useLang } from '../../i18n';
import { useResponse, useSaveState } from './context';
import { useResponseText } from './text';

const NO_CONFLICTS: readonly Conflict[] = [];

/**
 * Questions changed both here and elsewhere: each with both answers, and the person's choice
 * (mine / theirs; mine preselected, since it is what they just typed). Nothing is lost either
 * way: the answer not kept is shown until they confirm. Saving resumes with the new version.
 */
export function MergeDialog() {
  const { controller, questions, numbers } = useResponse();
  const s = useResponseText();
  const lang = useLang();
  const conflicts = useSaveState((x) => (x.conflicts.length ? x.conflicts : NO_CONFLICTS));
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const choiceOf = (id: string): Choice => choices[id] ?? 'mine';
  const all = (c: Choice) => setChoices(Object.fromEntries(conflicts.map((x) => [x.questionId, c])));
  const confirm = () => {
    controller.resolve(Object.fromEntries(conflicts.map((x) => [x.questionId, choiceOf(x.questionId)])));
    setChoices({});
  };

  return (
    <Modal
      opened={conflicts.length > 0}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={s.mergeTitle}
      size="lg"
      centered
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Stack>
        <Text>{s.mergeIntro}</Text>
        <Group gap="xs">
          <Button variant="default" size="compact-sm" onClick={() => all('mine')}>
            {s.mergeAllMine}
          </Button>
          <Button variant="default" size="compact-sm" onClick={() => all('theirs')}>
            {s.mergeAllTheirs}
          </Button>
        </Group>
        {conflicts.map((c) => {
          const x = questions.get(c.questionId);
          const title = x ? `${numbers.get(c.questionId) ?? ''} ${x.text[lang]}`.trim() : c.questionId;
          const mine = x ? describeAnswer(x, c.mine, lang) : JSON.stringify(c.mine);
          const theirs = x ? describeAnswer(x, c.theirs, lang) : JSON.stringify(c.theirs);
          return (
            <Paper key={c.questionId} withBorder p="sm">
              <Radio.Group
                label={title}
                value={choiceOf(c.questionId)}
                onChange={(v) => setChoices((prev) => ({ ...prev, [c.questionId]: v as Choice }))}
              >
                <Stack gap="xs" mt="xs">
                  {/* The answer is in the radio's name: a screen reader hears what it chooses. */}
                  <Radio value="mine" label={`${s.mergeMine}: ${mine}`} description={s.mineLabel} />
                  <Radio value="theirs" label={`${s.mergeTheirs}: ${theirs}`} description={s.theirsLabel} />
                </Stack>
              </Radio.Group>
            </Paper>
          );
        })}
        <Group justify="flex-end">
          <Button onClick={confirm} data-autofocus>
            {s.mergeConfirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
