export interface EmbeddedMigration {
  tag: string;
  createdAt: number;
  breakpoints: boolean;
  hash: string;
  sql: string;
}
