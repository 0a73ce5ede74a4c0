/** An entry as clients see it. */
export interface Entry {
  id: string;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface EntryPage {
  items: Entry[];
  nextCursor: string | null;
}

export interface EntryChanges {
  title?: string;
  body?: string;
}
