import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { MessageDto, RoomViewDto, SearchHitDto, SearchResultDto } from '@parley/contracts';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';
import { MessageSearch } from './message-search';
import { SEARCH_DEBOUNCE_MS, SearchPanel } from './search-panel';

const GENERAL = 'general000';
const RANDOM = 'random0000';

function hit(
  seq: number,
  room: string,
  content: string,
  highlights: SearchHitDto['highlights'],
): SearchHitDto {
  const message: MessageDto = {
    ...UNCHANGED_MESSAGE_FIELDS,
    id: seq.toString(16).padStart(24, '0'),
    room,
    seq,
    sender: { id: 'b'.repeat(24), username: 'ben', displayName: 'Ben' },
    content,
    mentions: [],
    mentionsRoom: false,
    clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    createdAt: '2026-01-02T10:00:00.000Z',
  };
  return { message, highlights };
}

const room = (id: string, name: string): RoomViewDto => ({
  id,
  name,
  kind: 'public',
  topic: null,
  role: 'member',
  createdBy: 'a'.repeat(24),
  lastSeq: 0,
  lastMessage: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readSeq: 0,
  notify: 'mentions',
  peer: null,
  editWindowSeconds: null,
});

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(JSON.stringify(body)),
  } as Response;
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function newQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } });
}

describe('SearchPanel', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
  const onOpenResult = jest.fn();
  const onClose = jest.fn();

  beforeEach(() => {
    jest.useFakeTimers();
    fetchMock.mockReset();
    onOpenResult.mockReset();
    onClose.mockReset();
    global.fetch = fetchMock as typeof fetch;
  });
  afterEach(() => jest.useRealTimers());

  function renderPanel(currentRoomId?: string) {
    render(
      <QueryClientProvider client={newQueryClient()}>
        <SearchPanel
          currentRoomId={currentRoomId}
          rooms={[room(GENERAL, 'General'), room(RANDOM, 'Random')]}
          onOpenResult={onOpenResult}
          onClose={onClose}
        />
      </QueryClientProvider>,
    );
    return userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
  }

  it('asks once typing pauses, in this room, and marks the matches in the results', async () => {
    const page: SearchResultDto = {
      items: [
        hit(7, GENERAL, 'Lunch at noon?', [{ start: 0, end: 5 }]),
        hit(3, GENERAL, 'We had lunch', [{ start: 7, end: 12 }]),
      ],
      nextBefore: null,
    };
    fetchMock.mockResolvedValue(jsonResponse(200, page));
    const user = renderPanel(GENERAL);
    const input = screen.getByRole('searchbox', { name: 'Search messages' });
    expect(input).toHaveFocus();
    expect(screen.getByRole('radio', { name: 'This room' })).toBeChecked();

    await user.type(input, 'lunch');
    expect(fetchMock).not.toHaveBeenCalled();
    await act(() => jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS));
    expect(fetchMock.mock.calls.map(([url]) => urlOf(url))).toEqual([
      `/api/search/messages?q=lunch&room=${GENERAL}&limit=20`,
    ]);

    const results = await screen.findByRole('list', { name: 'Search results' });
    const items = within(results).getAllByRole('button');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('General');
    expect(items[0]).toHaveTextContent('Ben');
    expect([...results.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual([
      'Lunch',
      'lunch',
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('2 messages found');

    await user.click(items[1]);
    expect(onOpenResult).toHaveBeenCalledWith(page.items[1].message);
  });

  it('searches every room of mine when asked, and pages with "More results"', async () => {
    fetchMock.mockImplementation((input) =>
      Promise.resolve(
        jsonResponse(
          200,
          urlOf(input).includes('before=')
            ? { items: [hit(2, RANDOM, '东京 again', [{ start: 0, end: 2 }])], nextBefore: null }
            : {
                items: [hit(9, GENERAL, '去东京', [{ start: 1, end: 3 }])],
                nextBefore: 'cursor-1',
              },
        ),
      ),
    );
    const user = renderPanel(GENERAL);
    await user.click(screen.getByRole('radio', { name: 'All my rooms' }));
    await user.type(screen.getByRole('searchbox'), '东京');
    await act(() => jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS));
    expect(await screen.findByText('General')).toBeInTheDocument();
    expect(urlOf(fetchMock.mock.calls[0][0])).toBe(
      `/api/search/messages?q=${encodeURIComponent('东京')}&limit=20`,
    );

    await user.click(screen.getByRole('button', { name: 'More results' }));
    expect(await screen.findByText('Random')).toBeInTheDocument();
    expect(urlOf(fetchMock.mock.calls[1][0])).toContain('before=cursor-1');
    expect(screen.queryByRole('button', { name: 'More results' })).not.toBeInTheDocument();
  });

  it('says when nothing matched, and offers a retry when the search failed', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [], nextBefore: null }));
    const user = renderPanel();
    // Outside a room only "All my rooms" makes sense.
    expect(screen.getByRole('radio', { name: 'This room' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'All my rooms' })).toBeChecked();
    await user.type(screen.getByRole('searchbox'), 'zebra');
    await act(() => jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS));
    expect(await screen.findByText('No messages found for “zebra”.')).toBeInTheDocument();

    fetchMock.mockResolvedValueOnce(
      jsonResponse(500, { error: { code: 'internal_error', message: 'Search is down' } }),
    );
    await user.type(screen.getByRole('searchbox'), 's');
    await act(() => jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS));
    expect(await screen.findByRole('alert')).toHaveTextContent('Search failed. Search is down');
    fetchMock.mockResolvedValueOnce(
      jsonResponse(200, {
        items: [hit(1, GENERAL, 'zebras', [{ start: 0, end: 6 }])],
        nextBefore: null,
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('list', { name: 'Search results' })).toBeInTheDocument();
  });

  it('closes with Escape', async () => {
    const user = renderPanel(GENERAL);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('MessageSearch', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as typeof fetch;
  });

  function Where() {
    const location = useLocation();
    return <p data-testid="where">{`${location.pathname} ${JSON.stringify(location.state)}`}</p>;
  }

  function renderSearch(path: string) {
    const client = newQueryClient();
    client.setQueryData(['rooms', 'list'], [room(GENERAL, 'General'), room(RANDOM, 'Random')]);
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route
              path="*"
              element={
                <>
                  <MessageSearch />
                  <label>
                    Draft <textarea />
                  </label>
                  <Where />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    return userEvent.setup();
  }

  it('opens with Ctrl+K, or "/" when not typing, and closes back to its button', async () => {
    const user = renderSearch(`/rooms/${GENERAL}`);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.keyboard('{Control>}k{/Control}');
    expect(screen.getByRole('dialog', { name: 'Search messages' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Search/ })).toHaveFocus();

    await user.click(screen.getByRole('textbox', { name: 'Draft' }));
    await user.keyboard('/');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Draft' })).toHaveValue('/');

    await user.click(screen.getByTestId('where'));
    await user.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Search messages' })).toHaveFocus();
  });

  it("opens a result's room with the message to jump to", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(200, {
        items: [hit(12, RANDOM, 'found it', [{ start: 0, end: 5 }])],
        nextBefore: null,
      }),
    );
    const user = renderSearch('/');
    await user.click(screen.getByRole('button', { name: /Search/ }));
    await user.type(screen.getByRole('searchbox'), 'found');
    await user.click(await screen.findByRole('button', { name: /found it/ }, { timeout: 2000 }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent(
      `/rooms/${RANDOM} {"jumpTo":{"room":"${RANDOM}","seq":12}}`,
    );
  });
});
