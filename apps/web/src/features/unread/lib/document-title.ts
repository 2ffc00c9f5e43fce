import { composeTitle } from './unread-count';

/**
 * The tab title has two writers — the page on screen (a room's name) and the unread count of
 * every room — so both go through this one place, which composes them.
 */
export class DocumentTitle {
  private page: string | null = null;
  private unread = 0;

  constructor(private readonly target: { title: string }) {}

  setPage(page: string | null): void {
    this.page = page;
    this.apply();
  }

  setUnread(unread: number): void {
    this.unread = unread;
    this.apply();
  }

  private apply(): void {
    const title = composeTitle(this.unread, this.page);
    if (this.target.title !== title) this.target.title = title;
  }
}

export const documentTitle = new DocumentTitle(
  typeof document === 'undefined' ? { title: '' } : document,
);
