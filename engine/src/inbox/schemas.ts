// The 待我处理 inbox as the API answers it, declared once: what needs the signed-in person, each item one click from its
// page.
import { IsoDate, Name, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';

export const INBOX_SOURCES = ['approval', 'invitation', 'ready_to_commit', 'unstaffed', 'results_overdue', 'results_due_soon', 'alert'] as const;
export const InboxSource = StringEnum(INBOX_SOURCES, {
  description:
    '待审批的专项任务 approval; 待答复的联合任务邀请 invitation; 待承诺抽取的任务 ready_to_commit; 有未配齐人员的对象 unstaffed; 逾期未公开 results_overdue; 5 个工作日内到期 results_due_soon; 未处置的高风险预警 alert',
});
export type InboxSource = Static<typeof InboxSource>;

export const InboxItem = Type.Object({
  source: InboxSource,
  /** The task, draw or alert the item is about. */
  subject: Type.String({ description: '任务、抽取或预警编号 the task, draw or alert id' }),
  title: Name,
  /** The page where the item is dealt with. */
  href: Type.String({ description: '处理该事项的页面 the page where it is dealt with' }),
  /** Objects unstaffed or results due; null where the item is one thing. */
  count: Nullable(Type.Integer()),
  /** The earliest due date among the item's results. */
  dueOn: Nullable(IsoDate),
});
export type InboxItem = Static<typeof InboxItem>;

export const Inbox = Type.Object({ today: IsoDate, items: Type.Array(InboxItem) });
export type Inbox = Static<typeof Inbox>;
