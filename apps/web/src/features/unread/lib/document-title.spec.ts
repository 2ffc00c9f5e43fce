import { DocumentTitle } from './document-title';

describe('DocumentTitle', () => {
  it('composes the page and the unread count, whichever changes', () => {
    const target = { title: '' };
    const title = new DocumentTitle(target);
    title.setUnread(2);
    expect(target.title).toBe('(2) Parley');
    title.setPage('Lobby');
    expect(target.title).toBe('(2) Lobby · Parley');
    title.setUnread(0);
    expect(target.title).toBe('Lobby · Parley');
    title.setPage(null);
    expect(target.title).toBe('Parley');
  });
});
