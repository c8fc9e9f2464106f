import { describe, expect, it } from 'vitest';
import type { InboxItem } from '$engine/api/types';
import { inboxGroups } from './inbox';

const item = (source: InboxItem['source'], subject: string): InboxItem => ({ source, subject, title: { zh: subject, en: subject }, href: `/tasks/${subject}`, count: null, dueOn: null });

describe('inboxGroups', () => {
  it('groups by source, decisions first, and leaves out empty sources', () => {
    const groups = inboxGroups([item('ready_to_commit', 'T1'), item('approval', 'T2'), item('alert', 'A'), item('approval', 'T3')]);
    expect(groups.map((g) => [g.source, g.items.map((i) => i.subject)])).toEqual([
      ['approval', ['T2', 'T3']],
      ['alert', ['A']],
      ['ready_to_commit', ['T1']],
    ]);
  });
});
