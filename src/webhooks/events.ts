/** The entry events a webhook may subscribe to. */
export const entryEventNames = ['entry.created', 'entry.updated', 'entry.deleted'] as const;

export type EntryEventName = (typeof entryEventNames)[number];

/** Where the entry service reports its writes, inside the write's own transaction. */
export interface EntryEvents {
  record(userId: string, event: EntryEventName, data: object): void;
}

export const noEntryEvents: EntryEvents = { record: () => {} };
