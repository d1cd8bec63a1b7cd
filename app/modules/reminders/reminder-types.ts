/** Who a reminder goes to; the owner's module resolves it to users when it fires. */
export type ReminderAudience = "company" | "advisor" | "window";

export interface ReminderSpec {
  kind: string;
  /** Stored comma-separated in reminder.audience. */
  audience: readonly ReminderAudience[];
  fireAt: Date;
}

export const audienceColumn = (audience: readonly ReminderAudience[]) => [...new Set(audience)].join(",");
export const parseAudience = (column: string) => column.split(",").filter(Boolean) as ReminderAudience[];
